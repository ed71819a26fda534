package analysis

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// The refactorings add members to objects of a manifest. What they insert
// is written the way the file already writes JSON5 (its style), and placed
// so that the file still parses: after the last member (with the comma the
// separator needs), on a line of its own in a multi-line object, or inline
// in a one-line object.

// style is how a manifest file writes JSON5, read from its text.
type style struct {
	quoteKeys bool   // keys are written quoted
	quote     byte   // the quote character of strings
	unit      string // one level of indentation
	trailing  bool   // the last member of a multi-line object ends with a comma
	eol       string // the line ending
}

// styleOf reads the style of a file. A `.json` file is strict JSON: quoted
// keys, double quotes and no trailing commas whatever its text shows.
func styleOf(text []byte, syn *json5.File, path string) style {
	st := style{quote: '"', unit: "  ", trailing: true, eol: "\n"}
	if bytes.Contains(text, []byte("\r\n")) {
		st.eol = "\r\n"
	}
	if unit := indentUnit(text); unit != "" {
		st.unit = unit
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		st.quoteKeys, st.trailing = true, false
		return st
	}
	if syn == nil || syn.Root() == nil {
		return st
	}
	quoted, bare, strings, commas, lasts := 0, 0, 0, 0, 0
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		switch n.Kind {
		case json5.String:
			if strings == 0 && n.Start < len(text) && text[n.Start] == '\'' {
				st.quote = '\''
			}
			strings++
		case json5.Object:
			for _, m := range n.Members {
				if m.Key.Quoted {
					quoted++
				} else {
					bare++
				}
				walk(m.Value)
			}
			if k := len(n.Members); k > 0 && n.Closed && multiline(text, n) {
				lasts++
				if n.Members[k-1].Comma >= 0 {
					commas++
				}
			}
		case json5.Array:
			for _, e := range n.Elems() {
				walk(e)
			}
		}
	}
	walk(syn.Root())
	st.quoteKeys = quoted > bare
	if lasts > 0 {
		st.trailing = commas*2 >= lasts
	}
	return st
}

// indentUnit returns the indentation of the first indented line: a tab, or
// the spaces before the first line that starts with some.
func indentUnit(text []byte) string {
	for line := range bytes.Lines(text) {
		n := 0
		for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
			n++
		}
		if n == 0 || n == len(line) || line[n] == '\n' || line[n] == '\r' {
			continue
		}
		if line[0] == '\t' {
			return "\t"
		}
		return string(line[:n])
	}
	return ""
}

// multiline reports whether object or array n spans more than one line.
func multiline(text []byte, n *json5.Node) bool {
	return bytes.IndexByte(text[n.Start:min(n.End, len(text))], '\n') >= 0
}

// key writes an object key.
func (st style) key(name string) string {
	if !st.quoteKeys && bareKey(name) {
		return name
	}
	return st.str(name)
}

