package interp

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// describe renders a template compactly: literal parts as quoted text,
// references as kind:source[segments] with their ranges.
func describe(t *Template) string {
	var out []string
	for _, p := range t.Parts {
		if p.Kind == Literal {
			out = append(out, fmt.Sprintf("%q@%d-%d", p.Text, p.Start, p.End))
			continue
		}
		var segs []string
		for _, s := range p.Ref.Segments {
			segs = append(segs, fmt.Sprintf("%s@%d-%d", s.Name, s.Start, s.End))
		}
		out = append(out, fmt.Sprintf("%s:%s(%q)[%s]@%d-%d", p.Kind, p.Ref.Source, p.Ref.Query, strings.Join(segs, " "), p.Start, p.End))
	}
	return strings.Join(out, " ")
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"plain", `"plain"@0-5`},
		{"${config.a.b}", `placeholder:config("a.b")[a@9-10 b@11-12]@0-13`},
		{"${config}", `placeholder:config("")[]@0-9`},
		{"${config.}", `placeholder:config("")[]@0-10`},
		{"${slots.x}", `placeholder:slots("x")[x@8-9]@0-10`},
		{"${slots.x.url}", `placeholder:slots("x.url")[x@8-9 url@10-13]@0-14`},
		{"${slots}", `placeholder:slots("")[]@0-8`},
		{"${item}", `placeholder:item("")[]@0-7`},
		{"${item.url}", `placeholder:item("url")[url@7-10]@0-11`},
		{"--port=${config.port}!", `"--port="@0-7 placeholder:config("port")[port@16-20]@7-21 "!"@21-22`},
		{"${config.a}${slots.b.url}", `placeholder:config("a")[a@9-10]@0-11 placeholder:slots("b.url")[b@19-20 url@21-24]@11-25`},
		// `$$` is not an escape: a literal `$` and a placeholder.
		{"$${config.x}", `"$"@0-1 placeholder:config("x")[x@10-11]@1-12`},
		{"$$${config}", `"$$"@0-2 placeholder:config("")[]@2-11`},
		// A `$` not followed by `{`, a lone `{`, and `}` are literal.
		{"a$b{c}d$", `"a$b{c}d$"@0-8`},
		{`\${config.x}`, `"\\"@0-1 placeholder:config("x")[x@10-11]@1-12`},
		// A placeholder ends at the first `}`.
		{"${config.a}}", `placeholder:config("a")[a@9-10]@0-11 "}"@11-12`},
		// The query is not checked at parse time.
		{"${config..a}", `placeholder:config(".a")[@9-9 a@10-11]@0-12`},
		{"${config.a b}", `placeholder:config("a b")[a b@9-12]@0-13`},
		{"${config.${x}", `placeholder:config("${x")[${x@9-12]@0-13`},
		{"${slots..x}", `placeholder:slots(".x")[@8-8 x@9-10]@0-11`},
		{"héllo ${item.名前}", `"héllo "@0-7 placeholder:item("名前")[名前@14-20]@7-21`},
	}
	for _, tt := range tests {
		tmpl, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got := describe(tmpl); got != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, got, tt.want)
		}
		if tmpl.Input != tt.in {
			t.Errorf("Parse(%q).Input = %q", tt.in, tmpl.Input)
		}
		checkTiling(t, tmpl)
	}
}

