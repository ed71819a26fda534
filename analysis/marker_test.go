package analysis_test

import (
	"testing"

	"github.com/amberlsp/amber-lsp/internal/marker"
)

// TestFeatureMarkers runs the marker cases of testdata/features: hover,
// definition, completion and quick fixes (see internal/marker).
func TestFeatureMarkers(t *testing.T) { marker.Run(t, "testdata/features") }
