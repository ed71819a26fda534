package lsp

import (
	"context"
	"errors"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// diagnosticCapability: pulled diagnostics, for clients that pull; the
// others get every file's diagnostics pushed (publish.go).
func diagnosticCapability(caps *protocol.ServerCapabilities, client clientCaps) {
	if client.pull {
		caps.DiagnosticProvider = &protocol.DiagnosticOptions{
			Identifier:            ptr("amber"),
			InterFileDependencies: true,
		}
	}
}

// pullDiagnostics answers textDocument/diagnostic from the snapshot's
// report, "unchanged" when the client already has it. The answer is
// encoded here: the JSON of a document's diagnostics is kept for the last
// two answers (answered, below), so that a pull of diagnostics answered
// before (the text put back as it was, a typo and its undo) costs no
// conversion.
func (s *server) pullDiagnostics(ctx context.Context, snap *snapshot, p *protocol.DocumentDiagnosticParams) (jsonrpc2.RawMessage, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	// The line index the answer's positions need is built on the other
	// processor while the report is computed (a 10k-line document takes
	// about as long to index as to encode the answer).
	go snap.conv.index(path)
	snap, rep, own, err := s.pullReport(ctx, snap)
	if err != nil {
		return nil, err
	}
	ds, hash := snap.FileDiagnostics(rep, snap.OverlayDiagnostics(rep), path)
	id := resultID(hash, len(ds))
	version := int32(-1)
	if doc := snap.Document(path); doc != nil {
		version = doc.Version
	}
	s.pub.mu.Lock()
	last := s.pub.pulled[path]
	items := last.itemsOf(id)
	s.pub.pulled[path] = last.answered(id, version, items)
	s.pub.mu.Unlock()
	if own && !s.indexPending.Load() {
		// Indexed meanwhile: the full report may have been published
		// before this answer was recorded, so no refresh would follow.
		s.pub.refresh()
	}
	if prev := p.PreviousResultID; prev != nil && *prev == id {
		quoted, err := protocol.Marshal(id)
		if err != nil {
			return nil, err
		}
		return fmt.Appendf(nil, `{"kind":"unchanged","resultId":%s}`, quoted), nil
	}
	if items == nil {
		if items, err = encodeItems(snap.conv, path, ds); err != nil {
			return nil, err
		}
		s.pub.mu.Lock()
		if now := s.pub.pulled[path]; now.id == id && now.version == version && now.items == nil {
			now.items = items
			s.pub.pulled[path] = now
		}
		s.pub.mu.Unlock()
	}
	return fullReport(id, items)
}

// encodeItems is the JSON list of the LSP diagnostics of ds, which belong to
// file, in one buffer of about its size (itemsSize): protocol.Marshal of a
// list of converted diagnostics grows a buffer as it goes (for the 135
// diagnostics of the 10k-line document, 60 KB of JSON, it allocated 200 KB).
func encodeItems(conv *Converter, file string, ds []diag.Diagnostic) ([]byte, error) {
	return appendItems(make([]byte, 0, itemsSize(ds)), conv, file, ds)
}

// fullReport is the JSON of a full report (a
// protocol.RelatedFullDocumentDiagnosticReport) with result id id and the
// diagnostics encoded in items (encodeItems).
func fullReport(id string, items []byte) (jsonrpc2.RawMessage, error) {
	quoted, err := protocol.Marshal(id)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 0, len(items)+len(quoted)+len(`{"kind":"full","resultId":,"items":}`))
	raw = append(append(append(raw, `{"kind":"full","resultId":`...), quoted...), `,"items":`...)
	return append(append(raw, items...), '}'), nil
}

// pullReport returns the report a pull answers from, the snapshot it is
// of, and whether it is only what the open documents say of themselves. Start-up holds pulls to the rules pushes follow (scheduler.loop):
// nothing is answered before analysis has begun (the client's settings
// are known, or were waited for long enough), and until the workspace
// folders are indexed the answer is what the open documents say of
// themselves (OwnDiagnostics), which nothing later takes back; the
// refresh sent once the index is read asks for the rest. The document is
// parsed and analyzed meanwhile: the settings change none of that.
func (s *server) pullReport(ctx context.Context, snap *snapshot) (*snapshot, *analysis.Report, bool, error) {
	if !s.indexStarted.Load() {
		rep, err := snap.Diagnostics(ctx) // before initialized: nothing is under way
		return snap, rep, false, err
	}
	select {
	case <-s.sched.begun:
	default:
		go snap.OwnDiagnostics(ctx) // its analyses are cached for the answer
		select {
		case <-s.sched.begun:
		case <-s.sched.quit:
			return nil, nil, false, errors.New("analysis stopped")
		case <-ctx.Done():
			return nil, nil, false, ctx.Err()
		}
	}
	if len(snap.Folders()) == 0 {
		// Taken before the index was read: answer from the workspace as
		// it is now, if it has the same documents.
		if fresh := s.snapshot(); sameDocuments(snap.Snapshot, fresh.Snapshot) {
			snap = fresh
		}
	}
	if s.indexPending.Load() && len(snap.Folders()) == 0 {
		rep, err := snap.OwnDiagnostics(ctx)
		return snap, rep, true, err
	}
	rep, err := snap.Diagnostics(ctx)
	return snap, rep, false, err
}
