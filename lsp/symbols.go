package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/manifest"
)

// maxWorkspaceSymbols bounds a workspace/symbol answer.
const maxWorkspaceSymbols = 500

// documentSymbolCapability: the outline of a manifest.
func documentSymbolCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.DocumentSymbolProvider = protocol.Boolean(true)
}

// workspaceSymbolCapability: declarations across the workspace.
func workspaceSymbolCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	caps.WorkspaceSymbolProvider = protocol.Boolean(true)
}

// declarationKinds is the symbol kind of each kind of declaration.
var declarationKinds = map[manifest.Symbol]protocol.SymbolKind{
	manifest.SymChild:       protocol.SymbolKindModule,
	manifest.SymUse:         protocol.SymbolKindPackage,
	manifest.SymSlot:        protocol.SymbolKindInterface,
	manifest.SymProvide:     protocol.SymbolKindFunction,
	manifest.SymResource:    protocol.SymbolKindStruct,
	manifest.SymExport:      protocol.SymbolKindConstant,
	manifest.SymEnvironment: protocol.SymbolKindObject,
	manifest.SymEndpoint:    protocol.SymbolKindField,
	manifest.SymTemplate:    protocol.SymbolKindClass,
	manifest.SymEnvVar:      protocol.SymbolKindVariable,
	manifest.SymMount:       protocol.SymbolKindField,
	manifest.SymConfig:      protocol.SymbolKindProperty,
}

// symbolKind is the LSP kind of an outline entry.
func symbolKind(role analysis.SymbolRole, declares manifest.Symbol) protocol.SymbolKind {
	switch role {
	case analysis.RoleDeclaration:
		if k, ok := declarationKinds[declares]; ok {
			return k
		}
		return protocol.SymbolKindVariable
	case analysis.RoleBinding:
		return protocol.SymbolKindEvent
	case analysis.RoleOverlay:
		return protocol.SymbolKindOperator
	}
	return protocol.SymbolKindNamespace
}

// documentSymbol answers textDocument/documentSymbol: the outline as a
// tree when the client takes one, else flat, each entry naming its
// container. A document that is no local manifest has none.
func (s *server) documentSymbol(ctx context.Context, snap *snapshot, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	syms, err := snap.DocumentSymbols(ctx, path)
	if err != nil || syms == nil {
		return nil, err
	}
	conv := snap.conv
	if s.caps.symbolTree {
		var tree func(syms []analysis.DocumentSymbol) []protocol.DocumentSymbol
		tree = func(syms []analysis.DocumentSymbol) []protocol.DocumentSymbol {
			out := make([]protocol.DocumentSymbol, 0, len(syms))
			for _, sym := range syms {
				d := protocol.DocumentSymbol{
					Name:           sym.Name,
					Kind:           symbolKind(sym.Role, sym.Declares),
					Range:          conv.Range(path, sym.Span),
					SelectionRange: conv.Range(path, sym.NameSpan),
					Children:       tree(sym.Children),
				}
				if sym.Detail != "" {
					d.Detail = ptr(sym.Detail)
				}
				if sym.Deprecated {
					d.Tags = []protocol.SymbolTag{protocol.SymbolTagDeprecated}
				}
				out = append(out, d)
			}
			return out
		}
		return protocol.DocumentSymbolSlice(tree(syms)), nil
	}
	out := protocol.SymbolInformationSlice{}
	var flat func(syms []analysis.DocumentSymbol, container string)
	flat = func(syms []analysis.DocumentSymbol, container string) {
		for _, sym := range syms {
			info := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKind(sym.Role, sym.Declares)},
				Location:              conv.location(path, sym.Span),
			}
			if container != "" {
				info.ContainerName = ptr(container)
			}
			if sym.Deprecated {
				info.Tags = []protocol.SymbolTag{protocol.SymbolTagDeprecated}
			}
			out = append(out, info)
			flat(sym.Children, sym.Name)
		}
	}
	flat(syms, "")
	return out, nil
}

// workspaceSymbol answers workspace/symbol: the declarations of every
// manifest of the workspace matching the query.
func (s *server) workspaceSymbol(ctx context.Context, snap *snapshot, p *protocol.WorkspaceSymbolParams) (protocol.WorkspaceSymbolResult, error) {
	syms, err := snap.WorkspaceSymbols(ctx, p.Query, maxWorkspaceSymbols)
	if err != nil {
		return nil, err
	}
	out := make(protocol.SymbolInformationSlice, 0, len(syms))
	for _, sym := range syms {
		info := protocol.SymbolInformation{
			BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKind(analysis.RoleDeclaration, sym.Declares)},
			Location:              snap.conv.location(sym.File, sym.Span),
		}
		if sym.Container != "" {
			info.ContainerName = ptr(sym.Container)
		}
		out = append(out, info)
	}
	return out, nil
}
