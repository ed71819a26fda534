package json5

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestBadByteRunsAreOneError: a run of 20,000 NUL bytes, or of invalid
// UTF-8 bytes, anywhere in a file is one error, not one per byte (a file of
// 20,000 NUL bytes made 805 MB of text output).
func TestBadByteRunsAreOneError(t *testing.T) {
	nul := strings.Repeat("\x00", 20000)
	bad := strings.Repeat("\xff", 20000)
	tests := []struct {
		name, src string
		want      int // errors
	}{
		{"NULs after the root", `{ manifest_version: "0.3.0" }` + nul, 2}, // nul_byte, trailing_content
		{"NULs for a member", `{ manifest_version: "0.3.0", ` + nul + ` }`, 2},
		{"NULs in an array", `{ a: [1, ` + nul + `] }`, 2},
		{"NULs only", nul, 2},
		{"invalid bytes in a string", `{ a: "` + bad + `" }`, 1},
		{"invalid bytes in a comment", "// " + bad + "\n{}", 1},
	}
	for _, tt := range tests {
		f := Parse([]byte(tt.src))
		if len(f.Errors) != tt.want {
			t.Errorf("%s: %d errors, want %d: %.300v", tt.name, len(f.Errors), tt.want, f.Errors)
		}
	}
}

// TestMemberOfLargeObjects checks the member index of large objects: the
// first member of a repeated key is found, a missing key is not, and an
// edit that renames a key, reparsed incrementally, is seen.
func TestMemberOfLargeObjects(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range 40 {
		fmt.Fprintf(&b, "k%d: %d, ", i%20, i)
	}
	b.WriteString("}")
	f := Parse([]byte(b.String()))
	for _, key := range []string{"k0", "k7", "k19"} {
		m := f.Root().Member(key)
		if m == nil || m.Value.Text != key[1:] {
			t.Errorf("Member(%q) = %v, want the first member of that name", key, m)
		}
	}
	if m := f.Root().Member("k20"); m != nil {
		t.Errorf("Member(k20) = %v, want none", m)
	}
	at := strings.Index(b.String(), "k7:")
	g := Reparse(f, at, at+2, []byte("renamed"))
	if !g.reparsed {
		t.Fatal("the edit was not reparsed incrementally")
	}
	if g.Root().Member("renamed") == nil || g.Root().Member("k7").Value.Text != "27" {
		t.Errorf("after renaming the first k7: Member(renamed) = %v, Member(k7) = %v", g.Root().Member("renamed"), g.Root().Member("k7"))
	}
	if f.Root().Member("k7").Value.Text != "7" {
		t.Error("reparsing changed the index of the old tree")
	}
}

// TestNodeSize pins the size of a Node: a tree holds one per value (some
// 10,000 for a 10k-line document, 16,000 for the root of a 2,000-child
// manifest), all made on its first parse, and an edit copies every node it
// moves (Reparse), so every byte of a Node is paid again on each keystroke
// that shifts the text after it. What few nodes need lives in ext (an
// array's elements among it) or in the bytes after Kind.
func TestNodeSize(t *testing.T) {
	if got := unsafe.Sizeof(Node{}); got != 72 {
		t.Errorf("a Node takes %d bytes, want 72: the tree of a 10k-line document is ~10,000 nodes, copied when an edit moves them, so what few nodes need belongs in nodeExt", got)
	}
}
