package linker

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// memResolver serves the URLs under its prefix from a map and records the
// URLs it was asked for.
type memResolver struct {
	prefix string
	files  map[string]string
	mu     sync.Mutex
	asked  []string
}

func (m *memResolver) Resolve(ctx context.Context, rawURL string) ([]byte, string, bool, error) {
	m.mu.Lock()
	m.asked = append(m.asked, rawURL)
	m.mu.Unlock()
	if !strings.HasPrefix(rawURL, m.prefix) {
		return nil, "", false, nil
	}
	text, ok := m.files[rawURL]
	if !ok {
		return nil, "", true, errors.New("not in the registry")
	}
	return []byte(text), rawURL, true, nil
}

// TestEnvironmentResolvers: a child declared with an environment is fetched
// through the host's resolvers, and so is its whole subtree; the most
// recently added resolver is asked first; a declaration without the
// environment cannot reach them.
func TestEnvironmentResolvers(t *testing.T) {
	reg := &memResolver{prefix: "mem://registry/", files: map[string]string{
		"mem://registry/x.json5": `{ manifest_version: "0.3.0", components: { y: "./y.json5" } }`,
		"mem://registry/y.json5": `{ manifest_version: "0.3.0" }`,
	}}
	base := &memResolver{prefix: "mem://", files: map[string]string{}}
	src := newMemSource(map[string]string{
		"/mem/env/root.json5": `{
  manifest_version: "0.3.0",
  environments: {
    base: { resolvers: ["base"] },
    reg: { extends: "base", resolvers: ["registry"] },
  },
  components: { x: { manifest: "mem://registry/x.json5", environment: "reg" } },
}`,
	})
	opts := Options{Files: src, Resolvers: map[string]Resolver{"base": base, "registry": reg}}
	res := Link(context.Background(), "/mem/env/root.json5", opts)
	if len(res.Diagnostics) != 0 || len(res.Components) != 3 {
		t.Fatalf("%d components, %v", len(res.Components), res.Diagnostics)
	}
	if got := res.Components[2]; got.Moniker != "/x/y" || got.Node.File != "mem://registry/y.json5" {
		t.Errorf("grandchild %s from %s", got.Moniker, got.Node.File)
	}
	if want := []string{"mem://registry/x.json5", "mem://registry/y.json5"}; !reflect.DeepEqual(reg.asked, want) {
		t.Errorf("registry asked %v, want %v", reg.asked, want)
	}
	if len(base.asked) != 0 {
		t.Errorf("the base resolver was asked first: %v", base.asked)
	}

	// Without the environment the scheme is unknown.
	src.set("/mem/env/root.json5", `{ manifest_version: "0.3.0", components: { x: "mem://registry/x.json5" } }`)
	res = Link(context.Background(), "/mem/env/root.json5", opts)
	if len(res.Diagnostics) != 1 || !strings.HasSuffix(res.Diagnostics[0].Message, ": unsupported URL scheme `mem`") {
		t.Errorf("without environment: %v", res.Diagnostics)
	}

	// A resolver's error is the resolution failure.
	src.set("/mem/env/root.json5", `{
  manifest_version: "0.3.0",
  environments: { reg: { resolvers: ["registry"] } },
  components: { x: { manifest: "mem://registry/absent.json5", environment: "reg" } },
}`)
	res = Link(context.Background(), "/mem/env/root.json5", opts)
	if len(res.Diagnostics) != 1 || !strings.HasSuffix(res.Diagnostics[0].Message, ": not in the registry") {
		t.Errorf("resolver error: %v", res.Diagnostics)
	}
}
