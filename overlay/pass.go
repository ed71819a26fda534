package overlay

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/overlay/plan"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// Options configure Run.
type Options struct {
	// Runtime runs the helpers; it keeps them between runs. Required.
	Runtime *hrt.Runtime
	// Env looks up AMBER_CONFIG_* variables for the helper scenario's root
	// config; nil uses no variables.
	Env func(string) (string, bool)
	// Done, when set, is called as each overlay has its answer (or its
	// failure), from the goroutine that ran it: for progress reports.
	Done func(*Run)
	// WorkDir is the working directory (and HOME) of path helpers; empty
	// means a fresh temporary directory for each start.
	WorkDir string
	// NoRemoteHelpers refuses to run a helper when a manifest it depends on
	// (the root, the manifests down to the scope, the `use` manifest and
	// those down to the helper's program) was fetched over the network
	// without a digest pin (`--no-remote-helpers`).
	NoRemoteHelpers bool
}

// Run is one overlay invocation: a scope's overlay, what it was sent and what
// it answered.
type Run struct {
	Scope   *linker.OverlayScope // the scope whose `overlays` lists the overlay
	Overlay *linker.Overlay      // the entry of that list invoked
	Request *Request             // the scope's request, shared by its runs
	// Plan is the decoded plan (nil when the helper failed or its answer
	// did not decode).
	Plan *plan.Plan
	Body []byte // the answer exactly as received
	// Interposers are the components the plan inserted, in plan order.
	Interposers []Interposer
	// Start is the time spent starting the helper (0 when it was already
	// running); Request the time of the POST.
	Start, RequestTime time.Duration
	Reused             bool // the helper was already running: nothing started
	// Err is why the overlay failed (nil when it did not): the error its
	// diagnostic reports. Summary words it for a glance.
	Err error
	// Program is the helper's program file (path helpers; "" otherwise).
	Program string
}

// Interposer is a component an overlay inserted and the request edges it
// attaches to.
type Interposer struct {
	Moniker    string // its moniker in the rewritten scenario
	AttachedTo []int  // the request edge ids of its attachments, in plan order
}

// Outcome is the result of the overlay pass.
type Outcome struct {
	// Runs are the invocations, scope by scope, each scope's overlays in
	// declaration order; a scope whose request could not be built has none.
	Runs []*Run
	// Scenario is the rewritten scenario; nil when the pass failed. When no
	// overlay changed anything it is the optimised scenario itself.
	Scenario    *scenario.Scenario
	Diagnostics []diag.Diagnostic // the pass's diagnostics, masked with Secrets
	// Secrets are the secret values the pass knows (see secret.go): its
	// diagnostics are already masked; WriteJSON masks what it writes, and
	// MaskDiagnostics and MaskSources mask what the caller shows besides.
	Secrets *config.Secrets
}

// Apply runs the overlay pass over a linked result (overlays.md §7-§13):
// one request per scope, every overlay invoked concurrently, each answer
// decoded and validated, then the scenario rewritten and checked. Unlike
// Amber, which stops at the first failure, every independent failure is
// reported; each points at the overlay entry that declared the helper.
func Apply(ctx context.Context, res *linker.Result, opts Options) *Outcome {
	if opts.Env == nil {
		opts.Env = func(string) (string, bool) { return "", false }
	}
	out := &Outcome{Secrets: secretsOf(res, opts.Env)}
	runPass(ctx, res, opts, out)
	out.MaskDiagnostics(out.Diagnostics)
	return out
}

