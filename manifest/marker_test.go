package manifest_test

import (
	"testing"

	"github.com/amberlsp/amber-lsp/internal/marker"
)

// TestMarkers runs the marker cases of testdata/markers: one manifest each,
// whose every diagnostic is announced by a //@diag marker and recorded in
// full in the case's @diagnostics section (see internal/marker).
func TestMarkers(t *testing.T) { marker.Run(t, "testdata/markers") }
