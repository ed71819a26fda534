// Package testgen generates inputs for tests and benchmarks: synthetic
// manifests of a chosen size. Nothing outside tests imports it.
package testgen

import (
	"fmt"
	"strings"
)

// GenerateManifest returns a synthetic manifest of about the given number of
// lines, for benchmarks. It is plain JSON (quoted keys, no comments or
// trailing commas) so encoding/json can decode the same bytes as a baseline,
// and a valid Amber manifest: every child is bound and exported.
func GenerateManifest(lines int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"manifest_version\": \"0.4.0\",\n")
	children := max(lines/6, 1)
	b.WriteString("  \"components\": {\n")
	for i := range children {
		sep := ","
		if i == children-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    \"child_%d\": {\n      \"manifest\": \"./child_%d.json5\",\n      \"config\": { \"name\": \"worker %d\", \"replicas\": %d, \"ratio\": %d.5 }\n    }%s\n", i, i, i, i%7, i%3, sep)
	}
	b.WriteString("  },\n  \"bindings\": [\n")
	for i := range children {
		sep := ","
		if i == children-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    { \"to\": \"#child_%d.upstream\", \"from\": \"#child_%d.api\" }%s\n", (i+1)%children, i, sep)
	}
	b.WriteString("  ],\n  \"exports\": {\n")
	for i := range children {
		sep := ","
		if i == children-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    \"api_%d\": \"#child_%d.api\"%s\n", i, i, sep)
	}
	b.WriteString("  }\n}\n")
	return []byte(b.String())
}

// UnknownKeys returns a manifest whose root holds n keys Amber does not
// know (k0, k1, ...) after its manifest_version, each an error of its own,
// separated by sep: " " writes the manifest on one line.
func UnknownKeys(n int, sep string) string {
	var b strings.Builder
	b.WriteString(`{ manifest_version: "0.4.0",`)
	for i := range n {
		fmt.Fprintf(&b, "%sk%d: 1,", sep, i)
	}
	b.WriteString(sep + "}\n")
	return b.String()
}
