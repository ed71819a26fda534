package json5

import (
	"reflect"
	"testing"
)

// TestComments: every comment is found with its range and kind; comment
// markers inside strings are not comments.
func TestComments(t *testing.T) {
	src := "// head\n{a: '// not', /* b */ b: \"/* not */\", // tail\r\n c: 1} /* open"
	got := Parse([]byte(src)).Comments()
	want := []Comment{
		{Start: 0, End: 7},
		{Start: 22, End: 29, Block: true},
		{Start: 46, End: 53},
		{Start: 62, End: 69, Block: true, Unclosed: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("comments %+v, want %+v", got, want)
	}
	for _, c := range got {
		if src[c.Start:c.Start+2] != "//" && src[c.Start:c.Start+2] != "/*" {
			t.Errorf("comment %+v does not start with a comment marker: %q", c, src[c.Start:c.End])
		}
	}
	if got := Parse([]byte("{}")).Comments(); got != nil {
		t.Errorf("comments of a text without any: %+v", got)
	}
}
