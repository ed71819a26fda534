package analysis

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sync"
	"weak"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// hashSeed seeds every content hash of the process.
var hashSeed = maphash.MakeSeed()

// contentHash hashes a file's text. Hits are confirmed by comparing the text,
// so a collision costs a re-analysis, never a wrong result.
func contentHash(text []byte) uint64 { return maphash.Bytes(hashSeed, text) }

// parseKey identifies one per-file analysis: the same text at another path
// is another analysis (labels name the file, and `{ file }` references are
// resolved from its directory).
type parseKey struct {
	path      string
	hash      uint64
	component string
	noLints   bool
}

// keyOf keys an analysis by what changes its result: AnalyzeWith reads ""
// as the root "/", and without lints the component path is not used.
func keyOf(path string, hash uint64, opts manifest.Options) parseKey {
	component := opts.Component
	switch {
	case opts.NoLints:
		component = ""
	case component == "":
		component = "/"
	}
	return parseKey{path, hash, component, opts.NoLints}
}

// parsed is a cached manifest.AnalyzeWith result.
type parsed struct {
	key  parseKey
	text []byte
	h    *fileHandle // the content analyzed: its syntax tree is shared; nil once computed
	// confirmed is the handle whose text was last found to be text (the
	// hit of a content hash is confirmed by comparing the texts): a text put
	// back as it was (an edit and its undo) is a new handle of old content,
	// which each analysis of the keystroke asks for, up to four times for
	// lspbench's document, each comparing 283 KB under mu. A weak pointer,
	// so that the entry does not keep a version's text and tree alive.
	confirmed weak.Pointer[fileHandle] // guarded by parseCache.mu
	// prev is the analysis of the path computed last when this entry was
	// made, which AnalyzeWith reuses (manifest.Options.Previous); nil once
	// computed.
	prev *manifest.Result
	res  *manifest.Result
	// targets are the files the manifest references (refTargets); its
	// references themselves are read on first use (references), through
	// memo.
	targets  []string
	memo     *refMemo
	refsOnce sync.Once
	refs     []Ref
	// checked records the `{ file }` targets validation read, with what
	// it read: the result holds only while they read the same.
	checked map[string]targetState
	once    sync.Once
	done    bool   // res is set (guarded by parseCache.mu)
	gen     uint64 // last analysis generation that used it

	// symbols are the file's declarations and references (fileSymbols),
	// read from its syntax on first use.
	symbolsOnce sync.Once
	symbols     *fileRefs
}

// parseCache holds per-file analyses by content, shared by every snapshot of
// a workspace. Entries no recent snapshot used are dropped by sweep.
type parseCache struct {
	mu      sync.Mutex
	entries map[parseKey]*parsed
	last    map[string]*parsed // the entry last asked for, by path
	// refMemos hold, by path, how the manifest references of the file's
	// last analysis resolved, for the next (refTargets).
	refMemos map[string]*refMemo
	parses   int // number of manifest.AnalyzeWith calls, for tests and figures
	compared int // number of texts compared to confirm a hit, for tests
}

func newParseCache() *parseCache {
	return &parseCache{entries: map[parseKey]*parsed{}, last: map[string]*parsed{}, refMemos: map[string]*refMemo{}}
}

// targetFunc reads a `{ file }` target (an absolute path) the way the
// snapshot sees it.
type targetFunc func(path string) *fileHandle

// targetState is what reading a `{ file }` target gave: its content's key,
// or the error's text.
type targetState struct {
	key uint64
	err string
}

func stateOf(h *fileHandle) targetState { return targetState{key: h.key(), err: errText(h.err)} }

// analyzeAny returns an analysis of text at path with whatever options it
// was last analyzed with (all of them give the same syntax tree and
// references), so that finding references does not parse a file a second
// time with other options than its link uses; a file not analyzed yet is
// analyzed as links ask (without lints, which links run per component).
func (c *parseCache) analyzeAny(path string, h *fileHandle, gen uint64, read targetFunc) *parsed {
	c.mu.Lock()
	opts := manifest.Options{NoLints: true}
	if p := c.last[path]; p != nil {
		opts = manifest.Options{Component: p.key.component, NoLints: p.key.noLints}
	}
	c.mu.Unlock()
	return c.analyze(path, h, opts, gen, read)
}

