package plan

import (
	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/interp"
)

// The typed plan, field lists in Amber's declaration order (serde reports
// the first missing field in that order).
var (
	planFields          = []string{"interpositions"}
	interpositionFields = []string{"interposer", "attachments"}
	attachmentFields    = []string{"target", "interposer_slot", "interposer_provide"}
	interposerFields    = []string{"config", "config_schema", "program", "slots", "provides", "resources", "metadata"}
	slotFields          = []string{"optional", "multiple", "kind", "profile"}
	provideFields       = []string{"endpoint", "kind", "profile"}
	resourceFields      = []string{"kind", "params"}
	paramFields         = []string{"size", "retention", "sharing"}
)

func (d *decoder) plan() (*Plan, error) {
	p := &Plan{Interpositions: []Interposition{}}
	seen := map[string]bool{}
	err := d.object("InterpositionPlan", planFields, func(key string) error {
		seen[key] = true
		return d.seq(func(int) error {
			in, err := d.interposition()
			if err == nil {
				p.Interpositions = append(p.Interpositions, in)
			}
			return err
		})
	})
	if err == nil {
		err = d.missing(seen, planFields...)
	}
	return p, err
}

func (d *decoder) interposition() (Interposition, error) {
	var in Interposition
	seen := map[string]bool{}
	err := d.object("Interposition", interpositionFields, func(key string) error {
		seen[key] = true
		if key == "interposer" {
			var err error
			in.Interposer, err = d.interposer()
			return err
		}
		in.Attachments = []Attachment{}
		return d.seq(func(int) error {
			a, err := d.attachment()
			if err == nil {
				in.Attachments = append(in.Attachments, a)
			}
			return err
		})
	})
	if err == nil {
		err = d.missing(seen, interpositionFields...)
	}
	return in, err
}

func (d *decoder) attachment() (Attachment, error) {
	var a Attachment
	seen := map[string]bool{}
	err := d.object("Attachment", attachmentFields, func(key string) error {
		seen[key] = true
		var err error
		switch key {
		case "target":
			a.Target, err = d.u64()
		case "interposer_slot":
			a.Slot, err = d.name("slot")
		default:
			a.Provide, err = d.name("provide")
		}
		return err
	})
	if err == nil {
		err = d.missing(seen, attachmentFields...)
	}
	return a, err
}

func (d *decoder) interposer() (Interposer, error) {
	ip := Interposer{
		Slots:     map[string]scenario.SlotDecl{},
		Provides:  map[string]scenario.ProvideDecl{},
		Resources: map[string]scenario.ResourceDecl{},
	}
	err := d.object("Interposer", interposerFields, func(key string) error {
		var err error
		switch key {
		case "config":
			ip.Config, err = d.json()
		case "config_schema":
			ip.ConfigSchema, err = d.json()
		case "metadata":
			ip.Metadata, err = d.json()
		case "program":
			ip.Program, err = d.program()
		case "slots":
			ip.Slots = map[string]scenario.SlotDecl{}
			err = d.nameMap("slot", func(name string) error {
				s, err := d.slotDecl()
				ip.Slots[name] = s
				return err
			})
		case "provides":
			ip.Provides = map[string]scenario.ProvideDecl{}
			err = d.nameMap("provide", func(name string) error {
				p, err := d.provideDecl()
				ip.Provides[name] = p
				return err
			})
		case "resources":
			ip.Resources = map[string]scenario.ResourceDecl{}
			err = d.nameMap("resource", func(name string) error {
				r, err := d.resourceDecl()
				ip.Resources[name] = r
				return err
			})
		}
		return err
	})
	return ip, err
}

// program reads the interposer's program: null is none; anything else is
// read whole and then decoded (program.go), problems reported at `program`.
func (d *decoder) program() (*scenario.Program, error) {
	n, err := d.value()
	if err != nil {
		return nil, err
	}
	if n.kind == nullNode {
		return nil, nil
	}
	p, msg := lowerProgram(n)
	if msg != "" {
		return nil, d.late(msg)
	}
	return p, nil
}

