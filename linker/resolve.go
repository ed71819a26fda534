package linker

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
	"github.com/amberlsp/amber-lsp/manifest/weburl"
)

// Node is one resolved manifest of a component tree: the root, a child
// component, a `use` helper, or one of their descendants.
type Node struct {
	Name   string                  // the declaration's name in the parent; "" for a root
	Decl   *manifest.ComponentDecl // the parent's declaration; nil for a root
	Parent *Node                   // nil for a root

	URL      string           // the absolute URL requested
	Observed string           // the URL the text was read from; the base of the node's own references
	File     string           // where diagnostics about this manifest point: a local path or a URL
	Result   *manifest.Result // the manifest's analysis; an empty manifest when Opaque
	digest   *lazyDigest
	Use      bool // declared under the parent's `use`
	// Opaque marks a remote manifest that Options.Remote did not let the
	// link fetch: Result is an empty manifest, and nothing is checked
	// about what the reference declares (remote.go).
	Opaque bool

	Children []*Node // `components`, in name order
	// order is the name order of a long list of children, kept across
	// links (Cache.sortedComponents); nil for a short one.
	order *declOrder
	Uses  []*Node // `use` entries, in name order

	env *environ // the node's environment; nil for none
	// Templates holds the resolved manifests of each child template, in
	// declaration order of the template's `manifest` refs.
	Templates map[string][]*Node
}

// Digest returns the manifest's digest (linker.md §8.6).
func (n *Node) Digest() string { return n.digest.get() }

// Manifest returns the node's typed manifest.
func (n *Node) Manifest() *manifest.Manifest { return n.Result.Manifest }

// environ is the environment of a node and the nodes that inherit it:
// the names of its resolvers, in the order added. A pointer in each node,
// for most have none or their parent's.
type environ struct{ resolvers []string }

// names returns the resolvers of environment e, nil for none.
func (e *environ) names() []string {
	if e == nil {
		return nil
	}
	return e.resolvers
}

// fatal is a resolution error: it stops resolution and is reported alone.
type fatal struct{ diags []diag.Diagnostic }

// resolver resolves one tree (linker.md §2).
type resolver struct {
	ctx   context.Context
	opts  *Options
	cache *Cache
	deps  map[string]bool   // local files the tree read or tried to read
	texts map[string][]byte // text of every manifest read, by display name
	memo  map[loadKey]*loaded
	joins map[[2]string]joined // joinRef results, by base and reference
	// The last join and load: siblings mostly name one manifest, and
	// comparing strings costs less than hashing them.
	lastJoin   [2]string
	lastJoined joined
	lastLoad   loadKey
	lastLoaded *loaded
	nodes      []Node // where the next nodes are made, a chunk at a time
	chunk      int    // the size of the last chunk made by node
	// onPath counts the digests of the nodes whose subtrees are being
	// resolved, below pathRoot (the root, or the child template, being
	// resolved) down to the current node: a cycle check costs one lookup,
	// not a walk up the path, which made a chain of n components
	// quadratic. pathRoot's own digest is computed only when a manifest
	// may be the same (mayBeSame): the root is the file being edited, and
	// its digest would otherwise cost a pass over it on every link.
	onPath   map[string]int
	pathLen  int // the number of nodes onPath counts
	pathRoot *Node

	instances int // instances resolved below the root (budget.go)
	// sawOpaque says that an opaque node was made: a tree that resolved
	// holds every node made, so it says hasOpaque of the root without a
	// walk of the tree.
	sawOpaque bool
}

// node returns a new node: a tree of thousands of children is made in a
// few allocations. The chunks grow from 16 nodes to 256, so that a small
// tree is not given 256, and a manifest's children are made in one chunk
// of their number (reserve).
func (r *resolver) node() *Node {
	if len(r.nodes) == 0 {
		r.chunk = min(max(2*r.chunk, 16), 256)
		r.nodes = make([]Node, r.chunk)
	}
	n := &r.nodes[0]
	r.nodes = r.nodes[1:]
	return n
}

