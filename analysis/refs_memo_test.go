package analysis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// TestManifestRefsMemo edits a manifest at random, one version after
// another (every other run parsing each version from the last, as an
// editor does), and checks that reading the files its references name with
// the memo of the version before (what the parse cache does on every
// keystroke: reusing the targets of tables whose text did not change,
// taking what the members lined up with the memo's named, resolving the
// texts it knows) gives exactly the paths of a fresh ManifestRefs, each
// once in order, that the references read through the memo are the fresh
// ones, that a memo points at its own version's tables, and that a memo
// built anew holds at most twice the references of its version.
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
		switch r.IntN(16) {
		case 0:
			return fmt.Sprintf("c%d: %s", i, ref)
		case 1:
			return fmt.Sprintf("c%d: { manifest: %s }", i, ref)
		case 2:
			return fmt.Sprintf("c%d: { manifest: { url: %s } }", i, ref)
		case 3:
			return fmt.Sprintf("c%d: %s,", i, ref) // a syntax error: two commas
		case 4:
			return fmt.Sprintf("c%d: { manifest %s }", i, ref) // a syntax error: no colon
		}
		return fmt.Sprintf("c%d: { url: %s, config: {} }", i, ref)
	}
	// A version is a prefix, the two tables and what stands between and
	// after them; each step changes one of them.
	type version struct {
		parts  [4]string // before, between, after, and the shape: "" or a broken variant
		tables [2][]string
	}
	text := func(v version) string {
		comps, uses := strings.Join(v.tables[0], ", "), strings.Join(v.tables[1], ", ")
		switch v.parts[3] {
		case "array":
			return fmt.Sprintf(`{ %s components: [%s], use: { %s } %s }`, v.parts[0], comps, uses, v.parts[2])
		case "root array":
			return fmt.Sprintf(`[{ components: { %s } }]`, comps)
		case "unclosed":
			return fmt.Sprintf(`{ %s components: { %s, use: { %s } %s`, v.parts[0], comps, uses, v.parts[2])
		}
		return fmt.Sprintf(`{ %s components: { %s }, %s use: { %s } %s }`, v.parts[0], comps, v.parts[1], uses, v.parts[2])
	}
	fillers := []string{"", `manifest_version: "0.4.0",`, `manifest_version: "0.4.0", x: [1, 2],`, `y: ,,`, `z: "unterminated`, `// c`}
	reused, moved := 0, 0 // versions whose tables kept their text and place, or only their text
	keptMemo := 0         // versions with syntax errors outside their tables that kept the memo, their tree unbuilt
	editedTable := 0      // versions with a table edited from the memo's version, their tree unbuilt
	// Members lined up with the memo's; of them, the very same members,
	// and others of tables with errors.
	paired, shared, amid := 0, 0, 0
	prefix := 0 // versions of other tables whose targets are a prefix of the memo's, shared
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 12))
		var v version
		var memo *refMemo
		var syn *json5.File
		for step := range 200 {
			switch k := r.IntN(10); {
			case k < 4:
				v.parts[r.IntN(3)] = fillers[r.IntN(len(fillers))]
			case k < 8:
				tab := &v.tables[r.IntN(2)]
				switch i := r.IntN(len(*tab) + 1); {
				case i == len(*tab) || r.IntN(3) == 0:
					*tab = append(*tab, entry(r, len(*tab)))
				case r.IntN(2) == 0:
					(*tab)[i] = entry(r, i)
				default:
					*tab = append((*tab)[:i:i], (*tab)[i+1:]...)
				}
			case k < 9:
				v.parts[3] = []string{"array", "root array", "unclosed"}[r.IntN(3)]
			default:
				v.parts[3] = ""
			}
			// Odd seeds parse each version from the last, as an editor
			// does, sharing the members the edit did not touch.
			src := []byte(text(v))
			if syn == nil || seed%2 == 0 {
				syn = json5.Parse(src)
			} else {
				at, end := editOf(syn.Src, src)
				syn = json5.ReparseEdited(syn, src, at, end)
			}
			prev := memo
			tables := refTables(syn)
			same, shifted := prev.sameTables(syn.Src, tables)
			changed := !same        // the tables' text changed
			pending := !syn.Built() // a text with syntax errors, its tree not yet asked for
			var got []string
			got, memo = refTargets(file, syn, memo)
			built := syn.Built()
			switch {
			case same && shifted:
				moved++
			case same:
				reused++
			default:
				for t, table := range refNodes(syn) {
					if table != nil {
						l := prev.lineup(t, table, syn.Src, tables[t], errSpans(syn))
						paired += l.head + l.tail
						for i := range table.Members {
							j := l.old(i)
							switch {
							case j < 0:
							case table.Members[i] == prev.nodes[t].Value().Members[j]:
								shared++
							case tables[t].state != tableText || prev.tables[t].state != tableText:
								amid++
							}
						}
					}
				}
			}
			if changed && len(got) > 0 && prev != nil && len(prev.targets) > 0 && &got[0] == &prev.targets[0] {
				prefix++
			}
			want := ManifestRefs(file, syn)
			var paths []string
			for _, r := range want {
				if !slices.Contains(paths, r.Path) {
					paths = append(paths, r.Path)
				}
			}
			switch {
			case same && pending:
				// The tree stays unbuilt, and the memo's version serves.
				if memo != prev || built {
					t.Fatalf("seed %d step %d: a version with syntax errors outside its tables took a new memo or built its tree", seed, step)
				}
				keptMemo++
			case pending && !built:
				// An edit of a table, from the memo's version
				// (pendingTargets): the memo serves the next version too.
				if memo != prev {
					t.Fatalf("seed %d step %d: a version whose tree was not built took a new memo", seed, step)
				}
				editedTable++
			default:
				for i, table := range refNodes(syn) {
					if memo.nodes[i].Value() != table {
						t.Fatalf("seed %d step %d: the memo holds tables of another tree", seed, step)
					}
				}
			}
			if !slices.Equal(got, paths) {
				t.Fatalf("seed %d step %d: %s\nwith the memo\n%v\nfresh\n%v", seed, step, syn.Src, got, paths)
			}
			if refs := manifestRefs(file, syn, prev); !reflect.DeepEqual(refs, want) {
				t.Fatalf("seed %d step %d: %s\nthrough the memo\n%v\nfresh\n%v", seed, step, syn.Src, refs, want)
			}
			used := 0
			eachRef(syn, func(string, *json5.Member, *json5.Node) { used++ })
			if prev != nil && reflect.ValueOf(memo.texts).UnsafePointer() != reflect.ValueOf(prev.texts).UnsafePointer() && len(memo.texts) > 2*used {
				t.Fatalf("seed %d step %d: the memo holds %d texts for %d references", seed, step, len(memo.texts), used)
			}
		}
	}
	if reused == 0 || moved == 0 || paired == 0 || shared == 0 || amid == 0 || prefix == 0 || keptMemo == 0 || editedTable == 0 {
		t.Errorf("%d versions reused the references of the one before, %d moved them; %d members lined up with the memo's, %d of them the same members, %d in tables with errors; %d shared the memo's targets; %d kept the memo, their tree unbuilt; %d edited a table, their tree unbuilt",
			reused, moved, paired, shared, amid, prefix, keptMemo, editedTable)
	}
}

