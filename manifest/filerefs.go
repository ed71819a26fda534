package manifest

import (
	"strconv"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// FileText says how Amber checks the text a `{ file }` reference loads
// (6.2): the reference's place in the program decides.
type FileText int

const (
	// FileUnchecked text is read but never checked: `cloud_init` data.
	FileUnchecked FileText = iota
	// FileInterpolated text is one interpolated string (7.1): `image`,
	// `path`, `vm.image`, one argument, an env value.
	FileInterpolated
	// FileShell text is a shell string (6.3): each word it splits into is
	// an interpolated string. `entrypoint`, `args` and `argv` in that form.
	FileShell
)

// FileRef is one `{ file: "..." }` reference of a program.
type FileRef struct {
	Path    *Str        // the `file` value: the path as written
	Node    *json5.Node // the `{ file }` object
	Pointer string      // Amber's JSON pointer of the reference, named in its errors: `/program/entrypoint/0/arg`
	Text    FileText    // how the loaded text is checked
	// Bare is set when Pointer names no value of the source: a `{ file }`
	// argument item or env value written without `arg` / `value`, whose
	// pointer Amber still ends in `/arg` / `/value`. Amber then labels
	// the program instead (6.2).
	Bare bool
}

// FileRefs returns the program's `{ file }` references in the order Amber
// resolves them: `image`, `path`, `vm.image`, the `cloud_init` texts,
// `entrypoint` or `args` (each item in order, with its `argv`), then `env`
// in source order. A nil program has none.
func (p *Program) FileRefs() []FileRef {
	if p == nil {
		return nil
	}
	var out []FileRef
	spec := func(s *StringSpec, pointer string, text FileText, bare bool) {
		if s != nil && s.File != nil {
			out = append(out, FileRef{Path: s.File, Node: s.Node, Pointer: pointer, Text: text, Bare: bare})
		}
	}
	spec(p.Image, "/program/image", FileInterpolated, false)
	spec(p.Path, "/program/path", FileInterpolated, false)
	if p.VM != nil {
		spec(p.VM.Image, "/program/vm/image", FileInterpolated, false)
		spec(p.VM.UserData, "/program/vm/cloud_init/user_data", FileUnchecked, false)
		spec(p.VM.VendorData, "/program/vm/cloud_init/vendor_data", FileUnchecked, false)
	}
	command := func(c *Command, pointer string) {
		if c == nil {
			return
		}
		if c.File != nil {
			out = append(out, FileRef{Path: c.File, Node: c.Node, Pointer: pointer, Text: FileShell})
		}
		for i, it := range c.Items {
			ip := pointer + "/" + strconv.Itoa(i)
			spec(it.Plain, ip+"/arg", FileInterpolated, true)
			spec(it.Arg, ip+"/arg", FileInterpolated, false)
			if it.Argv == nil {
				continue
			}
			if it.Argv.File != nil {
				out = append(out, FileRef{Path: it.Argv.File, Node: it.Argv.Node, Pointer: ip + "/argv", Text: FileShell})
			}
			for j, a := range it.Argv.Items {
				spec(a.Plain, ip+"/argv/"+strconv.Itoa(j), FileInterpolated, false)
			}
		}
	}
	command(p.Entrypoint, "/program/entrypoint")
	command(p.Args, "/program/args")
	for _, e := range p.Env {
		spec(e.Value, "/program/env/"+e.Name+"/value", FileInterpolated, !e.Object)
	}
	return out
}
