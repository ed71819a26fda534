package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker/scenario"
)

// wrap puts an interposer body into a plan with one interposition and no
// attachments.
func wrap(interposer string) string {
	return `{"interpositions":[{"interposer":` + interposer + `,"attachments":[]}]}`
}

// prog wraps a program into a plan.
func prog(program string) string { return wrap(`{"program":` + program + `}`) }

const programPath = "interpositions[0].interposer.program"

type decodeCase struct {
	name   string
	body   string
	syntax bool
	path   string // shape errors
	line   int
	column int
	detail string
}

var decodeCases = []decodeCase{
	// Not valid JSON.
	{name: "empty body", body: ``, syntax: true, line: 1, column: 0, detail: "EOF while parsing a value"},
	{name: "white space only", body: " \n ", syntax: true, line: 2, column: 1, detail: "EOF while parsing a value"},
	{name: "not a value", body: `x`, syntax: true, line: 1, column: 1, detail: "expected value"},
	{name: "premature end of object", body: `{"interpositions":[]`, syntax: true, line: 1, column: 20, detail: "EOF while parsing an object"},
	{name: "premature end of list", body: `{"interpositions":[`, syntax: true, line: 1, column: 19, detail: "EOF while parsing a list"},
	{name: "premature end of string", body: `{"interpos`, syntax: true, line: 1, column: 10, detail: "EOF while parsing a string"},
	{name: "premature end after colon", body: `{"interpositions":`, syntax: true, line: 1, column: 18, detail: "EOF while parsing a value"},
	{name: "trailing characters", body: `{"interpositions":[]} }`, syntax: true, line: 1, column: 23, detail: "trailing characters"},
	{name: "second value", body: `{"interpositions":[]}{}`, syntax: true, line: 1, column: 22, detail: "trailing characters"},
	{name: "key not a string", body: `{1}`, syntax: true, line: 1, column: 2, detail: "key must be a string"},
	{name: "single-quoted key", body: `{'interpositions':[]}`, syntax: true, line: 1, column: 2, detail: "key must be a string"},
	{name: "trailing comma in object", body: `{"interpositions":[],}`, syntax: true, line: 1, column: 22, detail: "trailing comma"},
	{name: "trailing comma in list", body: wrap(`{"config":[1,]}`), syntax: true, line: 1, column: 47, detail: "trailing comma"},
	{name: "missing colon", body: `{"interpositions" []}`, syntax: true, line: 1, column: 19, detail: "expected `:`"},
	{name: "missing comma in object", body: `{"interpositions":[] "x":1}`, syntax: true, line: 1, column: 22, detail: "expected `,` or `}`"},
	{name: "missing comma in list", body: wrap(`{"config":[1 2]}`), syntax: true, line: 1, column: 47, detail: "expected `,` or `]`"},
	{name: "bad literal", body: wrap(`{"config":tru}`), syntax: true, line: 1, column: 47, detail: "expected ident"},
	{name: "comment", body: "{\"interpositions\":[] // none\n}", syntax: true, line: 1, column: 22, detail: "expected `,` or `}`"},
	{name: "invalid escape", body: wrap(`{"config":"a\x"}`), syntax: true, line: 1, column: 47, detail: "invalid escape"},
	{name: "control character", body: wrap("{\"config\":\"a\tb\"}"), syntax: true, line: 1, column: 46, detail: "control character (\\u0000-\\u001F) found while parsing a string"},
	{name: "lone trailing surrogate", body: wrap(`{"config":"\udc00"}`), syntax: true, line: 1, column: 50, detail: "lone leading surrogate in hex escape"},
	{name: "unpaired leading surrogate", body: wrap(`{"config":"\ud800x"}`), syntax: true, line: 1, column: 51, detail: "unexpected end of hex escape"},
	{name: "invalid UTF-8 in a string", body: wrap("{\"config\":\"a\xffb\"}"), syntax: true, line: 1, column: 48, detail: "invalid unicode code point"},
	{name: "leading zero", body: wrap(`{"config":01}`), syntax: true, line: 1, column: 45, detail: "invalid number"},
	{name: "fraction without digits", body: wrap(`{"config":1.}`), syntax: true, line: 1, column: 46, detail: "invalid number"},
	{name: "minus alone", body: wrap(`{"config":-}`), syntax: true, line: 1, column: 45, detail: "invalid number"},
	{name: "number out of range", body: wrap(`{"config":1e400}`), syntax: true, line: 1, column: 48, detail: "number out of range"},
	{name: "NaN", body: wrap(`{"config":NaN}`), syntax: true, line: 1, column: 44, detail: "expected value"},
	{name: "recursion limit", body: wrap(`{"config":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`), syntax: true, line: 1, column: 167, detail: "recursion limit exceeded"},
	{name: "position on a later line", body: "{\n  \"interpositions\": [\n    {\"interposer\": {\"config\": ?}}\n  ]\n}", syntax: true, line: 3, column: 31, detail: "expected value"},

	// Valid JSON of the wrong shape.
	{name: "empty object", body: `{}`, path: ".", line: 1, column: 2, detail: "missing field `interpositions`"},
	{name: "missing field before trailing characters", body: `{}x`, path: ".", line: 1, column: 2, detail: "missing field `interpositions`"},
	{name: "misspelt top-level key", body: `{"interposition":[]}`, path: "interposition", line: 1, column: 16, detail: "unknown field `interposition`, expected `interpositions`"},
	{name: "unknown key after white space", body: `{"x"  :1}`, path: "x", line: 1, column: 6, detail: "unknown field `x`, expected `interpositions`"},
	{name: "repeated key", body: `{"interpositions":[],"interpositions":[]}`, path: ".", line: 1, column: 37, detail: "duplicate field `interpositions`"},
	{name: "root array", body: `[]`, path: ".", line: 1, column: 0, detail: "invalid type: sequence, expected struct InterpositionPlan"},
	{name: "root null", body: `null`, path: ".", line: 1, column: 4, detail: "invalid type: null, expected struct InterpositionPlan"},
	{name: "root string", body: ` "plan" `, path: ".", line: 1, column: 7, detail: `invalid type: string "plan", expected struct InterpositionPlan`},
	{name: "interpositions not a list", body: `{"interpositions":"x"}`, path: "interpositions", line: 1, column: 21, detail: `invalid type: string "x", expected a sequence`},
	{name: "interpositions null", body: `{"interpositions":null}`, path: "interpositions", line: 1, column: 22, detail: "invalid type: null, expected a sequence"},
	{name: "interposition not an object", body: `{"interpositions":[1]}`, path: "interpositions[0]", line: 1, column: 20, detail: "invalid type: integer `1`, expected struct Interposition"},
	{name: "missing attachments", body: `{"interpositions":[{"interposer":{}}]}`, path: "interpositions[0]", line: 1, column: 36, detail: "missing field `attachments`"},
	{name: "missing interposer", body: `{"interpositions":[{"attachments":[]}]}`, path: "interpositions[0]", line: 1, column: 37, detail: "missing field `interposer`"},
	{name: "unknown key in interposition", body: `{"interpositions":[{"interposer":{},"attachments":[],"extra":1}]}`, path: "interpositions[0].extra", line: 1, column: 60, detail: "unknown field `extra`, expected `interposer` or `attachments`"},
	{name: "unknown key in second interposition", body: `{"interpositions":[{"interposer":{},"attachments":[]},{"interposer":{"unexpected":1}}]}`, path: "interpositions[1].interposer.unexpected", line: 1, column: 81, detail: "unknown field `unexpected`, expected one of `config`, `config_schema`, `program`, `slots`, `provides`, `resources`, `metadata`"},
	{name: "unknown key in interposer", body: `{"interpositions":[{"interposer":{"unexpected":1}}]}`, path: "interpositions[0].interposer.unexpected", line: 1, column: 46, detail: "unknown field `unexpected`, expected one of `config`, `config_schema`, `program`, `slots`, `provides`, `resources`, `metadata`"},
	{name: "shape error wins over a later syntax error", body: `{"interpositions":"x", garbage`, path: "interpositions", line: 1, column: 21, detail: `invalid type: string "x", expected a sequence`},
	{name: "attachment unknown key", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":0,"bogus":1}]}]}`, path: "interpositions[0].attachments[0].bogus", line: 1, column: 70, detail: "unknown field `bogus`, expected one of `target`, `interposer_slot`, `interposer_provide`"},
	{name: "attachment missing field", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":0,"interposer_slot":"in"}]}]}`, path: "interpositions[0].attachments[0]", line: 1, column: 86, detail: "missing field `interposer_provide`"},
	{name: "target is a string", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":"0"}]}]}`, path: "interpositions[0].attachments[0].target", line: 1, column: 64, detail: `invalid type: string "0", expected u64`},
	{name: "target is negative", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":-1}]}]}`, path: "interpositions[0].attachments[0].target", line: 1, column: 63, detail: "invalid value: integer `-1`, expected u64"},
	{name: "target is a float", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":1.5}]}]}`, path: "interpositions[0].attachments[0].target", line: 1, column: 64, detail: "invalid type: floating point `1.5`, expected u64"},
	{name: "dotted attachment slot", body: `{"interpositions":[{"interposer":{},"attachments":[{"target":0,"interposer_slot":"a.b" }]}]}`, path: "interpositions[0].attachments[0].interposer_slot", line: 1, column: 87, detail: "invalid slot name `a.b`: dots are reserved"},
	{name: "dotted attachment provide", body: `{"interpositions":[{"interposer":{},"attachments":[{"interposer_provide":"x.y"}]}]}`, path: "interpositions[0].attachments[0].interposer_provide", line: 1, column: 78, detail: "invalid provide name `x.y`: dots are reserved"},
	{name: "dotted slot name", body: wrap(`{"slots":{"a.b":{"kind":"a2a"}}}`), path: "interpositions[0].interposer.slots.a.b", line: 1, column: 48, detail: "invalid slot name `a.b`: dots are reserved"},
	{name: "dotted provide name", body: wrap(`{"provides":{"a.b":{"kind":"a2a"}}}`), path: "interpositions[0].interposer.provides.a.b", line: 1, column: 51, detail: "invalid provide name `a.b`: dots are reserved"},
	{name: "dotted resource name", body: wrap(`{"resources":{"x.y":{"kind":"storage"}}}`), path: "interpositions[0].interposer.resources.x.y", line: 1, column: 52, detail: "invalid resource name `x.y`: dots are reserved"},
	{name: "bad slot kind", body: wrap(`{"slots":{"in":{"kind":"bogus"}}}`), path: "interpositions[0].interposer.slots.in", line: 1, column: 64, detail: "unknown variant `bogus`, expected one of `mcp`, `llm`, `http`, `component`, `docker`, `a2a`, `storage`, `kvm`"},
	{name: "slot kind missing", body: wrap(`{"slots":{"in":{"optional":true}}}`), path: "interpositions[0].interposer.slots.in", line: 1, column: 65, detail: "missing field `kind`"},
	{name: "slot unknown key", body: wrap(`{"slots":{"in":{"kind":"a2a","url":"x"}}}`), path: "interpositions[0].interposer.slots.in", line: 1, column: 72, detail: "unknown field `url`, expected one of `optional`, `multiple`, `kind`, `profile`"},
	{name: "slot optional not a bool", body: wrap(`{"slots":{"in":{"kind":"a2a","optional":"yes"}}}`), path: "interpositions[0].interposer.slots.in", line: 1, column: 79, detail: `invalid type: string "yes", expected a boolean`},
	{name: "slot declared as a string", body: wrap(`{"slots":{"in":"a2a"}}`), path: "interpositions[0].interposer.slots.in", line: 1, column: 53, detail: `invalid type: string "a2a", expected struct SlotDecl`},
	{name: "slots null", body: wrap(`{"slots":null}`), path: "interpositions[0].interposer.slots", line: 1, column: 46, detail: "invalid type: null, expected a map"},
	{name: "provide profile not a string", body: wrap(`{"provides":{"out":{"kind":"a2a","profile":1}}}`), path: "interpositions[0].interposer.provides.out", line: 1, column: 78, detail: "invalid type: integer `1`, expected a string"},
	{name: "provide repeated key", body: wrap(`{"provides":{"out":{"kind":"a2a","kind":"http"}}}`), path: "interpositions[0].interposer.provides.out", line: 1, column: 80, detail: "duplicate field `kind`"},
	{name: "resource kind", body: wrap(`{"resources":{"r":{"kind":"disk"}}}`), path: "interpositions[0].interposer.resources.r.kind", line: 1, column: 65, detail: "unknown variant `disk`, expected one of `mcp`, `llm`, `http`, `component`, `docker`, `a2a`, `storage`, `kvm`"},
	{name: "resource missing kind", body: wrap(`{"resources":{"r":{}}}`), path: "interpositions[0].interposer.resources.r", line: 1, column: 53, detail: "missing field `kind`"},
	{name: "resource params unknown key", body: wrap(`{"resources":{"r":{"kind":"storage","params":{"bogus":"1"}}}}`), path: "interpositions[0].interposer.resources.r.params.bogus", line: 1, column: 86, detail: "unknown field `bogus`, expected one of `size`, `retention`, `sharing`"},
	{name: "resource param interpolation", body: wrap(`{"resources":{"r":{"kind":"storage","params":{"size":"${bogus}"}}}}`), path: "interpositions[0].interposer.resources.r.params.size", line: 1, column: 96, detail: "invalid interpolation `bogus`"},
	{name: "resource param number", body: wrap(`{"resources":{"r":{"kind":"storage","params":{"size":1}}}}`), path: "interpositions[0].interposer.resources.r.params.size", line: 1, column: 87, detail: "invalid type: integer `1`, expected a string"},

	// Programs: problems are reported at `program`, past the program.
	{name: "program without image, path or vm", body: prog(`{"args":[]}`), path: programPath, line: 1, column: 55, detail: "program must declare either `image`, `path`, or `vm`"},
	{name: "program with image and path", body: prog(`{"image":"a","path":"/b"}`), path: programPath, line: 1, column: 69, detail: "program must declare exactly one of `image`, `path`, or `vm`"},
	{name: "program args with image", body: prog(`{"image":"a","entrypoint":["a"],"args":[]}`), path: programPath, line: 1, column: 86, detail: "program.args is only supported with program.path"},
	{name: "program entrypoint with path", body: prog(`{"path":"/b","entrypoint":[]}`), path: programPath, line: 1, column: 73, detail: "program.entrypoint is only supported with program.image"},
	{name: "program env with vm", body: prog(`{"vm":{"image":"i","cpus":1,"memory_mib":512},"env":{"A":"1"}}`), path: programPath, line: 1, column: 106, detail: "program.env is not supported with program.vm"},
	{name: "program network with vm", body: prog(`{"vm":{"image":"i","cpus":1,"memory_mib":512},"network":{"endpoints":[]}}`), path: programPath, line: 1, column: 117, detail: "program.network must be nested under program.vm"},
	{name: "program mounts with vm", body: prog(`{"vm":{"image":"i","cpus":1,"memory_mib":512},"mounts":[{"kind":"slot","path":"/d","slot":"s"}]}`), path: programPath, line: 1, column: 140, detail: "program.mounts must be nested under program.vm"},
	{name: "program unknown key", body: prog(`{"path":"/b","cwd":"/"}`), path: programPath, line: 1, column: 67, detail: "unknown field `cwd`, expected one of `image`, `path`, `vm`, `entrypoint`, `args`, `env`, `network`, `mounts`"},
	{name: "program not an object", body: prog(`"/bin/x"`), path: programPath, line: 1, column: 52, detail: `invalid type: string "/bin/x", expected a lowered program object`},
	{name: "program path interpolation", body: prog(`{"path":"${bogus}/x"}`), path: programPath, line: 1, column: 65, detail: "program.path: invalid interpolation `bogus`"},
	{name: "program argument item with arg and argv", body: prog(`{"path":"/b","args":[{"arg":"a","argv":["b"]}]}`), path: programPath, line: 1, column: 91, detail: "program.args[0]: expected exactly one of `arg` or `argv`"},
	{name: "program argument item with neither", body: prog(`{"path":"/b","args":[{"when":"config.x"}]}`), path: programPath, line: 1, column: 86, detail: "program.args[0]: expected exactly one of `arg` or `argv`"},
	{name: "program argument join without each", body: prog(`{"path":"/b","args":[{"arg":"a","join":","}]}`), path: programPath, line: 1, column: 89, detail: "program.args[0]: `join` is only valid with `each` and `arg`"},
	{name: "program argument join with argv", body: prog(`{"path":"/b","args":[{"argv":["a"],"each":"slots.s","join":","}]}`), path: programPath, line: 1, column: 109, detail: "program.args[0]: `join` is only valid with `each` and `arg`"},
	{name: "program shell string with unclosed quote", body: prog(`{"path":"/b","args":"a 'b"}`), path: programPath, line: 1, column: 71, detail: "program.args: unclosed quote in entrypoint string"},
	{name: "program env join without each", body: prog(`{"path":"/b","env":{"A":{"value":"x","join":","}}}`), path: programPath, line: 1, column: 94, detail: "program.env.A: `join` is only valid with `each`"},
	{name: "program env each without join", body: prog(`{"path":"/b","env":{"A":{"value":"x","each":"slots.s"}}}`), path: programPath, line: 1, column: 100, detail: "program.env.A: `join` is required with `each` in program.env"},
	{name: "program env value number", body: prog(`{"path":"/b","env":{"A":1}}`), path: programPath, line: 1, column: 71, detail: "program.env.A: expected an interpolation string or an object with `value`"},
	{name: "program empty endpoint name", body: prog(`{"path":"/b","network":{"endpoints":[{"name":"","port":1}]}}`), path: programPath, line: 1, column: 104, detail: "program endpoint names must not be empty"},
	{name: "program duplicate endpoint", body: prog(`{"path":"/b","network":{"endpoints":[{"name":"a","port":1},{"name":"a","port":2}]}}`), path: programPath, line: 1, column: 127, detail: "duplicate endpoint name `a`"},
	{name: "program endpoint port out of range", body: prog(`{"path":"/b","network":{"endpoints":[{"name":"a","port":70000}]}}`), path: programPath, line: 1, column: 109, detail: "program.network.endpoints[0].port: invalid value: integer `70000`, expected a port number (0-65535)"},
	{name: "program relative mount path", body: prog(`{"path":"/b","mounts":[{"kind":"resource","path":"data","resource":"r"}]}`), path: programPath, line: 1, column: 117, detail: "mount path must be absolute"},
	{name: "program mount path with ..", body: prog(`{"path":"/b","mounts":[{"kind":"slot","path":"/a/../b","slot":"s"}]}`), path: programPath, line: 1, column: 112, detail: "mount path must not contain `..`"},
	{name: "program unknown mount kind", body: prog(`{"path":"/b","mounts":[{"kind":"tmpfs","path":"/t"}]}`), path: programPath, line: 1, column: 97, detail: "program.mounts[0].kind: unknown variant `tmpfs`, expected one of `file`, `slot`, `resource`, `framework`"},
	{name: "program bad template part", body: prog(`{"path":"/b","mounts":[{"kind":"file","path":[{"lit":"/a","config":"b"}],"source":{"kind":"config","path":[]}}]}`), path: programPath, line: 1, column: 156, detail: "program.mounts[0].path[0]: data did not match any variant of untagged enum TemplatePart"},
	{name: "program vm cpus", body: prog(`{"vm":{"image":"i","cpus":-1,"memory_mib":512}}`), path: programPath, line: 1, column: 91, detail: "program.vm.cpus: data did not match any variant of untagged enum Scalar"},
	{name: "program followed by white space", body: wrap(`{"program":{"args":[]}  }`), path: programPath, line: 1, column: 57, detail: "program must declare either `image`, `path`, or `vm`"},
}

func TestDecodeErrors(t *testing.T) {
	var messages strings.Builder
	for _, tc := range decodeCases {
		_, err := Decode([]byte(tc.body))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: Decode(%q) = %v, want a *DecodeError", tc.name, tc.body, err)
			continue
		}
		got := fmt.Sprintf("syntax=%v path=%q %d:%d %s", de.Syntax, de.Path, de.Line, de.Column, de.Detail)
		want := fmt.Sprintf("syntax=%v path=%q %d:%d %s", tc.syntax, tc.path, tc.line, tc.column, tc.detail)
		if got != want {
			t.Errorf("%s: Decode(%q)\n got %s\nwant %s", tc.name, tc.body, got, want)
		}
		if de.Code() != codes.OverlayPassInterpositionPlanDeserialize {
			t.Errorf("%s: code %s", tc.name, de.Code())
		}
		if string(de.Body) != tc.body {
			t.Errorf("%s: the error does not keep the body", tc.name)
		}
		fmt.Fprintf(&messages, "== %s\n%s\n", tc.name, de.Message("/redaction", "/"))
	}
	checkGolden(t, "decode_errors.golden", messages.String())
}

// TestDecodeMessages pins Amber's two texts exactly.
func TestDecodeMessages(t *testing.T) {
	tests := []struct{ body, want string }{
		{`x`, "overlay `/redaction` in scope `/` returned response body that was not valid JSON: expected value at line 1 column 1\n\nbody preview:\nx"},
		{"  {\"interpositions\":[]} ]\n", "overlay `/redaction` in scope `/` returned response body that was not valid JSON: trailing characters at line 1 column 25\n\nbody preview:\n{\"interpositions\":[]} ]"},
		{`{}`, "overlay `/redaction` in scope `/` returned JSON that did not match interposition plan schema at . (line 1, column 2)"},
		{`{"interpositions":[{"interposer":{"unexpected":true}}]}`, "overlay `/redaction` in scope `/` returned JSON that did not match interposition plan schema at interpositions[0].interposer.unexpected (line 1, column 46)"},
	}
	for _, tc := range tests {
		_, err := Decode([]byte(tc.body))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("Decode(%q) = %v", tc.body, err)
		}
		if got := de.Message("/redaction", "/"); got != tc.want {
			t.Errorf("Decode(%q):\n got %q\nwant %q", tc.body, got, tc.want)
		}
	}
}

func TestPreview(t *testing.T) {
	long := strings.Repeat("a", 4095) + "é" + strings.Repeat("b", 10) // é straddles byte 4096
	tests := []struct{ name, body, want string }{
		{"trimmed", " \n\t{x}\r\n ", "{x}"},
		{"exactly 4096 bytes", strings.Repeat("a", 4096), strings.Repeat("a", 4096)},
		{"4097 bytes", strings.Repeat("b", 4097), strings.Repeat("b", 4096) + "\n... <truncated; showing first 4096 of 4097 bytes>"},
		{"cut at a character boundary", long, strings.Repeat("a", 4095) + "\n... <truncated; showing first 4095 of 4107 bytes>"},
		{"total counts the trimmed body", "  " + strings.Repeat("c", 5000) + "\n", strings.Repeat("c", 4096) + "\n... <truncated; showing first 4096 of 5000 bytes>"},
		{"invalid UTF-8 shown as replacement", "a\xffb", "a\uFFFDb"},
	}
	for _, tc := range tests {
		if got := Preview([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: Preview = %q…, want %q…", tc.name, head(got), head(tc.want))
		}
	}
}

func head(s string) string {
	if len(s) > 60 {
		return s[:30] + "…" + s[len(s)-30:]
	}
	return s
}

// TestDecodeHugeBody checks that a syntax error in a large body shows the
// truncated preview.
func TestDecodeHugeBody(t *testing.T) {
	body := `{"interpositions":[{"interposer":{"metadata":"` + strings.Repeat("x", 50000) + `"` // unterminated
	_, err := Decode([]byte(body))
	var de *DecodeError
	if !errors.As(err, &de) || !de.Syntax {
		t.Fatalf("Decode = %v, want a syntax error", err)
	}
	msg := de.Message("/o", "/")
	wantHead := "overlay `/o` in scope `/` returned response body that was not valid JSON: EOF while parsing an object at line 1 column " + fmt.Sprint(len(body)) + "\n\nbody preview:\n" + body[:4096]
	wantTail := fmt.Sprintf("\n... <truncated; showing first 4096 of %d bytes>", len(body))
	if !strings.HasPrefix(msg, wantHead) || !strings.HasSuffix(msg, wantTail) || len(msg) != len(wantHead)+len(wantTail) {
		t.Errorf("message = %q…%q", head(msg[:200]), msg[len(msg)-80:])
	}
}

// redactionPlan is what the overlay-redaction example helper answers
// (overlays.md §14), with a short program text.
const redactionPlan = `{"interpositions": [{
  "interposer": {
    "config": {"redaction_terms": ["${config.launch_code}", "${config.api_key}"]},
    "config_schema": {"type": "object", "properties": {"redaction_terms": {"type": "array", "items": {"type": "string"}}}, "required": ["redaction_terms"]},
    "slots": {"upstream": {"kind": "a2a"}},
    "provides": {"downstream": {"kind": "a2a", "endpoint": "endpoint"}},
    "program": {"path": "/usr/bin/env", "args": ["python3", "-u", "-c", "print('redactor')"],
      "env": {"PORT": "8130", "UPSTREAM_URL": "${slots.upstream.url}", "REDACTION_TERMS": "${config.redaction_terms}"},
      "network": {"endpoints": [{"name": "endpoint", "port": 8130}]}}
  },
  "attachments": [{"target": 0, "interposer_slot": "upstream", "interposer_provide": "downstream"}]
}]}
`

func TestDecodeRedactionPlan(t *testing.T) {
	p := mustDecode(t, redactionPlan)
	if string(p.Raw) != redactionPlan {
		t.Errorf("Raw is not the body as returned")
	}
	if len(p.Interpositions) != 1 {
		t.Fatalf("%d interpositions", len(p.Interpositions))
	}
	in := p.Interpositions[0]
	if got := fmt.Sprint(in.Attachments); got != "[{0 upstream downstream}]" {
		t.Errorf("attachments %s", got)
	}
	want := `{"attachments":[{"interposer_provide":"downstream","interposer_slot":"upstream","target":0}],` +
		`"interposer":{"config":{"redaction_terms":["${config.launch_code}","${config.api_key}"]},` +
		`"config_schema":{"properties":{"redaction_terms":{"items":{"type":"string"},"type":"array"}},"required":["redaction_terms"],"type":"object"},` +
		`"metadata":null,` +
		`"program":{"args":["python3","-u","-c","print('redactor')"],"env":{"PORT":"8130","REDACTION_TERMS":"${config.redaction_terms}","UPSTREAM_URL":"${slots.upstream.url}"},` +
		`"network":{"endpoints":[{"name":"endpoint","port":8130,"protocol":"http"}]},"path":"/usr/bin/env"},` +
		`"provides":{"downstream":{"endpoint":"endpoint","kind":"a2a","profile":null}},"resources":{},` +
		`"slots":{"upstream":{"kind":"a2a","multiple":false,"optional":false,"profile":null}}}}`
	if got := string(scenario.MustEncode(in)); got != want {
		t.Errorf("decoded interposition:\n got %s\nwant %s", got, want)
	}
}

// TestDecodeProgramForms covers the accepted program shapes: each decodes and
// re-encodes to the lowered form given.
func TestDecodeProgramForms(t *testing.T) {
	tests := []struct{ name, program, want string }{
		{"path with shell string", `{"path":"/bin/sh","args":"-c 'echo \"hi there\"' # note"}`, `{"args":["-c","echo \"hi there\""],"path":"/bin/sh"}`},
		{"path without args", `{"path":"/bin/x","args":null}`, `{"args":[],"path":"/bin/x"}`},
		{"image with items", `{"image":"ghcr.io/a:1","entrypoint":["app",{"when":"config.verbose","argv":["--verbose"]},{"each":"slots.peers","arg":"--peer=${item.url}","join":","}]}`,
			`{"entrypoint":["app",{"argv":["--verbose"],"when":"config.verbose"},{"arg":"--peer=${item.url}","each":"slots.peers","join":","}],"image":"ghcr.io/a:1"}`},
		{"env object forms", `{"path":"/b","env":{"B":{"value":"${item.url}","each":"slots.p","join":" "},"A":"x","C":{"value":"y","when":"slots.p"}}}`,
			`{"args":[],"env":{"A":"x","B":{"each":"slots.p","join":" ","value":"${item.url}"},"C":{"value":"y","when":"slots.p"}},"path":"/b"}`},
		{"network protocols", `{"path":"/b","network":{"endpoints":[{"name":"a","port":1,"protocol":"tcp"},{"name":"b","port":65535}]}}`,
			`{"args":[],"network":{"endpoints":[{"name":"a","port":1,"protocol":"tcp"},{"name":"b","port":65535,"protocol":"http"}]},"path":"/b"}`},
		{"mounts", `{"path":"/b","mounts":[{"kind":"file","path":[{"lit":"/etc/"},{"item":"name"}],"source":{"kind":"config","path":[{"config":"files"}]},"each":{"kind":"config","path":"files"},"when":{"kind":"slot","query":"s"}},` +
			`{"kind":"slot","path":"/data","slot":"store"},{"kind":"resource","path":"/r","resource":"state"},{"kind":"framework","capability":"docker","path":"/var/run/docker.sock"},` +
			`{"kind":"file","path":[{"scope":3,"slot":"s.url"},{"index":0,"item":"url","scope":3,"slot":"s"}],"source":{"kind":"config","path":[]}}]}`,
			`{"args":[],"mounts":[{"each":{"kind":"config","path":"files"},"kind":"file","path":[{"lit":"/etc/"},{"item":"name"}],"source":{"kind":"config","path":[{"config":"files"}]},"when":{"kind":"slot","query":"s"}},` +
				`{"kind":"slot","path":"/data","slot":"store"},{"kind":"resource","path":"/r","resource":"state"},{"capability":"docker","kind":"framework","path":"/var/run/docker.sock"},` +
				`{"kind":"file","path":[{"scope":3,"slot":"s.url"},{"index":0,"item":"url","scope":3,"slot":"s"}],"source":{"kind":"config","path":[]}}],"path":"/b"}`},
		{"vm", `{"vm":{"image":"disk.qcow2","cpus":"${config.cpus}","memory_mib":1024,"egress":"optional","cloud_init":{"user_data":"#cloud-config"},"network":{"endpoints":[{"name":"ssh","port":22,"protocol":"tcp"}]}},"env":{}}`,
			`{"vm":{"cloud_init":{"user_data":"#cloud-config","vendor_data":null},"cpus":"${config.cpus}","egress":"optional","image":"disk.qcow2","memory_mib":1024,"mounts":[],"network":{"endpoints":[{"name":"ssh","port":22,"protocol":"tcp"}]}}}`},
	}
	for _, tc := range tests {
		p, err := Decode([]byte(prog(tc.program)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := string(scenario.MustEncode(p.Interpositions[0].Interposer.Program)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestDecodeValues checks free JSON: numbers as serde_json holds them, the
// last of repeated keys, escapes and null as absent.
func TestDecodeValues(t *testing.T) {
	body := wrap(`{"config":{"a":1,"b":-2,"c":1.5,"d":-0,"e":18446744073709551615,"f":18446744073709551616,"a":3,"s":"\u00e9\ud83d\ude00\/\n"},"config_schema":null,"metadata":{"k":[true,false,null]}}`)
	p := mustDecode(t, body)
	ip := p.Interpositions[0].Interposer
	got := string(scenario.MustEncode(map[string]any{"config": ip.Config, "schema": ip.ConfigSchema, "metadata": ip.Metadata}))
	want := `{"config":{"a":3,"b":-2,"c":1.5,"d":-0.0,"e":18446744073709551615,"f":1.8446744073709552e19,"s":"é😀/\n"},"metadata":{"k":[true,false,null]},"schema":null}`
	if got != want {
		t.Errorf("values:\n got %s\nwant %s", got, want)
	}
	if !mustDecode(t, `{"interpositions":[]}`).Empty() {
		t.Error("a plan without interpositions is not empty")
	}
}