// slotDecl reads a slot declaration (flattened in Amber: read whole, then
// decoded; problems are reported at the declaration, past its end).
func (d *decoder) slotDecl() (scenario.SlotDecl, error) {
	var s scenario.SlotDecl
	n, err := d.buffered("SlotDecl")
	if err != nil {
		return s, err
	}
	m, msg := members(n, "struct SlotDecl", slotFields)
	if msg == "" {
		s.Optional, msg = optBool(m["optional"])
	}
	if msg == "" {
		s.Multiple, msg = optBool(m["multiple"])
	}
	if msg == "" {
		s.Capability, msg = capability(m)
	}
	if msg != "" {
		return s, d.shape(msg, d.pos)
	}
	return s, nil
}

// provideDecl reads a provide declaration (flattened, like slots).
func (d *decoder) provideDecl() (scenario.ProvideDecl, error) {
	var p scenario.ProvideDecl
	n, err := d.buffered("ProvideDecl")
	if err != nil {
		return p, err
	}
	m, msg := members(n, "struct ProvideDecl", provideFields)
	if msg == "" {
		p.Endpoint, msg = optString(m["endpoint"])
	}
	if msg == "" {
		p.Capability, msg = capability(m)
	}
	if msg != "" {
		return p, d.shape(msg, d.pos)
	}
	return p, nil
}

// capability reads the flattened `kind` and `profile` of a declaration.
func capability(m map[string]*node) (scenario.Capability, string) {
	var c scenario.Capability
	k := m["kind"]
	if k == nil {
		return c, "missing field `kind`"
	}
	if msg := kindProblem(k); msg != "" {
		return c, msg
	}
	c.Kind = k.str
	var msg string
	c.Profile, msg = optString(m["profile"])
	return c, msg
}

// resourceDecl reads a resource declaration (not flattened: decoded as it is
// read).
func (d *decoder) resourceDecl() (scenario.ResourceDecl, error) {
	var r scenario.ResourceDecl
	seen := map[string]bool{}
	err := d.object("ResourceDecl", resourceFields, func(key string) error {
		seen[key] = true
		if key == "kind" {
			n, err := d.value()
			if err != nil {
				return err
			}
			if msg := kindProblem(n); msg != "" {
				return d.shape(msg, d.pos)
			}
			r.Kind = n.str
			return nil
		}
		return d.params(&r)
	})
	if err == nil {
		err = d.missing(seen, "kind")
	}
	return r, err
}

// params reads a resource's params: interpolation strings or null.
func (d *decoder) params(r *scenario.ResourceDecl) error {
	return d.object("ResourceParams", paramFields, func(key string) error {
		n, err := d.value()
		if err != nil {
			return err
		}
		var s *string
		switch n.kind {
		case nullNode:
		case stringNode:
			if _, err := interp.Parse(n.str); err != nil {
				return d.late(err.Error())
			}
			s = &n.str
		default:
			return d.shape("invalid type: "+describe(n)+", expected a string", d.pos)
		}
		switch key {
		case "size":
			r.Size = s
		case "retention":
			r.Retention = s
		default:
			r.Sharing = s
		}
		return nil
	})
}

// members checks a buffered object against a strict field list and returns
// its members by key.
func members(n *node, what string, fields []string) (map[string]*node, string) {
	if n.kind != objectNode {
		return nil, "invalid type: " + describe(n) + ", expected " + what
	}
	m := make(map[string]*node, len(n.members))
	for _, mem := range n.members {
		if !contains(fields, mem.key) {
			return nil, unknownField(mem.key, fields)
		}
		if m[mem.key] != nil {
			return nil, "duplicate field `" + mem.key + "`"
		}
		m[mem.key] = mem.val
	}
	return m, ""
}

// optBool reads an optional boolean (absent: false).
func optBool(n *node) (bool, string) {
	if n == nil {
		return false, ""
	}
	if n.kind != boolNode {
		return false, "invalid type: " + describe(n) + ", expected a boolean"
	}
	return n.b, ""
}

// optString reads an optional string (absent or null: nil).
func optString(n *node) (*string, string) {
	if n == nil || n.kind == nullNode {
		return nil, ""
	}
	if n.kind != stringNode {
		return nil, "invalid type: " + describe(n) + ", expected a string"
	}
	s := n.str
	return &s, ""
}