// reserve makes room for k nodes in the current chunk: the children of a
// manifest with more children than a chunk holds are made in one chunk of
// exactly their number (what remains of the current chunk is left unused).
func (r *resolver) reserve(k int) {
	if k > len(r.nodes) && k > 256 {
		r.nodes = make([]Node, k)
	}
}

// joined is a joinRef result.
type joined struct {
	abs string
	err error
}

// join is joinRef, computed once per base and reference in a link: the
// children of a large manifest often share one reference.
func (r *resolver) join(base, ref string) (string, error) {
	if ref == r.lastJoin[1] && base == r.lastJoin[0] { // the reference first: siblings share the base
		return r.lastJoined.abs, r.lastJoined.err
	}
	k := [2]string{base, ref}
	j, ok := r.joins[k]
	if !ok {
		j.abs, j.err = joinRef(base, ref)
		if r.joins == nil {
			r.joins = map[[2]string]joined{}
		}
		r.joins[k] = j
	}
	r.lastJoin, r.lastJoined = k, j
	return j.abs, j.err
}

// loaded is a fetched and analysed manifest, memoised per URL.
type loaded struct {
	observed string
	file     string
	res      *manifest.Result
	digest   *lazyDigest
	err      error // fetch failure (not a manifest problem)
}

// load fetches and analyses the manifest at an absolute URL in an
// environment (the names of its resolvers).
func (r *resolver) load(rawURL string, env []string) *loaded {
	key := memoKey(rawURL, env)
	if r.lastLoaded != nil && key == r.lastLoad {
		return r.lastLoaded
	}
	if l, ok := r.memo[key]; ok {
		r.lastLoad, r.lastLoaded = key, l
		return l
	}
	l := &loaded{}
	r.memo[key] = l
	r.lastLoad, r.lastLoaded = key, l
	src, observed, err := r.fetch(rawURL, env)
	if err != nil {
		l.err = err
		return l
	}
	l.observed = observed
	l.file = displayName(observed)
	r.texts[l.file] = src
	l.res, l.digest = r.analyze(l.file, src)
	for _, p := range localFileRefs(l.file, l.res.Manifest) {
		r.deps[p] = true // validation read them, even when the tree fails
	}
	if r.opts.Fetcher != nil && isRemote(rawURL) && l.res.Manifest != nil {
		r.opts.Fetcher.PutDigest(l.digest.get(), observed, src)
	}
	return l
}

// analyze analyzes a manifest's text: a local file through Options.Files,
// a remote manifest through the linker's cache.
func (r *resolver) analyze(file string, src []byte) (*manifest.Result, *lazyDigest) {
	if filepath.IsAbs(file) {
		res := r.opts.Files.AnalyzeFile(file, src)
		return res, r.cache.digestOf(file, res)
	}
	return r.cache.analyze(file, src, r.opts.Files.ReadFile)
}

// loadPinned serves a digest-pinned remote reference from the fetcher's
// digest store, without the network (linker.md §2.4). It returns nil when
// the store does not hold that content.
func (r *resolver) loadPinned(rawURL, digest string, env []string) *loaded {
	if r.opts.Fetcher == nil || !isRemote(rawURL) {
		return nil
	}
	key := memoKey(rawURL, env)
	if l, ok := r.memo[key]; ok {
		return l
	}
	src, observed, ok := r.opts.Fetcher.ByDigest(digest)
	if !ok {
		return nil
	}
	l := &loaded{observed: observed, file: displayName(observed)}
	l.res, l.digest = r.cache.analyze(l.file, src, r.opts.Files.ReadFile)
	if l.digest.get() != digest {
		return nil // not that content after all: fetch it
	}
	r.texts[l.file] = src
	r.memo[key] = l
	return l
}

// loadKey is what fetches are memoised by: the environment and the URL
// (linker.md §2.4).
type loadKey struct {
	n   int    // the number of resolvers in the environment
	env string // their names, joined
	url string
}

func memoKey(rawURL string, env []string) loadKey {
	return loadKey{len(env), strings.Join(env, "\x00"), rawURL}
}

func isRemote(rawURL string) bool {
	return strings.HasPrefix(rawURL, "http://") || strings.HasPrefix(rawURL, "https://")
}

