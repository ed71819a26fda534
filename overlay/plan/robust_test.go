package plan

import (
	"errors"
	"testing"
)

// TestDecodeEveryPrefix decodes every proper prefix of a real plan: each is
// an error (never a panic) with a position inside the body.
func TestDecodeEveryPrefix(t *testing.T) {
	body := []byte(redactionPlan)
	for n := 0; n < len(body); n++ {
		if len(body[n:]) > 0 && isSpace(string(body[n:])) {
			continue // only white space is missing: still a plan
		}
		_, err := Decode(body[:n])
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("prefix %d: Decode = %v", n, err)
		}
		if de.Offset < 0 || de.Offset > n {
			t.Fatalf("prefix %d: offset %d outside the body", n, de.Offset)
		}
	}
	if _, err := Decode(body); err != nil {
		t.Fatal(err)
	}
}

func isSpace(s string) bool {
	for _, c := range s {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// FuzzDecode checks that no input panics Decode, Validate or Rewrite and that
// errors stay inside the body; `go test -fuzz FuzzDecode` explores further.
func FuzzDecode(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.body))
	}
	f.Add([]byte(redactionPlan))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := Decode(body)
		if err == nil {
			if string(p.Raw) != string(body) {
				t.Fatal("Raw differs from the body")
			}
			// Whatever decodes must validate and rewrite without panicking.
			s := redactionScenario()
			sc := redactionScope(s)
			if Validate(p, sc) == nil {
				_, _ = Rewrite(s, []Application{{Scope: sc, Plan: p}})
			}
			return
		}
		var de *DecodeError
		if !errors.As(err, &de) || de.Offset < 0 || de.Offset > len(body) || de.Line < 1 {
			t.Fatalf("Decode(%q) = %#v", body, err)
		}
		_ = de.Message("/o", "/")
	})
}

// BenchmarkDecode decodes a plan of about 1 MiB, the largest body Amber
// accepts.
func BenchmarkDecode(b *testing.B) {
	one := passthrough("http", 0)
	one = one[len(`{"interpositions":[`) : len(one)-2]
	var body []byte
	body = append(body, `{"interpositions":[`...)
	for len(body) < 1<<20-len(one)-3 {
		if len(body) > len(`{"interpositions":[`) {
			body = append(body, ',')
		}
		body = append(body, one...)
	}
	body = append(body, "]}"...)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}
