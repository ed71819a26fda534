package analysis

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/program"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// Sidecar files are the files a manifest names beside it whose text is
// not a manifest string: the cloud-init data of a VM program written as
// `{ file: "…" }`. Amber gives them to the VM unread (and checks only the
// placeholders in them, when linking, at the `{ file }` reference). The
// report reads each through the snapshot, as the link does, and reports
// in the file itself: YAML that does not parse, a missing `#cloud-config`
// header, and `${slots…}` / `${config…}` placeholders that name nothing.
// Hover and definition work inside the file, on its placeholders, and
// lead back to the declarations of the manifest that names it.

// sidecar is a cloud-init file a manifest names.
type sidecar struct {
	manifest string // the manifest, an absolute path
	field    string // "user_data" or "vendor_data"
	path     string // the file, resolved against the manifest's directory
	ref      *json5.Node
	m        *manifest.Manifest
}

// location is Amber's name of the field, as program checks word it.
func (sc sidecar) location() string { return "program.vm.cloud_init." + sc.field }

// sidecarsOf lists the cloud-init files of an analysed manifest at path.
func sidecarsOf(path string, p *parsed) []sidecar {
	if p == nil || p.res == nil || p.res.Manifest == nil || p.res.Manifest.Program == nil || p.res.Manifest.Program.VM == nil {
		return nil
	}
	m := p.res.Manifest
	var out []sidecar
	for _, f := range []struct {
		field string
		spec  *manifest.StringSpec
	}{{"user_data", m.Program.VM.UserData}, {"vendor_data", m.Program.VM.VendorData}} {
		if f.spec == nil || f.spec.File == nil || strings.TrimSpace(f.spec.File.Value) == "" {
			continue
		}
		file := f.spec.File.Value
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(path), file)
		}
		out = append(out, sidecar{manifest: path, field: f.field, path: filepath.Clean(file), ref: f.spec.File.Node, m: m})
	}
	return out
}

// maxSidecarSize bounds the cloud-init files that are parsed as YAML, and
// maxSidecarRefProblems the placeholders reported in one file.
const (
	maxSidecarSize        = 4 << 20
	maxSidecarRefProblems = 100
)

// sidecarDiagnostics returns the diagnostics of the cloud-init files of
// the report's manifests (those of the folders and those the links read),
// grouped by file as a link's are, and records who names each in
// r.Sidecars.
func (s *Snapshot) sidecarDiagnostics(ctx context.Context, r *Report, links []*RootLink, gen uint64) map[string]*fileDiags {
	monikers := map[string]string{} // manifest -> the moniker of its first component
	var order []string
	// Instances of one manifest name it with one string: each distinct
	// name is cleaned once, not once per instance (and instances in a row
	// are not even looked up).
	named := map[string]bool{}
	last := ""
	for _, l := range links {
		if l == nil || l.Result == nil {
			continue
		}
		for _, c := range l.Result.Components {
			p := c.Node.File
			if p == last && p != "" || named[p] {
				continue
			}
			named[p], last = true, p
			if lp, ok := linker.LocalPath(p); ok {
				p = lp
			}
			if !filepath.IsAbs(p) {
				continue
			}
			p = filepath.Clean(p)
			if _, seen := monikers[p]; !seen {
				monikers[p] = c.Moniker
				order = append(order, p)
			}
		}
	}
	for _, m := range r.Manifests {
		if _, seen := monikers[m]; !seen {
			monikers[m] = ""
			order = append(order, m)
		}
	}
	defer func() {
		for _, ms := range r.Sidecars {
			slices.Sort(ms)
		}
	}()
	var ds []diag.Diagnostic
	for _, m := range order {
		if ctx.Err() != nil {
			return nil
		}
		for _, sc := range sidecarsOf(m, s.analyze(m, gen)) {
			if !slices.Contains(r.Sidecars[sc.path], m) {
				if r.Sidecars == nil {
					r.Sidecars = map[string][]string{}
				}
				r.Sidecars[sc.path] = append(r.Sidecars[sc.path], m)
			}
			h := s.handle(sc.path)
			if h.err != nil {
				continue // validation reports the missing file at the reference
			}
			moniker := monikers[m]
			if moniker == "" {
				moniker = filepath.Base(m)
			}
			ds = append(ds, checkSidecar(sc, moniker, h.text)...)
		}
	}
	return groupByFile("", ds, func(p string) uint64 { return s.handle(p).hash }, nil)
}

