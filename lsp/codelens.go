package lsp

import (
	"context"
	"hash/maphash"
	"strconv"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
)

// Code lenses are analysis' CodeLenses. A lens listing places ("3
// references", "instantiated by 2 parents") runs the command
// amber.showReferences with the arguments [uri, position, locations] of
// editor.action.showReferences: clients map it to their own way of showing
// locations (the server does not execute it). When the client takes
// workspace/codeLens/refresh, the server sends it after each analysis that
// changed the lenses of an open document, since an edit of one file
// changes the counts shown in others, and after an analysis that found
// other lenses for a document than the server answered for it on an older
// snapshot (a document opened before the workspace was indexed).

// codeLensCapability: code lenses, resolved at once (no codeLens/resolve).
func codeLensCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.CodeLensProvider = &protocol.CodeLensOptions{}
}

// codeLens answers textDocument/codeLens.
func (s *server) codeLens(ctx context.Context, snap *snapshot, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	lenses, err := snap.CodeLenses(ctx, path)
	if err != nil {
		return nil, err
	}
	s.lensesAnswered(snap.ID(), path, lensDigest(lenses))
	out := make([]protocol.CodeLens, 0, len(lenses))
	for _, l := range lenses {
		cmd, err := s.lensCommand(snap, path, l)
		if err != nil {
			return nil, err
		}
		out = append(out, protocol.CodeLens{Range: snap.conv.Range(path, l.Span), Command: cmd})
	}
	return out, nil
}

// lensCommand converts what clicking a lens runs.
func (s *server) lensCommand(snap *snapshot, path string, l analysis.CodeLens) (protocol.Command, error) {
	args := l.Arguments
	if l.File != "" {
		args = append([]any{snap.conv.URI(l.File)}, args...)
	}
	if l.Command == analysis.ShowReferences {
		locs := make([]protocol.Location, 0, len(l.Locations))
		for _, loc := range l.Locations {
			locs = append(locs, snap.conv.location(loc.File, loc.Span))
		}
		args = []any{snap.conv.URI(path), snap.conv.Range(path, l.Span).Start, locs}
	}
	cmd := protocol.Command{Title: l.Title, Command: l.Command}
	for _, a := range args {
		raw, err := protocol.Marshal(a)
		if err != nil {
			return cmd, err
		}
		cmd.Arguments = append(cmd.Arguments, protocol.LSPAny(raw))
	}
	return cmd, nil
}

// lensState is what the client was last shown of the code lenses of the
// open documents: the lenses of the last analyzed snapshot, or those the
// server answered since.
type lensState struct {
	mu     sync.Mutex
	id     uint64            // the last analyzed snapshot
	digest map[string]uint64 // of each open document's lenses
}

// lensDigest sums up what the client shows of lenses.
func lensDigest(lenses []analysis.CodeLens) uint64 {
	var h maphash.Hash
	h.SetSeed(lensSeed)
	for _, l := range lenses {
		h.WriteString(l.Title + "\x00" + strconv.Itoa(l.Span.Start) + "\x00" + strconv.Itoa(len(l.Locations)) + "\x00")
	}
	return h.Sum64()
}

// lensesAnswered notes the lenses the client got for doc, computed on
// snapshot id: the next analysis compares its lenses with these. An answer
// from a snapshot older than the last analyzed one that differs from that
// analysis' lenses is stale at once: the client is asked to refresh.
func (s *server) lensesAnswered(id uint64, doc string, digest uint64) {
	if !s.caps.lensRefresh {
		return
	}
	st := &s.lenses
	st.mu.Lock()
	current, known := st.digest[doc]
	stale := id < st.id && known && current != digest
	if !stale {
		if st.digest == nil {
			st.digest = map[string]uint64{}
		}
		st.digest[doc] = digest
	}
	st.mu.Unlock()
	if stale {
		s.goBackground(s.refreshLenses)
	}
}

// refreshLenses asks the client to ask for the lenses again.
func (s *server) refreshLenses(ctx context.Context) {
	if err := s.callClient(ctx, protocol.MethodWorkspaceCodeLensRefresh, nil, nil); err != nil {
		s.logf(protocol.MessageTypeWarning, "workspace/codeLens/refresh: %v", err)
	}
}

// lensesChanged compares the code lenses of the open documents in an
// analyzed snapshot with those they had in the previous one, and asks the
// client to refresh its lenses when one differs (clients ask again for
// the document edited, and for documents they open, but not for the
// others).
func (s *server) lensesChanged(snap *analysis.Snapshot) {
	if !s.caps.lensRefresh {
		return
	}
	s.goBackground(func(ctx context.Context) {
		digest := map[string]uint64{}
		for _, doc := range snap.Documents() {
			lenses, err := snap.CodeLenses(ctx, doc)
			if err != nil {
				return
			}
			digest[doc] = lensDigest(lenses)
		}
		st := &s.lenses
		st.mu.Lock()
		if snap.ID() <= st.id {
			st.mu.Unlock()
			return
		}
		changed := false
		for doc, d := range digest {
			if was, ok := st.digest[doc]; ok && was != d {
				changed = true
			}
		}
		st.id, st.digest = snap.ID(), digest
		st.mu.Unlock()
		if changed {
			s.refreshLenses(ctx)
		}
	})
}

// lensSeed seeds lensDigest.
var lensSeed = maphash.MakeSeed()