func (r *resolver) fetch(rawURL string, env []string) ([]byte, string, error) {
	for i := len(env) - 1; i >= 0; i-- { // most recently added first (§2.3)
		if res := r.opts.Resolvers[env[i]]; res != nil {
			if body, observed, handled, err := res.Resolve(r.ctx, rawURL); handled {
				if observed == "" {
					observed = rawURL
				}
				return body, observed, err
			}
		}
	}
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return nil, "", err
	}
	switch u.Scheme() {
	case "file":
		path, ok := localPath(u)
		if !ok {
			return nil, "", fmt.Errorf("invalid file URL: %s", u) // a host: no local file
		}
		r.deps[path] = true
		src, err := r.opts.Files.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("%s", ioReason(err))
		}
		return src, rawURL, nil
	case "http", "https":
		if !r.opts.Remote.allows(u.Scheme()) {
			return nil, "", &notFetchedError{url: rawURL, policy: r.opts.Remote}
		}
		if r.opts.Fetcher == nil {
			return nil, "", fmt.Errorf("remote manifests are disabled (no fetcher configured)")
		}
		return r.opts.Fetcher.Fetch(r.ctx, rawURL)
	}
	return nil, "", fmt.Errorf("unsupported URL scheme `%s`", u.Scheme())
}

// resolveRoot resolves the tree below the manifest at rootURL.
func (r *resolver) resolveRoot(rootURL string) (*Node, *fatal) {
	l := r.load(rootURL, nil)
	if l.err != nil {
		return nil, &fatal{[]diag.Diagnostic{{
			Code: codes.ManifestRefResolution, Severity: diag.Error,
			Message: fmt.Sprintf("failed to resolve manifest `%s`: %v", displayName(rootURL), l.err),
			Labels:  []diag.Label{{File: displayName(rootURL), Primary: true}},
		}}}
	}
	if f := manifestFailure(l); f != nil {
		return nil, f
	}
	root := &Node{URL: rootURL, Observed: l.observed, File: l.file, Result: l.res, digest: l.digest}
	r.onPath, r.pathRoot = map[string]int{}, root
	if f := r.resolveBelow(root); f != nil {
		return root, f
	}
	return root, nil
}

// resolveOnPath is resolveBelow with n on the path of the nodes being
// resolved.
func (r *resolver) resolveOnPath(n *Node) *fatal {
	d := n.Digest()
	r.onPath[d]++
	r.pathLen++
	defer func() { r.onPath[d]--; r.pathLen-- }()
	return r.resolveBelow(n)
}

// manifestFailure reports a manifest that did not parse or validate: its
// own diagnostics, in its own file.
func manifestFailure(l *loaded) *fatal {
	if l.res.Manifest != nil && !hasError(l.res.Diagnostics) {
		return nil
	}
	return &fatal{l.res.Diagnostics}
}

