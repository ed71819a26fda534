package program

import (
	"strings"

	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// maxRefLen bounds the text read as one placeholder.
const maxRefLen = 512

// TextRef is a `${slots…}` or `${config…}` placeholder found in the text
// of a `{ file }` reference that is not a manifest string (a cloud-init
// file), with the problem the program's checks find in it.
type TextRef struct {
	// Start and End delimit the placeholder in the text, from its `$` to
	// just after its `}` (when it is not closed, to the end of the path
	// being typed).
	Start, End int
	// Ref is the reference; its offsets are in the text too.
	Ref interp.Ref
	// Problem is what the slot-interpolation or config-reference check says
	// of it, with its Help; "" when it is sound.
	Problem, Help string
}

// TextRefs finds the `${slots…}` and `${config…}` placeholders of text,
// which the program of manifest m (the component moniker) reads at
// location (e.g. `program.vm.cloud_init.user_data`), and checks each as
// CheckSlotInterpolation and CheckConfigRefs check the program's own
// strings. Other `${…}` text (a shell's `${HOME}`) is not Amber's and is
// skipped. A placeholder runs to the first `}` of its line; one without is
// reported as not closed.
func TextRefs(m *manifest.Manifest, moniker, location, text string) []TextRef {
	slots := manifestSlots(m)
	var out []TextRef
	for at := 0; ; {
		i := strings.Index(text[at:], "${")
		if i < 0 {
			return out
		}
		start := at + i
		body := start + 2
		// A placeholder is a path, far shorter than maxRefLen: looking no
		// further keeps the scan linear whatever the text.
		end, closed := min(len(text), body+maxRefLen), false
		if nl := strings.IndexByte(text[body:end], '\n'); nl >= 0 {
			end = body + nl
		}
		if j := strings.IndexByte(text[body:end], '}'); j >= 0 {
			end, closed = body+j, true
		}
		if !closed {
			// A placeholder being typed: it runs while it can be a path.
			end = body + strings.IndexFunc(text[body:end]+" ", func(r rune) bool {
				return !(r == '.' || r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
			})
		}
		at = end
		word, _, _ := strings.Cut(text[body:end], ".")
		if word != "slots" && word != "config" {
			continue
		}
		ref, err := interp.ParseRef(text[:end][body:])
		tr := TextRef{Start: start, End: end}
		if closed {
			tr.End++
		}
		if err == nil {
			ref.Start += body
			ref.End += body
			for k := range ref.Segments {
				ref.Segments[k].Start += body
				ref.Segments[k].End += body
			}
			tr.Ref = ref
		}
		switch {
		case !closed:
			tr.Problem, tr.Help = "`${"+text[body:end]+"` is not closed", "End the placeholder with `}`."
		case ref.Source == interp.Slots:
			if p := slots.checkSlotsRef(ref.Query, moniker); p != nil {
				tr.Problem, tr.Help = p.message, p.help
			}
		case ref.Source == interp.Config:
			if p := configRefProblem(m.ConfigSchema, ref.Query, location); p != nil {
				tr.Problem = p.Message
			}
		}
		out = append(out, tr)
	}
}
