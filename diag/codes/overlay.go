package codes

import "github.com/amberlsp/amber-lsp/diag"

// Codes of the overlay pass (package overlay and overlay/plan), which runs
// only when asked to (`--check --apply-overlays`, `--preview`, or the
// editor's overlay preview): their examples are prose, since triggering
// them takes a running helper. Each one's documentation is its define call.
var (
	OverlayPassStartOverlayScenario = define(Info{
		Code:     "compiler::overlay_pass_start_overlay_scenario",
		Severity: diag.Error,
		Doc:      "An overlay helper could not be started.",
		Trigger: "The helper's program cannot be run (missing executable, a container image without a " +
			"container engine, invalid helper config), exits early, or does not become ready in time.",
		ProseExample: "A helper whose program is `{ path: \"/usr/local/bin/audit\" }` on a machine where " +
			"that file does not exist, checked with `--apply-overlays`.",
		Fix: "Make the helper's program runnable on this machine; the message carries the error.",
	})

	OverlayPassInvokeOverlay = define(Info{
		Code:     "compiler::overlay_pass_invoke_overlay",
		Severity: diag.Error,
		Doc:      "An overlay helper's request failed or was answered with an error.",
		Trigger: "The request to the running helper fails: the connection breaks, the answer takes too long, " +
			"is too large or not UTF-8, or has a status other than 2xx.",
		ProseExample: "A helper that answers every POST with `500 Internal Server Error`.",
		Fix:          "Fix the helper; the message carries its status and body.",
	})

	OverlayPassMissingTargetSlot = define(Info{
		Code:         "compiler::overlay_pass_missing_target_slot",
		Severity:     diag.Error,
		Doc:          "The overlay request of a scope names a binding target that is missing.",
		Trigger:      "Building a scope's overlay request finds a binding into a slot the linked scenario does not have.",
		ProseExample: "Not expected from valid manifests: it reports an inconsistency of the linked scenario while building a helper's request.",
		Fix:          "Report it as a bug of amber-lsp, with the manifests.",
	})

	OverlayPassInterpositionPlanDeserialize = define(Info{
		Code:         "compiler::overlay_pass_interposition_plan_deserialize",
		Severity:     diag.Error,
		Doc:          "An overlay helper's answer is not an interposition plan.",
		Trigger:      "The helper answers with a body that is not JSON, or JSON that does not have the shape of an interposition plan.",
		ProseExample: "A helper that answers `ok` instead of `{ \"interpositions\": [] }`.",
		Fix:          "Make the helper answer with an interposition plan; the message shows where its answer went wrong.",
	})

	OverlayPassInvalidInterpositionPlan = define(Info{
		Code:     "compiler::overlay_pass_invalid_interposition_plan",
		Severity: diag.Error,
		Doc:      "An overlay helper's interposition plan is invalid.",
		Trigger: "A plan that decodes but breaks a rule: an interposition without attachments, an attachment " +
			"to an edge that is not in the request, an interposer whose manifest or config is invalid.",
		ProseExample: "A helper that answers with an interposition whose `attachments` list is empty.",
		Fix:          "Fix the plan the helper builds; the message names the rule.",
	})

	OverlayPassMissingAttachmentTarget = define(Info{
		Code:         "compiler::overlay_pass_missing_attachment_target",
		Severity:     diag.Error,
		Doc:          "An attachment of an interposition plan targets an edge the rewrite cannot find.",
		Trigger:      "Rewriting the scenario meets an attachment target that does not map to an edge of the scope.",
		ProseExample: "Not expected after plan validation, which rejects unknown targets; it reports an inconsistency while rewriting.",
		Fix:          "Report it as a bug of amber-lsp, with the helper's answer.",
	})

	OverlayPassInvalidRewrittenScenario = define(Info{
		Code:         "compiler::overlay_pass_invalid_rewritten_scenario",
		Severity:     diag.Error,
		Doc:          "The scenario rewritten by the overlays is invalid.",
		Trigger:      "The interpositions of all overlays, applied together, produce a scenario that fails Amber's checks, such as a binding between capabilities of different types.",
		ProseExample: "A helper that interposes a component providing `a2a` on an edge whose consumer expects `http`.",
		Fix:          "Make the interposer provide and consume the capabilities of the edge it sits on.",
	})

	OverlayScopePruned = define(Info{
		Code:     "amber_lsp::overlay_scope_pruned",
		Severity: diag.Info,
		Doc:      "The overlays of a component were skipped because the optimised scenario drops it.",
		Trigger: "A component that declares `overlays` but has nothing live below it, so the optimised " +
			"scenario removes it; Amber panics on such a scope, amber-lsp skips it.",
		ProseExample: "A child declaring `overlays` whose subtree has no program, checked with `--apply-overlays`.",
		Fix:          "Give the component something to run, or move its `overlays` to a component that has.",
	})

	RemoteHelperRefused = define(Info{
		Code:     "amber_lsp::remote_helper_refused",
		Severity: diag.Error,
		Doc:      "An overlay helper was not run because a manifest it depends on was fetched over the network without a digest pin.",
		Trigger: "`--preview` or `--check --apply-overlays` with `--no-remote-helpers`, and an overlay whose `use` manifest, " +
			"a manifest between it and the helper's program, or a manifest between the root and the overlay's scope, is an " +
			"`http` or `https` reference without `digest`.",
		ProseExample: "A `use` entry whose manifest is an `https` URL, named by an `overlays` entry, " +
			"previewed with `amber-lsp --preview --no-remote-helpers scenario.json5`.",
		Fix: "Pin each such manifest with the digest of the content you reviewed, " +
			"`{ url: \"…\", digest: \"sha256:…\" }`, or trust the network by dropping `--no-remote-helpers`.",
	})

	OverlayNotLinked = define(Info{
		Code:         "amber_lsp::overlay_not_linked",
		Severity:     diag.Error,
		Doc:          "The overlays were not run because the scenario or its helpers did not link.",
		Trigger:      "Overlays were asked to run while the scenario, or a helper's own scenario, has link errors.",
		ProseExample: "Running the overlay preview on a scenario whose helper has an unbound slot.",
		Fix:          "Fix the link errors reported beside it first.",
	})
)
