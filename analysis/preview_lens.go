package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/overlay"
)

// What the kept overlay previews (preview.go) show in a file: a code lens
// on each `overlays` entry, a section in the hover of an overlay
// reference, and an inlay hint on each binding or export an interposer
// sits on.

// PreviewCommand is the server command that runs (or reruns) the overlay
// preview of the scenario a file belongs to; code lenses of previews run
// it when clicked.
const PreviewCommand = "amber.overlays.preview"

// previewLenses puts on each `overlays` entry of the file what the last
// preview of each root that ran it says: its Summary, or why the overlays
// did not run.
func previewLenses(_ context.Context, f *featureFile) ([]CodeLens, error) {
	previews := f.run.s.Previews()
	var out []CodeLens
	for _, p := range previews {
		prefix := ""
		if len(previews) > 1 {
			prefix = filepath.Base(p.Root) + ": "
		}
		lens := func(sp diag.Span, title string) {
			out = append(out, CodeLens{Span: sp, Title: prefix + title, Command: PreviewCommand, File: f.path})
		}
		if p.Outcome == nil {
			if filepath.Clean(p.Root) != f.path {
				continue
			}
			if list := f.section("overlays"); list != nil {
				for _, e := range list.Elems() {
					lens(e.Span(), "overlays not run: "+p.NotRun)
				}
			}
			continue
		}
		for _, r := range p.Outcome.Runs {
			if sp, ok := f.overlayEntry(p, r); ok {
				lens(sp, p.Outcome.Summary(r))
			}
		}
	}
	return out, nil
}

// overlayEntry locates r's `overlays` entry in f as it reads now.
func (f *featureFile) overlayEntry(p *PreviewResult, r *overlay.Run) (diag.Span, bool) {
	d := r.Overlay.Decl
	return f.relocate(p, d.File, d.Span, "overlays", strconv.Itoa(r.Overlay.Index))
}

// relocate finds in f the node at path segs that the preview p read at
// span of file: the same span when f reads as it did, else the node now at
// segs when its text is unchanged.
func (f *featureFile) relocate(p *PreviewResult, file string, span diag.Span, segs ...string) (diag.Span, bool) {
	if filepath.Clean(file) != f.path {
		return diag.Span{}, false
	}
	then, ok := p.Texts[file]
	if !ok || span.Start < 0 || span.End > len(then) || span.Start > span.End {
		return diag.Span{}, false
	}
	if sameBytes(then, f.text) || string(then) == string(f.text) {
		return span, true
	}
	n := f.root.Lookup(segs...)
	if n == nil || n.End > len(f.text) || string(f.text[n.Start:n.End]) != string(then[span.Start:span.End]) {
		return diag.Span{}, false
	}
	return n.Span(), true
}

// previewHover is what the kept previews say about the overlay reference
// at off: per preview that ran it, the summary, the interposers with the
// edges they sit on (slot and provide) and their config as the plan wrote
// it, or the failure. "" when no preview ran that entry.
func (f *featureFile) previewHover(off int) string {
	var b strings.Builder
	for _, p := range f.run.s.Previews() {
		if p.Outcome == nil {
			continue
		}
		for _, r := range p.Outcome.Runs {
			sp, ok := f.overlayEntry(p, r)
			if !ok || off < sp.Start || off > sp.End {
				continue
			}
			writePreviewHover(&b, p, r)
		}
	}
	return b.String()
}

// writePreviewHover renders one run of a preview for a hover.
func writePreviewHover(b *strings.Builder, p *PreviewResult, r *overlay.Run) {
	out := p.Outcome
	fmt.Fprintf(b, "\n\n---\n\n**Last preview** of `%s`: %s", filepath.Base(p.Root), out.Summary(r))
	switch {
	case r.Reused:
		fmt.Fprintf(b, "\n\nhelper `%s` reused, answered in %s", r.Overlay.Display, millis(r.RequestTime.Seconds()))
	case r.Start > 0:
		fmt.Fprintf(b, "\n\nhelper `%s` started in %s, answered in %s", r.Overlay.Display, millis(r.Start.Seconds()), millis(r.RequestTime.Seconds()))
	}
	if r.Err != nil {
		for _, d := range p.Pass {
			if l, ok := d.Primary(); ok && l.File == r.Overlay.Decl.File && l.Span == r.Overlay.Decl.Span {
				b.WriteString("\n\n```text\n" + strings.TrimRight(d.Message, "\n") + "\n```")
				break
			}
		}
		return
	}
	for _, in := range out.Inserted(r) {
		name := "interposer"
		if in.Moniker != "" {
			name = "`" + in.Moniker + "`"
		}
		fmt.Fprintf(b, "\n- %s on", name)
		for i, a := range in.Attachments {
			if i > 0 {
				b.WriteString(";")
			}
			fmt.Fprintf(b, " edge %d, %s (%s): slot `%s`, provide `%s`", a.Edge.ID, describeEdge(a.Edge), a.Edge.Capability.Kind, a.Slot, a.Provide)
		}
		fmt.Fprintf(b, "\n  config `%s`", in.Config)
	}
}

