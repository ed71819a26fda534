package manifest

import (
	"strings"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
)

// mounts returns the program's mount list (program.mounts or vm.mounts).
func (v *validator) mounts() []*Mount {
	p := v.m.Program
	switch {
	case p == nil:
		return nil
	case p.VM != nil:
		return p.VM.Mounts
	}
	return p.Mounts
}

// mountsBy groups mounts by the text of the field pick selects, keeping
// their order, so that labelling the mounts of one text costs their number,
// not the number of mounts.
func mountsBy(mounts []*Mount, pick func(*Mount) *Str) map[string][]*Mount {
	out := map[string][]*Mount{}
	for _, m := range mounts {
		if s := pick(m); s != nil {
			out[s.Value] = append(out[s.Value], m)
		}
	}
	return out
}

// labelsOf labels the field pick selects of each of mounts, all the mounts
// with one text: Amber labels all of them (it finds them by text); VM mounts
// are labelled too, which Amber does not do.
func (v *validator) labelsOf(mounts []*Mount, pick func(*Mount) *Str, label string) []diag.Label {
	out := make([]diag.Label, 0, len(mounts))
	for _, m := range mounts {
		out = append(out, diag.Label{Span: v.span(pick(m).Node), Message: label, Primary: true})
	}
	return out
}

func (v *validator) reportLabels(code diag.Code, msg string, labels []diag.Label, help string) {
	v.add(diag.Diagnostic{Code: code, Severity: diag.Error, Message: msg, Labels: labels, Help: help})
}

func mountName(m *Mount) *Str { return m.Name }
func mountPath(m *Mount) *Str { return &m.Path }
func mountFrom(m *Mount) *Str { return &m.From }

// checkMounts implements spec 6.8.
func (v *validator) checkMounts() {
	names, paths := map[string]bool{}, map[string]bool{}
	byName, byPath, byFrom := mountsBy(v.mounts(), mountName), mountsBy(v.mounts(), mountPath), mountsBy(v.mounts(), mountFrom)
	reported := map[string]bool{}
	once := func(key string) bool {
		if reported[key] {
			return false
		}
		reported[key] = true
		return true
	}
	for _, m := range v.mounts() {
		variadic := m.When != nil || m.Each != nil
		if m.Name != nil && isLiteral(m.Name.Value) {
			name := m.Name.Value
			if strings.Contains(name, ".") && once("name."+name) {
				v.reportLabels(codes.InvalidName, "invalid mount name `"+name+"`: dots are reserved",
					v.labelsOf(byName[name], mountName, "invalid mount name"), "")
			} else if !variadic {
				if names[name] && once("dupname."+name) {
					v.reportLabels(codes.DuplicateMountName, "duplicate mount name `"+name+"`",
						v.labelsOf(byName[name], mountName, "duplicate mount name"), "")
				}
				names[name] = true
			}
		}
		if p := m.Path.Value; isLiteral(p) {
			reason := ""
			switch {
			case !strings.HasPrefix(p, "/"):
				reason = "mount path must be absolute"
			case containsSegment(p, ".."):
				reason = "mount path must not contain `..`"
			}
			if reason != "" {
				if once("path." + p) {
					v.reportLabels(codes.InvalidMountPath, "invalid mount path `"+p+"`: "+reason,
						v.labelsOf(byPath[p], mountPath, "invalid mount path"), "")
				}
			} else if !variadic {
				if paths[p] && once("duppath."+p) {
					v.reportLabels(codes.DuplicateMountPath, "duplicate mount path `"+p+"`",
						v.labelsOf(byPath[p], mountPath, "duplicate mount path"), "")
				}
				paths[p] = true
			}
		}
		if from := m.From.Value; isLiteral(from) && once("from."+from) {
			v.checkMountSource(from, byFrom[from])
		}
	}
}

func containsSegment(p, seg string) bool {
	for _, s := range strings.Split(p, "/") {
		if s == seg {
			return true
		}
	}
	return false
}

// checkMountSource validates a literal mount `from`, the source of mounts.
func (v *validator) checkMountSource(from string, mounts []*Mount) {
	labels := func(text string) []diag.Label { return v.labelsOf(mounts, mountFrom, text) }
	invalid := func(reason string) {
		v.reportLabels(codes.InvalidMountSource, "invalid mount source `"+from+"`: "+reason, labels("mount source here"), "")
	}
	src, reason := ParseMountSource(from)
	if reason != "" {
		invalid(reason)
		return
	}
	rest := src.Name
	switch src.Kind {
	case MountFromConfig:
		switch {
		case v.m.ConfigSchema == nil:
			v.reportLabels(codes.InvalidMountConfigPath,
				"invalid config mount path `"+rest+"`: component has no config_schema", labels("mount source here"), "")
		case rest != "":
			if reason := v.configPathFailure(rest); reason != "" {
				v.reportLabels(codes.InvalidMountConfigPath,
					"invalid config mount path `"+rest+"`: "+reason, labels("mount source here"), "")
			}
		}
	case MountFromResources:
		if v.resourceNames == nil {
			v.resourceNames = names(v.m.Resources, func(r *Resource) string { return r.Name })
		}
		if !v.resourceNames[rest] {
			v.reportLabels(codes.UnknownMountResource,
				"mount source `resources."+rest+"` references unknown resource", labels("mount source here"), "")
		}
	case MountFromSlots:
		v.checkMountSlot(rest, labels("mount source here"))
	case MountFromFramework:
		if rest == "component" {
			v.reportLabels(codes.UnsupportedMountSource,
				"mount source `framework.component` is reserved (not implemented)", labels("reserved mount source"), "")
			return
		}
		at := defaultSpan
		if l := labels(""); len(l) > 0 {
			at = l[0].Span
		}
		v.checkFramework(rest, at)
	}
}

func (v *validator) checkMountSlot(name string, labels []diag.Label) {
	if v.slotsByName == nil {
		v.slotsByName = map[string]*Slot{}
		for _, s := range v.m.Slots {
			if _, dup := v.slotsByName[s.Name]; !dup {
				v.slotsByName[s.Name] = s
			}
		}
	}
	if s := v.slotsByName[name]; s != nil {
		if s.Kind.Value != "storage" {
			v.reportLabels(codes.MountSlotRequiresStorage,
				"mount source `slots."+name+"` requires a storage slot, but `"+name+"` is `"+s.Kind.Value+"`", labels,
				"URL-shaped slots expose fields like `.url`. Storage slots are virtual storage objects and are mounted with `from: \"slots.<slot>\"`.")
		}
		return
	}
	v.reportLabels(codes.UnknownMountSlot, "mount source `slots."+name+"` references unknown slot", labels, "")
}
