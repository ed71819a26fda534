package analysis

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// featureFile is a manifest file as the features read it: its text and
// syntax tree in one snapshot. Files opened while answering one request
// share a featureRun, so each is looked up once.
type featureFile struct {
	run  *featureRun
	path string
	text []byte
	syn  *json5.File
	root *json5.Node // the root object; nil when the root is no object

	// Looked up once per request: the entries of big tables by name, the
	// children resolved, the children a ready link resolved.
	tables map[string]map[string]*json5.Member
	kids   map[string]*childRef
	linked map[string]*linker.Node
}

// featureRun is the state of one feature request.
type featureRun struct {
	s      *Snapshot
	ctx    context.Context
	files  map[string]*featureFile
	errs   map[string]string      // files that could not be read, with why
	linked map[string][]*RootLink // the ready links of the trees containing a file
}

// links returns the snapshot's links of the trees that contain path, when
// they are ready (Snapshot.ReadyLinksContaining).
func (r *featureRun) links(path string) []*RootLink {
	if r.linked == nil {
		r.linked = map[string][]*RootLink{}
	}
	ls, ok := r.linked[path]
	if !ok {
		ls = r.s.ReadyLinksContaining(path)
		r.linked[path] = ls
	}
	return ls
}

// featureFile returns the file at path for a request, or nil when it
// cannot be read or is not a manifest (an object with `manifest_version`,
// one with syntax errors that mentions it, or an empty object being
// started).
func (s *Snapshot) featureFile(ctx context.Context, path string) (*featureFile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	run := &featureRun{s: s, ctx: ctx, files: map[string]*featureFile{}, errs: map[string]string{}}
	path = cleanPath(path)
	h := s.handle(path)
	if h.err != nil {
		return nil, nil
	}
	p := s.analyze(path, 0)
	if p == nil {
		return nil, nil
	}
	if !isManifest(p) && !emptyObject(p.res.Syntax) {
		return nil, nil
	}
	f := run.fileOf(path, p)
	return f, ctx.Err()
}

func cleanPath(path string) string { return filepath.Clean(path) }

// emptyObject reports whether a file is an object without members: a
// manifest being started.
func emptyObject(syn *json5.File) bool {
	root := rootObject(syn)
	return root != nil && len(root.Members) == 0
}

func (r *featureRun) fileOf(path string, p *parsed) *featureFile {
	f := &featureFile{run: r, path: path, text: p.text, syn: p.res.Syntax, root: rootObject(p.res.Syntax)}
	r.files[path] = f
	return f
}

// open returns another file of the request, or nil with the reason it
// cannot be read.
func (r *featureRun) open(path string) (*featureFile, string) {
	if f := r.files[path]; f != nil {
		return f, ""
	}
	if why, failed := r.errs[path]; failed {
		return nil, why
	}
	if r.ctx.Err() != nil {
		return nil, "cancelled"
	}
	h := r.s.handle(path)
	if h.err != nil {
		why := "cannot read " + path + ": " + shortError(h.err)
		r.errs[path] = why
		return nil, why
	}
	p := r.s.analyze(path, 0)
	if p == nil {
		r.errs[path] = "cannot read " + path
		return nil, r.errs[path]
	}
	return r.fileOf(path, p), ""
}

// shortError drops the path an *fs.PathError repeats.
func shortError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// base is how hovers name a file: its base name.
func (f *featureFile) base() string { return filepath.Base(f.path) }

// section returns the value of a top-level member, or nil.
func (f *featureFile) section(name string) *json5.Node {
	if f == nil || f.root == nil {
		return nil
	}
	return f.root.Get(name)
}

// sectionMember returns a top-level member, or nil.
func (f *featureFile) sectionMember(name string) *json5.Member {
	if f == nil || f.root == nil {
		return nil
	}
	return f.root.Member(name)
}

// entries returns the members of a table section (`slots`, `components`, ...).
func (f *featureFile) entries(section string) []*json5.Member {
	t := f.section(section)
	if t == nil || t.Kind != json5.Object {
		return nil
	}
	return t.Members
}