func hasError(diags []diag.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// resolveBelow resolves a node's environments, components and `use`
// entries, in Amber's order (linker.md §2.5 steps 3-5).
func (r *resolver) resolveBelow(n *Node) *fatal {
	m := n.Manifest()
	if f := r.checkEnvironments(n); f != nil {
		return f
	}
	sorted, order := r.cache.sortedComponents(n.File, m.Components)
	n.order = order
	if len(m.Components) > 0 {
		n.Children = make([]*Node, 0, len(m.Components))
	}
	r.reserve(len(m.Components) + len(m.Use))
	for i := range m.Components {
		var decl *manifest.ComponentDecl
		if order != nil {
			decl = m.Components[order.order[i]]
		} else {
			decl = sorted[i]
		}
		child, f := r.resolveChild(n, decl, false)
		if f != nil {
			return f
		}
		n.Children = append(n.Children, child)
		if f := r.checkFeatures(n, child); f != nil {
			return f
		}
	}
	for _, decl := range sortedDecls(m.Use) {
		use, f := r.resolveChild(n, decl, true)
		if f != nil {
			return f
		}
		n.Uses = append(n.Uses, use)
		if f := r.checkFeatures(n, use); f != nil {
			return f
		}
		if f := r.checkUse(n, use); f != nil {
			return f
		}
	}
	for _, t := range sortedTemplates(m.ChildTemplates) {
		for _, ref := range t.Manifests {
			tn, f := r.resolveTemplate(n, t, ref)
			if f != nil {
				return f
			}
			if n.Templates == nil {
				n.Templates = map[string][]*Node{}
			}
			n.Templates[t.Name] = append(n.Templates[t.Name], tn)
		}
	}
	return nil
}

func sortedTemplates(ts []*manifest.ChildTemplate) []*manifest.ChildTemplate {
	out := append([]*manifest.ChildTemplate(nil), ts...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// resolveTemplate resolves one manifest of a child template as an
// independent root-like node (linker.md §2.5 step 6).
func (r *resolver) resolveTemplate(parent *Node, t *manifest.ChildTemplate, ref manifest.Str) (*Node, *fatal) {
	at := diag.Label{File: parent.File, Span: parent.span(ref.Node), Message: "manifest reference declared here", Primary: true}
	fail := func(code diag.Code, msg string) *fatal {
		return &fatal{[]diag.Diagnostic{{Code: code, Severity: diag.Error, Message: msg, Labels: []diag.Label{at}}}}
	}
	abs, err := r.join(parent.Observed, ref.Value)
	if err != nil {
		at.Message = "invalid manifest reference"
		return nil, fail(codes.InvalidManifestRef, fmt.Sprintf("invalid manifest reference `%s` in %s: %v", ref.Value, parent.Observed, err))
	}
	l := r.load(abs, parent.env.names())
	if nf, ok := l.err.(*notFetchedError); ok {
		return r.opaque(parent, t.Name, "child template `"+t.Name+"`", abs, at.Span, nf), r.spend(parent, t.Name, func() diag.Span { return at.Span })
	}
	if l.err != nil {
		return nil, fail(codes.ManifestRefResolution, fmt.Sprintf("failed to resolve manifest reference `%s` for child template `%s` in %s: %v",
			ref.Value, t.Name, displayName(parent.Observed), l.err))
	}
	if f := manifestFailure(l); f != nil {
		return nil, f
	}
	n := &Node{Name: t.Name, URL: abs, Observed: l.observed, File: l.file, Result: l.res, digest: l.digest, env: parent.env}
	if f := r.spend(parent, t.Name, func() diag.Span { return at.Span }); f != nil {
		return nil, f
	}
	outer, outerLen, outerRoot := r.onPath, r.pathLen, r.pathRoot
	r.onPath, r.pathLen, r.pathRoot = map[string]int{}, 0, n // the template is a root of its own
	f := r.resolveBelow(n)
	r.onPath, r.pathLen, r.pathRoot = outer, outerLen, outerRoot
	if f != nil {
		return nil, f
	}
	if f := r.checkFeatures(parent, n); f != nil {
		f.diags[0].Labels[0] = diag.Label{File: parent.File, Span: at.Span, Message: "child declaration here", Primary: true}
		return nil, f
	}
	return n, nil
}

func sortedDecls(decls []*manifest.ComponentDecl) []*manifest.ComponentDecl {
	out := append([]*manifest.ComponentDecl(nil), decls...)
	slices.SortStableFunc(out, func(a, b *manifest.ComponentDecl) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// resolveChild resolves one `components` or `use` declaration and its
// subtree.
func (r *resolver) resolveChild(parent *Node, decl *manifest.ComponentDecl, use bool) (*Node, *fatal) {
	if err := r.ctx.Err(); err != nil {
		return nil, r.refFailure(parent, decl, err.Error())
	}
	ref := decl.Manifest.Value
	abs, err := r.join(parent.Observed, ref)
	if err != nil {
		return nil, &fatal{[]diag.Diagnostic{{
			Code: codes.InvalidManifestRef, Severity: diag.Error,
			Message: fmt.Sprintf("invalid manifest reference `%s` in %s: %v", ref, parent.Observed, err),
			Labels:  []diag.Label{{File: parent.File, Span: declSpan(parent.Manifest(), decl.Name), Message: "invalid manifest reference", Primary: true}},
		}}}
	}
	env := parent.env
	if decl.Environment != nil {
		env = &environ{environment(parent, decl.Environment.Value)}
	}
	var l *loaded
	if decl.Digest != nil {
		l = r.loadPinned(abs, decl.Digest.Value, env.names())
	}
	if l == nil {
		l = r.load(abs, env.names())
	}
	if nf, ok := l.err.(*notFetchedError); ok {
		what := "component `#" + decl.Name + "`"
		if use {
			what = "`use` entry `#" + decl.Name + "`"
		}
		n := r.opaque(parent, decl.Name, what, abs, declSpan(parent.Manifest(), decl.Name), nf)
		n.Decl, n.Use = decl, use
		return n, r.spend(parent, decl.Name, func() diag.Span { return declSpan(parent.Manifest(), decl.Name) })
	}
	if l.err != nil {
		return nil, r.refFailure(parent, decl, l.err.Error())
	}
	if decl.Digest != nil && decl.Digest.Value != l.digest.get() {
		return nil, r.refFailure(parent, decl, fmt.Sprintf("mismatched digest for `%s`", abs))
	}
	if f := manifestFailure(l); f != nil {
		return nil, f
	}
	// The fields one by one: the node is new, all zero, and a composite
	// literal would copy every field of it.
	n := r.node()
	n.Name, n.Decl, n.Use, n.Parent = decl.Name, decl, use, parent
	n.URL, n.Observed, n.File, n.Result, n.digest, n.env = abs, l.observed, l.file, l.res, l.digest, env
	if f := r.spend(parent, decl.Name, func() diag.Span { return declSpan(parent.Manifest(), decl.Name) }); f != nil {
		return nil, f
	}
	if f := r.checkCycle(n); f != nil {
		return nil, f
	}
	if !hasBelow(n.Manifest()) {
		return n, nil // a leaf: nothing below to resolve, and no cycle through it
	}
	if f := r.resolveOnPath(n); f != nil {
		return nil, f
	}
	return n, nil
}

// hasBelow reports whether a manifest declares anything resolveBelow
// resolves: children, `use` entries or child templates. Most nodes of a
// large tree are leaves, and a leaf's resolution is only its cycle check.
func hasBelow(m *manifest.Manifest) bool {
	return len(m.Components) > 0 || len(m.Use) > 0 || len(m.ChildTemplates) > 0
}

// refFailure is compiler::manifest_ref_resolution for a child (§2.8).
func (r *resolver) refFailure(parent *Node, decl *manifest.ComponentDecl, msg string) *fatal {
	return &fatal{[]diag.Diagnostic{{
		Code:     codes.ManifestRefResolution,
		Severity: diag.Error,
		Message: fmt.Sprintf("failed to resolve manifest reference `%s` for component `#%s` in %s: %s",
			decl.Manifest.Value, decl.Name, displayName(parent.Observed), msg),
		Labels: []diag.Label{{File: parent.File, Span: declSpan(parent.Manifest(), decl.Name), Message: "manifest reference declared here", Primary: true}},
	}}}
}

// checkCycle fails when the node's content already occurs on its path from
// the root: identity is the digest, not the URL (§2.5).
func (r *resolver) checkCycle(n *Node) *fatal {
	root := r.pathRoot
	same := r.pathLen > 0 && r.onPath[n.Digest()] > 0 ||
		(mayBeSame(root.Manifest(), n.Manifest()) && root.Digest() == n.Digest())
	if !same {
		return nil
	}
	var urls []string
	for p := n.Parent; p != nil; p = p.Parent {
		urls = append(urls, diag.DebugQuote(p.URL))
	}
	slices.Reverse(urls)
	urls = append(urls, diag.DebugQuote(n.URL))
	return &fatal{[]diag.Diagnostic{{
		Code:     codes.Cycle,
		Severity: diag.Error,
		Message:  "component tree contains a cycle: [" + strings.Join(urls, ", ") + "]",
		Labels:   []diag.Label{{File: n.Parent.File, Span: declSpan(n.Parent.Manifest(), n.Name), Message: "this reference closes the cycle", Primary: true}},
		Help:     "A manifest may not contain itself, directly or through its descendants.",
	}}}
}

// mayBeSame is false when two manifests cannot have the same digest: their
// raw forms (rawManifest) differ in a part that costs nothing to compare:
// the number of bindings or overlays (lists in the raw form), or the
// version. It spares
// checkCycle the digest of a large edited manifest, which it would
// otherwise compute on every link for every child.
func mayBeSame(a, b *manifest.Manifest) bool {
	return len(a.Bindings) == len(b.Bindings) && len(a.Overlays) == len(b.Overlays) &&
		(a.Version == nil) == (b.Version == nil) && (a.Version == nil || a.Version.Value == b.Version.Value)
}

// checkEnvironments builds the environments the node's declarations name.
// Resolvers come from a host registry (Options.Resolvers); Amber's CLI
// registry is empty, so any named resolver is unknown there (§2.6).
func (r *resolver) checkEnvironments(n *Node) *fatal {
	m := n.Manifest()
	if len(m.Environments) == 0 {
		return nil // a name no environment declares has no resolvers to check (validation reports it)
	}
	var used map[string]bool // made for the first declaration naming one
	for _, decls := range [][]*manifest.ComponentDecl{m.Components, m.Use} {
		for _, d := range decls {
			if d.Environment != nil {
				if used == nil {
					used = map[string]bool{}
				}
				used[d.Environment.Value] = true
			}
		}
	}
	if used == nil {
		return nil
	}
	envs := map[string]*manifest.Environment{}
	for _, e := range m.Environments {
		envs[e.Name] = e
	}
	names := make([]string, 0, len(used))
	for name := range used {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		seen := map[string]bool{}
		for e := envs[name]; e != nil && !seen[e.Name]; {
			seen[e.Name] = true
			for _, res := range e.Resolvers {
				if _, ok := r.opts.Resolvers[res.Value]; ok {
					continue
				}
				span := n.span(res.Node)
				if res.Node == nil {
					span = keySpan(e.Key)
				}
				return &fatal{[]diag.Diagnostic{{
					Code:     codes.UnknownResolver,
					Severity: diag.Error,
					Message:  fmt.Sprintf("unknown resolver `%s` referenced by environment `%s` in %s", res.Value, e.Name, n.Observed),
					Labels:   []diag.Label{{File: n.File, Span: span, Message: "unknown resolver", Primary: true}},
				}}}
			}
			if e.Extends == nil {
				break
			}
			e = envs[e.Extends.Value]
		}
	}
	return nil
}

// environment builds the environment a declaration of parent names: the
// parent's own, then the resolvers of the named environment's `extends`
// chain, base first, then its own (§2.6). checkEnvironments has checked
// the names.
func environment(parent *Node, name string) []string {
	envs := map[string]*manifest.Environment{}
	for _, e := range parent.Manifest().Environments {
		envs[e.Name] = e
	}
	var chain []*manifest.Environment
	seen := map[string]bool{}
	for e := envs[name]; e != nil && !seen[e.Name]; {
		seen[e.Name] = true
		chain = append(chain, e)
		if e.Extends == nil {
			break
		}
		e = envs[e.Extends.Value]
	}
	out := append([]string(nil), parent.env.names()...)
	for i := len(chain) - 1; i >= 0; i-- {
		for _, res := range chain[i].Resolvers {
			out = append(out, res.Value)
		}
	}
	return out
}

// checkFeatures is the per-edge experimental feature check (§2.7).
func (r *resolver) checkFeatures(parent, child *Node) *fatal {
	pm, cm := parent.Manifest(), child.Manifest()
	var missing []string
	for _, f := range cm.ExperimentalFeatures {
		if !pm.HasFeature(f.Value) && !contains(missing, f.Value) {
			missing = append(missing, f.Value)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	at := child.span(cm.Root.Get("experimental_features"))
	if cm.Root.Get("experimental_features") == nil {
		at = child.span(cm.Root.Get("manifest_version"))
	}
	return &fatal{[]diag.Diagnostic{{
		Code:     codes.ExperimentalFeatureNotEnabled,
		Severity: diag.Error,
		Message:  fmt.Sprintf("component `#%s` requests experimental feature(s) not enabled by its parent: %s", child.Name, strings.Join(missing, ", ")),
		Labels: []diag.Label{
			{File: parent.File, Span: declSpan(pm, child.Name), Message: "child declaration here", Primary: true},
			{File: child.File, Span: at, Message: fmt.Sprintf("component `#%s` requests these feature(s) here", child.Name)},
		},
		Help: "Enable these features in the parent manifest's `experimental_features` list, or remove them from the child manifest.",
	}}}
}

// checkUse runs the `use`-specific resolution checks (overlays.md §2,
// checks 3 and 4).
func (r *resolver) checkUse(parent, use *Node) *fatal {
	pm, um := parent.Manifest(), use.Manifest()
	at := declSpan(pm, use.Name)
	var required []string
	var related []diag.Label
	for _, s := range sortedSlots(um.Slots) {
		if s.Optional {
			continue
		}
		required = append(required, s.Name)
		related = append(related, diag.Label{File: use.File, Span: keySpan(s.Key), Message: fmt.Sprintf("use `#%s` requires slot `%s` here", use.Name, s.Name)})
	}
	if len(required) > 0 {
		return &fatal{[]diag.Diagnostic{{
			Code:     codes.UseRequiresRootSlots,
			Severity: diag.Error,
			Message:  fmt.Sprintf("use `#%s` requires root slot(s) that the main scenario cannot bind: %s", use.Name, strings.Join(required, ", ")),
			Labels:   append([]diag.Label{{File: parent.File, Span: at, Message: "use declared here", Primary: true}}, related...),
			Help:     "Make these slots optional or move the required inputs inside the used manifest.",
		}}}
	}
	if bad, msg, label := firstOverlayDecl(use); bad != nil {
		return &fatal{[]diag.Diagnostic{{
			Code:     codes.UseContainsOverlay,
			Severity: diag.Error,
			Message:  fmt.Sprintf("use `#%s` contains overlay declarations in its subtree: %s", use.Name, msg),
			Labels: []diag.Label{
				{File: parent.File, Span: at, Message: "use declared here", Primary: true},
				{File: bad.File, Span: label, Message: fmt.Sprintf("use `#%s` resolves to an overlay declaration here", use.Name)},
			},
			Help: "`use` components referenced by overlays must be self-contained.",
		}}}
	}
	return nil
}

// firstOverlayDecl finds the first manifest of a use subtree that declares
// `use` entries (or `overlays`): the node itself, then its children, then
// its own `use` entries.
func firstOverlayDecl(n *Node) (*Node, string, diag.Span) {
	m := n.Manifest()
	if len(m.Use) > 0 {
		first := sortedDecls(m.Use)[0]
		return n, "nested `use` is not supported", keySpan(first.Key)
	}
	if len(m.Overlays) > 0 {
		return n, "`overlays` is not supported", n.span(m.Overlays[0].Node)
	}
	for _, c := range n.Children {
		if bad, msg, at := firstOverlayDecl(c); bad != nil {
			return bad, msg, at
		}
	}
	for _, u := range n.Uses {
		if bad, msg, at := firstOverlayDecl(u); bad != nil {
			return bad, msg, at
		}
	}
	return nil, "", diag.Span{}
}

func sortedSlots(slots []*manifest.Slot) []*manifest.Slot {
	out := append([]*manifest.Slot(nil), slots...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// span returns a node's span in this manifest, or the file start when the
// file's spans cannot be trusted or the node is missing.
func (n *Node) span(v *json5.Node) diag.Span {
	if v == nil || !n.Result.Syntax.SpanGrammarOK {
		return diag.Span{}
	}
	return v.Span()
}

func keySpan(k json5.Key) diag.Span { return diag.Span{Start: k.Start, End: k.End} }

// declSpan is the "declaration span" of a named child (§2.9):
// `components.<name>` first, then `use.<name>`; the string value, or the
// object's `manifest` value, or the whole declaration.
func declSpan(m *manifest.Manifest, name string) diag.Span {
	for _, section := range []string{"components", "use"} {
		v := m.Root.Lookup(section, name)
		if v == nil {
			continue
		}
		if v.Kind == json5.Object {
			if mv := v.Get("manifest"); mv != nil {
				return mv.Span()
			}
		}
		return v.Span()
	}
	return diag.Span{}
}
