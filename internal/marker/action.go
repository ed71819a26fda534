package marker

import (
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// actionMarker checks //@action(text, title, file, substring...): the code
// actions at the start of text include one titled title; applied (the
// files it creates made first), it leaves every file it touches free of
// syntax errors and makes file contain each substring, which it did not
// all contain before. With only text and title it checks that the action
// is offered; a title written "!title" says that no such action is.
func actionMarker(m *mark) {
	off, ok := m.start(m.args[0])
	if !ok {
		return
	}
	title := m.args[1]
	actions, err := m.backend().codeActions(m.file.name, span{file: m.file.name, start: off, end: off})
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.title)
	}
	if absent, ok := strings.CutPrefix(title, "!"); ok {
		if slices.Contains(titles, absent) {
			m.errorf("the action %q is offered", absent)
		}
		return
	}
	i := slices.Index(titles, title)
	if i < 0 {
		m.errorf("no action %q; actions: %q", title, titles)
		return
	}
	if len(m.args) < 3 {
		return
	}
	checkApplied(m, actions[i], m.args[2], m.args[3:])
}

// fixAllMarker checks //@fixAll(substring...): the file has exactly one
// source.fixAll action; applied, the file has no syntax errors and
// contains each substring, which it did not all contain before.
func fixAllMarker(m *mark) {
	f := m.file
	actions, err := m.backend().codeActions(f.name, span{file: f.name, start: 0, end: len(f.text)}, analysis.ActionFixAll)
	if err != nil {
		m.errorf("%v", err)
		return
	}
	var all []codeAction
	for _, a := range actions {
		if a.kind == analysis.ActionFixAll {
			all = append(all, a)
		}
	}
	if len(all) != 1 {
		m.errorf("%d source.fixAll actions, want 1", len(all))
		return
	}
	checkApplied(m, all[0], f.name, m.args)
}

// checkApplied applies action a and checks the result: every file it
// touches parses, and file contains each of want (not all there before).
func checkApplied(m *mark, a codeAction, file string, want []string) {
	texts := map[string]string{}
	for _, c := range a.creates {
		if m.r.c.fileNamed(c) != nil {
			m.errorf("the action creates %s, which exists", c)
			return
		}
		texts[c] = ""
	}
	byFile := map[string][]edit{}
	for _, e := range a.edits {
		byFile[e.span.file] = append(byFile[e.span.file], e)
	}
	for name, edits := range byFile {
		text, created := texts[name]
		if !created {
			f := m.r.c.fileNamed(name)
			if f == nil {
				m.errorf("the action edits %s, which is not a file of the case", name)
				return
			}
			text = string(f.text)
		}
		slices.SortStableFunc(edits, func(a, b edit) int { return b.span.start - a.span.start })
		for _, e := range edits {
			if e.span.start < 0 || e.span.start > e.span.end || e.span.end > len(text) {
				m.errorf("the action edits %s, outside the text", m.r.pos(e.span))
				return
			}
			text = text[:e.span.start] + e.newText + text[e.span.end:]
		}
		texts[name] = text
	}
	for name, text := range texts {
		if !isManifest(name) {
			continue
		}
		if errs := json5.Parse([]byte(text)).Errors; len(errs) > 0 {
			m.errorf("after the action %s does not parse: %s\n%s", name, errs[0].Label, text)
		}
	}
	after, ok := texts[file]
	if !ok {
		m.errorf("the action does not change %s", file)
		return
	}
	before := ""
	if f := m.r.c.fileNamed(file); f != nil {
		before = string(f.text)
	}
	all := true
	for _, w := range want {
		all = all && strings.Contains(before, w)
		if !strings.Contains(after, w) {
			m.errorf("after the action %s does not contain %q:\n%s", file, w, after)
		}
	}
	if all && len(want) > 0 {
		m.errorf("%s contains %q before the action", file, want)
	}
}
