package jsonschema

import (
	"strconv"
	"strings"
)

// uniqueItemsKeyword checks `uniqueItems: true`.
func uniqueItemsKeyword(val, v any, ip, sp []string) []Error {
	a, ok := v.([]any)
	if on, _ := val.(bool); !ok || !on {
		return nil
	}
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			if equal(a[i], a[j]) {
				return fail(ip, sp, Render(v)+" has non-unique elements")
			}
		}
	}
	return nil
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
