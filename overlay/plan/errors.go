package plan

import (
	"fmt"

	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/codes"
	"github.com/amberlsp/amber-lsp/overlay/internal/preview"
)

// Error is an overlay-pass error of this package. Message renders Amber's
// text; display is the overlay's display name (e.g. `/redaction`) and scope
// the scope root's moniker R. Errors that concern no single overlay ignore
// both.
type Error interface {
	error
	Code() diag.Code
	Message(display, scope string) string
}

// DecodeError is a response body that is not an interposition plan
// (overlays.md §9).
type DecodeError struct {
	// Syntax is set when the body is not valid JSON; otherwise it is valid
	// JSON of the wrong shape.
	Syntax bool
	// Detail is serde_json's text: the parser error for syntax errors
	// (`expected value`, `EOF while parsing an object`, …), the underlying
	// shape error otherwise (`missing field `attachments``, …), which
	// Amber's message leaves out.
	Detail string
	// Path is the location of the failing value for shape errors: object
	// keys joined by `.`, array indexes as `[i]`, `.` for the document root.
	Path string
	// Offset is the byte offset serde_json reports.
	Offset int
	Line   int // the line of Offset, from 1
	Column int // the bytes on that line before Offset
	// Body is the response body as returned, for the preview.
	Body []byte
}

// Code implements Error.
func (e *DecodeError) Code() diag.Code { return codes.OverlayPassInterpositionPlanDeserialize }

// Message implements Error with Amber's texts: for syntax errors
// `overlay `{display}` in scope `{R}` returned response body that was not
// valid JSON: {detail} at line {l} column {c}` and the body preview; for shape
// errors `overlay `{display}` in scope `{R}` returned JSON that did not match
// interposition plan schema at {path} (line {l}, column {c})`.
func (e *DecodeError) Message(display, scope string) string {
	if e.Syntax {
		return fmt.Sprintf("overlay `%s` in scope `%s` returned response body that was not valid JSON: %s\n\nbody preview:\n%s",
			display, scope, e.ParserError(), Preview(e.Body))
	}
	return fmt.Sprintf("overlay `%s` in scope `%s` returned JSON that did not match interposition plan schema at %s (line %d, column %d)",
		display, scope, e.Path, e.Line, e.Column)
}

// ParserError returns serde_json's error text with its position, e.g.
// `expected value at line 1 column 1`.
func (e *DecodeError) ParserError() string {
	return fmt.Sprintf("%s at line %d column %d", e.Detail, e.Line, e.Column)
}

// Error implements error: the parser error, or the shape error with its path.
func (e *DecodeError) Error() string {
	if e.Syntax {
		return "invalid JSON: " + e.ParserError()
	}
	return fmt.Sprintf("interposition plan schema mismatch at %s (line %d, column %d): %s", e.Path, e.Line, e.Column, e.Detail)
}

// Preview returns Amber's preview of a response body: the body with
// surrounding white space trimmed and, past 4096 bytes, cut at a UTF-8
// boundary and followed by `\n... <truncated; showing first {n} of {total}
// bytes>` (total counts the trimmed body). Invalid UTF-8 is shown as U+FFFD.
func Preview(body []byte) string { return preview.Body(body) }

// InvalidPlanError is a plan that failed validation (overlays.md §10), or
// whose interposer program failed the re-validation with its real component
// id during the rewrite (§11.1).
type InvalidPlanError struct {
	// Application is the index of the failing application in Rewrite's
	// input; Validate leaves it 0.
	Application int
	// Interposition is the index of the failing interposition in the plan.
	Interposition int
	// Cause is Amber's validation message, e.g. `interposition must attach
	// to at least one target`.
	Cause string
}

// Code implements Error.
func (e *InvalidPlanError) Code() diag.Code { return codes.OverlayPassInvalidInterpositionPlan }

// Message implements Error: `overlay `{display}` in scope `{R}` returned an
// invalid interposition plan: {cause}` (the cause appended, as proposed in
// overlays.md §10).
func (e *InvalidPlanError) Message(display, scope string) string {
	return fmt.Sprintf("overlay `%s` in scope `%s` returned an invalid interposition plan: %s", display, scope, e.Cause)
}

// Error implements error.
func (e *InvalidPlanError) Error() string {
	return fmt.Sprintf("invalid interposition plan (interposition %d): %s", e.Interposition, e.Cause)
}

// MissingTargetError is an attachment whose target the rewrite cannot map to
// an edge of the scenario. Validation rules this out for targets of the
// request; it remains for inconsistent Scope inputs.
type MissingTargetError struct {
	Application int    // the application's index in Rewrite's list
	Target      uint64 // the attachment's `target` id
	Scope       string // the scope root's moniker
}

// Code implements Error.
func (e *MissingTargetError) Code() diag.Code { return codes.OverlayPassMissingAttachmentTarget }

// Message implements Error with Amber's text (see Error).
func (e *MissingTargetError) Message(_, _ string) string { return e.Error() }

// Error implements error: attachment target {t} is missing while
// rewriting scope {R} (the scope in backticks).
func (e *MissingTargetError) Error() string {
	return fmt.Sprintf("attachment target %d is missing while rewriting scope `%s`", e.Target, e.Scope)
}

// ScenarioError is a rewritten scenario that fails Amber's scenario IR
// checks (overlays.md §11.5).
type ScenarioError struct {
	// Text is Amber's message, e.g. `scenario IR is invalid: binding into
	// /a.in expects a2a, but /b.out provides http`.
	Text string
}

// Code implements Error.
func (e *ScenarioError) Code() diag.Code { return codes.OverlayPassInvalidRewrittenScenario }

// Message implements Error.
func (e *ScenarioError) Message(_, _ string) string { return e.Text }

// Error implements error.
func (e *ScenarioError) Error() string { return e.Text }