// analyze returns the analysis of the content h at path, computing it at
// most once per content (and `{ file }` targets) even when several
// goroutines ask at the same time; the syntax tree comes from h. `{ file }`
// targets are read with read; opts' ReadFile is ignored.
func (c *parseCache) analyze(path string, h *fileHandle, opts manifest.Options, gen uint64, read targetFunc) *parsed {
	text := h.text
	key := keyOf(path, h.hash, opts)
	for {
		c.mu.Lock()
		p := c.entries[key]
		if p != nil && p.confirmed.Value() != h {
			c.compared++
			if !bytes.Equal(p.text, text) {
				p = nil // a hash collision: replace the entry
			} else {
				p.confirmed = weak.Make(h)
			}
		}
		if p == nil {
			p = &parsed{key: key, text: text, h: h, confirmed: weak.Make(h)}
			if last := c.last[path]; last != nil && last.done {
				p.prev = last.res
			}
			c.entries[key] = p
		}
		c.last[path] = p
		if gen > p.gen {
			p.gen = gen
		}
		c.mu.Unlock()
		p.once.Do(func() { c.compute(p, opts, read) })
		if p.stillValid(read) {
			return p
		}
		// A `{ file }` target changed, appeared or went away: analyze again.
		c.mu.Lock()
		if c.entries[key] == p {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
}

func (c *parseCache) compute(p *parsed, opts manifest.Options, read targetFunc) {
	checked := map[string]targetState{}
	var mu sync.Mutex
	opts.ReadFile = func(target string) ([]byte, error) {
		h := read(target)
		mu.Lock()
		checked[target] = stateOf(h)
		mu.Unlock()
		return h.text, h.err
	}
	opts.Syntax = p.h.syntax()
	opts.Previous = p.prev
	p.h, p.prev = nil, nil
	p.res = safeAnalyze(p.key.path, p.text, opts)
	c.mu.Lock()
	memo := c.refMemos[p.key.path]
	c.mu.Unlock()
	p.targets, memo = refTargets(p.key.path, p.res.Syntax, memo)
	p.memo = memo
	p.checked = checked
	c.mu.Lock()
	c.refMemos[p.key.path] = memo
	c.parses++
	p.done = true
	c.mu.Unlock()
}

// references returns the local manifest references of the analysis
// (ManifestRefs), read once.
func (p *parsed) references() []Ref {
	p.refsOnce.Do(func() { p.refs = manifestRefs(p.key.path, p.res.Syntax, p.memo) })
	return p.refs
}

// stillValid reports whether the `{ file }` targets read as they did.
func (p *parsed) stillValid(read targetFunc) bool {
	for target, was := range p.checked {
		if stateOf(read(target)) != was {
			return false
		}
	}
	return true
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// sweep drops the entries last used before generation keep.
func (c *parseCache) sweep(keep uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, p := range c.entries {
		if p.gen < keep {
			delete(c.entries, k)
			if c.last[k.path] == p {
				delete(c.last, k.path)
				delete(c.refMemos, k.path)
			}
		}
	}
}

// count returns the number of analyses computed so far.
func (c *parseCache) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.parses
}

// touch marks entries as used by generation gen.
func (c *parseCache) touch(ps []*parsed, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range ps {
		if gen > p.gen {
			p.gen = gen
		}
	}
}

// safeAnalyze is manifest.AnalyzeWith that turns a panic into a diagnostic.
func safeAnalyze(path string, text []byte, opts manifest.Options) (res *manifest.Result) {
	defer func() {
		if r := recover(); r != nil {
			res = &manifest.Result{File: path, Syntax: safeParse(text), Diagnostics: []diag.Diagnostic{internalError("analyzing "+path, r)}}
		}
	}()
	return manifest.AnalyzeWith(path, text, opts)
}

// safeParse is json5.ParseShared that turns a panic into a file without a
// tree; the texts it is given (of fileHandles) are never modified.
func safeParse(text []byte) (f *json5.File) {
	defer func() {
		if recover() != nil {
			f = &json5.File{Src: text}
		}
	}()
	return json5.ParseShared(text)
}

// internalError is the diagnostic of a panic.
func internalError(while string, r any) diag.Diagnostic {
	return diag.Diagnostic{
		Code:     codes.InternalError,
		Severity: diag.Error,
		Message:  fmt.Sprintf("internal error while %s: %v", while, r),
		Help:     "This is a bug in amber-lsp; please report it with the file that triggers it.",
	}
}
