package testgen

import (
	"fmt"
	"strings"
)

// Tree is a generated manifest tree: file names (relative, slash-separated)
// and their texts. Root names the root manifest.
type Tree struct {
	Root  string            // a key of Files
	Files map[string][]byte // texts by file name
}

// GenerateTree returns a valid manifest tree of about the given number of
// components (at least 2): a root whose children ("group_<i>") each have
// up to 50 children of their own ("leaf_<i>_<j>", one file each), wired
// in chains by bindings and exported up to the root; the leaves' programs
// interpolate config defaults; the root has a child template. It checks
// clean.
func GenerateTree(components int) Tree {
	const perGroup = 50
	leaves := max(components-1, 1)
	groups := (leaves + perGroup) / (perGroup + 1)
	files := map[string][]byte{}
	var root strings.Builder
	root.WriteString("{\n  manifest_version: \"0.4.0\",\n  slots: { spawn: { kind: \"component\", optional: true } },\n  components: {\n")
	made := 1 + groups
	for g := range groups {
		n := min(perGroup, components-made)
		if g == groups-1 {
			n = max(components-made, 0)
		}
		made += n
		fmt.Fprintf(&root, "    group_%d: { manifest: \"./group_%d.json5\" },\n", g, g)
		files[fmt.Sprintf("group_%d.json5", g)] = group(g, n, files)
	}
	root.WriteString("  },\n  bindings: [\n")
	for g := 1; g < groups; g++ {
		fmt.Fprintf(&root, "    { to: \"#group_%d.upstream\", from: \"#group_%d.api\" },\n", g, g-1)
	}
	root.WriteString("  ],\n  child_templates: { pool: { manifest: \"./group_0.json5\" } },\n  exports: {\n")
	for g := range groups {
		fmt.Fprintf(&root, "    api_%d: \"#group_%d.api\",\n", g, g)
	}
	root.WriteString("  },\n}\n")
	files["root.json5"] = []byte(root.String())
	return Tree{Root: "root.json5", Files: files}
}

// group writes group g with n leaves (their files go to files). The first
// leaf's upstream is the group's optional slot; the last leaf's api is the
// group's export.
func group(g, n int, files map[string][]byte) []byte {
	var b strings.Builder
	b.WriteString("{\n  manifest_version: \"0.1.0\",\n")
	b.WriteString("  slots: { upstream: { kind: \"http\", optional: true } },\n")
	if n == 0 {
		b.WriteString("  program: { path: \"/bin/group\", args: [\"--up=${slots.upstream.url}\"], network: { endpoints: [{ name: \"web\", port: 8080 }] } },\n")
		b.WriteString("  provides: { api: { kind: \"http\", endpoint: \"web\" } },\n  exports: { api: \"api\" },\n}\n")
		return []byte(b.String())
	}
	b.WriteString("  components: {\n")
	for j := range n {
		name := fmt.Sprintf("leaf_%d_%d", g, j)
		fmt.Fprintf(&b, "    %s: \"./%s.json5\",\n", name, name)
		files[name+".json5"] = leaf(g, j)
	}
	b.WriteString("  },\n  bindings: [\n")
	fmt.Fprintf(&b, "    { to: \"#leaf_%d_0.upstream\", from: \"slots.upstream\", weak: true },\n", g)
	for j := 1; j < n; j++ {
		fmt.Fprintf(&b, "    { to: \"#leaf_%d_%d.upstream\", from: \"#leaf_%d_%d.api\" },\n", g, j, g, j-1)
	}
	fmt.Fprintf(&b, "  ],\n  exports: { api: \"#leaf_%d_%d.api\" },\n}\n", g, n-1)
	return []byte(b.String())
}

// leaf writes leaf j of group g: a program serving `api`, needing
// `upstream`.
func leaf(g, j int) []byte {
	return []byte(fmt.Sprintf(`{
  manifest_version: "0.1.0",
  config_schema: { type: "object", properties: { name: { type: "string", default: "leaf %d.%d" }, port: { type: "integer", default: 8080 } } },
  slots: { upstream: { kind: "http", optional: true } },
  program: {
    path: "/bin/leaf",
    args: ["--name=${config.name}", "--up=${slots.upstream.url}"],
    env: { PORT: "${config.port}" },
    network: { endpoints: [{ name: "web", port: 8080 }] },
  },
  provides: { api: { kind: "http", endpoint: "web" } },
  exports: { api: "api" },
}
`, g, j))
}