// checkTiling asserts that the parts tile the input and that every range
// holds the text it claims.
func checkTiling(t *testing.T, tmpl *Template) {
	t.Helper()
	at := 0
	for i, p := range tmpl.Parts {
		if p.Start != at || p.End <= p.Start || p.End > len(tmpl.Input) {
			t.Fatalf("%q: part %d range %d-%d does not continue at %d", tmpl.Input, i, p.Start, p.End, at)
		}
		if i > 0 && p.Kind == Literal && tmpl.Parts[i-1].Kind == Literal {
			t.Errorf("%q: adjacent literal parts %d and %d", tmpl.Input, i-1, i)
		}
		if p.Kind != Literal {
			r := p.Ref
			if tmpl.Input[r.Start:r.End] != r.Text || p.Text != r.Text {
				t.Errorf("%q: ref range %d-%d holds %q, want %q", tmpl.Input, r.Start, r.End, tmpl.Input[r.Start:r.End], r.Text)
			}
			if tmpl.Input[r.Start:r.SourceEnd()] != r.Source.String() {
				t.Errorf("%q: source word range holds %q", tmpl.Input, tmpl.Input[r.Start:r.SourceEnd()])
			}
			for _, s := range r.Segments {
				if tmpl.Input[s.Start:s.End] != s.Name {
					t.Errorf("%q: segment range %d-%d holds %q, want %q", tmpl.Input, s.Start, s.End, tmpl.Input[s.Start:s.End], s.Name)
				}
			}
		} else if tmpl.Input[p.Start:p.End] != p.Text {
			t.Errorf("%q: literal range holds %q, want %q", tmpl.Input, tmpl.Input[p.Start:p.End], p.Text)
		}
		at = p.End
	}
	if at != len(tmpl.Input) {
		t.Errorf("%q: parts end at %d, want %d", tmpl.Input, at, len(tmpl.Input))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg    string
		start, end int
	}{
		{"${", "invalid interpolation `${`", 0, 2},
		{"a ${config.x", "invalid interpolation `a ${config.x`", 2, 12},
		{"${config.a} ${slots", "invalid interpolation `${config.a} ${slots`", 12, 19},
		{"${}", "invalid interpolation ``", 0, 3},
		{"x${HOME}y", "invalid interpolation `HOME`", 1, 8},
		{"${Config.a}", "invalid interpolation `Config.a`", 0, 11},
		{"${ config}", "invalid interpolation ` config`", 0, 10},
		{"${configs.a}", "invalid interpolation `configs.a`", 0, 12},
		{"${.config}", "invalid interpolation `.config`", 0, 10},
		// The first error met wins.
		{"${foo} ${config", "invalid interpolation `foo`", 0, 6},
		{"$${other.x}", "invalid interpolation `other.x`", 1, 11},
	}
	for _, tt := range tests {
		tmpl, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error %q", tt.in, describe(tmpl), tt.msg)
			continue
		}
		if tmpl != nil {
			t.Errorf("Parse(%q) returned a template with its error", tt.in)
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Parse(%q) error is %T, want *Error", tt.in, err)
		}
		if e.Message != tt.msg || e.Error() != tt.msg || e.Start != tt.start || e.End != tt.end {
			t.Errorf("Parse(%q) error = %q @%d-%d, want %q @%d-%d", tt.in, e.Message, e.Start, e.End, tt.msg, tt.start, tt.end)
		}
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in     string
		source Source
		query  string
		segs   []string
		err    string
	}{
		{"config", Config, "", nil, ""},
		{"config.", Config, "", nil, ""},
		{"config.a.b", Config, "a.b", []string{"a", "b"}, ""},
		{"slots..x", Slots, ".x", []string{"", "x"}, ""},
		{"slots.a..b", Slots, "a..b", []string{"a", "", "b"}, ""},
		{"item.url", Item, "url", []string{"url"}, ""},
		{"", NoSource, "", nil, "invalid interpolation ``"},
		{"foo.api.url", NoSource, "", nil, "invalid interpolation `foo.api.url`"},
		{"ITEM", NoSource, "", nil, "invalid interpolation `ITEM`"},
	}
	for _, tt := range tests {
		r, err := ParseRef(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseRef(%q) error = %v, want %q", tt.in, err, tt.err)
			} else if e := err.(*Error); e.Start != 0 || e.End != len(tt.in) {
				t.Errorf("ParseRef(%q) error range %d-%d, want the whole text", tt.in, e.Start, e.End)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseRef(%q): %v", tt.in, err)
			continue
		}
		var names []string
		for _, s := range r.Segments {
			names = append(names, s.Name)
		}
		if r.Source != tt.source || r.Query != tt.query || fmt.Sprint(names) != fmt.Sprint(tt.segs) || r.Text != tt.in || r.Start != 0 || r.End != len(tt.in) {
			t.Errorf("ParseRef(%q) = %+v, want source %v query %q segments %q", tt.in, r, tt.source, tt.query, tt.segs)
		}
	}
}