// str writes a string literal.
func (st style) str(s string) string {
	q := string(st.quote)
	var b strings.Builder
	b.WriteString(q)
	for _, r := range s {
		switch {
		case r == '\\' || string(r) == q:
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
			b.WriteString(strconv.FormatInt(int64(r)&15, 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(q)
	return b.String()
}

// bareKey reports whether name can be written as an unquoted JSON5 key
// (an ASCII identifier, the only kind amber-lsp writes bare).
func bareKey(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// jsonValue is a value to write: a string, a raw literal, or an object of
// members in order.
type jsonValue struct {
	str     *string
	raw     string
	members []jsonMember
}

// jsonMember is one member of an object to write.
type jsonMember struct {
	key   string
	value jsonValue
}

func strValue(s string) jsonValue             { return jsonValue{str: &s} }
func objValue(ms ...jsonMember) jsonValue     { return jsonValue{members: ms} }
func member(k string, v jsonValue) jsonMember { return jsonMember{key: k, value: v} }

// nested reports whether v is an object holding an object: such objects
// are written one member a line, others on one line.
func (v jsonValue) nested() bool {
	for _, m := range v.members {
		if m.value.members != nil {
			return true
		}
	}
	return false
}

// write writes v; indent is the indentation of the line v starts on.
func (st style) write(v jsonValue, indent string) string {
	switch {
	case v.str != nil:
		return st.str(*v.str)
	case v.members == nil:
		return v.raw
	case len(v.members) == 0:
		return "{}"
	case !v.nested():
		parts := make([]string, len(v.members))
		for i, m := range v.members {
			parts[i] = st.key(m.key) + ": " + st.write(m.value, indent)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	var b strings.Builder
	b.WriteString("{")
	inner := indent + st.unit
	for i, m := range v.members {
		b.WriteString(st.eol + inner + st.key(m.key) + ": " + st.write(m.value, inner))
		if i < len(v.members)-1 || st.trailing {
			b.WriteString(",")
		}
	}
	b.WriteString(st.eol + indent + "}")
	return b.String()
}

// lineIndent returns the whitespace that starts the line holding off.
func lineIndent(text []byte, off int) string {
	start := bytes.LastIndexByte(text[:off], '\n') + 1
	end := start
	for end < len(text) && (text[end] == ' ' || text[end] == '\t') {
		end++
	}
	return string(text[start:end])
}

// insertMember returns the edits that add member m as the last member of
// object obj of a file with the given text and style. obj must be closed.
func (st style) insertMember(text []byte, obj *json5.Node, m jsonMember) []diag.Edit {
	if len(obj.Members) == 0 {
		inner := lineIndent(text, obj.Start) + st.unit
		body := st.key(m.key) + ": " + st.write(m.value, inner)
		if multiline(text, obj) {
			comma := ""
			if st.trailing {
				comma = ","
			}
			return []diag.Edit{{Span: diag.Span{Start: obj.Start + 1, End: obj.Start + 1}, NewText: st.eol + inner + body + comma}}
		}
		return []diag.Edit{{Span: diag.Span{Start: obj.Start + 1, End: obj.End - 1}, NewText: " " + body + " "}}
	}
	last := obj.Members[len(obj.Members)-1]
	after := last.Value.End
	if last.Comma >= 0 {
		after = last.Comma + 1
	}
	if !multiline(text, obj) {
		body := st.key(m.key) + ": " + st.write(m.value, lineIndent(text, obj.Start))
		if last.Comma >= 0 {
			return []diag.Edit{{Span: diag.Span{Start: after, End: after}, NewText: " " + body + ","}}
		}
		return []diag.Edit{{Span: diag.Span{Start: after, End: after}, NewText: ", " + body}}
	}
	indent := lineIndent(text, obj.Members[0].Key.Start)
	if !onOwnLine(text, obj.Members[0].Key.Start) {
		indent = lineIndent(text, obj.Start) + st.unit
	}
	body := st.key(m.key) + ": " + st.write(m.value, indent)
	sep, comma := "", ","
	if last.Comma < 0 {
		// The last member gets the comma it now needs; the new one ends
		// the object as it did.
		sep, comma = ",", ""
	}
	// After the last member's line when the rest of it is a comment or
	// blank (the comment stays with its member), else right after it.
	at := after
	if eol, ok := restIsTrivia(text, after); ok && eol < obj.End-1 {
		at = eol
	}
	if sep == "" || at == last.Value.End {
		return []diag.Edit{{Span: diag.Span{Start: at, End: at}, NewText: sep + st.eol + indent + body + comma}}
	}
	return []diag.Edit{
		{Span: diag.Span{Start: last.Value.End, End: last.Value.End}, NewText: sep},
		{Span: diag.Span{Start: at, End: at}, NewText: st.eol + indent + body + comma},
	}
}

// onOwnLine reports whether only whitespace comes before off on its line.
func onOwnLine(text []byte, off int) bool {
	start := bytes.LastIndexByte(text[:off], '\n') + 1
	return len(bytes.TrimLeft(text[start:off], " \t")) == 0
}

// restIsTrivia reports whether the rest of the line from off holds only
// whitespace and comments, and returns where the line ends (before its
// line break).
func restIsTrivia(text []byte, off int) (int, bool) {
	end := bytes.IndexByte(text[off:], '\n')
	if end < 0 {
		return 0, false
	}
	end += off
	lineEnd := end
	if lineEnd > off && text[lineEnd-1] == '\r' {
		lineEnd--
	}
	rest := bytes.TrimSpace(text[off:lineEnd])
	for len(rest) > 0 {
		switch {
		case bytes.HasPrefix(rest, []byte("//")):
			return lineEnd, true
		case bytes.HasPrefix(rest, []byte("/*")):
			close := bytes.Index(rest[2:], []byte("*/"))
			if close < 0 {
				return 0, false
			}
			rest = bytes.TrimSpace(rest[close+4:])
		default:
			return 0, false
		}
	}
	return lineEnd, true
}

// pathStep is one member on a path ensurePath makes exist: its name, and the
// members its object value starts with when it has to be created.
type pathStep struct {
	name  string
	extra []jsonMember
}

// ensurePath returns the edits that give object obj the members of path,
// each in the object value of the one before, the last with the value
// leaf: the members that exist are followed, and the first missing one is
// inserted with the rest of the path inside it. It returns nil when a
// member on the way is not a closed object, or when the whole path exists.
func (st style) ensurePath(text []byte, obj *json5.Node, path []pathStep, leaf jsonValue) []diag.Edit {
	for i, s := range path {
		if obj == nil || obj.Kind != json5.Object || !obj.Closed {
			return nil
		}
		m := obj.Member(s.name)
		if m == nil {
			v := leaf
			for j := len(path) - 1; j > i; j-- {
				v = objValue(append(slices.Clone(path[j-1].extra), member(path[j].name, v))...)
			}
			return st.insertMember(text, obj, member(s.name, v))
		}
		obj = m.Value
	}
	return nil
}
