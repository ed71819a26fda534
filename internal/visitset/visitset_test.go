package visitset

import "testing"

// TestWith: sets built in any order from the same keys have one ID, other
// sets another, and adding a member again changes nothing.
func TestWith(t *testing.T) {
	var s Sets[string]
	ab := s.With(s.With(Empty, "a"), "b")
	ba := s.With(s.With(Empty, "b"), "a")
	a := s.With(Empty, "a")
	tests := []struct {
		name       string
		got, want  ID
		same       bool
		wantLength int
	}{
		{"a then b, b then a", ab, ba, true, 2},
		{"a again", s.With(a, "a"), a, true, 1},
		{"ab and a", ab, a, false, 2},
		{"abc and ab", s.With(ab, "c"), ab, false, 3},
		{"cab and abc", s.With(s.With(s.With(Empty, "c"), "a"), "b"), s.With(ab, "c"), true, 3},
		{"empty", Empty, a, false, 0},
	}
	for _, tt := range tests {
		if (tt.got == tt.want) != tt.same {
			t.Errorf("%s: IDs %d and %d, same = %v", tt.name, tt.got, tt.want, tt.same)
		}
		if n := s.Len(tt.got); n != tt.wantLength {
			t.Errorf("%s: Len = %d, want %d", tt.name, n, tt.wantLength)
		}
	}
}