func TestParseSymbolic(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"$${config}", `symbolic:config("")[]@0-10`, ""},
		{"$${config.api_key}", `symbolic:config("api_key")[api_key@10-17]@0-18`, ""},
		{"$${config.a.b}", `symbolic:config("a.b")[a@10-11 b@12-13]@0-14`, ""},
		{"$${config.a}}", `symbolic:config("a}")[a}@10-12]@0-13`, ""}, // UNSURE, see ParseSymbolic
		// Not symbolic: the parse-time reading applies.
		{"${config.a}", `placeholder:config("a")[a@9-10]@0-11`, ""},
		{"pre-${config.r}", `"pre-"@0-4 placeholder:config("r")[r@13-14]@4-15`, ""},
		{"plain $ text", `"plain $ text"@0-12`, ""},
		{"", "", ""},
		// Errors of linker.md §4.1.1.
		{"x $${config.k}", "", "symbolic config interpolation must occupy the entire string"},
		{"${config.a}$${config.b}", "", "symbolic config interpolation must occupy the entire string"},
		{"$${config.k", "", "invalid symbolic interpolation `$${config.k`"},
		{"$${", "", "invalid symbolic interpolation `$${`"},
		{"$${slots.x}", "", "unsupported symbolic interpolation `$${slots.x}`: expected `$${config.<path>}`"},
		{"$${configx}", "", "unsupported symbolic interpolation `$${configx}`: expected `$${config.<path>}`"},
		{"$${}", "", "unsupported symbolic interpolation `$${}`: expected `$${config.<path>}`"},
		{"a ${HOME}", "", "invalid interpolation `HOME`"},
	}
	for _, tt := range tests {
		tmpl, err := ParseSymbolic(tt.in)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseSymbolic(%q) error = %v, want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseSymbolic(%q): %v", tt.in, err)
		default:
			if got := describe(tmpl); got != tt.want {
				t.Errorf("ParseSymbolic(%q):\n got %s\nwant %s", tt.in, got, tt.want)
			}
			checkTiling(t, tmpl)
			_, sym := tmpl.Symbolic()
			if sym != strings.HasPrefix(tt.want, "symbolic") || IsSymbolic(tt.in) != sym {
				t.Errorf("ParseSymbolic(%q): Symbolic() = %v, IsSymbolic = %v", tt.in, sym, IsSymbolic(tt.in))
			}
		}
	}
	for _, s := range []string{"x $${config.k}", "$${slots.x}", "${config.a}"} {
		if IsSymbolic(s) {
			t.Errorf("IsSymbolic(%q) = true", s)
		}
	}
}

func TestTemplateHelpers(t *testing.T) {
	tests := []struct {
		in      string
		literal bool
		refs    int
	}{
		{"", false, 0}, // QUIRK: the empty string is not literal
		{"abc", true, 0},
		{"$", true, 0},
		{"${config}", false, 1},
		{"a${config.x}b${slots.y}", false, 2},
	}
	for _, tt := range tests {
		tmpl, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := tmpl.IsLiteral(); got != tt.literal {
			t.Errorf("Parse(%q).IsLiteral() = %v, want %v", tt.in, got, tt.literal)
		}
		if got := len(tmpl.Refs()); got != tt.refs {
			t.Errorf("Parse(%q).Refs() has %d parts, want %d", tt.in, got, tt.refs)
		}
		if _, ok := tmpl.Symbolic(); ok {
			t.Errorf("Parse(%q).Symbolic() = true; only ParseSymbolic makes symbolic parts", tt.in)
		}
	}

	tmpl, _ := Parse("ab${config.x.yy}c")
	for off, want := range map[int]int{-1: -1, 0: 0, 1: 0, 2: 1, 15: 1, 16: 2, 17: 2, 18: -1} {
		if got := tmpl.PartAt(off); got != want {
			t.Errorf("PartAt(%d) = %d, want %d", off, got, want)
		}
	}
	if got := (&Template{}).PartAt(0); got != -1 {
		t.Errorf("empty template PartAt(0) = %d", got)
	}
	r := tmpl.Parts[1].Ref
	for off, want := range map[int]int{4: -1, 10: -1, 11: 0, 12: 0, 13: 1, 15: 1, 16: -1} {
		if got := r.SegmentAt(off); got != want {
			t.Errorf("SegmentAt(%d) = %d, want %d", off, got, want)
		}
	}
	for n, want := range map[int]string{-1: "", 0: "", 1: "x", 2: "x.yy", 3: "x.yy"} {
		if got := r.Path(n); got != want {
			t.Errorf("Path(%d) = %q, want %q", n, got, want)
		}
	}
	if r.SourceEnd() != 10 {
		t.Errorf("SourceEnd = %d, want 10", r.SourceEnd())
	}
}

