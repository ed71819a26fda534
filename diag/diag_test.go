package diag

import (
	"reflect"
	"slices"
	"testing"
)

func TestDeny(t *testing.T) {
	mk := func() []Diagnostic {
		return []Diagnostic{
			{Code: "manifest::unused_slot", Severity: Warning, Help: "Remove it."},
			{Code: "manifest::unused_use", Severity: Warning},
			{Code: "manifest::json5_error", Severity: Error, Help: "keep"},
		}
	}
	tests := []struct {
		deny      []string
		severity  []Severity
		firstHelp string
	}{
		{nil, []Severity{Warning, Warning, Error}, "Remove it."},
		{[]string{"warnings"}, []Severity{Error, Error, Error},
			"warning treated as error because it was denied via `-D warnings`\nRemove it."},
		{[]string{"manifest::unused_slot"}, []Severity{Error, Warning, Error},
			"warning treated as error because it was denied via `-D manifest::unused_slot`\nRemove it."},
		{[]string{"manifest::unused_slot", "warnings"}, []Severity{Error, Error, Error},
			"warning treated as error because it was denied via `-D warnings`\nRemove it."},
	}
	for _, tt := range tests {
		ds := mk()
		Deny(ds, tt.deny)
		var got []Severity
		for _, d := range ds {
			got = append(got, d.Severity)
		}
		if !reflect.DeepEqual(got, tt.severity) {
			t.Errorf("Deny(%v) severities = %v, want %v", tt.deny, got, tt.severity)
		}
		if ds[0].Help != tt.firstHelp {
			t.Errorf("Deny(%v) help = %q, want %q", tt.deny, ds[0].Help, tt.firstHelp)
		}
		if ds[2].Help != "keep" || ds[2].Denied {
			t.Errorf("Deny(%v) changed an error: %+v", tt.deny, ds[2])
		}
	}
	ds := mk()
	Deny(ds[1:2], []string{"warnings"})
	if ds[1].Help != "warning treated as error because it was denied via `-D warnings`" {
		t.Errorf("help without original help = %q", ds[1].Help)
	}
}

func TestPrimary(t *testing.T) {
	d := Diagnostic{Labels: []Label{{File: "a", Span: Span{1, 2}}, {File: "b", Span: Span{3, 4}, Primary: true}}}
	if l, ok := d.Primary(); !ok || l.File != "b" {
		t.Errorf("Primary = %v, %v", l, ok)
	}
	if _, ok := (&Diagnostic{}).Primary(); ok {
		t.Error("Primary of a label-less diagnostic reported ok")
	}
}

