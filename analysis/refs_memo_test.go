package analysis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestManifestRefsMemo checks that resolving references through the memo
// of earlier versions of a file (what the parse cache does on every
// keystroke) gives exactly the references a fresh ManifestRefs gives, and
// that a memo built anew holds at most twice the references of its
// version.
func TestManifestRefsMemo(t *testing.T) {
	const file = "/ws/app/root.json5"
	texts := []string{"./a.json5", "./b.json5", "../up.json5", "/abs/c.json5", "sub/./d.json5",
		"https://example.com/x.json5", "file:///etc/e.json5", "", "./a.json5?q", "./%41.json5", `.\\w.json5`}
	entry := func(r *rand.Rand, i int) string {
		text := texts[r.IntN(len(texts))]
		if r.IntN(2) == 0 {
			text = fmt.Sprintf("./c%d.json5", r.IntN(100))
		}
		ref := fmt.Sprintf("%q", text)
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf("c%d: %s", i, ref)
		case 1:
			return fmt.Sprintf("c%d: { manifest: %s }", i, ref)
		case 2:
			return fmt.Sprintf("c%d: { manifest: { url: %s } }", i, ref)
		}
		return fmt.Sprintf("c%d: { url: %s, config: {} }", i, ref)
	}
	version := func(r *rand.Rand) string {
		var comps, uses []string
		for i := range r.IntN(12) {
			comps = append(comps, entry(r, i))
		}
		for i := range r.IntN(3) {
			uses = append(uses, entry(r, i))
		}
		switch r.IntN(6) {
		case 0:
			return `{ manifest_version: "0.4.0" }`
		case 1:
			return fmt.Sprintf(`{ components: [%s], use: { %s } }`, strings.Join(comps, ", "), strings.Join(uses, ", "))
		case 2:
			return fmt.Sprintf(`[{ components: { %s } }]`, strings.Join(comps, ", "))
		}
		return fmt.Sprintf(`{ manifest_version: "0.4.0", components: { %s }, use: { %s } }`, strings.Join(comps, ", "), strings.Join(uses, ", "))
	}
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 12))
		var memo refMemo
		for step := range 50 {
			syn := json5.Parse([]byte(version(r)))
			prev := memo
			var got []Ref
			got, memo = manifestRefs(file, syn, memo)
			if want := ManifestRefs(file, syn); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d: with the memo\n%v\nfresh\n%v", seed, step, got, want)
			}
			used := 0
			eachRef(syn, func(string, *json5.Member, *json5.Node) { used++ })
			if reflect.ValueOf(memo).UnsafePointer() != reflect.ValueOf(prev).UnsafePointer() && len(memo) > 2*used {
				t.Fatalf("seed %d step %d: the memo holds %d texts for %d references", seed, step, len(memo), used)
			}
		}
	}
}
