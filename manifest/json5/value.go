package json5

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// IsInteger reports whether a Number node is written as an integer: Amber
// treats values with `.`, `e` or `E` (outside hex digits) as floats.
func (n *Node) IsInteger() bool {
	if n == nil || n.Kind != Number {
		return false
	}
	body := strings.TrimLeft(n.Text, "+-")
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		return true
	}
	return body != "Infinity" && body != "NaN" && !strings.ContainsAny(body, ".eE")
}

// Int returns the value of an integer Number node that fits in an int64.
func (n *Node) Int() (int64, bool) {
	if !n.IsInteger() {
		return 0, false
	}
	neg := strings.HasPrefix(n.Text, "-")
	body := strings.TrimLeft(n.Text, "+-")
	base := 10
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		body, base = body[2:], 16
	}
	if i, err := strconv.ParseInt(body, base, 64); err == nil {
		if neg {
			i = -i
		}
		return i, true // the common case, without a big.Int
	}
	v, ok := new(big.Int).SetString(body, base)
	if !ok {
		return 0, false
	}
	if neg {
		v.Neg(v)
	}
	if !v.IsInt64() {
		return 0, false
	}
	return v.Int64(), true
}

// Uint returns the value of an integer Number node without a minus sign
// that fits in a uint64: Amber's JSON5 reader keeps such a number as an
// unsigned integer, also above the int64 range.
func (n *Node) Uint() (uint64, bool) {
	if !n.IsInteger() || strings.HasPrefix(n.Text, "-") {
		return 0, false
	}
	body := strings.TrimPrefix(n.Text, "+")
	base := 10
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		body, base = body[2:], 16
	}
	u, err := strconv.ParseUint(body, base, 64)
	return u, err == nil
}

// Float returns the value of a Number node as a float64 (±Inf and NaN
// included).
func (n *Node) Float() (float64, bool) {
	if n == nil || n.Kind != Number {
		return 0, false
	}
	neg := strings.HasPrefix(n.Text, "-")
	body := strings.TrimLeft(n.Text, "+-")
	var f float64
	switch {
	case body == "Infinity":
		f = math.Inf(1)
	case body == "NaN":
		f = math.NaN()
	case strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X"):
		v, ok := new(big.Int).SetString(body[2:], 16)
		if !ok {
			return 0, false
		}
		f, _ = new(big.Float).SetInt(v).Float64()
	default:
		var err error
		f, err = strconv.ParseFloat(body, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
	}
	if neg {
		f = -f
	}
	return f, true
}

// Value converts the node to the Go values encoding/json produces:
// map[string]any (the last of repeated keys wins), []any, string, bool, nil,
// int64 for integers that fit and float64 otherwise. NaN and ±Infinity
// become nil, as Amber stores them. Invalid nodes become nil.
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			m[mem.Key.Name] = mem.Value.Value()
		}
		return m
	case Array:
		es := n.Elems()
		a := make([]any, len(es))
		for i, e := range es {
			a[i] = e.Value()
		}
		return a
	case String:
		return n.Text
	case Bool:
		return n.Text == "true"
	case Number:
		if i, ok := n.Int(); ok {
			return i
		}
		if f, ok := n.Float(); ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return nil
}

// FirstInvalid returns the first Invalid node in the subtree, or nil.
func (n *Node) FirstInvalid() *Node {
	switch n.Kind {
	case Invalid:
		return n
	case Object:
		for _, m := range n.Members {
			if bad := m.Value.FirstInvalid(); bad != nil {
				return bad
			}
		}
	case Array:
		for _, e := range n.Elems() {
			if bad := e.FirstInvalid(); bad != nil {
				return bad
			}
		}
	}
	return nil
}

// Print reproduces the parsed text byte for byte from its tokens and the
// trivia between them (the text is tokenised again: the tree keeps byte
// ranges, not tokens).
func (f *File) Print() []byte {
	if len(f.Src) > maxInput {
		return bytes.Clone(f.Src)
	}
	var b bytes.Buffer
	b.Grow(len(f.Src))
	sc := scanAll(string(f.Src), 0, nil)
	prev := 0
	for _, t := range sc.toks {
		b.Write(f.Src[prev:t.end])
		prev = int(t.end)
	}
	return b.Bytes()
}