// bigTable is the size from which entry looks a table's members up by
// name through an index rather than one by one.
const bigTable = 16

// entry returns the member name of a table section (the first, when the
// name is written twice), or nil.
func (f *featureFile) entry(section, name string) *json5.Member {
	t := f.section(section)
	if t == nil || t.Kind != json5.Object {
		return nil
	}
	if len(t.Members) < bigTable {
		return t.Member(name)
	}
	index, ok := f.tables[section]
	if !ok {
		index = make(map[string]*json5.Member, len(t.Members))
		for _, m := range t.Members {
			if _, dup := index[m.Key.Name]; !dup {
				index[m.Key.Name] = m
			}
		}
		if f.tables == nil {
			f.tables = map[string]map[string]*json5.Member{}
		}
		f.tables[section] = index
	}
	return index[name]
}

// names returns the entry names of a table section, in source order,
// without duplicates.
func (f *featureFile) names(section string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range f.entries(section) {
		if !seen[m.Key.Name] {
			seen[m.Key.Name] = true
			out = append(out, m.Key.Name)
		}
	}
	return out
}

// snippet returns the source text of a node, shortened to max bytes.
func (f *featureFile) snippet(n *json5.Node, max int) string {
	if n == nil || n.Start < 0 || n.End > len(f.text) || n.Start > n.End {
		return ""
	}
	s := strings.Join(strings.Fields(string(f.text[n.Start:n.End])), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// childRef is a `components` or `use` entry with the manifest it names.
type childRef struct {
	section, name string
	entry         *json5.Member
	ref           *json5.Node  // the reference string; nil when the entry has none
	linked        *linker.Node // the child as a ready link resolved it; nil without one
	path          string       // the local file it names; "" for remote references
	file          *featureFile // nil when it cannot be read
	problem       string       // why file is nil
}

// child resolves the entry name of section ("components" or "use"), once
// per request.
func (f *featureFile) child(section, name string) *childRef {
	key := section + "." + name
	if c, ok := f.kids[key]; ok {
		return c
	}
	if f.kids == nil {
		f.kids = map[string]*childRef{}
	}
	c := f.resolveChild(section, name)
	f.kids[key] = c
	return c
}

// resolveChild resolves the entry name of section.
func (f *featureFile) resolveChild(section, name string) *childRef {
	m := f.entry(section, name)
	c := &childRef{section: section, name: name, entry: m}
	if m == nil {
		c.problem = "this manifest has no `" + section + "." + name + "`"
		return c
	}
	c.ref = refNode(m.Value)
	if c.ref == nil {
		c.problem = "the entry names no manifest"
		return c
	}
	// The linked graph names the file the linker read; without a ready
	// link (the tree is being linked, or the text does not parse), the
	// reference is resolved the same way from the syntax.
	c.linked = f.linkedChild(section, name)
	var p string
	var ok bool
	if c.linked != nil && filepath.IsAbs(c.linked.File) {
		p, ok = filepath.Clean(c.linked.File), true
	} else {
		p, ok = linker.ResolveLocalRef(f.path, c.ref.Text)
	}
	if !ok {
		c.problem = "`" + c.ref.Text + "` is not a local file; remote manifests are resolved when linking only"
		return c
	}
	c.path = p
	c.file, c.problem = f.run.open(p)
	return c
}

// linkedChild returns the `components` (or `use`) entry name of this file
// as a ready link of a tree containing the file resolved it, or nil.
func (f *featureFile) linkedChild(section, name string) *linker.Node {
	if f.linked == nil {
		f.linked = map[string]*linker.Node{}
		for _, l := range f.run.links(f.path) {
			for _, n := range l.Nodes(f.path) {
				for _, k := range n.Children {
					if _, dup := f.linked["components."+k.Name]; !dup {
						f.linked["components."+k.Name] = k
					}
				}
				for _, k := range n.Uses {
					if _, dup := f.linked["use."+k.Name]; !dup {
						f.linked["use."+k.Name] = k
					}
				}
			}
		}
	}
	return f.linked[section+"."+name]
}
