package diag

import (
	"reflect"
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
		``:             `""`,
		`a"b\c`:        `"a\"b\\c"`,
		"l\n\r\t\x00":  `"l\n\r\t\0"`,
		"\x01\x1f\x7f": `"\u{1}\u{1f}\u{7f}"`,
		"ünï 字":        `"ünï 字"`,
	} {
		if got := DebugQuote(in); got != want {
			t.Errorf("DebugQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
