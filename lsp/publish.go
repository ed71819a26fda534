package lsp

import (
	"context"
	"encoding/hex"
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
	pulled map[string]pulled  // what the client pulled last, per open document (pull mode)
}

// pulled is the answer a client last pulled for an open document: its
// result id and the document version it was of. A client that pulls
// pulls a document again after each change to it, so only an answer of
// the version the client still has can go stale without a pull following
// (a file it depends on changed), and only that asks for a refresh.
type pulled struct {
	id      string
	version int32
	// items is the JSON of the diagnostics of the answer, and before is
	// the answer before it, with its own: a text put back as it was is
	// answered again without converting anything.
	items  []byte
	before *pulled
}

// itemsOf returns the JSON of the diagnostics answered under result id
// id, or nil when neither of the last two answers had it. The id covers
// the diagnostics and every text they point into (resultID), so the same
// id has the same JSON.
func (p pulled) itemsOf(id string) []byte {
	switch {
	case p.items != nil && p.id == id:
		return p.items
	case p.before != nil && p.before.id == id:
		return p.before.items
	}
	return nil
}

// answered returns what the client has after an answer of id with items
// (nil until encoded) for its document's version: that answer, and the
// last one before it with other items.
func (p pulled) answered(id string, version int32, items []byte) pulled {
	now := pulled{id: id, version: version, items: items}
	switch {
	case p.items != nil && p.id != id:
		p.before = nil
		now.before = &p
	case p.before != nil && p.before.id != id:
		now.before = p.before
	}
	return now
}

// sent is what was last published for a file: enough to tell whether a
// new report changes it without converting anything.
type sent struct {
	hash    uint64  // the report's hash of the file's diagnostics (0 for none)
	count   int     // how many there were
	version int32   // the open document's version it was sent for, or -1
	uri     uri.URI // the URI it was sent to
	// items is the JSON of the diagnostics, kept for open documents only:
	// each new version of one is published, usually with the same
	// diagnostics.
	items []byte
}

func newPublisher(s *server) *publisher {
	return &publisher{s: s, uris: map[string]uri.URI{}, sent: map[string]sent{}, pulled: map[string]pulled{}}
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
//
// Whether a file changed is decided by the report's hash of its
// diagnostics, before anything is converted: a file whose diagnostics (and
// the texts they point into) are unchanged costs a map lookup, and only the
// files that changed are converted and sent. An open document is sent for
// each new version (in push mode), with the JSON of its diagnostics reused
// when they did not change.
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
		now := sent{version: -1, uri: p.uri(f)}
		var ds []diag.Diagnostic
		if !pull || doc == nil {
			ds, now.hash = snap.FileDiagnostics(rep, overlays, f)
			now.count = len(ds)
		} else if p.s.caps.refresh {
			ds, hash := snap.FileDiagnostics(rep, overlays, f)
			id := resultID(hash, len(ds))
			p.mu.Lock()
			if prev, ok := p.pulled[f]; ok && prev.version == doc.Version && prev.id != id {
				refresh = true
			}
			p.mu.Unlock()
		}
		if doc != nil && !pull {
			now.version = doc.Version
		}
		p.mu.Lock()
		prev, had := p.sent[f]
		p.mu.Unlock()
		if had && prev.hash == now.hash && prev.count == now.count && prev.version == now.version && prev.uri == now.uri ||
			!had && now.count == 0 && now.version < 0 {
			continue
		}
		if had && prev.items != nil && prev.hash == now.hash && prev.count == now.count && prev.uri == now.uri {
			now.items = prev.items // a new version, the same diagnostics
		} else {
			items, err := encodeItems(conv, f, ds)
			if err != nil {
				p.s.logf(protocol.MessageTypeError, "cannot encode diagnostics of %s: %v", f, err)
				continue
			}
			now.items = items
		}
		p.s.notify(protocol.MethodTextDocumentPublishDiagnostics, publication(now))
		if now.version < 0 {
			now.items = nil
		}
		p.mu.Lock()
		if now.count == 0 && now.version < 0 {
			delete(p.sent, f)
		} else {
			p.sent[f] = now
		}
		p.mu.Unlock()
	}
	p.lines.forget(func(path string) bool { return files[path] })
	if refresh {
		p.refresh()
	}
}

// refresh asks a client that pulls to pull the diagnostics of its open
// documents again (workspace/diagnostic/refresh), when it takes that.
func (p *publisher) refresh() {
	if !p.s.caps.refresh {
		return
	}
	p.s.goBackground(func(ctx context.Context) {
		if err := p.s.callClient(ctx, protocol.MethodWorkspaceDiagnosticRefresh, nil, nil); err != nil {
			p.s.logf(protocol.MessageTypeWarning, "workspace/diagnostic/refresh: %v", err)
		}
	})
}

// publication is the JSON of the params of a publishDiagnostics.
func publication(s sent) jsonrpc2.RawMessage {
	u, _ := protocol.Marshal(s.uri)
	raw := make([]byte, 0, len(u)+len(s.items)+48)
	raw = append(append(append(raw, `{"uri":`...), u...), ',')
	if s.version >= 0 {
		raw = append(strconv.AppendInt(append(raw, `"version":`...), int64(s.version), 10), ',')
	}
	raw = append(append(append(raw, `"diagnostics":`...), s.items...), '}')
	return raw
}

// appendItems appends the JSON list of the LSP diagnostics of ds, which
// belong to file, to dst, converting and encoding one at a time (no list
// of them is built).
func appendItems(dst []byte, conv *Converter, file string, ds []diag.Diagnostic) ([]byte, error) {
	dst = append(dst, '[')
	var item protocol.Diagnostic
	for i := range ds {
		if i > 0 {
			dst = append(dst, ',')
		}
		item = conv.Diagnostic(file, &ds[i])
		var err error
		if dst, err = protocol.AppendMarshal(dst, &item); err != nil {
			return nil, err
		}
	}
	return append(dst, ']'), nil
}

// itemsSize is about the length of the JSON appendItems makes of ds, a
// little more than most: a buffer of that size seldom grows (each time it
// does, a buffer twice as large is allocated, in a fresh server memory
// touched for the first time).
func itemsSize(ds []diag.Diagnostic) int {
	n := 2
	for i := range ds {
		d := &ds[i]
		n += itemOverhead + len(d.Code) + len(d.Message) + len(d.Help)
		for _, l := range d.Labels[min(1, len(d.Labels)):] { // the first is the range, usually
			n += labelOverhead + len(l.File) + len(l.Message)
		}
	}
	return n + n/8
}

// The bytes of a diagnostic's JSON besides its texts (a range, its
// severity, source and member names, the help's prefix), and of each
// other label's besides its file and message (a location with a URI and a
// range, as related information).
const (
	itemOverhead  = 144
	labelOverhead = 128
)

// resultID identifies the diagnostics of a file, for pulled diagnostics:
// their hash (Snapshot.FileDiagnostics) and their number.
func resultID(hash uint64, count int) string {
	var b [8]byte
	for i := range b {
		b[i] = byte(hash >> (8 * i))
	}
	return hex.EncodeToString(b[:]) + "-" + strconv.Itoa(count)
}
