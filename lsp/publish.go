package lsp

import (
	"context"
	"encoding/hex"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/source"
)

// publisher pushes textDocument/publishDiagnostics for every file that has
// diagnostics (open or not, such as a child manifest whose problem was found
// linking its parent) and clears files whose diagnostics went away. When
// the client pulls diagnostics, open documents are left to the pull and
// only closed files are pushed, so nothing shows twice.
type publisher struct {
	s     *server
	unit  source.Unit // set by initialize
	lines lineCache

	mu     sync.Mutex
	uris   map[string]uri.URI // the URI the client uses for a path
	sent   map[string]sent    // what was last published for a path
	pulled map[string]string  // result ids of open documents (pull mode)
}

// sent is what was last published for a file.
type sent struct {
	hash uint64 // of the encoded notification
}

var seed = maphash.MakeSeed()

func newPublisher(s *server) *publisher {
	return &publisher{s: s, uris: map[string]uri.URI{}, sent: map[string]sent{}, pulled: map[string]string{}}
}

// setURI remembers how the client names a file.
func (p *publisher) setURI(path string, u uri.URI) {
	p.mu.Lock()
	p.uris[path] = u
	p.mu.Unlock()
}

func (p *publisher) uri(path string) uri.URI {
	p.mu.Lock()
	u, ok := p.uris[path]
	p.mu.Unlock()
	if ok {
		return u
	}
	return uri.File(path)
}

// converter returns a converter reading texts from snap.
func (p *publisher) converter(snap *analysis.Snapshot) *Converter {
	return &Converter{Unit: p.unit, Text: func(path string) []byte {
		text, _ := snap.ReadFile(path)
		return text
	}, URI: p.uri, lines: &p.lines}
}

// publish sends what changed since the last publication. It is called by
// the scheduler only, for snapshots in order.
func (p *publisher) publish(snap *analysis.Snapshot, rep *analysis.Report) {
	conv := p.converter(snap)
	overlays := snap.OverlayDiagnostics(rep)
	files := map[string]bool{}
	for f := range rep.ByFile {
		files[f] = true
	}
	for f := range overlays {
		files[f] = true
	}
	for _, f := range snap.Documents() {
		files[f] = true
	}
	p.mu.Lock()
	for f := range p.sent {
		files[f] = true
	}
	p.mu.Unlock()
	// Closed files first, then open documents: a client that sees the
	// publication of an open document's latest version has seen everything
	// published for that snapshot.
	sorted := make([]string, 0, len(files))
	for f := range files {
		sorted = append(sorted, f)
	}
	slices.SortFunc(sorted, func(a, b string) int {
		if oa, ob := snap.Document(a) != nil, snap.Document(b) != nil; oa != ob {
			if ob {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})

	pull := p.s.caps.pull
	refresh := false
	for _, f := range sorted {
		doc := snap.Document(f)
		var ds []diag.Diagnostic
		if !pull || doc == nil {
			ds = fileDiagnostics(rep, overlays, f)
		} else if p.s.caps.refresh {
			id := resultID(conv.Diagnostics(f, fileDiagnostics(rep, overlays, f)))
			p.mu.Lock()
			if prev, ok := p.pulled[f]; ok && prev != id {
				refresh = true
			}
			p.mu.Unlock()
		}
		params := &protocol.PublishDiagnosticsParams{URI: p.uri(f), Diagnostics: conv.Diagnostics(f, ds)}
		if doc != nil && !pull {
			params.Version = protocol.NewOptional(doc.Version)
		}
		raw, err := protocol.Marshal(params)
		if err != nil {
			p.s.logf(protocol.MessageTypeError, "cannot encode diagnostics of %s: %v", f, err)
			continue
		}
		now := sent{hash: maphash.Bytes(seed, raw)}
		p.mu.Lock()
		prev, had := p.sent[f]
		p.mu.Unlock()
		if had && prev == now || !had && len(ds) == 0 && (doc == nil || pull) {
			continue
		}
		p.s.notify(protocol.MethodTextDocumentPublishDiagnostics, jsonrpc2.RawMessage(raw))
		p.mu.Lock()
		if len(ds) == 0 && (doc == nil || pull) {
			delete(p.sent, f)
		} else {
			p.sent[f] = now
		}
		p.mu.Unlock()
	}
	p.lines.forget(func(path string) bool { return files[path] })
	if refresh {
		p.s.goBackground(func(ctx context.Context) {
			if err := p.s.callClient(ctx, protocol.MethodWorkspaceDiagnosticRefresh, nil, nil); err != nil {
				p.s.logf(protocol.MessageTypeWarning, "workspace/diagnostic/refresh: %v", err)
			}
		})
	}
}

// resultID identifies a list of diagnostics by content.
func resultID(items []protocol.Diagnostic) string {
	raw, err := protocol.Marshal(items)
	if err != nil {
		return ""
	}
	var b [8]byte
	h := maphash.Bytes(seed, raw)
	for i := range b {
		b[i] = byte(h >> (8 * i))
	}
	return hex.EncodeToString(b[:]) + "-" + strconv.Itoa(len(items))
}
