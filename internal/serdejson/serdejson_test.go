package serdejson

import (
	"math"
	"testing"
)

func TestEncode(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"sorted keys at every depth", map[string]any{"b": 1, "a": map[string]any{"z": nil, "y": true}}, `{"a":{"y":true,"z":null},"b":1}`},
		{"ordered keeps order", Ordered{{Key: "z", Value: 1}, {Key: "a", Value: map[string]any{"d": 1, "c": 2}}}, `{"z":1,"a":{"c":2,"d":1}}`},
		{"serde string escapes", "q\"b\\\b\f\n\r\t\x01\x1f<>&\u2028\x7f", `"q\"b\\\b\f\n\r\t\u0001\u001f<>&` + "\u2028\x7f" + `"`},
		{"invalid utf-8", "a\xffb", "\"a\uFFFDb\""},
		{"integers", []any{int64(-3), 0, uint64(18446744073709551615)}, `[-3,0,18446744073709551615]`},
		{"floats", []any{1.0, 0.1, 1e21, 1.5e-7, 12340000000.0, 0.001234, -2.5, 1e16, 1e15, 123456789012345680.0}, `[1.0,0.1,1e21,1.5e-7,12340000000.0,0.001234,-2.5,1e16,1000000000000000.0,1.2345678901234568e17]`},
		{"negative zero and small floats", []any{math.Copysign(0, -1), 0.0, 1e-7, 0.0001, 1e-5}, `[-0.0,0.0,1e-7,0.0001,0.00001]`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), struct{}{}, []any{make(chan int)}} {
		if _, err := Encode(v); err == nil {
			t.Errorf("Encode(%#v) succeeded", v)
		}
	}
}
