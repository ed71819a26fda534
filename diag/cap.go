package diag

import (
	"fmt"
	"slices"
	"strings"
)

// MaxPerFile is how many diagnostics of one file amber-lsp shows, in every
// output and in the editor; the rest are summed up in one diagnostic.
const MaxPerFile = 1000

// CapPerFile returns the diagnostics of one file, ds, when there are at
// most max of them. Otherwise it keeps the max most severe (the first ones
// among equals) in their order, and adds one Info diagnostic of code more
// that counts the others, placed where the first of them was: the output
// stays bounded whatever the file, and no error is dropped while a warning
// is kept. ds is not modified.
func CapPerFile(ds []Diagnostic, max int, more Code) []Diagnostic {
	if len(ds) <= max {
		return ds
	}
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(ds[a].Severity) - int(ds[b].Severity) })
	kept := make([]bool, len(ds))
	for _, i := range order[:max] {
		kept[i] = true
	}
	out := make([]Diagnostic, 0, max+1)
	var dropped [Hint + 1]int
	var first *Diagnostic
	for i := range ds {
		if kept[i] {
			out = append(out, ds[i])
			continue
		}
		if first == nil {
			first = &ds[i]
		}
		if s := ds[i].Severity; s >= Error && s <= Hint {
			dropped[s]++
		}
	}
	n := len(ds) - max
	summary := Diagnostic{Code: more, Severity: Info,
		Message: fmt.Sprintf("%d more diagnostics in this file are not shown (%s); at most %d are shown per file", n, counts(dropped), max),
		Help:    "Resolve the diagnostics shown; the others appear as these go."}
	if l, ok := first.Primary(); ok {
		summary.Labels = []Label{{File: l.File, Span: l.Span, Message: fmt.Sprintf("the first of %d diagnostics not shown", n), Primary: true}}
	}
	return append(out, summary)
}

// counts says how many diagnostics of each severity dropped holds.
func counts(dropped [Hint + 1]int) string {
	var parts []string
	for s, n := range dropped {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s(s)", n, Severity(s)))
		}
	}
	return strings.Join(parts, ", ")
}

// CapFiles applies CapPerFile to the diagnostics of every file of byFile.
func CapFiles(byFile map[string][]Diagnostic, max int, more Code) {
	for f, ds := range byFile {
		byFile[f] = CapPerFile(ds, max, more)
	}
}
