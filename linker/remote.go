package linker

import (
	"fmt"
	"strconv"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/manifest"
)

// RemoteFetch says which remote manifests a link may fetch over the
// network (Options.Remote). Whatever it says, a reference pinned with a
// digest whose content the Fetcher holds is served from it without the
// network (the store is content-addressed).
type RemoteFetch uint8

const (
	// FetchHTTPS fetches `https://` manifests only: the default, and the
	// zero value.
	FetchHTTPS RemoteFetch = iota
	// FetchAll also fetches `http://` manifests, as Amber does.
	FetchAll
	// FetchNone fetches nothing.
	FetchNone
)

// String returns the policy as amber.remote.fetch and --remote-fetch
// write it: "https", "all" or "false".
func (p RemoteFetch) String() string {
	switch p {
	case FetchAll:
		return "all"
	case FetchNone:
		return "false"
	}
	return "https"
}

// ParseRemoteFetch reads a policy as String writes it.
func ParseRemoteFetch(s string) (RemoteFetch, error) {
	for _, p := range []RemoteFetch{FetchHTTPS, FetchAll, FetchNone} {
		if s == p.String() {
			return p, nil
		}
	}
	return FetchHTTPS, fmt.Errorf("want https, all or false, not %s", strconv.Quote(s))
}

// allows reports whether the policy fetches a URL of the scheme.
func (p RemoteFetch) allows(scheme string) bool {
	switch p {
	case FetchAll:
		return true
	case FetchHTTPS:
		return scheme == "https"
	}
	return false
}

// notFetchedError is the load error of a remote manifest the policy does
// not fetch. It is not a failure: the reference becomes an opaque node.
type notFetchedError struct {
	url    string
	policy RemoteFetch
}

func (e *notFetchedError) Error() string {
	if e.policy == FetchHTTPS {
		return "only https:// manifests are fetched"
	}
	return "remote manifests are not fetched"
}

// opaque returns the node of a reference whose manifest was not fetched:
// an empty manifest (parent's version) that claims nothing, marked Opaque,
// which carries the one amber_lsp::remote_not_fetched at the reference.
// The linker says nothing about what an opaque node declares: bindings into
// it are not checked, and what it exports is taken on trust.
func (r *resolver) opaque(parent *Node, name, what, url string, at diag.Span, nf *notFetchedError) *Node {
	r.sawOpaque = true
	version := "0.1.0"
	if v := parent.Manifest().Version; v != nil {
		version = v.Value
	}
	res := manifest.AnalyzeWith(url, []byte(`{ manifest_version: `+strconv.Quote(version)+` }`), manifest.Options{NoLints: true})
	allow := "amber.remote.fetch: \"https\" (the default) fetches https:// only; allow http:// with amber.remote.fetch: \"all\", or --remote-fetch all on the command line."
	if nf.policy == FetchNone {
		allow = "Fetching is off (amber.remote.fetch: false, or --offline); turn it on to check this manifest."
	}
	res.Diagnostics = []diag.Diagnostic{{
		Code:     codes.RemoteNotFetched,
		Severity: diag.Info,
		Message: fmt.Sprintf("remote manifest `%s` for %s in %s was not fetched: %s; it is not checked",
			url, what, displayName(parent.Observed), nf.Error()),
		Labels: []diag.Label{{File: parent.File, Span: at, Message: "not fetched", Primary: true}},
		Help:   allow + " A reference pinned with a digest is served from the cache, without the network, once fetched.",
	}}
	return &Node{Name: name, Parent: parent, URL: url, Observed: url, File: url, Result: res, digest: newDigest(res.Manifest), env: parent.env, Opaque: true}
}

// hasOpaque reports whether a resolved tree holds an opaque node: its link
// is then incomplete, and no scenario is built from it.
func hasOpaque(n *Node) bool {
	if n.Opaque {
		return true
	}
	for _, list := range [][]*Node{n.Children, n.Uses} {
		for _, c := range list {
			if hasOpaque(c) {
				return true
			}
		}
	}
	for _, ts := range n.Templates {
		for _, t := range ts {
			if hasOpaque(t) {
				return true
			}
		}
	}
	return false
}
