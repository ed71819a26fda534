package lsp

import (
	"context"
	"errors"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5/format"
)

// formattingCapability: whole-document formatting.
func formattingCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DocumentFormattingProvider = protocol.Boolean(true)
}

// rangeFormattingCapability: formatting the members around a selection.
func rangeFormattingCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DocumentRangeFormattingProvider = protocol.Boolean(true)
}

// formatting answers textDocument/formatting: the small edits that format
// the document, each between two tokens, so that the editor keeps cursors
// and folds.
func (s *server) formatting(ctx context.Context, snap *snapshot, p *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	edits, err := snap.Format(ctx, path, formatOptions(p.Options))
	return s.formatEdits(snap, path, edits, err)
}

// rangeFormatting answers textDocument/rangeFormatting: the edits that
// format the members or elements around the range.
func (s *server) rangeFormatting(ctx context.Context, snap *snapshot, p *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	path, err := documentPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	span := diag.Span{Start: snap.conv.offset(path, p.Range.Start), End: snap.conv.offset(path, p.Range.End)}
	edits, err := snap.FormatRange(ctx, path, span, formatOptions(p.Options))
	return s.formatEdits(snap, path, edits, err)
}

// formatEdits converts the edits of a formatting request. A document with
// syntax errors (or nested too deeply) is not formatted: the answer is no
// edit, and the reason goes to the log, not to a message box (the
// diagnostics show the errors).
func (s *server) formatEdits(snap *snapshot, path string, edits []diag.Edit, err error) ([]protocol.TextEdit, error) {
	var se *format.SyntaxError
	if errors.As(err, &se) || errors.Is(err, format.ErrTooLarge) {
		s.logf(protocol.MessageTypeInfo, "formatting %s: %v", path, err)
		return []protocol.TextEdit{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		out[i] = protocol.TextEdit{Range: snap.conv.Range(path, e.Span), NewText: e.NewText}
	}
	return out, nil
}

// formatOptions takes the indentation from the editor's options.
func formatOptions(o protocol.FormattingOptions) format.Options {
	return format.Options{TabSize: int(o.TabSize), UseTabs: !o.InsertSpaces}
}
