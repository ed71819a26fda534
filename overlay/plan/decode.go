package plan

import (
	"errors"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// Decode reads a helper's response body as an interposition plan
// (overlays.md §9): exactly one JSON value, nothing but white space after
// it, every object strict (unknown and repeated keys rejected, required keys
// present), names without dots, capability kinds known, and the interposer
// program in the lowered form with its structural rules. The first problem is
// returned as a *DecodeError; its Message gives Amber's text.
//
// Positions follow serde_json: syntax errors exactly as serde_json reports
// them; shape errors where serde_json stops reading: just past a scalar of
// the wrong type or at the opening bracket of a container of the wrong type,
// just past the key (and the white space after it) for unknown or repeated
// keys and bad names, just past the closing brace for missing fields, just
// past the value (and its white space) for values checked after reading
// (attachment names, resource params, capability kinds of resources), and
// just past the whole declaration for slot and provide declarations and past
// the program (and its white space) for programs, which Amber buffers before
// decoding; paths then end at the declaration or at `program`.
func Decode(body []byte) (*Plan, error) {
	d := &decoder{reader: reader{data: body, remaining: recursionLimit}}
	p, err := d.plan()
	if err == nil {
		if _, more := d.ws(); more {
			err = d.peekErr(errTrailing)
		}
	}
	if err != nil {
		return nil, d.decodeError(err)
	}
	p.Raw = body
	return p, nil
}

// decoder decodes the typed plan on top of the reader, tracking the path of
// the value being read.
type decoder struct {
	reader
	path []string // keys, and indexes as "[i]"
}

// shapeError is valid JSON of the wrong shape.
type shapeError struct {
	detail string
	path   string
	at     int
}

func (e *shapeError) Error() string { return e.detail }

func (d *decoder) decodeError(err error) *DecodeError {
	e := &DecodeError{Body: d.data}
	var se *syntaxError
	var sh *shapeError
	switch {
	case errors.As(err, &se):
		e.Syntax, e.Detail, e.Offset = true, se.text, se.at
	case errors.As(err, &sh):
		e.Detail, e.Path, e.Offset = sh.detail, sh.path, sh.at
	default:
		e.Syntax, e.Detail, e.Offset = true, err.Error(), d.pos
	}
	e.Line, e.Column = position(d.data, e.Offset)
	return e
}

func (d *decoder) push(seg string) { d.path = append(d.path, seg) }
func (d *decoder) pop()            { d.path = d.path[:len(d.path)-1] }

// pathString renders path segments as Amber does: keys joined by `.`,
// indexes appended as `[i]`, `.` for the root.
func pathString(segs []string) string {
	if len(segs) == 0 {
		return "."
	}
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// shape returns a shape error at offset at for the current path.
func (d *decoder) shape(detail string, at int) error {
	return &shapeError{detail, pathString(d.path), at}
}

// shapeKey returns a shape error about a key of the object being read: the
// path ends with the key.
func (d *decoder) shapeKey(detail, key string, at int) error {
	return &shapeError{detail, pathString(append(d.path[:len(d.path):len(d.path)], key)), at}
}

// late returns a shape error for a value that was read completely and
// rejected afterwards: serde_json places it after the white space that
// follows the value.
func (d *decoder) late(detail string) error { return d.shape(detail, d.afterWS()) }

// invalidType reports the value at the current position as not being what
// was expected.
func (d *decoder) invalidType(expected string) error {
	what, err := d.unexpected()
	if err != nil {
		return err
	}
	return d.shape("invalid type: "+what+", expected "+expected, d.pos)
}

// object decodes a struct-like object the way serde's derived
// deserialize_struct with deny_unknown_fields does: field is called for each
// member in order with the reader at its value and the key on the path.
// Missing fields are the caller's to report, right after object returns.
func (d *decoder) object(what string, fields []string, field func(key string) error) error {
	seen := map[string]bool{}
	return d.members("struct "+what, func(key string) error {
		if !contains(fields, key) {
			return d.shapeKey(unknownField(key, fields), key, d.afterWS())
		}
		if seen[key] {
			return d.shape("duplicate field `"+key+"`", d.afterWS())
		}
		seen[key] = true
		return nil
	}, field)
}

// members reads a JSON object whose type is named what (for type errors):
// for each member, check vets the key (an error stops decoding there), then
// value reads the value with the key on the path.
func (d *decoder) members(what string, check, value func(key string) error) error {
	c, ok := d.ws()
	if !ok {
		return d.peekErr(errEOFValue)
	}
	if c != '{' {
		return d.invalidType(what)
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	for first := true; ; first = false {
		more, err := d.nextKey(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		d.pos++
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := check(key); err != nil {
			return err
		}
		if err := d.colon(); err != nil {
			return err
		}
		d.push(key)
		err = value(key)
		d.pop()
		if err != nil {
			return err
		}
	}
	d.pos++
	d.leave()
	return nil
}

// missing reports the first of required that seen lacks, at the current
// position (just past the object's closing brace).
func (d *decoder) missing(seen map[string]bool, required ...string) error {
	for _, f := range required {
		if !seen[f] {
			return d.shape("missing field `"+f+"`", d.pos)
		}
	}
	return nil
}

// nameMap decodes a map from names to values (a BTreeMap of names): keys
// must not contain dots; entry reads each value with the key on the path.
// A repeated key keeps its last value.
func (d *decoder) nameMap(kind string, entry func(key string) error) error {
	return d.members("a map", func(key string) error {
		if msg := nameProblem(kind, key); msg != "" {
			return d.shapeKey(msg, key, d.afterWS())
		}
		return nil
	}, entry)
}

// seq decodes an array; elem reads each element with its index on the path.
func (d *decoder) seq(elem func(i int) error) error {
	c, ok := d.ws()
	if !ok {
		return d.peekErr(errEOFValue)
	}
	if c != '[' {
		return d.invalidType("a sequence")
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	for i := 0; ; i++ {
		more, err := d.nextElement(i == 0)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		d.push("[" + strconv.Itoa(i) + "]")
		err = elem(i)
		d.pop()
		if err != nil {
			return err
		}
	}
	d.pos++
	d.leave()
	return nil
}

// string reads a string value.
func (d *decoder) string() (string, error) {
	c, ok := d.ws()
	if !ok {
		return "", d.peekErr(errEOFValue)
	}
	if c != '"' {
		return "", d.invalidType("a string")
	}
	d.pos++
	return d.str()
}

// name reads a string that names a slot or provide (kind).
func (d *decoder) name(kind string) (string, error) {
	s, err := d.string()
	if err != nil {
		return "", err
	}
	if msg := nameProblem(kind, s); msg != "" {
		return "", d.late(msg)
	}
	return s, nil
}

// u64 reads a non-negative integer.
func (d *decoder) u64() (uint64, error) {
	c, ok := d.ws()
	if !ok {
		return 0, d.peekErr(errEOFValue)
	}
	if c != '-' && (c < '0' || c > '9') {
		return 0, d.invalidType("u64")
	}
	n, err := d.number()
	if err != nil {
		return 0, err
	}
	switch v := n.(type) {
	case uint64:
		return v, nil
	case int64:
		return 0, d.shape("invalid value: integer `"+strconv.FormatInt(v, 10)+"`, expected u64", d.pos)
	}
	return 0, d.shape("invalid type: "+describe(&node{kind: numberNode, num: n})+", expected u64", d.pos)
}

// json reads free JSON (config, config_schema, metadata); null is nil.
func (d *decoder) json() (any, error) {
	n, err := d.value()
	if err != nil {
		return nil, err
	}
	return n.toAny(), nil
}

// buffered reads a whole object that Amber buffers before decoding it
// (flattened declarations): a value that is not an object is an invalid
// type like any other.
func (d *decoder) buffered(what string) (*node, error) {
	c, ok := d.ws()
	if !ok {
		return nil, d.peekErr(errEOFValue)
	}
	if c != '{' {
		return nil, d.invalidType("struct " + what)
	}
	return d.value()
}

// nameProblem returns Amber's error for a slot, provide or resource name
// (kind), or "".
func nameProblem(kind, name string) string {
	if strings.Contains(name, ".") {
		return "invalid " + kind + " name `" + name + "`: dots are reserved"
	}
	return ""
}

// unknownField words serde's unknown-field error.
func unknownField(key string, fields []string) string {
	return "unknown field `" + key + "`, " + expectedOneOf(fields)
}

// expectedOneOf words serde's list of what was expected.
func expectedOneOf(names []string) string {
	switch len(names) {
	case 0:
		return "there are no fields"
	case 1:
		return "expected `" + names[0] + "`"
	case 2:
		return "expected `" + names[0] + "` or `" + names[1] + "`"
	}
	return "expected one of `" + strings.Join(names, "`, `") + "`"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unknownVariant words serde's unknown enum variant error.
func unknownVariant(v string, variants []string) string {
	return "unknown variant `" + v + "`, " + expectedOneOf(variants)
}

// kindProblem checks a capability kind value.
func kindProblem(n *node) string {
	if n.kind != stringNode {
		return "invalid type: " + describe(n) + ", expected a capability kind"
	}
	if !scenario.IsKind(n.str) {
		return unknownVariant(n.str, scenario.Kinds)
	}
	return ""
}
