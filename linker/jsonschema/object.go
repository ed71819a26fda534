package jsonschema

import (
	"maps"
	"slices"
	"strings"
)

// requiredKeyword checks `required`, in the array's order.
func requiredKeyword(val, v any, ip, sp []string) []Error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var errs []Error
	for _, r := range asArray(val) {
		name, ok := r.(string)
		if !ok {
			continue
		}
		if _, present := m[name]; !present {
			errs = append(errs, Error{InstancePath: ip, SchemaPath: sp, Message: Render(name) + " is a required property"})
		}
	}
	return errs
}

// propertiesKeyword checks `properties` on its own (additionalProperties
// absent or true): the schema's properties in key order.
func (e *evaluator) propertiesKeyword(val, v any, ip, sp []string) []Error {
	m, ok := v.(map[string]any)
	props, pok := val.(map[string]any)
	if !ok || !pok {
		return nil
	}
	var errs []Error
	var buf [16]string
	for _, k := range e.keys(props, buf[:0]) {
		if x, present := m[k]; present {
			errs = append(errs, e.eval(props[k], x, e.push(ip, k), e.push(sp, k))...)
			if e.stop(errs) {
				break
			}
		}
	}
	return errs
}

// patterns returns the patterns of a patternProperties value in key order,
// or the error for the first one Amber rejects.
func (e *evaluator) patterns(val any, ip, sp []string) ([]string, []Error) {
	pp, ok := val.(map[string]any)
	if !ok {
		return nil, nil
	}
	keys := slices.Sorted(maps.Keys(pp))
	for _, k := range keys {
		if _, err := e.compile(k); err != nil {
			return nil, invalidPattern(ip, e.push(sp, k), k, err)
		}
	}
	return keys, nil
}

// patternPropertiesKeyword checks `patternProperties` on its own: for each
// pattern, the matching members in key order.
func (e *evaluator) patternPropertiesKeyword(val, v any, ip, sp []string) []Error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	keys, bad := e.patterns(val, ip, sp)
	if bad != nil {
		return e.report(bad)
	}
	pp := val.(map[string]any)
	var errs []Error
	for _, p := range keys {
		re, _ := e.compile(p)
		if re == nil { // Go cannot run it: not checked
			continue
		}
		var buf [16]string
		for _, k := range e.keys(m, buf[:0]) {
			if re.MatchString(k) {
				errs = append(errs, e.eval(pp[p], m[k], e.push(ip, k), e.push(sp, p))...)
				if e.stop(errs) {
					return errs
				}
			}
		}
	}
	return errs
}

// additionalPropertiesKeyword checks `additionalProperties` together with
// `properties` and `patternProperties`, walking the instance's members in
// key order: declared members against their schemas, then matching
// patterns; the others against the additional schema, or, for false,
// collected into one error after everything else.
func (e *evaluator) additionalPropertiesKeyword(s map[string]any, val, v any, ip, sp []string) []Error {
	if !handledByAdditional(s) {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	props, _ := s["properties"].(map[string]any)
	pp, _ := s["patternProperties"].(map[string]any)
	keys, bad := e.patterns(pp, ip, e.push(sp, "patternProperties"))
	if bad != nil {
		return e.report(bad)
	}
	apSP := e.push(sp, "additionalProperties")
	var errs []Error
	var unexpected []string
	var buf [16]string
	for _, k := range e.keys(m, buf[:0]) {
		if e.stop(errs) {
			return errs
		}
		x := m[k]
		matched := false
		if sub, declared := props[k]; declared {
			matched = true
			errs = append(errs, e.eval(sub, x, e.push(ip, k), e.push(sp, "properties", k))...)
		}
		for _, p := range keys {
			re, _ := e.compile(p)
			if re == nil { // Go cannot run it: k may match, and is not checked
				matched = true
				continue
			}
			if re.MatchString(k) {
				matched = true
				errs = append(errs, e.eval(pp[p], x, e.push(ip, k), e.push(sp, "patternProperties", p))...)
			}
		}
		if matched {
			continue
		}
		if b, isBool := val.(bool); isBool && !b {
			unexpected = append(unexpected, k)
			continue
		}
		errs = append(errs, e.eval(val, x, e.push(ip, k), apSP)...)
	}
	if len(unexpected) > 0 {
		quoted := make([]string, len(unexpected))
		for i, k := range unexpected {
			quoted[i] = "'" + k + "'"
		}
		verb := "were"
		if len(unexpected) == 1 {
			verb = "was"
		}
		errs = append(errs, e.report([]Error{{InstancePath: ip, SchemaPath: apSP,
			Message: "Additional properties are not allowed (" + strings.Join(quoted, ", ") + " " + verb + " unexpected)"}})...)
	}
	return errs
}

// propertyNamesKeyword checks every member name against a schema; the
// errors keep the messages of the name's own failures, at the object.
func (e *evaluator) propertyNamesKeyword(val, v any, ip, sp []string) []Error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var errs []Error
	var buf [16]string
	for _, k := range e.keys(m, buf[:0]) {
		for _, err := range e.eval(val, k, ip, sp) {
			err.InstancePath = ip
			errs = append(errs, err)
		}
		if e.stop(errs) {
			break
		}
	}
	return errs
}
