package manifest

import (
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// linter computes Amber's manifest lints (spec section 11) for a manifest
// that passed validation. Every lint is a warning.
type linter struct {
	*validator
	component string
}

// warn reports a lint about subject (the name it concerns, "" for none);
// the message gets Amber's component suffix.
func (l *linter) warn(code diag.Code, subject, msg string, at diag.Span, label, help string) {
	l.add(diag.Diagnostic{
		Code:     code,
		Severity: diag.Warning,
		Message:  msg + " (in component " + l.component + ")",
		Labels:   []diag.Label{{Span: at, Message: label, Primary: true}},
		Help:     help,
		Subject:  subject,
	})
}

func (l *linter) run() {
	l.diags = nil
	l.deprecatedBindingSources()
	l.deprecatedExportTargets()
	l.unusedProgram()
	l.unusedSlots()
	l.unusedProvides()
	l.unusedUses()
	l.duplicateResolvers()
	l.configLints()
	l.requiredSlotWhen()
}

// localCapability resolves a legacy `self.x` source: "slots" or "provides".
func (l *linter) localCapability(name string) string {
	for _, s := range l.m.Slots {
		if s.Name == name {
			return "slots"
		}
	}
	for _, p := range l.m.Provides {
		if p.Name == name {
			return "provides"
		}
	}
	return ""
}

// deprecatedBindingSources implements 11.1.
func (l *linter) deprecatedBindingSources() {
	for _, b := range l.m.Bindings {
		if b.Source != RefSelf {
			continue
		}
		table := l.localCapability(b.SourceCap)
		if table == "" {
			continue
		}
		legacy, repl := b.From.Value, table+"."+b.SourceCap
		fix := diag.Edit{Span: b.From.Node.Span(), NewText: quoteLike(b.From.Node, l.src(), repl)}
		if !b.Dot {
			legacy = `from: "self", capability: "` + b.SourceCap + `"`
			repl = `from: "` + table + `", capability: "` + b.SourceCap + `"`
			fix.NewText = quoteLike(b.From.Node, l.src(), table)
		}
		l.warn(codes.DeprecatedBindingSelfSource, b.SourceCap,
			"binding source `"+legacy+"` uses deprecated implicit local capability syntax",
			l.span(b.From.Node), "deprecated binding source", "Replace `"+legacy+"` with `"+repl+"`.")
		l.addFix("Replace `"+legacy+"` with `"+repl+"`", fix)
	}
}

// deprecatedExportTargets implements 11.2.
func (l *linter) deprecatedExportTargets() {
	for _, x := range sortedEntries(l.m.Exports, func(x *Export) string { return x.Name }) {
		if x.Kind != ExportSelf {
			continue
		}
		table := l.localCapability(x.Capability)
		if table == "" {
			continue
		}
		repl := table + "." + x.Capability
		l.warn(codes.DeprecatedExportSelfTarget, x.Capability,
			"export target `"+x.Target.Value+"` uses deprecated `self.*` syntax",
			l.span(x.Target.Node), "deprecated export target", "Replace `"+x.Target.Value+"` with `"+repl+"`.")
		l.addFix("Replace `"+x.Target.Value+"` with `"+repl+"`",
			diag.Edit{Span: x.Target.Node.Span(), NewText: quoteLike(x.Target.Node, l.src(), repl)})
	}
}

// addFix attaches the fix of the last diagnostic: its one obvious edit,
// so it is preferred.
func (l *linter) addFix(title string, edits ...diag.Edit) {
	l.last.Fixes = append(l.last.Fixes, diag.Fix{Title: title, Edits: edits, Preferred: true})
}

// src returns the source text the manifest was parsed from, when known.
func (l *linter) src() []byte { return l.source }

// quoteLike writes s as a string literal with the quote character n uses.
func quoteLike(n *json5.Node, src []byte, s string) string {
	q := byte('"')
	if n.Start < len(src) && src[n.Start] == '\'' {
		q = '\''
	}
	return string(q) + s + string(q)
}

// providesUsed returns the provides that are binding sources or exported.
func (l *linter) providesUsed() map[string]bool {
	used := map[string]bool{}
	for _, b := range l.m.Bindings {
		if b.Source == RefProvides || b.Source == RefSelf && l.localCapability(b.SourceCap) == "provides" {
			used[b.SourceCap] = true
		}
	}
	for _, x := range l.m.Exports {
		switch x.Kind {
		case ExportProvide:
			used[x.Capability] = true
		case ExportBare, ExportSelf:
			if l.localCapability(x.Capability) == "provides" {
				used[x.Capability] = true
			}
		}
	}
	return used
}

// unusedProgram implements 11.3.
func (l *linter) unusedProgram() {
	if l.m.Program == nil {
		return
	}
	provides := names(l.m.Provides, func(p *Provide) string { return p.Name })
	for name := range l.providesUsed() {
		if provides[name] {
			return
		}
	}
	l.warn(codes.UnusedProgram, "", "program is never referenced by bindings or exports",
		l.keySpan(l.m.ProgramKey), "unused `program`",
		"Remove the `program` block if it is not needed, or export/bind one of its provides.")
}

// slotsUsedByProgram returns the slots the program refers to, and whether it
// uses all of them through `${slots}`.
func (l *linter) slotsUsedByProgram() (map[string]bool, bool) {
	used, all := map[string]bool{}, false
	p := l.m.Program
	if p == nil {
		return used, false
	}
	p.programStrings(func(s programString) {
		ps, _ := parseTemplate(s.text)
		for _, ph := range ps {
			if ph.Ref.Source != interp.Slots {
				continue
			}
			if ph.Ref.Query == "" {
				all = true
				continue
			}
			name, _, _ := strings.Cut(ph.Ref.Query, ".")
			if name == "" {
				break // QUIRK: `${slots..x}` stops the scan of this string
			}
			used[name] = true
		}
		if s.kind == siteMountFrom {
			if name, ok := strings.CutPrefix(s.text, "slots."); ok && isLiteral(s.text) {
				used[name] = true
			}
		}
	})
	p.conditions(func(when, each *Str) {
		for _, c := range []*Str{when, each} {
			if c == nil {
				continue
			}
			if rest, ok := strings.CutPrefix(c.Value, "slots."); ok {
				name, _, _ := strings.Cut(rest, ".")
				used[name] = true
			}
		}
	})
	return used, all
}

// unusedSlots implements 11.4.
func (l *linter) unusedSlots() {
	used, all := l.slotsUsedByProgram()
	if all {
		return
	}
	for _, b := range l.m.Bindings {
		if b.Source == RefSlots || b.Source == RefSelf {
			used[b.SourceCap] = true
		}
	}
	for _, x := range l.m.Exports {
		if x.Kind == ExportSlot || x.Kind == ExportBare || x.Kind == ExportSelf {
			used[x.Capability] = true
		}
	}
	for _, s := range sortedEntries(l.m.Slots, func(s *Slot) string { return s.Name }) {
		if s.Optional || used[s.Name] {
			continue
		}
		l.warn(codes.UnusedSlot, s.Name, "slot `"+s.Name+"` is never used",
			l.keySpan(s.Key), "unused slot `"+s.Name+"`",
			"Remove the slot `"+s.Name+"` if it is not needed, or reference it in the program, forward it via a binding, or export it.")
	}
}

// unusedProvides implements 11.5.
func (l *linter) unusedProvides() {
	used := map[string]bool{}
	for _, b := range l.m.Bindings {
		if b.Source == RefProvides || b.Source == RefSelf {
			used[b.SourceCap] = true
		}
	}
	for _, x := range l.m.Exports {
		if x.Kind == ExportProvide || x.Kind == ExportBare || x.Kind == ExportSelf {
			used[x.Capability] = true
		}
	}
	for _, p := range sortedEntries(l.m.Provides, func(p *Provide) string { return p.Name }) {
		if used[p.Name] {
			continue
		}
		l.warn(codes.UnusedProvide, p.Name, "provide `"+p.Name+"` is never used or exported",
			l.keySpan(p.Key), "unused provide `"+p.Name+"`",
			"Remove the provide `"+p.Name+"` if it is not needed, or export/bind it.")
	}
}

// unusedUses implements 11.6.
func (l *linter) unusedUses() {
	used := map[string]bool{}
	for _, o := range l.m.Overlays {
		if ref, ok := ParseOverlayRef(o.Value); ok {
			used[ref.Use] = true
		}
	}
	for _, u := range sortedEntries(l.m.Use, func(c *ComponentDecl) string { return c.Name }) {
		if used[u.Name] {
			continue
		}
		l.warn(codes.UnusedUse, u.Name, "use `#"+u.Name+"` is never referenced",
			l.keySpan(u.Key), "unused `use` entry `#"+u.Name+"`",
			"Remove the `use` entry `#"+u.Name+"` if it is not needed, or reference it from `overlays`.")
	}
}

// duplicateResolvers implements 11.7.
func (l *linter) duplicateResolvers() {
	for _, e := range sortedEntries(l.m.Environments, func(e *Environment) string { return e.Name }) {
		seen := map[string]bool{}
		for _, r := range e.Resolvers {
			if seen[r.Value] {
				l.warn(codes.DuplicateEnvironmentResolver, r.Value,
					"environment `"+e.Name+"` declares resolver `"+r.Value+"` more than once",
					l.span(r.Node), "duplicate resolver `"+r.Value+"`", "Remove duplicate resolver entries.")
				continue
			}
			seen[r.Value] = true
		}
	}
}

// requiredSlotWhen implements 11.11 and 11.12.
func (l *linter) requiredSlotWhen() {
	p := l.m.Program
	if p == nil {
		return
	}
	required := func(when *Str) (string, bool) {
		if when == nil {
			return "", false
		}
		rest, ok := strings.CutPrefix(when.Value, "slots.")
		if !ok {
			return "", false
		}
		name, field, hasField := strings.Cut(rest, ".")
		if hasField && field != "url" {
			return "", false
		}
		for _, s := range l.m.Slots {
			if s.Name == name {
				return name, !s.Optional
			}
		}
		return "", false
	}
	for _, c := range []*Command{p.Entrypoint, p.Args} {
		if c == nil {
			continue
		}
		for _, it := range c.Items {
			if s, ok := required(it.When); ok {
				l.warn(codes.RequiredSlotWhen, s,
					"this `when` condition is unnecessary: slot `"+s+"` is required, so it is always bound and this argv item is always included",
					l.span(it.When.Node), "slot is required, so this condition is always true",
					"Remove `when` if this argv item should always be included. If it should disappear when the parent does not bind the slot, mark `slots."+s+"` as `optional: true`.")
			}
		}
	}
	for _, e := range sortedEntries(p.Env, func(e *EnvVar) string { return e.Name }) {
		if s, ok := required(e.When); ok {
			l.warn(codes.RequiredSlotWhenEnv, s,
				"this `when` condition is unnecessary: slot `"+s+"` is required, so it is always bound and this env value is always included",
				l.span(e.When.Node), "slot is required, so this condition is always true",
				"Remove `when` if this env value should always be included. If it should disappear when the parent does not bind the slot, mark `slots."+s+"` as `optional: true`.")
		}
	}
}