// checkSidecar returns the diagnostics of the cloud-init file sc names,
// whose text is text, read by the component moniker.
func checkSidecar(sc sidecar, moniker string, text []byte) []diag.Diagnostic {
	what := "cloud-init " + strings.ReplaceAll(sc.field, "_", " ")
	decl := diag.Label{File: sc.manifest, Span: sc.ref.Span(), Message: "read as " + what + " here"}
	at := func(code diag.Code, sev diag.Severity, span diag.Span, msg, label, help string) diag.Diagnostic {
		return diag.Diagnostic{Code: code, Severity: sev, Message: msg, Help: help,
			Labels: []diag.Label{{File: sc.path, Span: span, Message: label, Primary: true}, decl}}
	}
	var out []diag.Diagnostic
	kind := cloudInitKind(text)
	if kind == cloudInitUnknown {
		first := diag.Span{End: lineEnd(text, 0)}
		d := at(codes.CloudInitHeader, diag.Warning, first,
			what+" does not start with `#cloud-config`; cloud-init ignores data it cannot identify",
			"expected `#cloud-config` first", "Make `#cloud-config` the first line, or start a script with `#!`.")
		eol := "\n"
		if bytes.Contains(text, []byte("\r\n")) {
			eol = "\r\n"
		}
		d.Fixes = []diag.Fix{{Title: "Insert `#cloud-config`", Preferred: true,
			Edits: []diag.Edit{{File: sc.path, NewText: "#cloud-config" + eol}}}}
		out = append(out, d)
	}
	if (kind == cloudInitConfig || kind == cloudInitUnknown) && len(text) <= maxSidecarSize {
		if span, msg, bad := yamlProblem(text); bad {
			out = append(out, at(codes.CloudInitYaml, diag.Error, span, what+" is not valid YAML: "+msg, msg,
				"cloud-init reads this file as YAML when the VM boots."))
		}
	}
	bad := 0
	for _, tr := range program.TextRefs(sc.m, moniker, sc.location(), string(text)) {
		if tr.Problem == "" {
			continue
		}
		if bad++; bad > maxSidecarRefProblems {
			break
		}
		span := diag.Span{Start: tr.Start, End: tr.End}
		if tr.Ref.End > tr.Ref.Start {
			span = diag.Span{Start: tr.Ref.Start, End: tr.Ref.End}
		}
		out = append(out, at(codes.CloudInitReference, diag.Error, span,
			"invalid reference in "+moniker+" ("+sc.location()+"): "+tr.Problem, "invalid reference", tr.Help))
	}
	return out
}

// cloudInitFormat is what the first line of cloud-init data says it is.
type cloudInitFormat int

const (
	cloudInitUnknown cloudInitFormat = iota // no header cloud-init knows
	cloudInitConfig                         // `#cloud-config`: YAML
	cloudInitOther                          // a script, an include list, a template, MIME, …
)

// cloudInitHeaders are the first lines (prefixes) of cloud-init formats
// other than cloud-config YAML.
var cloudInitHeaders = []string{"#!", "#include", "#cloud-boothook", "#part-handler", "#upstart-job",
	"#cloud-config-archive", "#cloud-config-jsonp", "## template:", "content-type:", "mime-version:"}

// cloudInitKind reads the header of cloud-init data.
func cloudInitKind(text []byte) cloudInitFormat {
	text = bytes.TrimPrefix(text, []byte("\uFEFF"))
	first := strings.TrimRight(string(text[:lineEnd(text, 0)]), " \t\r")
	if first == "#cloud-config" {
		return cloudInitConfig
	}
	lower := strings.ToLower(first)
	for _, h := range cloudInitHeaders {
		if strings.HasPrefix(lower, h) {
			return cloudInitOther
		}
	}
	return cloudInitUnknown
}

// lineEnd returns the end of the line starting at off (before its line
// break).
func lineEnd(text []byte, off int) int {
	if i := bytes.IndexByte(text[off:], '\n'); i >= 0 {
		end := off + i
		if end > off && text[end-1] == '\r' {
			end--
		}
		return end
	}
	return len(text)
}

// yamlLine reads the line number yaml.v3 puts in its errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseYAML parses every document of text, returning the first error.
func parseYAML(text []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for range 1000 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
	return nil
}

// maxProbes and maxProbeBytes bound the prefixes yamlProblem parses to
// find the line of an error.
const (
	maxProbes     = 64
	maxProbeBytes = 8 << 20
)

