package linker

import (
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/amberlsp/amber-lsp/manifest"
)

// Cache keeps parsed and validated manifests between links, keyed by file
// and content hash: re-linking after an edit re-parses only the edited
// file. It holds the latest version of each file. A Cache is safe for
// concurrent use.
//
// It also keeps what linking computed for each component (see memoTables),
// so that a link after an edit recomputes only the components the edit
// touched. What the latest link of each root used is kept; ForgetRoots
// drops what only roots that are gone used.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	orders  map[string]*declOrder // by file: its `components` in name order
	parses  atomic.Int64
	memo    *memo
}

type cacheEntry struct {
	sum    [32]byte
	res    *manifest.Result
	digest *lazyDigest
	// targets are the `{ file }` targets validation read, with what it
	// read: the result depends on them too.
	targets []fileRead
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: map[string]*cacheEntry{}, orders: map[string]*declOrder{}, memo: newMemo()}
}

// declOrder is the name order of a list of declarations: the names in
// declaration order (one string, so that it holds no manifest's text) and
// the permutation that sorts them. Read only.
type declOrder struct {
	names string
	ends  []int32 // where each name ends in names
	order []int32 // the indexes of the declarations in name order
	// index gives the place of each name in name order (the last
	// declaration of a repeated name), as a component's childIdx.
	index map[string]int32
}

// same reports whether decls has the names o was made from, in the same
// order.
func (o *declOrder) same(decls []*manifest.ComponentDecl) bool {
	if len(decls) != len(o.ends) {
		return false
	}
	start := int32(0)
	for i, d := range decls {
		if o.names[start:o.ends[i]] != d.Name {
			return false
		}
		start = o.ends[i]
	}
	return true
}

// minOrdered is the number of declarations from which sortedComponents
// keeps their order: sorting fewer costs less than comparing their names.
const minOrdered = 64

// sortedComponents returns the name order of the `components` of the
// manifest of file: a short list sorted (sortedDecls), or, for a long
// list, nil and its order (declOrder.order, indexes into decls), the order
// of its previous link when the names are the same: a large root is
// edited far more often than its list of children changes, and sorting
// thousands of names costs more than comparing them.
func (c *Cache) sortedComponents(file string, decls []*manifest.ComponentDecl) ([]*manifest.ComponentDecl, *declOrder) {
	if len(decls) < minOrdered {
		return sortedDecls(decls), nil
	}
	c.mu.Lock()
	o := c.orders[file]
	c.mu.Unlock()
	if o == nil || !o.same(decls) {
		o = &declOrder{ends: make([]int32, len(decls)), order: make([]int32, len(decls))}
		var b strings.Builder
		for i, d := range decls {
			b.WriteString(d.Name)
			o.ends[i] = int32(b.Len())
			o.order[i] = int32(i)
		}
		o.names = b.String()
		slices.SortStableFunc(o.order, func(i, j int32) int { return strings.Compare(decls[i].Name, decls[j].Name) })
		o.index = make(map[string]int32, len(decls))
		for i, k := range o.order {
			o.index[o.name(int(k))] = int32(i)
		}
		c.mu.Lock()
		c.orders[file] = o
		c.mu.Unlock()
	}
	return nil, o
}

// name returns the name of the ith declaration.
func (o *declOrder) name(i int) string {
	start := int32(0)
	if i > 0 {
		start = o.ends[i-1]
	}
	return o.names[start:o.ends[i]]
}

// ForgetRoots drops what the cache keeps for the links of roots (the
// root arguments of Link) other than keep.
func (c *Cache) ForgetRoots(keep []string) {
	set := make(map[string]bool, len(keep))
	for _, r := range keep {
		set[r] = true
	}
	c.memo.forget(set)
}

// Parses returns how many manifests the cache has parsed: a test of
// incremental re-linking counts them.
func (c *Cache) Parses() int64 { return c.parses.Load() }

// lazyDigest computes a manifest's digest the first time it is asked for:
// most links never need the digest of an edited root (only cycle checks,
// digest pins and scenarios do), and it costs a walk of the whole manifest.
type lazyDigest struct {
	once sync.Once
	m    *manifest.Manifest
	v    string
}

func newDigest(m *manifest.Manifest) *lazyDigest { return &lazyDigest{m: m} }

// get returns the digest ("" for a manifest that did not decode).
func (d *lazyDigest) get() string {
	d.once.Do(func() {
		if d.m != nil {
			d.v = manifestDigest(d.m)
		}
	})
	return d.v
}

// digestOf returns the digest of an analysis Files.AnalyzeFile made,
// computed at most once per result.
func (c *Cache) digestOf(file string, res *manifest.Result) *lazyDigest {
	c.mu.Lock()
	e := c.entries[file]
	c.mu.Unlock()
	if e != nil && e.res == res {
		return e.digest
	}
	e = &cacheEntry{res: res, digest: newDigest(res.Manifest)}
	c.mu.Lock()
	c.entries[file] = e
	c.mu.Unlock()
	return e.digest
}

// analyze parses and validates a manifest (without lints, which the linker
// runs per component), reusing the cached result for unchanged text whose
// `{ file }` targets read as they did; read reads the targets.
func (c *Cache) analyze(file string, src []byte, read func(string) ([]byte, error)) (*manifest.Result, *lazyDigest) {
	sum := sha256.Sum256(src)
	c.mu.Lock()
	e := c.entries[file]
	c.mu.Unlock()
	if e != nil && e.sum == sum && sameReads(e.targets, read) {
		return e.res, e.digest
	}
	c.parses.Add(1)
	var targets []fileRead
	res := manifest.AnalyzeWith(file, src, manifest.Options{NoLints: true, ReadFile: func(path string) ([]byte, error) {
		b, err := read(path)
		targets = append(targets, readOf(path, b, err))
		return b, err
	}})
	e = &cacheEntry{sum: sum, res: res, targets: targets}
	e.digest = newDigest(res.Manifest)
	c.mu.Lock()
	c.entries[file] = e
	c.mu.Unlock()
	return e.res, e.digest
}
