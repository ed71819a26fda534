package visitset

import "testing"

// TestWith: chains of the same keys in the same order have one ID, any
// other chain another.
func TestWith(t *testing.T) {
	var s Sets[string]
	ab := s.With(s.With(Empty, "a"), "b")
	a := s.With(Empty, "a")
	tests := []struct {
		name      string
		got, want ID
		same      bool
	}{
		{"a then b, twice", s.With(s.With(Empty, "a"), "b"), ab, true},
		{"a, twice", s.With(Empty, "a"), a, true},
		{"b then a, a then b", s.With(s.With(Empty, "b"), "a"), ab, false},
		{"a then b, a", ab, a, false},
		{"a then b then c, a then b", s.With(ab, "c"), ab, false},
		{"a then a, a", s.With(a, "a"), a, false},
		{"empty, a", Empty, a, false},
	}
	for _, tt := range tests {
		if (tt.got == tt.want) != tt.same {
			t.Errorf("%s: IDs %d and %d, same = %v", tt.name, tt.got, tt.want, tt.same)
		}
	}
}
