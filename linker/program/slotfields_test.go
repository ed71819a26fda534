package program

import "testing"

// TestSlotFieldMessages: the message names the first segment below the
// slot that does not descend, as a field when it is the last one and as
// the rest of the path otherwise (a URL has nothing below it).
func TestSlotFieldMessages(t *testing.T) {
	for _, tt := range []struct{ query, want string }{
		{"api", ""},
		{"api.url", ""},
		{"api.host", `unknown slot field "host"`},
		{"api.x.y", `unknown slot path "x.y"`},
		{"api.url.host", `unknown slot field "host"`},
		{"api.url.a.b", `unknown slot path "a.b"`},
	} {
		p := slotTable{"api": {Kind: "http"}}.checkSlotsRef(tt.query, "/")
		got := ""
		if p != nil {
			got = p.message
		}
		if got != tt.want {
			t.Errorf("${slots.%s}: got %q, want %q", tt.query, got, tt.want)
		}
	}
}
