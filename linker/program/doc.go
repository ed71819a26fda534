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
// linker adapts a component's composed template (config.Analyze): for each
// path lowering asks about, the Outcomes it can have when the program runs
// (left out, null, a value only the run knows, values known at link time),
// decided from the template, the component's schema defaults and the root's
// config_schema. Lowering reads them as Amber does: a `when` is kept,
// dropped or left to the run by Presence, an `each` expands the items all
// outcomes agree on, and a value is inlined when Static.
package program
