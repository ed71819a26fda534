package analysis

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest"
)

// TestCacheHitConfirmedOncePerHandle checks how a hit of the content hash
// is confirmed: a new handle of text analyzed before (an edit undone) has
// its text compared once, however often it is asked for; a handle of other
// text with the same hash replaces the entry; and the entry does not keep
// the handle it confirmed alive.
func TestCacheHitConfirmedOncePerHandle(t *testing.T) {
	c := newParseCache()
	read := func(string) *fileHandle { return newDocumentHandle(nil) }
	opts := manifest.Options{NoLints: true}
	const path = "/w/m.json5"
	first := newDocumentHandle([]byte(leaf))
	c.analyze(path, first, opts, 1, read)
	again := newDocumentHandle([]byte(leaf)) // the same text in a buffer of its own
	var p *parsed
	for range 3 {
		p = c.analyze(path, again, opts, 2, read)
	}
	if c.parses != 1 || c.compared != 1 {
		t.Fatalf("3 analyses of a new handle of analyzed text: %d parses and %d comparisons, want 1 and 1", c.parses, c.compared)
	}
	if p.confirmed.Value() != again {
		t.Fatal("the entry does not remember the handle it confirmed")
	}

	collision := newDocumentHandle([]byte(broken))
	collision.hash = first.hash
	if p := c.analyze(path, collision, opts, 3, read); !bytes.Equal(p.text, collision.text) || c.parses != 2 {
		t.Fatalf("a handle of other text with the same hash got the analysis of %q (%d parses), want its own", p.text, c.parses)
	}

	q := c.analyze(path, newDocumentHandle([]byte(`{ manifest_version: "0.2.0" }`)), opts, 4, read)
	runtime.GC()
	if q.confirmed.Value() != nil {
		t.Fatal("the cache entry keeps alive the handle it was analyzed from")
	}
}
