package json5

import (
	"testing"
	"unsafe"
)

// TestParseSharedStrings checks what each parse's strings are cut from:
// ParseShared's from the text it was given, Parse's from a copy, so that
// a caller of Parse may reuse its buffer, and both give the same tree.
func TestParseSharedStrings(t *testing.T) {
	src := []byte(`{name: "plain value", "quoted key": 'x', list: ["a", 1]}`)
	within := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
		return p >= lo && p < lo+uintptr(len(src))
	}
	for _, tc := range []struct {
		name   string
		parse  func([]byte) *File
		shared bool
	}{
		{"Parse", Parse, false},
		{"ParseShared", ParseShared, true},
	} {
		f := tc.parse(src)
		if len(f.Errors) > 0 {
			t.Fatalf("%s: errors %v", tc.name, f.Errors)
		}
		name := f.Root().Member("name")
		if name == nil || name.Value.Text != "plain value" {
			t.Fatalf("%s: member name = %+v, want the string \"plain value\"", tc.name, name)
		}
		for _, s := range []string{name.Key.Name, name.Value.Text, f.Root().Member("quoted key").Key.Name} {
			if within(s) != tc.shared {
				t.Errorf("%s: %q is cut from the text given: %v, want %v", tc.name, s, within(s), tc.shared)
			}
		}
	}
}
