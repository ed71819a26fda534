package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of reading a manifest's text: JSON5 syntax and encoding (package
// manifest/json5). Each one's documentation is its define call.
var (
	JSON5Error = define(Info{
		Code:     "manifest::json5_error",
		Severity: diag.Error,
		Doc:      "The manifest is not valid JSON5.",
		Trigger: "A syntax error: a missing comma or colon, an unclosed string, object or array, " +
			"a value JSON5 does not allow, or an empty file. The label says what was expected.",
		Example: `
{
  manifest_version: "0.3.0"
  slots: {},
}
`,
		Fix: "Correct the syntax at the label; JSON5 allows comments, trailing commas, unquoted keys and single-quoted strings.",
	})

	InvalidUTF8 = define(Info{
		Code:     "amber_lsp::invalid_utf8",
		Severity: diag.Error,
		Doc:      "The manifest contains a byte that is not UTF-8.",
		Trigger:  "A byte sequence that is not valid UTF-8, for example a file saved as Latin-1. A run of such bytes is reported once.",
		Example:  "// saved as Latin-1: caf\xe9\n{ manifest_version: \"0.3.0\" }\n",
		Fix:      "Save the file as UTF-8.",
	})

	NULByte = define(Info{
		Code:     "amber_lsp::nul_byte",
		Severity: diag.Error,
		Doc:      "The manifest contains a NUL byte outside a string.",
		Trigger:  "A byte 0 between tokens, which usually means the file is binary or was saved as UTF-16. A run of NUL bytes is reported once.",
		Example:  "{ manifest_version: \"0.3.0\" }\x00\n",
		Fix:      "Save the file as UTF-8 text and remove the NUL byte.",
	})

	NestingTooDeep = define(Info{
		Code:     "amber_lsp::nesting_too_deep",
		Severity: diag.Error,
		Doc:      "Objects and arrays are nested too deeply to analyse.",
		Trigger: "Objects and arrays nested more than 512 levels deep. The content below that depth is " +
			"skipped, so later diagnostics may be missing.",
		ProseExample: "A manifest whose value holds 513 nested arrays, `[[[[…]]]]`; too long to show here.",
		Fix:          "Flatten the structure; no manifest needs that depth.",
	})

	ByteOrderMark = define(Info{
		Code:     "amber_lsp::byte_order_mark",
		Severity: diag.Hint,
		Tags:     Unnecessary,
		Doc:      "The manifest starts with a UTF-8 byte order mark.",
		Trigger:  "The bytes `EF BB BF` at the start of the file. Amber reads them as whitespace, so nothing breaks.",
		Example:  "\ufeff{ manifest_version: \"0.3.0\" }\n",
		Fix:      "Save the file as UTF-8 without a byte order mark.",
	})

	TrailingContent = define(Info{
		Code:     "amber_lsp::trailing_content",
		Severity: diag.Warning,
		Tags:     Unnecessary,
		Doc:      "There is content after the manifest's root value.",
		Trigger: "Anything but whitespace and comments after the closing brace of the root object. Amber " +
			"ignores it, and the positions of its other diagnostics fall back to the start of the file.",
		Example: `
{ manifest_version: "0.3.0" }
{ manifest_version: "0.3.0" }
`,
		Fix: "Remove the trailing content, or move it inside the root object.",
	})

	FileTooLarge = define(Info{
		Code:         "amber_lsp::file_too_large",
		Severity:     diag.Error,
		Doc:          "The manifest is too large to parse.",
		Trigger:      "A file of 2 GiB or more; it is not parsed at all.",
		ProseExample: "Any file of 2 GiB or more; too large to show here.",
		Fix:          "Split the manifest into child components, each in its own file.",
	})
)
