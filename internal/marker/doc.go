// Package marker runs marker tests: small workspaces whose manifests say,
// in comments, what amber-lsp must report and answer there. Every case is
// checked twice, against package analysis and through the real language
// server, and both must satisfy every marker.
//
// # Cases
//
// A case is one text archive, <name>.txtar (see internal/txtar). The
// archive's comment says what the case is about. Its files (manifests, the
// program files they name, sub-directories) are written to a fresh
// directory, the case's workspace folder. Sections whose name starts with
// `@` are not files:
//
//	-- @settings --     the `amber` settings as JSON, e.g. {"roots": ["root.json5"], "lint": {"denyWarnings": true}};
//	                    the analysis run reads roots, lint.denyWarnings, remote.fetch and limits.instances
//	-- @diagnostics --  golden: every diagnostic in full (labels, help, fixes)
//	-- @hovers --       golden: the whole text of every hover marker's hover
//	-- @format --       golden: the text after the edits of every format marker
//	-- @folding --      golden: every folding range of each file with a folding marker
//	-- @selections --   golden: the whole chain of every selection marker
//	-- @renames --      golden: the lines every rename marker changes, or its refusal
//	-- @calls --        golden: the items and calls of every calls marker
//
// Golden sections are optional. `go test ./pkg/ -update` rewrites the
// golden sections a case has; to start one, add the empty section and run
// with -update. Paths below the case folder read `$DIR` in golden text and
// in messages.
//
// The cases live beside the code they are about: manifest/testdata/markers
// (one manifest's parse, validation and lint rules), linker/testdata/link
// (link checks across a tree), analysis/testdata/features (hover,
// definition, completion, fixes, references, highlights, rename, lenses, call
// hierarchy); testdata/pass and testdata/fail here test
// the harness itself.
//
// # Runs
//
// Each case runs in parallel with the others, once per backend:
//
//   - analysis: an analysis.Workspace with the folder, the settings, and
//     every file holding a marker set as an open document;
//   - lsp: lsp.Serve over a pipe, initialized with the folder and the
//     settings (initializationOptions, UTF-16 positions), a didOpen of the
//     same files, then one request per marker, then shutdown and exit.
//
// The files holding markers are the open documents (when no file holds a
// marker, every manifest is opened); the others are read from disk.
//
// # Markers
//
// A marker is a call in a line comment that starts with `//@`:
//
//	slots: { api: { kind: "http" } }, //@diag("manifest::unused_slot", "api") hover("http", "capability kind")
//
// A comment holds one or more calls separated by spaces. Arguments are Go
// string literals ("..." or `...`) separated by commas. Markers are read
// from *.json5 and *.json files, and from *.yaml and *.yml files (the
// cloud-init files manifests name), there in a `#` comment: `# //@diag(...)`.
//
// Most markers name a place by a piece of text: the text is looked for in
// the code of the marker's line (before the comment) and, when it is not
// there, on the nearest line above that has it. So a marker at the end of
// a line speaks of that line, and one on a line of its own speaks of the
// code above it.
//
//	diag(code, text)           a diagnostic with that code whose primary span starts on
//	diag(code, text, message)  text's line with text; with message, its message is exactly that
//	hover(text, substring)     the hover at the start of text contains substring (and its span holds the cursor)
//	def(text, target)          a definition at the start of text is at target: "file:line:col"
//	                           (1-based, columns in bytes), or else the text the definition starts with
//	complete(text, label...)   completing at the end of text offers each label, and none written "!label"
//	fix(code, text)            applying the fixes of the `code` diagnostics that start on the marker's line
//	                           makes that line contain text (which it did not before)
//	format()                   formatting the file gives edits that keep what it means and a text that
//	                           formatting leaves alone; a file with syntax errors gets no edit
//	format(text)               the same for range formatting, the range being text
//	folding(text, kind)        a folding range of kind ("region" or "comment") starts within text (its end
//	                           included)
//	selection(text, range...)  the selection ranges at the start of text begin with ranges holding exactly
//	                           the given texts, innermost first; each holds the one before, the last is the
//	                           whole file
//	action(text, title)        the code actions at the start of text include one titled title ("!title": none)
//	action(text, title, file, substring...)
//	                           ...and applying it (creating the files it creates) leaves every manifest it
//	                           touches without syntax errors and makes file contain each substring
//	fixAll(substring...)       the file's one source.fixAll action, applied, leaves it without syntax
//	                           errors and makes it contain each substring
//	refs(text, location...)    the references at the start of text, declaration included, are exactly
//	                           these places where a name starts, "file:line:col" (as def); "none": no reference
//	highlight(text, place...)  the document highlights at the start of text are exactly these places of the
//	                           file (as refs), the declaration's written "decl file:line:col"; "none": none
//	rename(text, new, expect...) renaming at the start of text to new edits exactly the places listed
//	                           (each edit writing new); "error: substring": refused with such a message
//	prepareRename(text, name)  a rename at the start of text renames name, written where its range is;
//	                           "none": nothing renamable there; "error: substring": refused
//	lens(text, title)          a code lens with that title starts where text starts ("none": no lens);
//	                           a lens "N references" lists N places
//	calls(text, dir, name...)  the call hierarchy at the start of text has, incoming ("in") or outgoing
//	                           ("out"), calls of exactly the items named ("none": none); their ranges
//	                           lie in the caller's file
//	symbols(text, path)        the outline has an entry named by the text starting at text, whose names from
//	                           the top are path, joined by " > " (e.g. "slots > api"); entries nest properly
//	wsymbols(query, name...)   a workspace symbol query offers each name (written "name" or "name@file"), in
//	                           that order, and none written "!name"
//	tokens(text, type)         a semantic token covers exactly text, of type "type" or "type.modifier...",
//	                           LSP names (e.g. "parameter.declaration"), in the whole file and in its line
//	links(text, target)        a document link starts at text and goes to target (a case file or a URL);
//	                           with target "", none starts there
//	inlay(text, label)         an inlay hint with label shows at the end of text; with label "", none does
//
// Diagnostics are compared as a whole: every diagnostic must be announced
// by a diag marker in the file it belongs to, and every diag marker must
// match one. With a @diagnostics section the full detail is compared as
// well, files in name order, each file's diagnostics in the order
// reported, positions 1-based with columns in code points:
//
//	app.json5:4:5-4:10: warning manifest::unused_slot: slot `spare` is never used (in component /)
//	  primary: "unused slot `spare`"               the primary label's message
//	  secondary root.json5:2:3-2:8: "declared here"  another label ("primary" when it is one too)
//	  help: Remove the slot ...
//	  fix: Remove the slot                          a fix and its edits
//	    edit app.json5:4:5-4:31: ""
//
// What LSP does not carry (the primary label's message, whether another
// label is primary, the fixes) is compared in the analysis run only; the
// rest of the section in both.
//
// # Adding a marker
//
// A marker is one function, func(m *mark), registered with the names of
// its parameters in the markers table (marker.go); hover.go is the model.
// It finds its place with m.start or m.end, asks m.backend(), and reports
// with m.errorf. When it needs a feature the backends do not answer yet,
// add one method to the backend interface (backend.go), returning the
// neutral types there (case-relative file names, byte offsets), and answer
// it in the marker's file twice: on *analysisBackend from the Snapshot, on
// *lspBackend by a request through b.cl.call, decoding only the fields the
// marker reads. A new golden section is one name in goldenSections, filled
// through m.r.golden.
package marker
