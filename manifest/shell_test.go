package manifest

import (
	"reflect"
	"testing"
)

// TestShellWords checks the shell splitting of entrypoint and args strings
// (manifest.md §6.3).
func TestShellWords(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"  # only a comment\n", nil, true},
		{"a b\tc\nd", []string{"a", "b", "c", "d"}, true},
		{`a"b c"d 'e f' g\ h`, []string{"ab cd", "e f", "g h"}, true},
		{`"x \$ \" \\ \n"`, []string{`x $ " \ \n`}, true},
		{"a#b #c\nd", []string{"a#b", "d"}, true},
		{"a\\\nb", []string{"ab"}, true},
		{"a\rb", []string{"a\rb"}, true},
		{`'open`, nil, false},
		{`"open`, nil, false},
		{`trailing\`, nil, false},
	} {
		got, ok := ShellWords(tt.in)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ShellWords(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
