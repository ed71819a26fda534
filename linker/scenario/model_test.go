package scenario

import (
	"slices"
	"testing"
)

// TestKindConstants: the named kinds are exactly the vocabulary's kinds, in
// its order.
func TestKindConstants(t *testing.T) {
	named := []string{KindMCP, KindLLM, KindHTTP, KindComponent, KindDocker, KindA2A, KindStorage, KindKVM}
	if !slices.Equal(named, Kinds) {
		t.Errorf("Kind constants %q, vocabulary kinds %q", named, Kinds)
	}
	if !IsKind(KindStorage) || IsKind("storag") {
		t.Error("IsKind disagrees with Kinds")
	}
}
