package render

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// jsonReport is the `--format json` document.
type jsonReport struct {
	Version     int         `json:"version"`
	Diagnostics []any       `json:"diagnostics"`
	Summary     jsonSummary `json:"summary"`
}

type jsonDiagnostic struct {
	Code     string      `json:"code"`
	Severity string      `json:"severity"`
	Message  string      `json:"message"`
	File     string      `json:"file"`
	Range    Range       `json:"range"`
	Labels   []jsonLabel `json:"labels"`
	Help     string      `json:"help,omitempty"`
	Fixes    []jsonFix   `json:"fixes,omitempty"`
}

type jsonLabel struct {
	File    string `json:"file"`
	Range   Range  `json:"range"`
	Message string `json:"message"`
	Primary bool   `json:"primary"`
}

type jsonFix struct {
	Title string     `json:"title"`
	Edits []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File    string `json:"file"`
	Range   Range  `json:"range"`
	NewText string `json:"new_text"`
}

type jsonSummary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Files    int `json:"files"`
}

// JSON writes the `--format json` report: one object, nothing else.
// checked is the number of manifest files checked. A diagnostic without a
// label is placed at 1:1 of fallbackFile.
func JSON(w io.Writer, diags []diag.Diagnostic, files *Files, checked int, fallbackFile string) error {
	rep := jsonReport{Version: 1, Diagnostics: JSONDiagnostics(diags, files, fallbackFile)}
	rep.Summary.Errors, rep.Summary.Warnings = diag.Count(diags)
	rep.Summary.Files = checked
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// JSONDiagnostics returns diagnostics in their `--format json` form, ready
// for encoding/json: the `diagnostics` array of the report, which other
// machine outputs (`--preview --format json`) embed too.
func JSONDiagnostics(diags []diag.Diagnostic, files *Files, fallbackFile string) []any {
	out := []any{}
	for _, d := range diags {
		jd := jsonDiagnostic{Code: string(d.Code), Severity: d.Severity.String(), Message: d.Message, Help: d.Help,
			Labels: []jsonLabel{}, File: fallbackFile, Range: Range{Pos{1, 1}, Pos{1, 1}}}
		if p, ok := d.Primary(); ok {
			jd.File, jd.Range = p.File, files.rangeOf(p.File, p.Span.Start, p.Span.End)
		}
		for _, l := range d.Labels {
			jd.Labels = append(jd.Labels, jsonLabel{File: l.File, Range: files.rangeOf(l.File, l.Span.Start, l.Span.End),
				Message: l.Message, Primary: l.Primary})
		}
		for _, f := range d.Fixes {
			jf := jsonFix{Title: f.Title}
			for _, e := range f.Edits {
				jf.Edits = append(jf.Edits, jsonEdit{File: e.File, Range: files.rangeOf(e.File, e.Span.Start, e.Span.End), NewText: e.NewText})
			}
			jd.Fixes = append(jd.Fixes, jf)
		}
		out = append(out, jd)
	}
	return out
}

// RangeOf converts a byte span of a file to its 1-based code-point range.
func (f *Files) RangeOf(file string, span diag.Span) Range {
	return f.rangeOf(file, span.Start, span.End)
}

// SARIF writes a SARIF 2.1.0 log with one run.
func SARIF(w io.Writer, diags []diag.Diagnostic, files *Files, version string) error {
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	type artifact struct {
		URI string `json:"uri"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           region   `json:"region"`
	}
	type message struct {
		Text string `json:"text"`
	}
	type location struct {
		PhysicalLocation physical `json:"physicalLocation"`
		Message          *message `json:"message,omitempty"`
	}
	type replacement struct {
		DeletedRegion   region `json:"deletedRegion"`
		InsertedContent struct {
			Text string `json:"text"`
		} `json:"insertedContent"`
	}
	type change struct {
		ArtifactLocation artifact      `json:"artifactLocation"`
		Replacements     []replacement `json:"replacements"`
	}
	type fix struct {
		Description     message  `json:"description"`
		ArtifactChanges []change `json:"artifactChanges"`
	}
	type result struct {
		RuleID           string     `json:"ruleId"`
		Level            string     `json:"level"`
		Message          message    `json:"message"`
		Locations        []location `json:"locations"`
		RelatedLocations []location `json:"relatedLocations,omitempty"`
		Fixes            []fix      `json:"fixes,omitempty"`
	}
	regionOf := func(file string, s diag.Span) region {
		r := files.rangeOf(file, s.Start, s.End)
		return region{r.Start.Line, r.Start.Column, r.End.Line, r.End.Column}
	}
	var results []result
	for _, d := range diags {
		text := d.Message
		if d.Help != "" {
			text += "\nhelp: " + d.Help
		}
		r := result{RuleID: string(d.Code), Level: sarifLevel(d.Severity), Message: message{text}, Locations: []location{}}
		for _, l := range d.Labels {
			loc := location{PhysicalLocation: physical{artifact{fileURI(l.File)}, regionOf(l.File, l.Span)}}
			if l.Message != "" {
				loc.Message = &message{l.Message}
			}
			if l.Primary && len(r.Locations) == 0 {
				r.Locations = append(r.Locations, loc)
			} else {
				r.RelatedLocations = append(r.RelatedLocations, loc)
			}
		}
		for _, f := range d.Fixes {
			sf := fix{Description: message{f.Title}}
			for _, e := range f.Edits {
				rep := replacement{DeletedRegion: regionOf(e.File, e.Span)}
				rep.InsertedContent.Text = e.NewText
				sf.ArtifactChanges = append(sf.ArtifactChanges, change{artifact{fileURI(e.File)}, []replacement{rep}})
			}
			r.Fixes = append(r.Fixes, sf)
		}
		results = append(results, r)
	}
	if results == nil {
		results = []result{}
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "amber-lsp", "version": version, "informationUri": "https://github.com/amberlsp/amber-lsp", "rules": sarifRules(diags),
			}},
			"columnKind": "unicodeCodePoints",
			"results":    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifRule describes one code (a SARIF reportingDescriptor).
type sarifRule struct {
	ID               string        `json:"id"`
	ShortDescription *sarifMessage `json:"shortDescription,omitempty"`
	// DefaultConfiguration holds the level of the code's diagnostics
	// before -D.
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

// sarifRules returns a rule for every registered code, the rules the tool
// supports, ordered by code: a consumer sees which checks ran even where
// nothing was found. A code of diags the registry does not know gets a bare
// rule, so every result's ruleId resolves.
func sarifRules(diags []diag.Diagnostic) []sarifRule {
	all := codes.All()
	rules := make([]sarifRule, 0, len(all))
	for _, c := range all {
		rules = append(rules, sarifRule{
			ID:                   string(c.Code),
			ShortDescription:     &sarifMessage{c.Doc},
			DefaultConfiguration: &sarifConfiguration{sarifLevel(c.Severity)},
		})
	}
	seen := map[diag.Code]bool{}
	for _, d := range diags {
		if _, known := codes.Lookup(d.Code); !known && !seen[d.Code] {
			seen[d.Code] = true
			rules = append(rules, sarifRule{ID: string(d.Code)})
		}
	}
	slices.SortFunc(rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// fileURI turns a path into a file URI; URIs are kept as they are.
func fileURI(file string) string {
	if strings.Contains(file, "://") {
		return file
	}
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(file)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
}