// editOf returns the bytes [at, end) of was that now replaces: what is
// between their longest common prefix and suffix.
func editOf(was, now []byte) (at, end int) {
	for at < min(len(was), len(now)) && was[at] == now[at] {
		at++
	}
	end = len(was)
	for end > at && len(now)-(len(was)-end) > at && was[end-1] == now[len(now)-(len(was)-end)-1] {
		end--
	}
	return at, end
}

// TestRefMemoLetsTreeGo checks that a memo lines its version's tables up
// while the tree lives, and does not keep the tree alive.
func TestRefMemoLetsTreeGo(t *testing.T) {
	const file = "/ws/app/root.json5"
	src := []byte(`{ components: { a: "./a.json5", b: "./b.json5" } }`)
	syn := json5.Parse(src)
	_, memo := refTargets(file, syn, nil)
	if memo.nodes[0].Value() != syn.Root().Get("components") {
		t.Fatal("the memo lost the table of a live tree")
	}
	next := json5.ReparseEdited(syn, []byte(`{ components: { a: "./a.json5", b: "./c.json5" } }`), 37, 38)
	runtime.KeepAlive(syn)
	syn = nil
	if got, _ := refTargets(file, next, memo); !slices.Equal(got, []string{"/ws/app/a.json5", "/ws/app/c.json5"}) {
		t.Fatalf("targets %v", got)
	}
	next = nil
	for range 3 {
		runtime.GC()
	}
	if memo.nodes[0].Value() != nil {
		t.Error("the memo keeps its version's tree alive")
	}
}
