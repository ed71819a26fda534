// Package json5 is a lossless, fault-tolerant JSON5 parser.
//
// Parse never fails: it returns a File whose tree covers every value it could
// recognise, plus the syntax errors it met, each with Amber's label text and
// position. Comments and whitespace are kept as trivia, so File.Print
// reproduces the input byte for byte. Every node knows its byte range.
package json5

import (
	"strconv"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// Kind is the kind of a JSON5 value node.
type Kind uint8

// Node kinds.
const (
	Invalid Kind = iota // a value that could not be parsed, or is missing
	Object
	Array
	String
	Number
	Bool
	Null
)

var kindNames = [...]string{"invalid", "object", "array", "string", "number", "boolean", "null"}

// String returns the kind as Amber names it in "expected X, found Y" messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is a JSON5 value.
type Node struct {
	Kind   Kind // Invalid for a value that could not be parsed or is missing
	Closed bool // Object/Array: the closing bracket is present
	// found and detail, on an Invalid node, are what Found and Detail
	// return, as indexes into foundNames and detailNames: a few fixed
	// words, kept in bytes that Kind and Closed leave free.
	found  uint8
	detail uint8
	// head is set on the node at the top of a subtree that Reparse copied
	// into chunks of its own: every node below it shares its chunks, so
	// an edit inside it copies it whole rather than share what lies below
	// (see Reparse). It does not take part in the tree's meaning.
	head bool
	// Start and End delimit the value's text: strings include their quotes,
	// objects and arrays run from the opening bracket to just after the closing
	// one (or to the end of what was parsed when the closer is missing). No
	// surrounding whitespace or comments.
	Start, End int

	Members []*Member // Object members in source order; see Elems for an array's elements

	// Text is the decoded value of a String, and the raw source text of a
	// Number, Bool, Null or Invalid node.
	Text string

	// ext holds what few nodes need: the offset map of a string with
	// escapes, the member index of a large object, the elements of an
	// array. (A pointer keeps Node at 72 bytes: most nodes are scalars,
	// and arrays are rare beside objects.) It is nil on a node that needs
	// none of them, and never modified once the node is built.
	ext *nodeExt
}

// Elems returns an array's elements in source order: nil for an empty
// array or any other node.
func (n *Node) Elems() []*Node {
	if n.ext == nil {
		return nil
	}
	return n.ext.elems
}

// The words Found and Detail return; a node holds their indexes.
var (
	foundNames  = [...]string{"", "identifier", "number"}
	detailNames = [...]string{"", "expected boolean", "expected null", "expected number", "invalid float literal", "invalid digit found in string"}
)

// Indexes into foundNames and detailNames.
const (
	foundNone uint8 = iota
	foundIdentifier
	foundNumber
)

const (
	detailNone uint8 = iota
	detailBoolean
	detailNull
	detailNumber
	detailFloat
	detailDigit
)

// Found names what stands where an Invalid value was expected, as Amber
// words it: "identifier", "number", ...; "" for punctuation or nothing.
func (n *Node) Found() string { return foundNames[n.found] }

// Detail, on an Invalid node made from a malformed literal (`tru`, `nul`,
// `0x`), is the shape error Amber reports at the value's path, e.g.
// "expected boolean"; "" on any other node. Such nodes produce no syntax
// error.
func (n *Node) Detail() string { return detailNames[n.detail] }

// nodeExt is the part of a Node that few nodes need. A node and its
// copies moved by an edit (Reparse) may share it, except an array's: a copy
// of an array has elements of its own, and so an ext of its own.
type nodeExt struct {
	// strMap maps offsets in Text to source offsets for a string with
	// escapes; nil when the string body is copied verbatim.
	strMap []strSeg
	// members maps each key of an object of more than indexAbove members
	// to the index in Members of its first member, so that looking a key up
	// does not scan the object.
	members map[string]int32
	// elems are the elements of an array, in source order; nil when it
	// has none.
	elems []*Node
}

// indexAbove is the number of members above which an object gets an index.
const indexAbove = 8

// indexMembers gives object n an index of its members when it has more
// than indexAbove of them, replacing (never changing) an earlier one: a
// rebuilt node may share its ext with the node it was copied from.
func (n *Node) indexMembers() {
	if len(n.Members) <= indexAbove {
		n.ext = nil
		return
	}
	idx := make(map[string]int32, len(n.Members))
	for i, m := range n.Members {
		if _, dup := idx[m.Key.Name]; !dup {
			idx[m.Key.Name] = int32(i)
		}
	}
	n.ext = &nodeExt{members: idx}
}

// strSeg records that decoded offset Dec corresponds to source offset
// Start+Src. Offsets are relative to the node so that a tree shifted by an
// edit (Reparse) can share the map.
type strSeg struct{ Dec, Src int32 }

// Member is one `key: value` member of an object.
type Member struct {
	Key   Key   // the key token
	Colon int   // offset of the ':' or -1 when it is missing
	Value *Node // never nil; an Invalid node when the value is missing
	Comma int   // offset of the ',' after the member, or -1
}

// Key is the key of an object member.
type Key struct {
	Name       string // decoded key text
	Start, End int    // the key token, including quotes when quoted
	Quoted     bool   // written as a string (either quote style), not as an identifier
}

// Span returns the node's byte range.
func (n *Node) Span() diag.Span { return diag.Span{Start: n.Start, End: n.End} }

// Span returns the key token's byte range.
func (k Key) Span() diag.Span { return diag.Span{Start: k.Start, End: k.End} }

// Member returns the first member named key, or nil. Objects may hold a key
// more than once; Amber's span lookups always find the first.
func (n *Node) Member(key string) *Member {
	if i := n.memberIndex(key); i >= 0 {
		return n.Members[i]
	}
	return nil
}

// memberIndex returns the index in Members of the first member named key,
// or -1.
func (n *Node) memberIndex(key string) int {
	if n == nil || n.Kind != Object {
		return -1
	}
	if n.ext != nil && n.ext.members != nil {
		if i, ok := n.ext.members[key]; ok {
			return int(i)
		}
		return -1
	}
	for i, m := range n.Members {
		if m.Key.Name == key {
			return i
		}
	}
	return -1
}

// Get returns the value of the first member named key, or nil.
func (n *Node) Get(key string) *Node {
	if m := n.Member(key); m != nil {
		return m.Value
	}
	return nil
}

// Index returns the i-th element of an array, or nil.
func (n *Node) Index(i int) *Node {
	if n == nil || n.Kind != Array || i < 0 {
		return nil
	}
	if es := n.Elems(); i < len(es) {
		return es[i]
	}
	return nil
}

// Lookup walks a JSON pointer given as segments: object members are matched
// by decoded key (first match), array elements by decimal index. It returns
// nil when a segment does not resolve.
func (n *Node) Lookup(segs ...string) *Node {
	for _, s := range segs {
		if n == nil {
			return nil
		}
		switch n.Kind {
		case Object:
			n = n.Get(s)
		case Array:
			i, err := strconv.Atoi(s)
			if err != nil || strings.HasPrefix(s, "+") {
				return nil
			}
			n = n.Index(i)
		default:
			return nil
		}
	}
	return n
}

// FoundKind names the node as the token Amber would find at its position:
// the node kind, or Found for an Invalid node.
func (n *Node) FoundKind() string {
	if n == nil {
		return ""
	}
	if n.Kind == Invalid {
		return n.Found()
	}
	return n.Kind.String()
}

// SourceOffset maps a byte offset within a String node's decoded Text to the
// byte offset in the source where it was written. Offsets within the text an
// escape sequence (or an invalid byte) decoded to map to the start of that
// escape; offset len(Text) maps to the closing quote (or the end of an
// unterminated string). The mapping is monotonic.
func (n *Node) SourceOffset(i int) int {
	if n.Kind != String {
		return n.Start
	}
	if n.ext == nil || n.ext.strMap == nil {
		return n.Start + 1 + i
	}
	segs := n.ext.strMap
	// Segments are sorted by Dec; find the last with Dec <= i.
	lo, hi := 0, len(segs)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(segs[mid].Dec) <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	seg := segs[lo]
	switch {
	case int(seg.Dec) > i:
		return n.Start + 1
	case lo%2 == 1:
		// Marks come in pairs around each escape: odd entries start the
		// decoded text of an escape, even ones a verbatim run.
		return n.Start + int(seg.Src)
	}
	return n.Start + int(seg.Src) + (i - int(seg.Dec))
}

// Error is a problem found while parsing.
type Error struct {
	Span diag.Span // the bytes the error points at; possibly empty (at the end of the input)
	// Code is codes.JSON5Error for JSON5 syntax errors, or an
	// amber_lsp:: code for problems Amber does not diagnose the same way
	// (invalid UTF-8, NUL bytes, excessive nesting, a byte order mark, an
	// input of 2 GiB or more).
	Code     diag.Code
	Severity diag.Severity // Error, but Warning for trailing content and Hint for a byte order mark
	// Label is the label text; for json5_error the message is
	// "json5 parse error: " + Label.
	Label string
	// Message, when set, is the full message (amber_lsp codes).
	Message string
}

// EndOfInput reports whether e is the syntax error that reports the end of
// the input met early, and what was cut short: "bool", "null", "number",
// "identifier", "escape sequence" or "comment" for a token (an unterminated
// string is not reported as such), "" when a value, a member or a closing
// bracket was still to come. Amber's parser, which reads a manifest by its
// schema, names the end after the type it expected there; a reader that
// knows the schema may word the error as Amber does.
func (e Error) EndOfInput() (what string, ok bool) {
	if e.Code != codes.JSON5Error {
		return "", false
	}
	if what, ok := strings.CutPrefix(e.Label, eofLabel); ok {
		switch what {
		case "value", "object", "array":
			return "", true
		}
		return what, true
	}
	return "", e.Label == unclosedObject || e.Label == unclosedArray
}

// MaxDepth is the deepest nesting of objects and arrays the parser builds a
// tree for; deeper content is skipped with a codes.NestingTooDeep error.
const MaxDepth = 512

// File is a parsed JSON5 text.
type File struct {
	Src    []byte  // the text parsed
	root   *Node   // nil only for an input with no value at all; see Root
	Errors []Error // in source order, by start offset
	// SpanGrammarOK is false when Amber's stricter span grammar would reject
	// the text (trailing content after the root value, `\9` escapes, raw
	// U+2028/U+2029 in strings, an unclosed block comment): Amber then reports
	// every non-syntax diagnostic at the default span.
	SpanGrammarOK bool

	// reparsed is set on a File that Reparse built from an earlier
	// version's tree (see Reparsed).
	reparsed bool
	// pending, on a File that Reparse made of a text with syntax errors,
	// builds root when Root is first called (see reparse).
	pending *pendingTree
}

// Root returns the root value; nil only for an input with no value at all.
// It is safe for concurrent use.
func (f *File) Root() *Node {
	if f.pending != nil {
		return f.pending.root()
	}
	return f.root
}

// Built reports whether the tree is built: whether Root returns it at once
// rather than building it (see Reparse).
func (f *File) Built() bool { return f.pending == nil || f.pending.unbuilt() == nil }

// Shape is what RootValue tells of a value: its kind, whether an object
// or array is closed, and its span.
type Shape struct {
	Kind   Kind      // the value's kind
	Closed bool      // an object or array: its closing bracket is present
	Span   diag.Span // as Node.Span
}

// RootValue returns the shape of the value of the first member named key
// of the root object, and false when the root is no object or has no such
// member. Unlike Root().Get(key), it does not build a pending tree (see
// Reparse) unless the edit it is pending for lies in that value.
func (f *File) RootValue(key string) (Shape, bool) {
	if f.pending != nil {
		if v, ok, known := f.pending.rootValue(key); known {
			return v, ok
		}
	}
	root := f.Root()
	if root == nil || root.Kind != Object {
		return Shape{}, false
	}
	v := root.Get(key)
	if v == nil {
		return Shape{}, false
	}
	return shapeOf(v, 0), true
}

// HasSyntaxErrors reports whether the file has errors of severity Error.
func (f *File) HasSyntaxErrors() bool {
	for _, e := range f.Errors {
		if e.Severity == diag.Error {
			return true
		}
	}
	return false
}
