package jsonschema

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// uniqueItemsKeyword checks `uniqueItems: true`.
func uniqueItemsKeyword(val, v any, ip, sp []string) []Error {
	a, ok := v.([]any)
	if on, _ := val.(bool); !ok || !on || !repeats(a) {
		return nil
	}
	return fail(ip, sp, Render(v)+" has non-unique elements")
}

// pairwiseUpTo is the length up to which repeats compares every pair.
const pairwiseUpTo = 32

// repeats reports whether two elements of a are equal. A short array has
// every pair compared; a longer one has each element written in a
// canonical form (members sorted, a number that is an integer written as
// one) and looked up among those before it, in time linear in its size.
// The two agree but for an integer above 2^53 that is not a float64 and
// a float64 it rounds to, which equal takes as equal and the canonical
// forms tell apart.
func repeats(a []any) bool {
	if len(a) <= pairwiseUpTo {
		for i := range a {
			for j := i + 1; j < len(a); j++ {
				if equal(a[i], a[j]) {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(a))
	var b []byte
	for _, e := range a {
		b = canonical(b[:0], e)
		if _, ok := seen[string(b)]; ok {
			return true
		}
		seen[string(b)] = struct{}{}
	}
	return false
}

// canonical appends v's canonical form to b: equal values (but for the
// integers of repeats) have one form, and different values different ones.
func canonical(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case bool:
		if x {
			return append(b, 't')
		}
		return append(b, 'f')
	case int64:
		b = append(b, 'i')
		return strconv.AppendInt(b, x, 10)
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			b = append(b, 'i')
			return strconv.AppendInt(b, int64(x), 10)
		}
		b = append(b, 'd')
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case string:
		return strconv.AppendQuote(append(b, 's'), x)
	case []any:
		b = append(b, '[')
		for _, e := range x {
			b = append(canonical(b, e), ',')
		}
		return append(b, ']')
	case map[string]any:
		b = append(b, '{')
		for _, k := range slices.Sorted(maps.Keys(x)) {
			b = strconv.AppendQuote(b, k)
			b = append(canonical(append(b, ':'), x[k]), ',')
		}
		return append(b, '}')
	}
	return fmt.Appendf(append(b, '?'), "%T:%v", v, v)
}

// itemsKeyword checks `items`: every element, or with `prefixItems` the
// elements after the prefix. `items: false` after a prefix reports the
// extra elements in one error.
func (e *evaluator) itemsKeyword(s map[string]any, val, v any, ip, sp []string) []Error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	start := 0
	if prefix, ok := s["prefixItems"].([]any); ok {
		start = len(prefix)
		if b, ok := val.(bool); ok && !b {
			if len(a) <= start {
				return nil
			}
			extra := make([]string, 0, len(a)-start)
			for _, x := range a[start:] {
				extra = append(extra, Render(x))
			}
			verb := "were"
			if len(extra) == 1 {
				verb = "was"
			}
			return e.report(fail(ip, sp, "Additional items are not allowed ("+strings.Join(extra, ", ")+" "+verb+" unexpected)"))
		}
	}
	var errs []Error
	for i := start; i < len(a); i++ {
		errs = append(errs, e.eval(val, a[i], e.push(ip, itoa(i)), sp)...)
		if e.stop(errs) {
			break
		}
	}
	return errs
}

// prefixItemsKeyword checks `prefixItems` element by element.
func (e *evaluator) prefixItemsKeyword(val, v any, ip, sp []string) []Error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	var errs []Error
	for i, sub := range asArray(val) {
		if i >= len(a) {
			break
		}
		errs = append(errs, e.eval(sub, a[i], e.push(ip, itoa(i)), e.push(sp, itoa(i)))...)
		if e.stop(errs) {
			break
		}
	}
	return errs
}

// containsKeyword checks `contains` with `minContains` (default 1) and
// `maxContains`.
func (e *evaluator) containsKeyword(s map[string]any, val, v any, ip, sp []string) []Error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	minimum, hasMin := limitOf(s["minContains"])
	if !hasMin {
		minimum = 1
	}
	maximum, hasMax := limitOf(s["maxContains"])
	var n int64
	for i, x := range a {
		if e.valid(val, x, e.push(ip, itoa(i)), sp) {
			n++
		}
	}
	if n < minimum {
		if n == 0 {
			return fail(ip, sp, "None of "+Render(v)+" are valid under the given schema")
		}
		return fail(ip, sp, Render(v)+" has less than "+strconv.FormatInt(minimum, 10)+" item"+
			plural(minimum, "", "s")+" valid under the given schema")
	}
	if hasMax && n > maximum {
		return fail(ip, sp, Render(v)+" has more than "+strconv.FormatInt(maximum, 10)+" item"+
			plural(maximum, "", "s")+" valid under the given schema")
	}
	return nil
}
