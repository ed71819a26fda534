// Package program checks and lowers one component's program for the linker
// (linker.md §4.1 steps 2-3, §4.3, §5, §7; overlays.md §10 step 6, §11.1).
//
// The linker calls it once per component:
//
//   - CheckSlotInterpolation gives the compiler::invalid_slots_interpolation
//     diagnostics of a manifest's program (§5);
//   - CheckConfigRefs and CheckResourceParams give the config-reference
//     problems the linker reports as linker::invalid_config (§4.1);
//   - Lower turns the manifest program into the scenario's lowered program,
//     or into failures tagged with their site (§4.3);
//   - UsedSlots tells which slots a lowered program uses (§7);
//   - ValidateLowered checks a lowered program that did not come from a
//     manifest: an overlay interposer's (overlays.md §10, §11.1).
//
// Spans are byte ranges in the component's own manifest; labels carry no
// file name, which the caller fills in.
//
// Config is read through the small Config interface rather than the linker's
// config templates, so this package does not depend on linker/config. The
// linker adapts a component's composed template: a path whose value is
// known at compile time is Static (with its JSON value; JSON null included),
// a path that depends on root config supplied at run time (the Root
// template, a ConfigRef, a string template with config parts, or anything
// below them) is Runtime, and a path the template does not set is Absent.
package program
