package analysis

import (
	"bytes"
	"maps"
	"slices"
	"sort"
	"weak"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Ref is a reference from a manifest to a local manifest file.
type Ref struct {
	Section string    // "components" or "use"
	Name    string    // the entry's name
	Path    string    // the absolute path it resolves to
	Span    diag.Span // the reference string in the referring manifest
}

// ManifestRefs returns the local manifest references of the manifest at the
// absolute path file: the entries of `components` and `use` whose reference
// names a local file, resolved as the linker resolves it
// (linker.ResolveLocalRef). It reads the syntax tree only, so references are found even
// while the manifest has syntax or shape errors.
func ManifestRefs(file string, syn *json5.File) []Ref {
	return manifestRefs(file, syn, nil)
}

// resolvedRef is what linker.ResolveLocalRef made of a reference text.
type resolvedRef struct {
	path string
	ok   bool
}

// refMemo is what resolving the manifest references of one version of a
// file leaves for the next version's: how each reference text resolved,
// and the files the references name with the text of the tables they were
// read from. It is never modified once built, so the analyses of
// successive versions share it.
type refMemo struct {
	// texts maps reference texts to what they resolve to from the file
	// (ResolveLocalRef is a pure function of the file's path and the text).
	texts map[string]resolvedRef
	// targets are the files the references of the tables of refSections
	// name (refTargets), whose text, in the version's text src, tables
	// gives.
	targets []string
	src     []byte
	tables  [len(refSections)]refTable
	// nodes are the tables of refSections in the version's tree (nil
	// where there is no object), and ids say what each of their members
	// names: an index in targets, noRef or noTarget. The next version
	// takes the ids of the members it lines up with these (lineup). The
	// nodes are weak: a memo kept for a version no longer current (the
	// parse cache keeps the last one computed) does not keep its tree
	// alive, and lines nothing up once the tree is gone.
	nodes [len(refSections)]weak.Pointer[json5.Node]
	ids   [len(refSections)][]int32
	// errs are the spans of the version's syntax errors (errSpans).
	errs []diag.Span
}

// What a member of a table names, besides an index in refMemo.targets.
const (
	noRef    = -1 // no manifest reference
	noTarget = -2 // a reference that names no local file
)

// refTable is the state of one table of refSections in one version of a
// file, for telling whether the next version's table holds the same
// references.
type refTable struct {
	span  diag.Span // the table's text
	state int8      // tableNone, tableText or tableOther
}

const (
	tableNone  = iota // no object: no references
	tableText         // a closed object without syntax errors: its text decides its references
	tableOther        // anything else: its references must be read
)

// refTables returns the states of the tables of refSections in syn.
func refTables(syn *json5.File) (out [len(refSections)]refTable) {
	if syn == nil {
		return out
	}
	for i, section := range refSections {
		table, ok := syn.RootValue(section) // leaves a pending tree pending when it can
		switch {
		case !ok || table.Kind != json5.Object:
			continue
		case !table.Closed:
			out[i].state = tableOther
			continue
		}
		out[i] = refTable{span: table.Span, state: tableText}
		for _, e := range syn.Errors {
			if e.Span.Start < table.Span.End && e.Span.End >= table.Span.Start {
				out[i].state = tableOther
				break
			}
		}
	}
	return out
}

// sameTables reports whether each table of refSections has the same text
// in src, where tables now lie, as in memo's version (a table's parse then
// gives the same entries), and whether none of them moved.
func (memo *refMemo) sameTables(src []byte, tables [len(refSections)]refTable) (same, moved bool) {
	if memo == nil || memo.src == nil || src == nil {
		return false, false
	}
	for i, t := range tables {
		was := memo.tables[i]
		switch {
		case t.state != was.state || t.state == tableOther:
			return false, false
		case t.state == tableText:
			if !bytes.Equal(src[t.span.Start:t.span.End], memo.src[was.span.Start:was.span.End]) {
				return false, false
			}
			moved = moved || t.span.Start != was.span.Start
		}
	}
	return true, moved
}

// manifestRefs is ManifestRefs resolving the reference texts that memo, the
// memo of a version of the same file (or nil), knows through it: children
// mostly share a few references ("./leaf.json5" a thousand times).
func manifestRefs(file string, syn *json5.File, memo *refMemo) []Ref {
	var known map[string]resolvedRef
	if memo != nil {
		known = memo.texts
	}
	var refs []Ref
	if n := refCount(syn); n > 0 {
		refs = make([]Ref, 0, n)
	}
	var added map[string]resolvedRef // the texts known lacks
	eachRef(syn, func(section string, m *json5.Member, ref *json5.Node) {
		if r := resolveText(file, ref.Text, known, &added); r.ok {
			refs = append(refs, Ref{Section: section, Name: m.Key.Name, Path: r.path, Span: ref.Span()})
		}
	})
	return refs
}

// resolveText resolves a reference text from file through known, or
// through *added, where it adds the texts known lacks.
func resolveText(file, text string, known map[string]resolvedRef, added *map[string]resolvedRef) resolvedRef {
	if r, ok := known[text]; ok {
		return r
	}
	r, ok := (*added)[text]
	if !ok {
		r.path, r.ok = linker.ResolveLocalRef(file, text)
		if *added == nil {
			*added = map[string]resolvedRef{}
		}
		(*added)[text] = r
	}
	return r
}

// refTargets returns the files the local manifest references of the
// manifest at the absolute path file name (the paths of ManifestRefs, each
// once, in the order of their first reference), given the memo of an
// earlier version of the same file (or nil), and returns the memo for the
// next version. When the tables hold the same text as in the memo's
// version, wherever they now lie, their targets are the memo's; otherwise
// the members that line up with the memo's (lineup) name what they named
// there, and the others' reference texts resolve through the memo. Unlike
// the references, the targets hold no offsets, so that a keystroke
// allocates little for them: what the workspace reads of the reference
// graph on every keystroke (roots, referrers) needs no more. The memo's
// texts are those of this version and, unless that would let them grow
// past twice their number, the earlier memo's others. The memo points
// into this version's tree only, weakly.
func refTargets(file string, syn *json5.File, memo *refMemo) ([]string, *refMemo) {
	var src []byte
	if syn != nil {
		src = syn.Src
	}
	tables := refTables(syn)
	same, _ := memo.sameTables(src, tables)
	if syn != nil && !syn.Built() {
		// A text with syntax errors whose tree json5.Reparse builds when
		// asked for: the memo's version serves the next one as well when
		// the tables kept their text, or when it is the version the edit
		// was made to (pendingTargets).
		if same {
			return memo.targets, memo
		}
		if targets, ok := memo.pendingTargets(file, syn, tables); ok {
			return targets, memo
		}
	}
	nodes := refNodes(syn)
	next := &refMemo{src: src, tables: tables, errs: errSpans(syn)}
	for t, table := range nodes {
		next.nodes[t] = weak.Make(table)
	}
	if same {
		next.texts, next.targets, next.ids = memo.texts, memo.targets, memo.ids
		return next.targets, next
	}
	var known map[string]resolvedRef
	if memo != nil {
		known = memo.texts
	}
	var added map[string]resolvedRef
	used := 0 // references resolved: at least the number of texts
	tl := targetList{shared: true}
	if memo != nil {
		tl.memo = memo.targets
	}
	for t, table := range nodes {
		if table == nil {
			continue
		}
		ids := make([]int32, len(table.Members))
		l := memo.lineup(t, table, src, next.tables[t], next.errs)
		for i, m := range table.Members {
			if j := l.old(i); j >= 0 {
				id := memo.ids[t][j]
				if id >= 0 {
					id = tl.old(id)
				}
				if id != noRef {
					used++
				}
				ids[i] = id
				continue
			}
			ref := refNode(m.Value)
			if ref == nil {
				ids[i] = noRef
				continue
			}
			used++
			if r := resolveText(file, ref.Text, known, &added); r.ok {
				ids[i] = tl.add(r.path)
			} else {
				ids[i] = noTarget
			}
		}
		next.ids[t] = ids
	}
	next.targets = tl.result()
	next.texts = known
	if added == nil {
		return next.targets, next
	}
	next.texts = make(map[string]resolvedRef, len(added)+len(known))
	if len(known)+len(added) <= 2*used {
		maps.Copy(next.texts, known)
	} else {
		eachRef(syn, func(_ string, _ *json5.Member, ref *json5.Node) {
			if r, ok := known[ref.Text]; ok {
				next.texts[ref.Text] = r
			}
		})
	}
	maps.Copy(next.texts, added)
	return next.targets, next
}

// pendingTargets returns the targets of syn, a text whose tree is not
// built, from memo when memo is of the version syn's edit was made to: a
// table that kept its text names what it named there, and in one the edit
// lies in (json5.File.PendingTableEdit), the members before and after the
// edit name what they named there and those it made are resolved. ok is
// false when memo is of another version, or the edit lies elsewhere.
func (memo *refMemo) pendingTargets(file string, syn *json5.File, tables [len(refSections)]refTable) (targets []string, ok bool) {
	if memo == nil {
		return nil, false
	}
	var added map[string]resolvedRef
	tl := targetList{shared: true, memo: memo.targets}
	for t, section := range refSections {
		now, was := tables[t], memo.tables[t]
		if now.state == tableNone && was.state == tableNone ||
			now.state == tableText && was.state == tableText && bytes.Equal(syn.Src[now.span.Start:now.span.End], memo.src[was.span.Start:was.span.End]) {
			tl.olds(memo.ids[t])
			continue
		}
		e, ok := syn.PendingTableEdit(section)
		if !ok || e.Base != memo.nodes[t].Value() || !sameBytes(e.BaseSrc, memo.src) || len(memo.ids[t]) != len(e.Base.Members) {
			return nil, false
		}
		tl.olds(memo.ids[t][:e.I])
		for _, m := range e.Members {
			if ref := refNode(m.Value); ref != nil {
				if r := resolveText(file, ref.Text, memo.texts, &added); r.ok {
					tl.add(r.path)
				}
			}
		}
		tl.olds(memo.ids[t][e.J:])
	}
	return tl.result(), true
}

// targetList collects a version's targets, each once in the order they
// are met. While every target met first is the memo's next one (an edit
// that names no file the memo's version did not), the list is a prefix of
// the memo's, shared: a keystroke copies and indexes nothing.
type targetList struct {
	memo   []string // the memo's targets
	shared bool     // the list is memo[:k]
	k      int
	scans  int // linear searches of memo[:k] made while shared

	list  []string
	seen  map[string]int32 // the list's indexes, once it is long
	moved []int32          // the memo's indexes -> the list's, +1
}

// olds adds the memo's targets ids, skipping the members that name none
// (a negative id).
func (tl *targetList) olds(ids []int32) {
	for _, id := range ids {
		if id >= 0 {
			tl.old(id)
		}
	}
}

// old adds the memo's target id and returns its index in the list.
func (tl *targetList) old(id int32) int32 {
	if tl.shared {
		switch {
		case int(id) < tl.k:
			return id
		case int(id) == tl.k:
			tl.k++
			return id
		}
		tl.unshare()
	}
	if tl.moved[id] == 0 {
		tl.moved[id] = tl.add(tl.memo[id]) + 1
	}
	return tl.moved[id] - 1
}

// add adds path and returns its index in the list.
func (tl *targetList) add(path string) int32 {
	if tl.shared {
		if tl.scans++; tl.scans <= 8 { // bounded: a search costs k comparisons
			if i := slices.Index(tl.memo[:tl.k], path); i >= 0 {
				return int32(i)
			}
			if tl.k < len(tl.memo) && tl.memo[tl.k] == path {
				tl.k++
				return int32(tl.k - 1)
			}
		}
		tl.unshare()
	}
	if tl.seen == nil && len(tl.list) < 8 {
		if i := slices.Index(tl.list, path); i >= 0 {
			return int32(i)
		}
	} else {
		if tl.seen == nil {
			tl.seen = make(map[string]int32, 2*len(tl.list))
			for i, t := range tl.list {
				tl.seen[t] = int32(i)
			}
		}
		if i, ok := tl.seen[path]; ok {
			return i
		}
		tl.seen[path] = int32(len(tl.list))
	}
	tl.list = append(tl.list, path)
	return int32(len(tl.list) - 1)
}

// unshare copies the shared prefix into a list of its own.
func (tl *targetList) unshare() {
	tl.shared = false
	tl.list = slices.Clone(tl.memo[:tl.k])
	tl.moved = make([]int32, len(tl.memo))
	for i := range tl.k {
		tl.moved[i] = int32(i) + 1
	}
}

// result returns the list.
func (tl *targetList) result() []string {
	if tl.shared {
		if tl.k == 0 {
			return nil
		}
		return tl.memo[:tl.k:tl.k]
	}
	if len(tl.list) == 0 {
		return nil
	}
	return tl.list
}

// rootObject returns syn's root when it is an object, or nil.
func rootObject(syn *json5.File) *json5.Node {
	if syn == nil {
		return nil
	}
	if root := syn.Root(); root != nil && root.Kind == json5.Object {
		return root
	}
	return nil
}

// refNodes returns the tables of refSections in syn, nil where there is no
// object.
func refNodes(syn *json5.File) (out [len(refSections)]*json5.Node) {
	root := rootObject(syn)
	if root == nil {
		return out
	}
	for i, section := range refSections {
		if table := root.Get(section); table != nil && table.Kind == json5.Object {
			out[i] = table
		}
	}
	return out
}

// refLineup pairs the members of a table with those of the same table in
// the memo's version: the first head of both name the same, and so do the
// last tail.
type refLineup struct{ head, tail, now, was int }

// old returns the index of the memo's member paired with member i, or -1.
func (l refLineup) old(i int) int {
	switch {
	case i < l.head:
		return i
	case i >= l.now-l.tail:
		return i - l.now + l.was
	}
	return -1
}

// lineup lines table t of refSections, now, of text src in state state,
// up with the memo's from both ends: a member pairs with the memo's when
// it is the very same member (json5.Reparse shares the members an edit
// left as they were, which a fresh parse would give), or when the two
// have the same text and no syntax error meets either (text without
// errors parses alike wherever it stands). errs are the spans of the
// syntax errors of now's version (errSpans). Nothing pairs without a
// memo, or once the memo's tree is gone.
func (memo *refMemo) lineup(t int, now *json5.Node, src []byte, state refTable, errs []diag.Span) refLineup {
	var was *json5.Node
	if memo != nil {
		was = memo.nodes[t].Value()
	}
	if was == nil {
		return refLineup{now: len(now.Members)}
	}
	l := refLineup{now: len(now.Members), was: len(was.Members)}
	clean := state.state == tableText && memo.tables[t].state == tableText // no error in either table
	same := func(i, j int) bool {
		a, b := now.Members[i], was.Members[j]
		if a == b {
			return true
		}
		return bytes.Equal(src[a.Key.Start:a.Value.End], memo.src[b.Key.Start:b.Value.End]) &&
			(clean || noError(errs, a.Key.Start, a.Value.End) && noError(memo.errs, b.Key.Start, b.Value.End))
	}
	for l.head < min(l.now, l.was) && same(l.head, l.head) {
		l.head++
	}
	for l.tail < min(l.now, l.was)-l.head && same(l.now-1-l.tail, l.was-1-l.tail) {
		l.tail++
	}
	return l
}

// errSpans returns the spans of syn's errors, those that overlap merged:
// sorted and disjoint.
func errSpans(syn *json5.File) []diag.Span {
	if syn == nil || len(syn.Errors) == 0 {
		return nil
	}
	out := make([]diag.Span, 0, len(syn.Errors))
	for _, e := range syn.Errors { // sorted by start
		if n := len(out); n > 0 && e.Span.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, e.Span.End)
			continue
		}
		out = append(out, e.Span)
	}
	return out
}

