package linker

import (
	"fmt"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// DefaultMaxInstances is how many component instances a link resolves
// unless Options.MaxInstances says otherwise: far above real scenarios (a
// few hundred components), far below what exhausts memory (each instance
// costs a few hundred bytes while resolved, a few kilobytes once linked).
const DefaultMaxInstances = 100_000

// maxInstances is the budget of a link.
func (o *Options) maxInstances() int {
	if o.MaxInstances > 0 {
		return o.MaxInstances
	}
	return DefaultMaxInstances
}

// spend counts one more resolved instance, the node named name that parent
// declares at decl(): children, `use` entries and child template manifests
// all count, as each is resolved (and its subtree with it). Past the budget
// it ends the link with amber_lsp::too_many_instances at the reference that
// crossed it, before the subtree below is resolved: a tree of manifests
// that each instantiate the next twice doubles with every file. decl is
// called only then: finding a declaration's span costs a lookup, and every
// instance spends.
func (r *resolver) spend(parent *Node, name string, decl func() diag.Span) *fatal {
	r.instances++
	total := r.instances + 1 // and the root
	max := r.opts.maxInstances()
	if total <= max {
		return nil
	}
	return &fatal{[]diag.Diagnostic{{
		Code:     codes.TooManyInstances,
		Severity: diag.Error,
		Message: fmt.Sprintf("the component tree has more than %d component instances: `%s` in %s would be instance %d",
			max, name, displayName(parent.Observed), total),
		Labels: []diag.Label{{File: parent.File, Span: decl(), Message: fmt.Sprintf("this reference crosses the limit of %d instances", max), Primary: true}},
		Help: "Every instance of a manifest instantiates its own children: manifests that each name the next " +
			"several times multiply. The limit is --max-instances on the command line, amber.limits.instances in the editor.",
	}}}
}