// runPass is the pass of Apply, filling out.
func runPass(ctx context.Context, res *linker.Result, opts Options, out *Outcome) {
	if res.Overlays == nil || len(res.Overlays.Scopes) == 0 {
		out.Scenario = res.Optimized()
		return
	}
	if res.Optimized() == nil || res.Overlays.Helper == nil || res.Overlays.Helper.Optimized() == nil {
		first := res.Overlays.Scopes[0]
		if len(first.Overlays) > 0 {
			d := diag.Diagnostic{Code: codes.OverlayNotLinked, Severity: diag.Error,
				Message: "overlays were not run: the scenario or its overlay helpers did not link",
				Labels:  []diag.Label{first.Overlays[0].Decl}, Help: "Fix the errors above first."}
			out.Diagnostics = append(out.Diagnostics, d)
		}
		return
	}
	s := res.Optimized()
	var scopes []*plan.Scope
	for _, sc := range res.Overlays.Scopes {
		root := s.Component(sc.Root.ID)
		if root == nil {
			out.Diagnostics = append(out.Diagnostics, pruned(sc))
			scopes = append(scopes, nil)
			continue
		}
		req, err := BuildRequest(s, root.Moniker)
		if err != nil {
			for _, o := range sc.Overlays {
				out.Diagnostics = append(out.Diagnostics, overlayDiag(codes.OverlayPassMissingTargetSlot, o, err.Error()))
			}
			scopes = append(scopes, nil)
			continue
		}
		ps := &plan.Scope{Moniker: root.Moniker, Root: root.ID, ConfigSchema: sc.Root.Manifest().ConfigSchema, Template: template(res, sc.Root.ID)}
		for _, e := range req.Edges {
			ps.Targets = append(ps.Targets, plan.Target{ID: e.ID, Binding: e.Binding, Export: e.Export, Side: side(e.Kind), Capability: e.Capability})
		}
		scopes = append(scopes, ps)
		for _, o := range sc.Overlays {
			out.Runs = append(out.Runs, &Run{Scope: sc, Overlay: o, Request: req})
		}
	}
	runScope := map[*Run]*plan.Scope{}
	for _, r := range out.Runs {
		runScope[r] = scopes[r.Scope.Index]
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed := false
	for _, r := range out.Runs {
		wg.Add(1)
		go func(r *Run) {
			defer wg.Done()
			if d := invoke(ctx, res.Overlays, r, runScope[r], opts); d != nil {
				mu.Lock()
				out.Diagnostics = append(out.Diagnostics, *d)
				failed = true
				mu.Unlock()
			}
			if opts.Done != nil {
				opts.Done(r)
			}
		}(r)
	}
	wg.Wait()
	diag.Sort(out.Diagnostics)
	if errs, _ := diag.Count(out.Diagnostics); failed || errs > 0 {
		return
	}
	var apps []plan.Application
	var appRuns []*Run
	for _, r := range out.Runs {
		apps = append(apps, plan.Application{Scope: runScope[r], Overlay: r.Overlay.Index, Plan: r.Plan})
		appRuns = append(appRuns, r)
	}
	rewritten, err := plan.Rewrite(s, apps)
	if err != nil {
		r := appRuns[0]
		var ip *plan.InvalidPlanError
		if errors.As(err, &ip) && ip.Application < len(appRuns) {
			r = appRuns[ip.Application]
		}
		r.Err = err
		code := codes.OverlayPassInvalidRewrittenScenario
		if pe, ok := err.(plan.Error); ok {
			code = pe.Code()
			out.Diagnostics = append(out.Diagnostics, overlayDiag(code, r.Overlay, pe.Message(r.Overlay.Display, r.Request.Scope)))
		} else {
			out.Diagnostics = append(out.Diagnostics, overlayDiag(code, r.Overlay, err.Error()))
		}
		return
	}
	out.Scenario = rewritten
	next := len(s.Components)
	for _, r := range appRuns {
		for _, ip := range r.Plan.Interpositions {
			var ids []int
			for _, a := range ip.Attachments {
				ids = append(ids, int(a.Target))
			}
			moniker := ""
			if c := rewritten.Component(next); c != nil {
				moniker = c.Moniker
			}
			r.Interposers = append(r.Interposers, Interposer{Moniker: moniker, AttachedTo: ids})
			next++
		}
	}
}

// invoke runs one overlay: start or reuse its helper, POST the request,
// decode and validate the answer. It records r.Err and r.Program.
func invoke(ctx context.Context, op *linker.OverlayPlan, r *Run, sc *plan.Scope, opts Options) *diag.Diagnostic {
	o := r.Overlay
	hp, err := findHelper(op, o)
	if err != nil {
		r.Err = err
		d := overlayDiag(codes.OverlayPassStartOverlayScenario, o, "failed to start overlay scenario: "+err.Error())
		return &d
	}
	if opts.NoRemoteHelpers {
		if n := hp.unpinnedRemote(); n != nil {
			d := refusedRemote(r, n)
			return &d
		}
	}
	spec, err := hp.Spec(op, opts.Env)
	if err != nil {
		r.Err = err
		d := overlayDiag(codes.OverlayPassStartOverlayScenario, o, "failed to start overlay scenario: "+err.Error())
		var cerr *config.Error
		if errors.As(err, &cerr) {
			d.Labels = []diag.Label{useDecl(r)}
		}
		return &d
	}
	spec.WorkDir = opts.WorkDir
	if spec.Kind == hrt.KindPath {
		r.Program = spec.Path
		if !filepath.IsAbs(r.Program) {
			r.Program = filepath.Join(spec.BaseDir, r.Program)
		}
	}
	resp, err := opts.Runtime.Invoke(ctx, spec, r.Request.Body)
	r.Start, r.RequestTime, r.Reused = resp.StartDuration, resp.RequestDuration, resp.Reused
	r.Err = err
	if err != nil {
		var ie *hrt.InvokeError
		if errors.As(err, &ie) {
			d := overlayDiag(codes.OverlayPassInvokeOverlay, o, fmt.Sprintf("overlay `%s` in scope `%s` failed: %s", o.Display, r.Request.Scope, err))
			return &d
		}
		d := overlayDiag(codes.OverlayPassStartOverlayScenario, o, "failed to start overlay scenario: "+err.Error())
		return &d
	}
	r.Body = resp.Body
	p, err := plan.Decode(resp.Body)
	if err == nil {
		err = plan.Validate(p, sc)
	}
	r.Err = err
	if err != nil {
		if pe, ok := err.(plan.Error); ok {
			d := overlayDiag(pe.Code(), o, pe.Message(o.Display, r.Request.Scope))
			return &d
		}
		d := overlayDiag(codes.OverlayPassInterpositionPlanDeserialize, o, err.Error())
		return &d
	}
	r.Plan = p
	return nil
}

// overlayDiag is an error of one overlay, at its entry in the scope
// manifest.
func overlayDiag(code diag.Code, o *linker.Overlay, msg string) diag.Diagnostic {
	at := o.Decl
	at.Message, at.Primary = "overlay `"+o.Ref+"` declared here", true
	return diag.Diagnostic{Code: code, Severity: diag.Error, Message: msg, Labels: []diag.Label{at}}
}

// useDecl locates the `use` entry of an overlay in the scope manifest.
func useDecl(r *Run) diag.Label {
	root := r.Scope.Root
	n := root.Manifest().Root.Lookup("use", r.Overlay.Use)
	at := r.Overlay.Decl
	if n != nil {
		at.Span = n.Span()
	}
	at.Message = "`use` entry `#" + r.Overlay.Use + "` declared here"
	return at
}

// refusedRemote is the refusal of a helper that depends on a manifest n
// fetched over the network without a digest pin (`--no-remote-helpers`),
// at the overlay's `use` entry.
func refusedRemote(r *Run, n *linker.Node) diag.Diagnostic {
	use := useDecl(r)
	use.Primary = true
	at := r.Overlay.Decl
	at.Message = "overlay `" + r.Overlay.Ref + "` declared here"
	what := "its manifest " + n.File
	if n != r.Overlay.UseNode {
		what = "a manifest it depends on, " + n.File + ","
	}
	return diag.Diagnostic{Code: codes.RemoteHelperRefused, Severity: diag.Error,
		Message: fmt.Sprintf("helper `#%s` of overlay `%s` was not run: %s was fetched over the network without a digest pin, and --no-remote-helpers refuses such helpers",
			r.Overlay.Use, r.Overlay.Display, what),
		Labels: []diag.Label{use, at},
		Help: "Pin the manifest by its digest, `{ url: \"…\", digest: \"sha256:…\" }` (with `manifest:` around it when the entry has a config), " +
			"or drop --no-remote-helpers to run what the network serves."}
}

// pruned notes a scope whose root the optimisation removed (linker.md §7).
func pruned(sc *linker.OverlayScope) diag.Diagnostic {
	d := diag.Diagnostic{Code: codes.OverlayScopePruned, Severity: diag.Info,
		Message: fmt.Sprintf("overlays of %s were not run: the component has nothing live below it, so the optimised scenario drops it", sc.Root.Moniker),
		Help:    "Amber panics on such a scope; amber-lsp skips it."}
	if len(sc.Overlays) > 0 {
		at := sc.Overlays[0].Decl
		at.Message = "overlays declared here"
		d.Labels = []diag.Label{at}
	}
	return d
}

func side(k EdgeKind) plan.Side {
	switch k {
	case EdgeBinding:
		return plan.SideCommon
	case EdgeImport:
		return plan.SideTarget
	}
	return plan.SideSource
}

func template(res *linker.Result, id int) *config.Template {
	if id < len(res.Configs) {
		return res.Configs[id]
	}
	return nil
}
