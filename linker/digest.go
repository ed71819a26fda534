package linker

import (
	"crypto/sha256"
	"encoding/base64"

	"github.com/amberlsp/amber-lsp/linker/scenario"
	"github.com/amberlsp/amber-lsp/manifest/json5"
)

// manifestDigest computes a manifest's identity: "sha256:" and the standard
// base64 of the SHA-256 of its compact JSON form with `metadata` removed.
//
// Amber hashes the validated manifest re-expressed in its raw form, in
// struct field order (linker.md §8.6), which the spec itself marks as
// unverified. amber-lsp hashes the manifest's own JSON value with sorted
// keys instead. Both are content identities that ignore formatting and
// comments, which is what the cycle check and digest pins rely on; the
// bytes of the two differ.
func manifestDigest(root *json5.Node) string {
	v, _ := root.Value().(map[string]any)
	if v == nil {
		v = map[string]any{}
	}
	if _, ok := v["metadata"]; ok {
		trimmed := make(map[string]any, len(v))
		for k, x := range v {
			if k != "metadata" {
				trimmed[k] = x
			}
		}
		v = trimmed
	}
	data, _ := scenario.Encode(v) // Value() yields only encodable values
	sum := sha256.Sum256(data)
	return "sha256:" + base64.StdEncoding.EncodeToString(sum[:])
}
