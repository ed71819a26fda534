package program

import (
	"sort"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/manifest"
	"github.com/amberlsp/amber-lsp/manifest/configschema"
	"github.com/amberlsp/amber-lsp/manifest/interp"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// ProblemKind classifies a config-reference problem.
type ProblemKind int

// Problem kinds.
const (
	// NoSchema: a config reference in a component without config_schema.
	NoSchema ProblemKind = iota
	// BadConfigPath: a config reference to a path the schema does not have.
	BadConfigPath
	// SlotsInParam: a `${slots...}` in a resource param.
	SlotsInParam
	// UnsupportedSource: another interpolation source in a resource param.
	UnsupportedSource
)

// Labels of config-reference problems (linker.md §4.1).
const (
	LabelConfigDefinitionRequired = "config definition required"
	LabelInvalidConfigReference   = "invalid config reference"
	LabelInvalidInterpolation     = "invalid interpolation here"
)

// Problem is a config-reference problem, reported by the caller as
// linker::invalid_config with message `invalid config for {P}: {Message}`.
type Problem struct {
	Kind ProblemKind // what is wrong with the reference
	// Location is Amber's location, e.g. `program.env.TOKEN` or
	// `resources.state.params.size`.
	Location string
	Message  string // the text after `invalid config for {P}: `
	Label    string // one of the Label* constants, the label of Span
	// Span is set for resource params: the value span of the param (else of
	// `params`, else of the resource). Program problems are reported at the
	// config site, which only the linker knows; their Span is the
	// reference's value, for editors.
	Span diag.Span
}

// CheckConfigRefs returns the program config-reference problems of a
// manifest (linker.md §4.1 step 2), in program order: every `${config.<q>}`
// in the program's strings and every `config.<q>` in `when` / `each` needs
// a config_schema with that path. read resolves `{ file }` references (nil
// skips them).
func CheckConfigRefs(m *manifest.Manifest, read FileReader) []Problem {
	if m == nil || m.Program == nil {
		return nil
	}
	var out []Problem
	for _, s := range programSites(m, read) {
		if s.cfgLoc == "" {
			continue
		}
		for _, q := range configQueries(s) {
			if p := configRefProblem(m.ConfigSchema, q, s.cfgLoc); p != nil {
				p.Span = valueSpan(m.Root, s.ptr)
				out = append(out, *p)
			}
		}
	}
	return out
}

// configQueries returns the config paths a site references.
func configQueries(s site) []string {
	switch s.kind {
	case siteWhen:
		if ref, err := interp.ParseRef(s.text); err == nil && ref.Source == interp.Config {
			return []string{ref.Query}
		}
		return nil
	case siteEach:
		if q, ok := cutPrefix(s.text, "config."); ok {
			return []string{q}
		}
		return nil
	}
	t, err := interp.Parse(s.text)
	if err != nil {
		return nil
	}
	var out []string
	for _, part := range t.Refs() {
		if part.Ref.Source == interp.Config {
			out = append(out, part.Ref.Query)
		}
	}
	return out
}

// configRef renders a reference as Amber does in messages: `${config}` or
// `${config.<q>}`.
func configRef(q string) string {
	if q == "" {
		return "${config}"
	}
	return "${config." + q + "}"
}

// noSchemaMessage is Amber's text for config path q referenced by a
// component without a config_schema, after its location.
func noSchemaMessage(q string) string {
	return "references " + configRef(q) + ", but this component does not declare `config_schema`"
}

// configRefProblem checks one config path against the schema.
func configRefProblem(schema *json5.Node, q, location string) *Problem {
	if schema == nil {
		return &Problem{
			Kind:     NoSchema,
			Location: location,
			Message:  location + " " + noSchemaMessage(q),
			Label:    LabelConfigDefinitionRequired,
		}
	}
	if outcome, _, failure := configschema.Lookup(schema, q); outcome == configschema.Missing {
		return &Problem{
			Kind:     BadConfigPath,
			Location: location,
			Message:  "invalid " + configRef(q) + " reference in " + location + ": " + failure,
			Label:    LabelInvalidConfigReference,
		}
	}
	return nil
}

// CheckResourceParams returns the problems of resource params (linker.md
// §4.1 step 3), resources in name order and params in the order size,
// retention, sharing: config references need the schema and a known path,
// `${slots...}` and `${item...}` are not allowed. Each Problem's Span is
// where the caller reports it.
func CheckResourceParams(m *manifest.Manifest) []Problem {
	if m == nil {
		return nil
	}
	var out []Problem
	for _, r := range sortedResources(m.Resources) {
		params := []struct {
			name string
			s    *manifest.Str
		}{{"size", r.Size}, {"retention", r.Retention}, {"sharing", r.Sharing}}
		for _, p := range params {
			if p.s == nil {
				continue
			}
			loc := "resources." + r.Name + ".params." + p.name
			span := nodeSpan(p.s.Node, r.Node.Get("params"), r.Node)
			for _, pr := range paramProblems(m.ConfigSchema, p.s.Value, loc) {
				pr.Span = span
				out = append(out, pr)
			}
		}
	}
	return out
}

func paramProblems(schema *json5.Node, text, loc string) []Problem {
	t, err := interp.Parse(text)
	if err != nil {
		return nil // reported at parse time
	}
	var out []Problem
	for _, part := range t.Refs() {
		switch part.Ref.Source {
		case interp.Config:
			if p := configRefProblem(schema, part.Ref.Query, loc); p != nil {
				out = append(out, *p)
			}
		case interp.Slots:
			out = append(out, Problem{Kind: SlotsInParam, Location: loc, Label: LabelInvalidInterpolation,
				Message: loc + " uses ${slots...}, but resource params only support literal strings and ${config...}"})
		default:
			out = append(out, Problem{Kind: UnsupportedSource, Location: loc, Label: LabelInvalidInterpolation,
				Message: loc + " uses unsupported interpolation source `" + part.Ref.Source.String() + "`"})
		}
	}
	return out
}

func sortedResources(rs []*manifest.Resource) []*manifest.Resource {
	out := append([]*manifest.Resource(nil), rs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
