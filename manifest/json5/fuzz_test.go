package json5

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse parses arbitrary bytes: Parse must not panic, Print must give the
// input back byte for byte, every node must lie within its parent and the
// file, and every error span within the file (checkFile); and scanning
// the tokens as the parse reads them must give what scanning them all
// first gives (sameAsScanned). The seed corpus is testdata/fuzz/FuzzParse
// plus the golden inputs.
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=4m ./manifest/json5/
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json5")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse(src)
		checkFile(t, src, file)
		sameAsScanned(t, "fuzz input", src, 2, 512)
		if file.Root() != nil {
			_ = file.Root().Value()
			_ = file.Root().FirstInvalid()
		}
	})
}