func TestNames(t *testing.T) {
	for k, want := range map[fmt.Stringer]string{
		Config: "config", Slots: "slots", Item: "item", NoSource: "", Source(9): "source(9)",
		Literal: "literal", Placeholder: "placeholder", Symbolic: "symbolic", Kind(7): "kind(7)",
	} {
		if got := k.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

// TestSourceSpan maps decoded ranges back to the manifest source, through
// escapes and multi-byte characters.
func TestSourceSpan(t *testing.T) {
	tests := []struct {
		src  string // a JSON5 string value
		part int    // the part to map
		seg  int    // the segment to map, or -1 for the whole part
		want string // the source text the span must cover
	}{
		{`"${config.a.b}"`, 0, -1, `${config.a.b}`},
		{`"${config.a.b}"`, 0, 1, `b`},
		{`'x ${slots.api.url}'`, 1, 0, `api`},
		{`"\u0041${config.key}"`, 1, 0, `key`},
		{`"\u0041${config.key}"`, 0, -1, `\u0041`},
		{`"\x24{config.k\u0065y}"`, 0, -1, `\x24{config.k\u0065y}`},
		{`"\x24{config.k\u0065y}"`, 0, 0, `k\u0065y`},
		{`"é${item.名前}"`, 1, 0, `名前`},
		{"\"a\\\n${config.x}\"", 1, 0, `x`},
		{`"😀\t${config.x}"`, 1, -1, `${config.x}`},
	}
	for _, tt := range tests {
		f := json5.Parse([]byte(tt.src))
		n := f.Root()
		if n == nil || n.Kind != json5.String {
			t.Fatalf("%s: not a string", tt.src)
		}
		tmpl, err := Parse(n.Text)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		p := tmpl.Parts[tt.part]
		sp := p.Span(n)
		if tt.seg >= 0 {
			sp = p.Ref.Segments[tt.seg].Span(n)
		}
		if got := tt.src[sp.Start:sp.End]; got != tt.want {
			t.Errorf("%s part %d seg %d: span %v covers %q, want %q", tt.src, tt.part, tt.seg, sp, got, tt.want)
		}
	}

	// Errors map the same way.
	f := json5.Parse([]byte(`"run \u0024{HOME} now"`))
	_, err := Parse(f.Root().Text)
	sp := err.(*Error).Span(f.Root())
	if got := f.Src[sp.Start:sp.End]; string(got) != `\u0024{HOME}` {
		t.Errorf("error span covers %q", got)
	}
	ref := Ref{Start: 4, End: 5} // the decoded `$`, written \u0024
	if got := ref.Span(f.Root()); got.Start != 5 || got.End != 11 {
		t.Errorf("Ref.Span = %v, want 5-11", got)
	}
	// Non-string nodes map to their own span, nil to the zero span.
	num := json5.Parse([]byte(" 42")).Root()
	if got := SourceSpan(num, 0, 1); got != (diag.Span{Start: 1, End: 3}) {
		t.Errorf("SourceSpan(number) = %v", got)
	}
	if got := SourceSpan(nil, 0, 1); got != (diag.Span{}) {
		t.Errorf("SourceSpan(nil) = %v", got)
	}
}

// TestDecodedOffset maps cursors in the source back into the decoded text
// and finds the part and segment under them.
func TestDecodedOffset(t *testing.T) {
	src := `"a\u0062 ${config.d\u0062.host}"`
	n := json5.Parse([]byte(src)).Root()
	tmpl, err := Parse(n.Text) // "ab ${config.db.host}"
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cursor string // the source text starting at the cursor
		dec    int
		seg    string // the query segment under the cursor, "" for none
	}{
		{`"a\u0062`, 0, ""},
		{`\u0062 $`, 1, ""},
		{`u0062 $`, 1, ""}, // inside an escape: its character
		{`${config`, 3, ""},
		{`d\u0062.host`, 12, "db"},
		{`\u0062.host`, 13, "db"},
		{`.host`, 14, "db"},
		{`host}`, 15, "host"},
		{`}"`, 19, "host"},
	}
	for _, tt := range tests {
		off := strings.Index(src, tt.cursor)
		got := DecodedOffset(n, off)
		if got != tt.dec {
			t.Errorf("DecodedOffset at %q = %d, want %d", tt.cursor, got, tt.dec)
			continue
		}
		seg := ""
		if i := tmpl.PartAt(got); i >= 0 && tmpl.Parts[i].Kind != Literal {
			if j := tmpl.Parts[i].Ref.SegmentAt(got); j >= 0 {
				seg = tmpl.Parts[i].Ref.Segments[j].Name
			}
		}
		if seg != tt.seg {
			t.Errorf("segment at %q = %q, want %q", tt.cursor, seg, tt.seg)
		}
	}
	if got := DecodedOffset(n, -5); got != 0 {
		t.Errorf("before the string: %d", got)
	}
	if got := DecodedOffset(n, 999); got != len(n.Text) {
		t.Errorf("after the string: %d", got)
	}
	if got := DecodedOffset(nil, 3); got != 0 {
		t.Errorf("nil node: %d", got)
	}
	// Round trip: every decoded offset maps to the source and back.
	for i := 0; i <= len(n.Text); i++ {
		if back := DecodedOffset(n, n.SourceOffset(i)); back != i {
			t.Errorf("DecodedOffset(SourceOffset(%d)) = %d", i, back)
		}
	}
}

func TestDecodedOffsetMultiByteEscape(t *testing.T) {
	src := `"\u00e9${item}"` // decoded: "é${item}", é is two bytes
	n := json5.Parse([]byte(src)).Root()
	for cursor, want := range map[string]int{`\u00e9`: 0, `u00e9`: 0, `e9$`: 0, `${item}`: 2, `item}`: 4} {
		if got := DecodedOffset(n, strings.Index(src, cursor)); got != want {
			t.Errorf("DecodedOffset at %q = %d, want %d", cursor, got, want)
		}
	}
}