func TestDebugQuote(t *testing.T) {
	for in, want := range map[string]string{
		``:              `""`,
		`a"b\c`:         `"a\"b\\c"`,
		"l\n\r\t\x00":   `"l\n\r\t\0"`,
		"\x01\x1f\x7f":  `"\u{1}\u{1f}\u{7f}"`,
		"ünï 字":         `"ünï 字"`,
		"'":             `"'"`,
		"\u00a0\u200b":  `"\u{a0}\u{200b}"`,
		"\u0301e\u0301": "\"\\u{301}e\u0301\"", // only a leading mark
	} {
		if got := DebugQuote(in); got != want {
			t.Errorf("DebugQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestDebugQuoteRune checks Rust's `{:?}` of a char: `'` is escaped and
// `"` is not, and a combining mark is escaped wherever it stands.
func TestDebugQuoteRune(t *testing.T) {
	for in, want := range map[rune]string{
		'v':   `'v'`,
		'é':   `'é'`,
		'\'':  `'\''`,
		'"':   `'"'`,
		'\\':  `'\\'`,
		'\n':  `'\n'`,
		0:     `'\0'`,
		0x7f:  `'\u{7f}'`,
		0x301: `'\u{301}'`,
		0xa0:  `'\u{a0}'`,
		'字':   `'字'`,
	} {
		if got := DebugQuoteRune(in); got != want {
			t.Errorf("DebugQuoteRune(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCapPerFile(t *testing.T) {
	const more Code = "amber_lsp::more"
	at := func(sev Severity, start int) Diagnostic {
		return Diagnostic{Code: "amber_lsp::x", Severity: sev, Labels: []Label{{File: "f", Span: Span{start, start + 1}, Primary: true}}}
	}
	tests := []struct {
		name    string
		ds      []Diagnostic
		max     int
		kept    []int // starts of the diagnostics kept, in order
		summary string
		where   int // start of the summary's label
	}{
		{"under the cap", []Diagnostic{at(Warning, 0), at(Error, 1)}, 2, []int{0, 1}, "", 0},
		{"the first ones among equals", []Diagnostic{at(Warning, 0), at(Warning, 1), at(Warning, 2)}, 2, []int{0, 1},
			"1 more diagnostics in this file are not shown (1 warning(s)); at most 2 are shown per file", 2},
		{"errors before warnings, in their order", []Diagnostic{at(Hint, 0), at(Warning, 1), at(Error, 2), at(Info, 3), at(Error, 4)}, 3, []int{1, 2, 4},
			"2 more diagnostics in this file are not shown (1 info(s), 1 hint(s)); at most 3 are shown per file", 0},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.ds)
		got := CapPerFile(tt.ds, tt.max, more)
		if !reflect.DeepEqual(in, tt.ds) {
			t.Errorf("%s: the input was modified", tt.name)
		}
		var kept []int
		for _, d := range got {
			if d.Code != more {
				kept = append(kept, d.Labels[0].Span.Start)
			}
		}
		if !reflect.DeepEqual(kept, tt.kept) {
			t.Errorf("%s: kept %v, want %v", tt.name, kept, tt.kept)
		}
		last := got[len(got)-1]
		if tt.summary == "" {
			if last.Code == more {
				t.Errorf("%s: a summary under the cap", tt.name)
			}
			continue
		}
		if last.Code != more || last.Severity != Info || last.Message != tt.summary || last.Labels[0].Span.Start != tt.where || last.Labels[0].File != "f" {
			t.Errorf("%s: summary %v %q at %v, want info %q at %d", tt.name, last.Severity, last.Message, last.Labels, tt.summary, tt.where)
		}
		if len(got) != tt.max+1 {
			t.Errorf("%s: %d diagnostics, want %d", tt.name, len(got), tt.max+1)
		}
	}
	byFile := map[string][]Diagnostic{"a": make([]Diagnostic, 5), "b": make([]Diagnostic, 2)}
	CapFiles(byFile, 3, more)
	if len(byFile["a"]) != 4 || len(byFile["b"]) != 2 {
		t.Errorf("CapFiles: %d and %d diagnostics, want 4 and 2", len(byFile["a"]), len(byFile["b"]))
	}
}

func TestBudget(t *testing.T) {
	var b Budget
	if _, ok := b.Summary("amber_lsp::more", "f"); ok {
		t.Error("a summary of nothing")
	}
	for i := range MaxPerFile {
		if !b.Allow(Warning) {
			t.Fatalf("diagnostic %d refused", i)
		}
	}
	if b.Allow(Error) || b.Allow(Warning) || b.Allow(Warning) {
		t.Error("a diagnostic allowed past MaxPerFile")
	}
	s, ok := b.Summary("amber_lsp::more", "f")
	if !ok || s.Omitted == nil || *s.Omitted != (Counts{Error: 1, Warning: 2}) || s.Labels[0].File != "f" || s.Severity != Info {
		t.Errorf("summary %+v, want an info at f omitting 1 error and 2 warnings", s)
	}
}

// TestCapPerFileMergesSummaries: summaries from budgets, and what the cap
// leaves out itself, become one summary.
func TestCapPerFileMergesSummaries(t *testing.T) {
	const more Code = "amber_lsp::more"
	at := func(sev Severity, start int) Diagnostic {
		return Diagnostic{Code: "amber_lsp::x", Severity: sev, Labels: []Label{{File: "f", Span: Span{start, start + 1}, Primary: true}}}
	}
	parse := summary(more, Counts{Error: 10}, Label{File: "f"}, MaxPerFile)
	lints := summary(more, Counts{Warning: 20}, Label{File: "f", Span: Span{5, 5}}, MaxPerFile)
	one := []Diagnostic{at(Error, 1), parse}
	if got := CapPerFile(one, 2, more); len(got) != 2 || got[1].Omitted != parse.Omitted {
		t.Errorf("one summary under the cap was changed: %v", got)
	}
	got := CapPerFile([]Diagnostic{at(Warning, 1), parse, at(Warning, 2), lints, at(Warning, 3)}, 2, more)
	if len(got) != 3 || got[0].Labels[0].Span.Start != 1 || got[1].Labels[0].Span.Start != 2 {
		t.Fatalf("kept %v, want the warnings at 1 and 2 and a summary", got)
	}
	s := got[2]
	if *s.Omitted != (Counts{Error: 10, Warning: 21}) || s.Labels[0].Span.Start != 3 ||
		s.Message != "31 more diagnostics in this file are not shown (10 error(s), 21 warning(s)); at most 2 are shown per file" {
		t.Errorf("summary %q at %v omitting %v", s.Message, s.Labels, *s.Omitted)
	}
}