// yamlProblem reports where text stops being YAML and why. yaml.v3 names
// only a line, often the start of the construct that holds the mistake;
// the mistake is on the first line from there whose prefix of the text
// fails with the same message. The span is that line's text, or the
// character the message is about.
func yamlProblem(text []byte) (diag.Span, string, bool) {
	err := parseYAML(text)
	if err == nil {
		return diag.Span{}, "", false
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(err.Error(), m[0])
	}
	starts := []int{0}
	for i, c := range text {
		if c == '\n' && i+1 < len(text) {
			starts = append(starts, i+1)
		}
	}
	found := min(max(line, 1), len(starts)) - 1 // 0-based
	read := 0
	for l := max(found-1, 0); l < len(starts) && l < found+maxProbes && read < maxProbeBytes; l++ {
		prefix := text[:lineEnd(text, starts[l])]
		read += len(prefix)
		e := parseYAML(prefix)
		if e != nil && strings.HasSuffix(e.Error(), msg) {
			found = l
			break
		}
	}
	start, end := starts[found], lineEnd(text, starts[found])
	lineText := text[start:end]
	span := diag.Span{Start: start + len(lineText) - len(bytes.TrimLeft(lineText, " \t")), End: end}
	switch {
	case strings.Contains(msg, "cannot start any token") || strings.Contains(msg, "found a tab character"):
		if i := bytes.IndexByte(lineText, '\t'); i >= 0 {
			span = diag.Span{Start: start + i, End: start + i + 1}
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		// The second `key:` of the line.
		if i := bytes.Index(lineText, []byte(": ")); i >= 0 {
			if j := bytes.LastIndex(lineText, []byte(":")); j > i {
				span = diag.Span{Start: start + j, End: start + j + 1}
			}
		}
	}
	if span.End <= span.Start {
		span = diag.Span{Start: start, End: end}
	}
	return span, msg, true
}

// sidecarFeature is a cloud-init file as hover and definition read it:
// its text and the manifests that name it.
type sidecarFeature struct {
	path      string
	text      []byte
	manifests []string
}

// sidecarFile returns the cloud-init file at path when the snapshot's
// report has a manifest naming it, or nil. With wait it computes the
// report when it is not ready; without, it answers nil then.
func (s *Snapshot) sidecarFile(ctx context.Context, path string, wait bool) (*sidecarFeature, error) {
	path = cleanPath(path)
	s.mu.Lock()
	rep := s.report
	s.mu.Unlock()
	if rep == nil && wait {
		var err error
		if rep, err = s.Diagnostics(ctx); err != nil {
			return nil, err
		}
	}
	if rep == nil || len(rep.Sidecars[path]) == 0 {
		return nil, nil
	}
	h := s.handle(path)
	if h.err != nil {
		return nil, nil
	}
	return &sidecarFeature{path: path, text: h.text, manifests: rep.Sidecars[path]}, nil
}

// identify returns what the placeholder under off names, as a symbol of a
// manifest (its span in the cloud-init file), or false.
func (sf *sidecarFeature) identify(off int) (symbol, bool) {
	if off < 0 || off > len(sf.text) {
		return symbol{}, false
	}
	start := bytes.LastIndexByte(sf.text[:off], '\n') + 1
	end := lineEnd(sf.text, start)
	if off > end {
		return symbol{}, false
	}
	// The line as a string written verbatim: decoded offsets are offsets
	// of the file, less the line's start.
	line := &json5.Node{Kind: json5.String, Start: start - 1, End: end + 1, Text: string(sf.text[start:end])}
	d := off - start
	open, close, ok := placeholderAround(line.Text, d)
	if !ok || d < open-2 {
		return symbol{}, false
	}
	if d < open {
		d = open // on the `${`: the reference's source
	}
	return pathRef(line, d, open, close)
}

// features runs f on the feature file of each manifest naming the
// cloud-init file, in order, until it answers.
func (s *Snapshot) sidecarFeatures(ctx context.Context, sf *sidecarFeature, f func(*featureFile) bool) error {
	for _, m := range sf.manifests {
		mf, err := s.featureFile(ctx, m)
		if err != nil {
			return err
		}
		if mf != nil && f(mf) {
			return nil
		}
	}
	return nil
}

// sidecarHover is Hover in a cloud-init file.
func (s *Snapshot) sidecarHover(ctx context.Context, sf *sidecarFeature, off int) (*Hover, error) {
	sym, ok := sf.identify(off)
	if !ok {
		return nil, nil
	}
	var h *Hover
	err := s.sidecarFeatures(ctx, sf, func(mf *featureFile) bool {
		if md := mf.hover(ctx, sym); md != "" {
			// The span holds the cursor, which may be on a field (`url`)
			// after the name the hover is about.
			sp := diag.Span{Start: min(sym.span.Start, off), End: max(sym.span.End, off)}
			h = &Hover{Markdown: md + "\n\n(from `" + mf.base() + "`)", Span: sp}
		}
		return h != nil
	})
	return h, err
}

// sidecarDefinition is Definition in a cloud-init file: the declarations
// of every manifest naming it.
func (s *Snapshot) sidecarDefinition(ctx context.Context, sf *sidecarFeature, off int) ([]Location, error) {
	sym, ok := sf.identify(off)
	if !ok {
		return nil, nil
	}
	var locs []Location
	err := s.sidecarFeatures(ctx, sf, func(mf *featureFile) bool {
		for _, l := range mf.definition(ctx, sym) {
			if !slices.Contains(locs, l) {
				locs = append(locs, l)
			}
		}
		return false
	})
	return locs, err
}

// isYAML reports whether path names a YAML file, which is never a
// manifest even when open.
func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}
