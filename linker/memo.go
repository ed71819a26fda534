package linker

import (
	"hash/maphash"
	"sync"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// The memo keeps, across links, what linking computes for one component
// from that component alone: each step's result is keyed by exactly what
// the step reads (see memoTables), so after an edit a link recomputes the
// steps of the components the edit touched and reuses the others', and
// then runs the phases that look at the whole graph (bindings, routing,
// exports, cycles), which are cheap.
//
// A cell lives while the latest link of some root used it: a link lists
// the cells it used, and when it ends they replace the root's previous
// list (cells no root's list holds any more are dropped). Memory is thus
// bounded by the live trees, whatever the number of edits. A link that
// stops at resolution uses no cell and leaves the root's list as it was,
// so that fixing a syntax error finds the tree's cells again.
//
// A root's list also holds, by component, what collecting the bindings of
// each realm found (bindingsMemo), and the link's graph when every realm's
// specs came from those (graphMemo): the next link replays a realm's specs
// when the tree's shape, every declaration and the realm's bindings are
// the same, and shares the previous link's specs, edges and cycle check
// when every realm's are.
//
// A root's list also holds its link's diagnostics when they were lints
// only, with the lints they picked (rootCells.lintDiags): the next link
// that picks the same lints of the same cells, and reports nothing else,
// returns that slice instead of copying thousands of diagnostics. Outside
// the memo, the Cache keeps the name order of each long `components` list
// (Cache.sortedComponents), checked against the names on every link.

// memoTables are the memo's tables, one per step. A value, once stored,
// is never modified: links share it.
type memoTables struct {
	// manifests: what the linker derives from one manifest alone (its
	// lookup tables, lints, config-reference and slot checks), by its
	// analysis: an unchanged file keeps its *manifest.Result (the caller's
	// Files reuses analyses of unchanged text), so every instance of a
	// manifest, in every link, shares one record.
	manifests table[*manifest.Result, *manifestMemo]
	// lints: the lints of a manifest at one moniker.
	lints table[lintKey, lintsMemo]
	// configs: a component's composed config template, validated, with its
	// resource params.
	configs table[configKey, *configMemo]
	// programs: a component's lowered program and its failures.
	programs table[programKey, programMemo]
}

// memo is a Cache's memo: its tables and, by root, the cells the root's
// latest link used.
type memo struct {
	mu     sync.Mutex
	tables memoTables
	roots  map[string]*rootCells
	// off makes every step compute afresh, as before the memo existed:
	// tests compare the memo's results with it.
	off bool
	// rootTpls are the templates of roots without and with a
	// config_schema, one of each, so that their children's configs, keyed
	// by their parent's template, are found again when the root changed.
	rootTpls [2]*config.Template
}

// emptyTemplate is the one `{}` template of the memo's links: the
// template of a component whose config did not compose.
func (m *memo) emptyTemplate() *config.Template { return m.rootTpls[0] }

// rootTemplate is config.RootTemplate for a root with or without a
// config_schema.
func (m *memo) rootTemplate(schema bool) *config.Template {
	if schema {
		return m.rootTpls[1]
	}
	return m.rootTpls[0]
}

func newMemo() *memo {
	m := &memo{roots: map[string]*rootCells{}}
	m.rootTpls = [2]*config.Template{config.RootTemplate(nil), config.RootNode()}
	m.tables.manifests.m = map[*manifest.Result]*cell[*manifest.Result, *manifestMemo]{}
	m.tables.lints.m = map[lintKey]*cell[lintKey, lintsMemo]{}
	m.tables.configs.m = map[configKey]*cell[configKey, *configMemo]{}
	m.tables.programs.m = map[programKey]*cell[programKey, programMemo]{}
	return m
}

// table is one memo table. Its map is guarded by memo.mu.
type table[K comparable, V any] struct {
	m map[K]*cell[K, V]
}

// cell is one memoized value with the number of links, each the latest of
// its root, that used it. Its key and value never change.
type cell[K comparable, V any] struct {
	t    *table[K, V]
	key  K
	val  V
	refs int  // guarded by memo.mu
	in   bool // t.m[key] is this cell, guarded by memo.mu
}

// usedCell is a cell of any table, as a link's list of used cells holds it.
type usedCell interface {
	retain()
	release()
}

// retain counts one more link holding the cell, putting it back in its
// table when a release had dropped it meanwhile.
func (c *cell[K, V]) retain() {
	c.refs++
	if !c.in && c.t.m[c.key] == nil {
		c.t.m[c.key], c.in = c, true
	}
}

// release counts one link fewer; the last one drops the cell.
func (c *cell[K, V]) release() {
	c.refs--
	if c.refs <= 0 && c.in {
		delete(c.t.m, c.key)
		c.in = false
	}
}

// unit holds the cells of one component of a main tree, by component id:
// a link looks first at the cells its root's previous link used for the
// component at the same place, which saves hashing a key and locking the
// memo when, as after most edits, nothing changed there.
type unit struct {
	lints   *cell[lintKey, lintsMemo]
	config  *cell[configKey, *configMemo]
	program *cell[programKey, programMemo]
}

// rootCells are the cells one link used: by component, and the others.
type rootCells struct {
	units []unit
	other []usedCell
	// lintDiags are the link's diagnostics when it reported lints only
	// (nil otherwise), those picks picked (lintDiags).
	lintDiags []diag.Diagnostic
	picks     lintPicks
	// realms are what collecting the bindings of each realm found
	// (bindingsMemo), in id order: not cells, only the root's next link
	// reads them. graph is the link's graph, when it may be shared
	// (graphMemo), and acyclic says that the dependency cycle check found
	// none in it.
	realms  []realmBindings
	graph   *graphMemo
	acyclic bool
}

// cells lists every cell, with repetitions (a count of a cell's holders
// only needs retains and releases to match).
func (rc *rootCells) each(f func(usedCell)) {
	for _, u := range rc.units {
		u.each(f)
	}
	for _, c := range rc.other {
		f(c)
	}
}

// each calls f for each of the unit's cells.
func (u unit) each(f func(usedCell)) {
	if u.lints != nil {
		f(u.lints)
	}
	if u.config != nil {
		f(u.config)
	}
	if u.program != nil {
		f(u.program)
	}
}

// session is one link's use of the memo. A link runs on one goroutine;
// links of different roots (or of one root in different snapshots) may
// share the memo concurrently.
type session struct {
	m    *memo
	root string
	prev *rootCells // what the root's previous link used (read only)
	used rootCells
	// manifests caches the manifest records of this link, so the
	// instances of one manifest look the shared table up once.
	manifests map[*manifest.Result]*manifestMemo
	lastRes   *manifest.Result // the last one looked up
	lastMM    *manifestMemo
}

// session begins the use of the memo by a link of root.
func (m *memo) session(root string) *session {
	m.mu.Lock()
	prev := m.roots[root]
	m.mu.Unlock()
	if prev == nil {
		prev = &rootCells{}
	}
	return &session{m: m, root: root, prev: prev, manifests: map[*manifest.Result]*manifestMemo{}}
}

// units returns the session's cells of a main tree of n components, and
// those of the previous link.
func (s *session) units(n int) (cur, prev []unit) {
	s.used.units = make([]unit, n)
	return s.used.units, s.prev.units
}

// find returns the cell of k in t: prev when its key is k (the cell of the
// component at the same place in the previous link), else the table's
// cell, else nil.
func find[K comparable, V any](s *session, t *table[K, V], prev *cell[K, V], k K) *cell[K, V] {
	if s.m.off {
		return nil
	}
	if prev != nil && prev.key == k {
		return prev
	}
	s.m.mu.Lock()
	c := t.m[k]
	s.m.mu.Unlock()
	return c
}

// put records v for k in t and returns the cell, keeping the cell another
// link stored meanwhile (its value is the same).
func put[K comparable, V any](s *session, t *table[K, V], k K, v V) *cell[K, V] {
	if s.m.off {
		return &cell[K, V]{t: t, key: k, val: v}
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	c := t.m[k]
	if c == nil {
		c = &cell[K, V]{t: t, key: k, val: v, in: true}
		t.m[k] = c
	}
	return c
}

// reserve makes table t, when it is empty, with room for n cells, so that
// putting them does not grow it step by step.
func reserve[K comparable, V any](s *session, t *table[K, V], n int) {
	if s.m.off {
		return
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	reserveLocked(t, n)
}

// reserveLocked is reserve with memo.mu held.
func reserveLocked[K comparable, V any](t *table[K, V], n int) {
	if len(t.m) == 0 && n > 1 {
		t.m = make(map[K]*cell[K, V], n)
	}
}

// putMany is put for the n values kv returns, under one lock: a table
// still empty is made for them at once, and their cells are allocated
// together (so a dropped cell's memory lives on while another of its
// batch is used: at most the batch's size).
func putMany[K comparable, V any](s *session, t *table[K, V], n int, kv func(i int) (K, V)) []*cell[K, V] {
	cells := make([]*cell[K, V], n)
	fresh := make([]cell[K, V], n)
	if s.m.off {
		for i := range cells {
			k, v := kv(i)
			fresh[i] = cell[K, V]{t: t, key: k, val: v}
			cells[i] = &fresh[i]
		}
		return cells
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	reserveLocked(t, n)
	for i := range cells {
		k, v := kv(i)
		c := t.m[k]
		if c == nil {
			fresh[i] = cell[K, V]{t: t, key: k, val: v, in: true}
			c = &fresh[i]
			t.m[k] = c
		}
		cells[i] = c
	}
	return cells
}

// commit ends the session: the cells the link used replace those of the
// root's previous link. The memo keeps a copy of the list, never the
// session: a session points to the list before it and to the manifests
// of its link, so keeping it would keep every earlier link's root
// manifest (a syntax tree and analysis per keystroke).
func (s *session) commit() {
	used := &rootCells{units: s.used.units, other: s.used.other, lintDiags: s.used.lintDiags, picks: s.used.picks,
		realms: s.used.realms, graph: s.used.graph, acyclic: s.used.acyclic}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	old := s.m.roots[s.root]
	if old == nil {
		old = &rootCells{}
	}
	// A component whose cells are those of the previous link keeps its
	// counts: after most edits, that is all but a few.
	n := min(len(used.units), len(old.units))
	for i := range used.units {
		if i >= n || used.units[i] != old.units[i] {
			used.units[i].each(usedCell.retain)
		}
	}
	for _, c := range used.other {
		c.retain()
	}
	for i := range old.units {
		if i >= n || used.units[i] != old.units[i] {
			old.units[i].each(usedCell.release)
		}
	}
	for _, c := range old.other {
		c.release()
	}
	s.m.roots[s.root] = used
	s.prev, s.manifests, s.lastRes, s.lastMM = nil, nil, nil, nil
}

// forget drops the cells of the roots not in keep.
func (m *memo) forget(keep map[string]bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for root, cells := range m.roots {
		if !keep[root] {
			cells.each(usedCell.release)
			delete(m.roots, root)
		}
	}
}

// size returns the number of cells in the memo's tables, for tests.
func (m *memo) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &m.tables
	return len(t.manifests.m) + len(t.lints.m) + len(t.configs.m) + len(t.programs.m)
}

// textSeed seeds the hashes of syntax texts in memo keys.
var textSeed = maphash.MakeSeed()

// nodeText is the source text of a node of res's syntax tree ("" for nil).
// Equal texts are equal values: the memo keys config by text, since a
// node's offsets change with every edit before it.
func nodeText(res *manifest.Result, n *json5.Node) []byte {
	if n == nil || res == nil || res.Syntax == nil || n.End > len(res.Syntax.Src) || n.Start > n.End {
		return nil
	}
	return res.Syntax.Src[n.Start:n.End]
}

// textKey is a node's text in a key: its hash and length; the memoized
// value keeps the text itself, compared on every hit, so a collision costs
// a recomputation, never a wrong result.
type textKey struct {
	hash uint64
	n    int
	some bool // a node is there (nil and an empty text differ)
}

func keyOfText(text []byte, present bool) textKey {
	if !present {
		return textKey{}
	}
	return textKey{hash: maphash.Bytes(textSeed, text), n: len(text), some: true}
}