// millis renders seconds as milliseconds with one decimal.
func millis(sec float64) string { return strconv.FormatFloat(sec*1000, 'f', 1, 64) + " ms" }

// describeEdge names an edge of a request by its ends.
func describeEdge(e overlay.Edge) string {
	switch {
	case e.Binding < 0:
		return fmt.Sprintf("export `%s` of `%s`", e.Export, e.From)
	case e.Kind == overlay.EdgeImport:
		return fmt.Sprintf("import into `%s`", e.To)
	case e.Kind == overlay.EdgeExport:
		return fmt.Sprintf("export from `%s`", e.From)
	}
	return fmt.Sprintf("binding `%s` → `%s`", e.From, e.To)
}

// previewHints puts a hint after each binding (and root export) of the
// file that an interposer of a kept preview sits on: the interposers, in
// the order the overlays chain them.
func previewHints(f *featureFile, within diag.Span, add func(InlayHint)) {
	type hint struct {
		via  []string
		tips []string
	}
	at := map[int]*hint{}
	var order []int
	for _, p := range f.run.s.Previews() {
		if p.Outcome == nil || p.Outcome.Scenario == nil || p.link == nil {
			continue
		}
		res := p.link.Result
		for _, r := range p.Outcome.Runs {
			for _, in := range p.Outcome.Inserted(r) {
				for _, a := range in.Attachments {
					file, sp, segs, ok := edgeEntry(res, a.Edge)
					if !ok {
						continue
					}
					sp, ok = f.relocate(p, file, sp, segs...)
					if !ok || sp.End < within.Start || sp.End > within.End {
						continue
					}
					h := at[sp.End]
					if h == nil {
						h = &hint{}
						at[sp.End] = h
						order = append(order, sp.End)
					}
					h.via = append(h.via, in.Moniker)
					h.tips = append(h.tips, fmt.Sprintf("%s puts %s on edge %d, %s (slot `%s`, provide `%s`)",
						r.Overlay.Ref, in.Moniker, a.Edge.ID, describeEdge(a.Edge), a.Slot, a.Provide))
				}
			}
		}
	}
	for _, off := range order {
		h := at[off]
		add(InlayHint{Offset: off, Label: "via " + strings.Join(h.via, ", "), Kind: InlayValue, PadLeft: true,
			Tooltip: "Last overlay preview: " + strings.Join(h.tips, "; ")})
	}
}

// edgeEntry locates the manifest entry that made an edge of a request: the
// `bindings` entry of the consumer's parent that binds its slot, or the
// root's `exports` entry of a scenario export. It returns the file, the
// entry's span, and its path in the file.
func edgeEntry(res *linker.Result, e overlay.Edge) (string, diag.Span, []string, bool) {
	if len(res.Components) == 0 || res.Components[0] == nil {
		return "", diag.Span{}, nil, false
	}
	if e.Binding < 0 {
		root := res.Components[0]
		for _, x := range root.Manifest().Exports {
			if x.Name == e.Export && x.Node != nil {
				return root.Node.File, x.Node.Span(), []string{"exports", x.Name}, true
			}
		}
		return "", diag.Span{}, nil, false
	}
	s := res.Optimized()
	if s == nil || e.Binding >= len(s.Bindings) {
		return "", diag.Span{}, nil, false
	}
	to := s.Bindings[e.Binding].To
	var c *linker.Component
	for _, x := range res.Components {
		if x != nil && x.ID == to.Component {
			c = x
		}
	}
	if c == nil || c.Parent == nil {
		return "", diag.Span{}, nil, false // a slot of the root is bound from outside
	}
	for _, b := range c.Parent.Manifest().Bindings {
		if b.Target == manifest.RefChild && b.TargetName == c.Node.Name && b.SlotName == to.Name && b.Node != nil {
			return c.Parent.Node.File, b.Node.Span(), []string{"bindings", strconv.Itoa(b.Index)}, true
		}
	}
	return "", diag.Span{}, nil, false
}
