// Package plan handles an overlay helper's answer, the interposition plan
// (overlays.md §9–§12): strict decoding of the response body, validation of
// each plan against the scope request it answers, and the rewrite of the main
// scenario that inserts the interposers and rewires the edges they attach to.
//
// The overlay pass uses it in three steps:
//
//   - Decode reads a response body into a *Plan, or returns a *DecodeError
//     carrying Amber's two texts (`…was not valid JSON…` with a body preview,
//     or `…did not match interposition plan schema at {path} (line, column)`);
//   - Validate checks a decoded plan against its Scope (the scope root's
//     config schema and template, and the attachment targets of the request)
//     and returns the first problem as an *InvalidPlanError;
//   - Rewrite applies every Application (scope, overlay, plan) to the main
//     scenario and checks the result (ValidateScenario), returning a new
//     scenario; the input is not modified.
//
// Errors are values: each knows its Amber code, and Message renders Amber's
// text for an overlay's display name and scope root moniker, which only the
// caller knows.
package plan
