package diag

import (
	"fmt"
	"slices"
	"strings"
)

// MaxPerFile is how many diagnostics of one file amber-lsp shows, in every
// output and in the editor; the others are summed up in one diagnostic.
// Each producer also stops building diagnostics for a file past this many
// (see Budget), so that a file with a problem in every one of a million
// members costs what its tree costs, not a million messages.
const MaxPerFile = 1000

// Counts counts diagnostics by severity.
type Counts [Hint + 1]int

// Add counts one diagnostic of severity s.
func (c *Counts) Add(s Severity) {
	if s >= Error && s <= Hint {
		c[s]++
	}
}

// Total returns the number of diagnostics counted.
func (c *Counts) Total() int {
	n := 0
	for _, k := range c {
		n += k
	}
	return n
}

// String lists the counts by severity, e.g. "3 error(s), 1 warning(s)".
func (c *Counts) String() string {
	var parts []string
	for s, n := range c {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s(s)", n, Severity(s)))
		}
	}
	return strings.Join(parts, ", ")
}

// Budget bounds the diagnostics one producer builds for one file: the
// producer asks Allow before keeping each diagnostic and adds Summary's
// diagnostic when it is done. The zero value is a fresh budget.
type Budget struct {
	kept     int
	left     Counts
	first    Label // the primary label of the first diagnostic Keep refused
	hasFirst bool
}

// Allow reports whether a diagnostic of severity s may be kept: yes for the
// first MaxPerFile, after which it counts s and says no.
func (b *Budget) Allow(s Severity) bool {
	if b.kept < MaxPerFile {
		b.kept++
		return true
	}
	b.left.Add(s)
	return false
}

// Keep is Allow for a diagnostic already built; the summary is placed at
// the first one it refuses.
func (b *Budget) Keep(d *Diagnostic) bool {
	if b.Allow(d.Severity) {
		return true
	}
	if !b.hasFirst {
		b.first, b.hasFirst = d.Primary()
	}
	return false
}

// Left returns how many diagnostics of each severity Allow refused.
func (b *Budget) Left() Counts { return b.left }

// Summary returns the diagnostic (of code more) that counts what the
// budget refused, at the first diagnostic Keep refused, else at the start
// of file; false when it refused nothing.
func (b *Budget) Summary(more Code, file string) (Diagnostic, bool) {
	if b.left.Total() == 0 {
		return Diagnostic{}, false
	}
	at := Label{File: file}
	if b.hasFirst {
		at = b.first
	}
	return summary(more, b.left, at, MaxPerFile), true
}

// summary returns the diagnostic that stands for the diagnostics counted by
// left, placed at the label at, when at most max are shown.
func summary(more Code, left Counts, at Label, max int) Diagnostic {
	n := left.Total()
	at.Message, at.Primary = fmt.Sprintf("the first of %d diagnostics not shown", n), true
	return Diagnostic{Code: more, Severity: Info,
		Message: fmt.Sprintf("%d more diagnostics in this file are not shown (%s); at most %d are shown per file", n, left.String(), max),
		Labels:  []Label{at},
		Help:    "Resolve the diagnostics shown; the others appear as these go.",
		Omitted: &left}
}

// CapPerFile returns the diagnostics of one file, ds, with at most max of
// them kept: the max most severe (the first ones among equals), in their
// order, then one Info diagnostic of code more, placed where the first
// diagnostic left out was, that counts the others by severity, together
// with what the summaries already in ds (from a Budget, or an earlier cap)
// stand for. The output stays bounded whatever the file, and no error is
// left out while a warning is kept. ds is returned unchanged when there is
// nothing to leave out or merge; it is never modified.
func CapPerFile(ds []Diagnostic, max int, more Code) []Diagnostic {
	var left Counts
	var at *Label
	summaries := 0
	for i := range ds {
		if o := ds[i].Omitted; o != nil {
			for s, n := range o {
				left[s] += n
			}
			if l, ok := ds[i].Primary(); ok && at == nil {
				at = &l
			}
			summaries++
		}
	}
	if len(ds)-summaries <= max && summaries <= 1 {
		return ds
	}
	order := make([]int, 0, len(ds)-summaries)
	for i := range ds {
		if ds[i].Omitted == nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(ds[a].Severity) - int(ds[b].Severity) })
	kept := make([]bool, len(ds))
	for _, i := range order[:min(max, len(order))] {
		kept[i] = true
	}
	out := make([]Diagnostic, 0, min(max, len(order))+1)
	var first *Label
	for i := range ds {
		switch {
		case kept[i]:
			out = append(out, ds[i])
		case ds[i].Omitted == nil:
			left.Add(ds[i].Severity)
			if l, ok := ds[i].Primary(); ok && first == nil {
				first = &l
			}
		}
	}
	if first == nil {
		first = at
	}
	if first == nil {
		first = &Label{}
	}
	return append(out, summary(more, left, *first, max))
}

// CapFiles applies CapPerFile to the diagnostics of every file of byFile.
func CapFiles(byFile map[string][]Diagnostic, max int, more Code) {
	for f, ds := range byFile {
		byFile[f] = CapPerFile(ds, max, more)
	}
}
