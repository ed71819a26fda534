package testgen

import (
	"fmt"
	"strings"
)

// TreeGroupSize is the number of workers each group manifest of
// GenerateWorkerTree instantiates.
const TreeGroupSize = 50

// GenerateWorkerTree returns the files of a manifest tree of about the given
// number of components, by file name, for benchmarks of the features that
// read a whole workspace. It is a valid tree (it checks clean):
//
//   - root.json5 provides `seed` and instantiates the groups group_<g>.json5
//     (one file each), chaining them: each group's slot `upstream` is fed by
//     the previous group's export `api`, the first by `provides.seed`;
//   - each group instantiates TreeGroupSize workers, all from worker.json5,
//     chained the same way from the group's own slot `upstream`, and
//     exports the last worker's `api`;
//   - worker.json5 declares the slot `upstream` (used in its program), the
//     provide `api` and its export, and a config property `name` that
//     every group sets.
//
// So worker.json5's slot `upstream` has one reference per worker (its
// `#w_<i>.upstream` in its group) and one in worker.json5 itself.
func GenerateWorkerTree(components int) map[string][]byte {
	groups := max(components/TreeGroupSize, 1)
	files := map[string][]byte{}
	files["worker.json5"] = []byte(`// A worker: fed by the previous worker, feeding the next.
{
  manifest_version: "0.4.0",
  config_schema: {
    type: "object",
    properties: { name: { type: "string" } },
    required: ["name"],
  },
  slots: {
    upstream: { kind: "http" },
  },
  program: {
    path: "/usr/bin/env",
    args: ["worker", "--name=${config.name}", "--upstream=${slots.upstream.url}"],
    network: { endpoints: [{ name: "api", port: 8080 }] },
  },
  provides: {
    api: { kind: "http", endpoint: "api" },
  },
  exports: {
    api: "api",
  },
}
`)
	for g := range groups {
		var b strings.Builder
		fmt.Fprintf(&b, "// Group %d: a chain of %d workers.\n{\n  manifest_version: \"0.4.0\",\n", g, TreeGroupSize)
		b.WriteString("  slots: {\n    upstream: { kind: \"http\" },\n  },\n  components: {\n")
		for w := range TreeGroupSize {
			fmt.Fprintf(&b, "    w_%d: { manifest: \"./worker.json5\", config: { name: \"worker %d.%d\" } },\n", w, g, w)
		}
		b.WriteString("  },\n  bindings: [\n    { to: \"#w_0.upstream\", from: \"slots.upstream\" },\n")
		for w := 1; w < TreeGroupSize; w++ {
			fmt.Fprintf(&b, "    { to: \"#w_%d.upstream\", from: \"#w_%d.api\" },\n", w, w-1)
		}
		fmt.Fprintf(&b, "  ],\n  exports: {\n    api: \"#w_%d.api\",\n  },\n}\n", TreeGroupSize-1)
		files[fmt.Sprintf("group_%d.json5", g)] = []byte(b.String())
	}
	var b strings.Builder
	b.WriteString("// The root: a chain of groups fed by the root's own provide.\n{\n  manifest_version: \"0.4.0\",\n")
	b.WriteString("  program: {\n    path: \"/usr/bin/env\",\n    args: [\"seed\"],\n    network: { endpoints: [{ name: \"seed\", port: 8000 }] },\n  },\n")
	b.WriteString("  provides: {\n    seed: { kind: \"http\", endpoint: \"seed\" },\n  },\n  components: {\n")
	for g := range groups {
		fmt.Fprintf(&b, "    group_%d: \"./group_%d.json5\",\n", g, g)
	}
	b.WriteString("  },\n  bindings: [\n    { to: \"#group_0.upstream\", from: \"provides.seed\" },\n")
	for g := 1; g < groups; g++ {
		fmt.Fprintf(&b, "    { to: \"#group_%d.upstream\", from: \"#group_%d.api\" },\n", g, g-1)
	}
	fmt.Fprintf(&b, "  ],\n  exports: {\n    api: \"#group_%d.api\",\n  },\n}\n", groups-1)
	files["root.json5"] = []byte(b.String())
	return files
}