// noError reports whether no span of errs (errSpans) meets [start, end].
func noError(errs []diag.Span, start, end int) bool {
	i := sort.Search(len(errs), func(i int) bool { return errs[i].End >= start })
	return i == len(errs) || errs[i].Start > end
}

// refSections are the tables whose entries name manifests, in the order
// ManifestRefs lists them.
var refSections = [...]string{"components", "use"}

// refCount returns the number of entries of the tables of refSections: at
// least the number of references eachRef finds.
func refCount(syn *json5.File) int {
	n := 0
	if root := rootObject(syn); root != nil {
		for _, section := range refSections {
			if table := root.Get(section); table != nil {
				n += len(table.Members)
			}
		}
	}
	return n
}

// eachRef calls fn with each member of `components` and `use` (in that
// order) that holds a manifest reference, and the reference's string node.
func eachRef(syn *json5.File, fn func(section string, m *json5.Member, ref *json5.Node)) {
	root := rootObject(syn)
	if root == nil {
		return
	}
	for _, section := range refSections {
		table := root.Get(section)
		if table == nil || table.Kind != json5.Object {
			continue
		}
		for _, m := range table.Members {
			if ref := refNode(m.Value); ref != nil {
				fn(section, m, ref)
			}
		}
	}
}

// refNode returns the string node holding the manifest reference of a
// component declaration: `"./x"`, `{ manifest: "./x" }`,
// `{ manifest: { url: "./x" } }` or `{ url: "./x" }`.
func refNode(v *json5.Node) *json5.Node {
	if v.Kind == json5.Object {
		if m := v.Get("manifest"); m != nil {
			v = m
		}
	}
	switch v.Kind {
	case json5.String:
		return v
	case json5.Object:
		if u := v.Get("url"); u != nil && u.Kind == json5.String {
			return u
		}
	}
	return nil
}
