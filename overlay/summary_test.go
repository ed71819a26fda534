package overlay

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/amberlsp/amber-lsp/linker"
	"github.com/amberlsp/amber-lsp/linker/config"
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/overlay/plan"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// TestSummary: what a code lens says of each way an overlay ends, run
// through real helpers.
func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		mode, want string
	}{
		{"redact", "1 interposer on 1 a2a edge"},
		{"noop", "no interposer (2 edges seen)"},
		{"crash", "failed: helper exited before it was ready"},
		{"fail", "failed: helper answered 500 Internal Server Error"},
		{"garbage", "failed: helper's answer is not JSON"},
		{"invalid", "failed: invalid plan"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			root, pidfile := workspace(t, tc.mode)
			out := apply(t, root, pidfile)
			if len(out.Runs) != 1 {
				t.Fatalf("%d runs", len(out.Runs))
			}
			if got := out.Summary(out.Runs[0]); got != tc.want {
				t.Errorf("Summary = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestInserted: the interposers of a run, with the edges they sit on, the
// interposer's slot and provide, and the config as the plan wrote it.
func TestInserted(t *testing.T) {
	root, pidfile := workspace(t, "redact")
	out := apply(t, root, pidfile)
	r := out.Runs[0]
	ins := out.Inserted(r)
	if len(ins) != 1 || ins[0].Moniker != "/__overlay_0_0" || len(ins[0].Attachments) != 1 {
		t.Fatalf("Inserted = %+v", ins)
	}
	a := ins[0].Attachments[0]
	if a.Edge.ID != 0 || a.Edge.From != "/responder.a2a" || a.Edge.To != "/caller.agent" || a.Slot != "upstream" || a.Provide != "downstream" {
		t.Errorf("attachment = %+v", a)
	}
	if string(ins[0].Config) != "null" {
		t.Errorf("config = %s, want null (the test helper's interposer has none)", ins[0].Config)
	}
	if got := (&Outcome{}).Inserted(&Run{}); got != nil {
		t.Errorf("Inserted without a plan = %+v", got)
	}
}

// TestFailureWords: every error the pass reports has its few words.
func TestFailureWords(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{context.Canceled, "cancelled"},
		{&hrt.StartError{TimedOut: true}, "helper did not become ready in time"},
		{&hrt.StartError{Failure: "exit status 3"}, "helper exited before it was ready"},
		{&hrt.InvokeError{Reason: hrt.ReasonTimeout}, "helper timed out"},
		{&hrt.InvokeError{Reason: hrt.ReasonTransport, Err: errors.New("EOF")}, "helper broke off the request"},
		{&hrt.InvokeError{Reason: hrt.ReasonTooLarge}, "helper's answer is too large"},
		{&hrt.InvokeError{Reason: hrt.ReasonNotUTF8, Err: &hrt.UTF8Error{}}, "helper's answer is not UTF-8"},
		{&hrt.InvokeError{Reason: hrt.ReasonStatus, StatusCode: 503}, "helper answered 503 Service Unavailable"},
		{&hrt.InvokeError{Reason: hrt.ReasonNotHTTP}, "helper endpoint is not HTTP"},
		{&hrt.PortInUseError{Port: 7310, Listening: true}, "port 7310 is already in use"},
		{&hrt.DockerUnavailableError{}, "no Docker engine"},
		{&hrt.SpecError{Msg: "missing"}, "helper cannot be run"},
		{&UnsupportedError{Moniker: "/x", Reason: "VM"}, "helper cannot be run"},
		{&config.Error{}, "helper config is incomplete"},
		{&plan.DecodeError{Syntax: true}, "helper's answer is not JSON"},
		{&plan.DecodeError{}, "helper's answer is not a plan"},
		{&plan.InvalidPlanError{Cause: "x"}, "invalid plan"},
		{&plan.ScenarioError{Text: "x"}, "invalid plan"},
		{fmt.Errorf("wrapped: %w", &hrt.InvokeError{Reason: hrt.ReasonTimeout}), "helper timed out"},
		{errors.New("anything else"), "overlay failed"},
	} {
		if got := FailureWords(tc.err); got != tc.want {
			t.Errorf("FailureWords(%T %v) = %q, want %q", tc.err, tc.err, got, tc.want)
		}
	}
}

// TestSummaryCounts: edges are counted once per edge, grouped by
// capability kind in the order first seen.
func TestSummaryCounts(t *testing.T) {
	http, a2a := scenario.Capability{Kind: "http"}, scenario.Capability{Kind: "a2a"}
	edges := []Edge{{ID: 0, Capability: http}, {ID: 1, Capability: a2a}, {ID: 2, Capability: http}, {ID: 3, Capability: scenario.Capability{Kind: "mcp"}}}
	on := func(ids ...uint64) plan.Interposition {
		var in plan.Interposition
		for _, id := range ids {
			in.Attachments = append(in.Attachments, plan.Attachment{Target: id, Slot: "in", Provide: "out"})
		}
		return in
	}
	for _, tc := range []struct {
		ips  []plan.Interposition
		want string
	}{
		{[]plan.Interposition{on(0)}, "1 interposer on 1 http edge"},
		{[]plan.Interposition{on(0), on(2)}, "2 interposers on 2 http edges"},
		{[]plan.Interposition{on(0, 1)}, "1 interposer on 1 http edge and 1 a2a edge"},
		{[]plan.Interposition{on(0), on(0)}, "2 interposers on 1 http edge"},
		{[]plan.Interposition{on(0), on(1), on(2), on(3)}, "4 interposers on 2 http edges, 1 a2a edge and 1 mcp edge"},
	} {
		r := &Run{Request: &Request{Edges: edges}, Plan: &plan.Plan{Interpositions: tc.ips}}
		out := &Outcome{Runs: []*Run{r}, Scenario: &scenario.Scenario{}}
		if got := out.Summary(r); got != tc.want {
			t.Errorf("Summary = %q, want %q", got, tc.want)
		}
	}
	r := &Run{Request: &Request{Edges: edges}, Plan: &plan.Plan{Interpositions: []plan.Interposition{on(1)}}}
	if got, want := (&Outcome{}).Summary(r), "1 interposer on 1 a2a edge, not applied: another overlay failed"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// TestDoneReportsEveryOverlay: Options.Done is called once per overlay,
// after its answer.
func TestDoneReportsEveryOverlay(t *testing.T) {
	root, _ := fixture(t, "chain", "redact")
	res := linker.Link(context.Background(), root, linker.Options{})
	rt := hrt.New(hrt.Options{StartTimeout: 5 * time.Second, RequestTimeout: 5 * time.Second})
	defer rt.Close()
	var mu sync.Mutex
	var done []string
	out := Apply(context.Background(), res, Options{Runtime: rt, Done: func(r *Run) {
		mu.Lock()
		defer mu.Unlock()
		if r.Err == nil && r.Plan == nil {
			t.Errorf("Done(%s) before the answer", r.Overlay.Ref)
		}
		done = append(done, r.Overlay.Ref)
	}})
	if len(done) != len(out.Runs) || len(done) < 2 {
		t.Errorf("Done called for %v; runs %d", done, len(out.Runs))
	}
	for _, r := range out.Runs {
		if r.Program != filepath.Join(filepath.Dir(root), "bin", "helper") {
			t.Errorf("Program = %q", r.Program)
		}
	}
}
