package codes

import "github.com/amberlsp/amber-lsp/diag"

// cloudInitVM is the manifest of the cloud-init examples: a VM whose user
// data is the file user-data.yaml.
const cloudInitVM = `{
  manifest_version: "0.3.0",
  program: {
    vm: { image: "debian.qcow2", cpus: 1, memory_mib: 512, cloud_init: { user_data: { file: "./user-data.yaml" } } },
  },
}
`

// Codes of the files a manifest names beside it (sidecar files): the
// cloud-init data of a VM program written as `{ file: "…" }`. Amber passes
// such files to the VM unread; amber-lsp reads them so that their mistakes
// show where they are. Each one's documentation is its define call.
var (
	CloudInitYaml = define(Info{
		Code:     "amber_lsp::cloud_init_yaml",
		Severity: diag.Error,
		Doc:      "A cloud-init file is not valid YAML.",
		Trigger: "The file named by `program.vm.cloud_init.user_data` or `vendor_data` (`{ file: \"…\" }`) " +
			"starts with `#cloud-config` (or with no header amber-lsp knows) and does not parse as YAML; " +
			"cloud-init would reject it when the VM boots. Reported in the cloud-init file, on the line " +
			"where the YAML parser stopped.",
		Example: "\n-- scenario.json5 --\n" + cloudInitVM + `-- user-data.yaml --
#cloud-config
packages:
  - nginx
	- curl
`,
		Fix: "Correct the YAML: indent with spaces, never tabs, and keep each list at one indentation.",
	})

	CloudInitHeader = define(Info{
		Code:     "amber_lsp::cloud_init_header",
		Severity: diag.Warning,
		Doc:      "A cloud-init file does not start with `#cloud-config`.",
		Trigger: "A cloud-init file (`{ file: \"…\" }` in `program.vm.cloud_init`) whose first line is " +
			"neither `#cloud-config` nor another header cloud-init knows (`#!` for a script, `#include`, " +
			"`#cloud-boothook`, `## template: jinja`, a MIME `Content-Type:` …); cloud-init ignores data " +
			"it cannot identify.",
		Example: "\n-- scenario.json5 --\n" + cloudInitVM + `-- user-data.yaml --
packages:
  - nginx
`,
		Fix: "Make `#cloud-config` the first line (the quick fix inserts it).",
	})

	CloudInitReference = define(Info{
		Code:     "amber_lsp::cloud_init_reference",
		Severity: diag.Error,
		Doc:      "A `${slots…}` or `${config…}` reference in a cloud-init file is not valid.",
		Trigger: "A placeholder in a cloud-init file that names a slot the manifest does not declare (or a " +
			"storage or `multiple` slot, or a field other than `url`), a config path its `config_schema` " +
			"does not have, or that is not closed. Amber checks these when linking and reports them at the " +
			"`{ file }` reference (`compiler::invalid_slots_interpolation`, `linker::invalid_config`); " +
			"this code reports each at its place in the cloud-init file, also when the file holds other " +
			"`${…}` text that stops Amber's check.",
		Example: `
-- scenario.json5 --
{
  manifest_version: "0.3.0",
  slots: { api: { kind: "http" } },
  program: {
    vm: { image: "debian.qcow2", cpus: 1, memory_mib: 512, cloud_init: { user_data: { file: "./user-data.yaml" } } },
  },
}
-- user-data.yaml --
#cloud-config
write_files:
  - path: /etc/app.env
    content: |
      API_URL=${slots.apii.url}
`,
		Fix: "Name a declared slot or config property, or declare it in the manifest.",
	})
)
