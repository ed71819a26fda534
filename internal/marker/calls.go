package marker

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// callsMarker checks //@calls(text, direction, name...): the call
// hierarchy prepared at the start of text has, in direction "in"
// (components whose provides feed it) or "out" (components it feeds),
// exactly the calls of the items named ("none": no call, or no item). Every range of a
// call lies in the caller's file. With a @calls section the items and
// calls are recorded there in full.
func callsMarker(m *mark) {
	text, dir, want := m.args[0], m.args[1], m.args[2:]
	if dir != "in" && dir != "out" {
		m.errorf("direction %q, want \"in\" or \"out\"", dir)
		return
	}
	off, ok := m.start(text)
	if !ok {
		return
	}
	b := m.backend()
	items, err := b.prepareCalls(m.file.name, off)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	out := m.r.golden(sectionCalls)
	if out != nil {
		fmt.Fprintf(out, "== %s:%d %q %s\n", m.file.name, m.line+1, text, dir)
	}
	var got []string
	for _, it := range items {
		if out != nil {
			fmt.Fprintf(out, "item %s\n", m.r.describeItem(it))
		}
		calls, err := b.calls(it, dir == "in")
		if err != nil {
			m.errorf("%v", err)
			return
		}
		for _, c := range calls {
			got = append(got, c.item.name)
			caller := c.item
			if dir == "out" {
				caller = it
			}
			var ranges []string
			for _, r := range c.ranges {
				if r.file != caller.selection.file {
					m.errorf("a range of the call with %s is in %s, not in the caller's file %s", c.item.name, r.file, caller.selection.file)
				}
				ranges = append(ranges, strings.TrimPrefix(m.r.pos(r), r.file+":"))
			}
			if out != nil {
				fmt.Fprintf(out, "  %s %s from %s\n", dir, m.r.describeItem(c.item), strings.Join(ranges, ", "))
			}
		}
	}
	if out != nil {
		out.WriteString("\n")
	}
	if len(items) == 0 && !(len(want) == 1 && want[0] == "none") {
		m.errorf("no call hierarchy item at %q", text)
		return
	}
	m.samePlaces("calls "+dir+" of", got, want)
}

// describeItem renders an item: name (detail) at its selection.
func (r *run) describeItem(it callItem) string {
	return fmt.Sprintf("%s (%s) at %s", it.name, r.scrub(it.detail), r.pos(it.selection))
}

func (b *analysisBackend) prepareCalls(file string, off int) ([]callItem, error) {
	items, err := b.snap.PrepareCallHierarchy(b.ctx, b.path(file), off)
	var out []callItem
	for _, it := range items {
		out = append(out, b.callItem(it))
	}
	return out, err
}

func (b *analysisBackend) callItem(it analysis.CallItem) callItem {
	name := b.name(it.File, "")
	return callItem{name: it.Name, detail: it.Detail, span: b.span(name, it.Span), selection: b.span(name, it.Selection), raw: it}
}

func (b *analysisBackend) calls(item callItem, incoming bool) ([]hierarchyCall, error) {
	it := item.raw.(analysis.CallItem)
	get := b.snap.OutgoingCalls
	if incoming {
		get = b.snap.IncomingCalls
	}
	calls, err := get(b.ctx, it)
	var out []hierarchyCall
	for _, c := range calls {
		hc := hierarchyCall{item: b.callItem(c.Item)}
		caller := it.File
		if incoming {
			caller = c.Item.File
		}
		for _, r := range c.Ranges {
			hc.ranges = append(hc.ranges, b.span(b.name(caller, ""), diag.Span{Start: r.Start, End: r.End}))
		}
		out = append(out, hc)
	}
	return out, err
}

// lspCallItem is a call hierarchy item on the wire.
type lspCallItem struct {
	Name           string          `json:"name"`
	Detail         string          `json:"detail"`
	URI            string          `json:"uri"`
	Range          lspRange        `json:"range"`
	SelectionRange lspRange        `json:"selectionRange"`
	Raw            json.RawMessage `json:"-"`
}

func (b *lspBackend) callItem(raw json.RawMessage) (callItem, error) {
	var it lspCallItem
	if err := json.Unmarshal(raw, &it); err != nil {
		return callItem{}, err
	}
	name := b.name(it.URI)
	return callItem{name: it.Name, detail: it.Detail, span: b.span(name, it.Range), selection: b.span(name, it.SelectionRange), raw: raw}, nil
}

func (b *lspBackend) prepareCalls(file string, off int) ([]callItem, error) {
	var items []json.RawMessage
	if err := b.cl.call("textDocument/prepareCallHierarchy", b.docPosition(file, off), &items); err != nil {
		return nil, err
	}
	var out []callItem
	for _, raw := range items {
		it, err := b.callItem(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (b *lspBackend) calls(item callItem, incoming bool) ([]hierarchyCall, error) {
	method, other := "callHierarchy/outgoingCalls", "to"
	if incoming {
		method, other = "callHierarchy/incomingCalls", "from"
	}
	var res []map[string]json.RawMessage
	if err := b.cl.call(method, map[string]any{"item": item.raw}, &res); err != nil {
		return nil, err
	}
	var out []hierarchyCall
	for _, c := range res {
		it, err := b.callItem(c[other])
		if err != nil {
			return nil, err
		}
		caller := item.selection.file
		if incoming {
			caller = it.selection.file
		}
		var ranges []lspRange
		if err := json.Unmarshal(c["fromRanges"], &ranges); err != nil {
			return nil, err
		}
		hc := hierarchyCall{item: it}
		for _, r := range ranges {
			hc.ranges = append(hc.ranges, b.span(caller, r))
		}
		out = append(out, hc)
	}
	return out, nil
}
