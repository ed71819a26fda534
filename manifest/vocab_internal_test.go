package manifest

import (
	"slices"
	"testing"
)

// TestCodeAgreesWithVocabulary: the lists the validator and the reference
// parsers keep beside their logic name what the vocabulary names.
func TestCodeAgreesWithVocabulary(t *testing.T) {
	var frameworks []string
	for _, f := range frameworkCapabilities {
		frameworks = append(frameworks, f.name)
		if f.feature != "" && !slices.Contains(Enum(EnumExperimentalFeature).Names(), f.feature) {
			t.Errorf("framework capability %s needs unknown feature %s", f.name, f.feature)
		}
	}
	if want := Enum(EnumFramework).Names(); !slices.Equal(frameworks, want) {
		t.Errorf("validator's framework capabilities %q, vocabulary %q", frameworks, want)
	}
	var keywords []string
	for k := range keywordRef {
		keywords = append(keywords, k)
	}
	slices.Sort(keywords)
	want := slices.Sorted(slices.Values(SyntaxBindingSource.Keywords()))
	if !slices.Equal(keywords, want) {
		t.Errorf("binding ref keywords %q, vocabulary %q", keywords, want)
	}
}
