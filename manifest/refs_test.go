package manifest

import (
	"strings"
	"testing"
)

func TestParseSemver(t *testing.T) {
	tests := []struct{ in, err string }{
		{"0.4.0", ""},
		{"0.4.0+build.7", ""},
		{"1.2.3-rc.1", ""},
		{"", "empty string, expected a semver version"},
		{"0.1", "unexpected end of input while parsing minor version number"},
		{"0", "unexpected end of input while parsing major version number"},
		{"0.", "unexpected end of input while parsing minor version number"},
		{"0.1.", "unexpected end of input while parsing patch version number"},
		{"0.1.0!+b", "unexpected character '!' after patch version number"},
		{"0.1.0-rc+b!", "unexpected character '!' after build metadata"},
		{"\u00e9", "unexpected character '\u00e9' while parsing major version number"},
		{"0.1.0'", "unexpected character '\\'' after patch version number"},
		{"v0.1.0", "unexpected character 'v' while parsing major version number"},
		{"00.1.0", "invalid leading zero in major version number"},
		{"0.01.0", "invalid leading zero in minor version number"},
		{"99999999999999999999.0.0", "value of major version number exceeds u64::MAX"},
		{"0.1.0x", "unexpected character 'x' after patch version number"},
		{"0.1.0-", "empty identifier segment in pre-release identifier"},
		{"0.1.0-a..b", "empty identifier segment in pre-release identifier"},
		{"0.1.0-01", "invalid leading zero in pre-release identifier"},
		{"0.1.0-rc!", "unexpected character '!' after pre-release identifier"},
		{"0.1.0+b!", "unexpected character '!' after build metadata"},
		{" 0.1.0", "unexpected character ' ' while parsing major version number"},
	}
	for _, tt := range tests {
		if _, got := parseSemver(tt.in); got != tt.err {
			t.Errorf("parseSemver(%q) = %q, want %q", tt.in, got, tt.err)
		}
	}
}

func TestSupportedVersion(t *testing.T) {
	tests := map[string]bool{
		"0.1.0": true, "0.4.0": true, "0.7.2": true, "0.4.0+x": true,
		"0.0.9": false, "1.0.0": false, "0.4.0-rc.1": false, "2.0.0": false,
	}
	for v, want := range tests {
		if got := supportedVersion(v); got != want {
			t.Errorf("supportedVersion(%q) = %v, want %v", v, got, want)
		}
	}
	if !versionAtLeast("0.4.0", "0.4.0") || versionAtLeast("0.3.9", "0.4.0") || !versionAtLeast("0.10.0", "0.4.0") {
		t.Error("versionAtLeast ordering is wrong")
	}
}

func TestCheckManifestRef(t *testing.T) {
	tests := []struct{ in, err string }{
		{"./child.json5", ""},
		{"child.json5", ""},
		{"../x/y.json5", ""},
		{"https://example.com/x.json5", ""},
		{"http://127.0.0.1:8080/x", ""},
		{"file:///tmp/x.json5", ""},
		{"oci:foo", ""},
		{`C:\dir\x.json5`, ""},
		{"", "invalid manifest reference ``"},
		{"http://", "invalid manifest reference `http://`"},
		{"http://a:99999/x", "invalid manifest reference `http://a:99999/x`"},
		{"https://a b/x", "invalid manifest reference `https://a b/x`"},
		// What a WHATWG parser accepts (Amber's `url` crate is one).
		{"https://ex%41mple.com/x", ""},
		{"https://exa\tmple.com/x", ""},
		{"https://exa\nmple.com/x", ""},
		{" https://example.com/x", ""},
		{"\thttps://example.com/x\n", ""},
		{`https://example.com\x`, ""},
		{"http://[::1]:8080/x", ""},
		{":foo", ""},
		{"  ", ""},
		// ... and what it rejects.
		{"https://ex%zzample.com/x", "invalid manifest reference `https://ex%zzample.com/x`"},
		{"http://1.2.3.4.5/x", "invalid manifest reference `http://1.2.3.4.5/x`"},
		{"http://999.1.1.1/x", "invalid manifest reference `http://999.1.1.1/x`"},
		{"file://host:80/x", "invalid manifest reference `file://host:80/x`"},
		{"http://[::1/x", "invalid manifest reference `http://[::1/x`"},
		{"foo://a b/x", "invalid manifest reference `foo://a b/x`"},
	}
	for _, tt := range tests {
		if got := checkManifestRef(tt.in); got != tt.err {
			t.Errorf("checkManifestRef(%q) = %q, want %q", tt.in, got, tt.err)
		}
	}
}

func TestValidDigest(t *testing.T) {
	tests := map[string]bool{
		"sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=": true,
		"sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=": false, // non-canonical trailing bits
		"SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=": false,
		"sha256:AAAA": false,
		"sha512:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=": false,
		"sha256AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=":  false,
	}
	for in, want := range tests {
		if got := validDigest(in); got != want {
			t.Errorf("validDigest(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseExportTarget(t *testing.T) {
	tests := []struct {
		in   string
		kind ExportKind
		err  string
	}{
		{"api", ExportBare, ""},
		{"slots.api", ExportSlot, ""},
		{"provides.api", ExportProvide, ""},
		{"self.api", ExportSelf, ""},
		{"#child.api", ExportChild, ""},
		{"#child", ExportBare, ""}, // QUIRK: a bare name
		{"", 0, "invalid export target ``: export target cannot be empty"},
		{"framework.docker", 0, "invalid export target `framework.docker`: framework is only valid as a binding source"},
		{".x", 0, "invalid export target `.x`: expected `<component-ref>.<name>`"},
		{"green.api", 0, "invalid export target `green.api`: expected `self` or `#<child>`"},
		{"resources.x", 0, "invalid export target `resources.x`: expected `self` or `#<child>`"},
		{"#c.a.b", 0, "invalid export target name `a.b`: dots are reserved"}, // unwrapped (5.1)
		{"self.api.v1", 0, "invalid export target name `api.v1`: dots are reserved"},
	}
	for _, tt := range tests {
		var x Export
		err := parseExportTarget(tt.in, &x)
		if err != tt.err || err == "" && x.Kind != tt.kind {
			t.Errorf("parseExportTarget(%q) = %v, %q; want %v, %q", tt.in, x.Kind, err, tt.kind, tt.err)
		}
	}
}

func TestCheckRealmSelector(t *testing.T) {
	tests := []struct{ in, err string }{
		{"slots.api", ""},
		{"external.db", ""},
		{"children.worker.exports.api", ""},
		{"slots.", "invalid realm selector `slots.`: selector name must not be empty"},
		{"slots.a.b", "invalid slot name `a.b`: dots are reserved"}, // unwrapped (5.1)
		{"external.a.b", "invalid external binding name `a.b`: dots are reserved"},
		{"children.a.b.exports.c", "invalid child name `a.b`: dots are reserved"},
		{"children.a.exports.c.d", "invalid export name `c.d`: dots are reserved"},
		{"children.worker", "invalid realm selector `children.worker`: expected `children.<child>.exports.<export>`"},
		// Amber checks child and export names for dots only (schema.rs RealmSelector::from_str).
		{"children..exports.api", ""},
		{"children.worker.exports.", ""},
		{"children..exports.", ""},
		{"other.x", "invalid realm selector `other.x`: expected `slots.<name>`, `provides.<name>`, `resources.<name>`, `external.<name>`, or `children.<child>.exports.<export>`"},
	}
	for _, tt := range tests {
		if got := checkRealmSelector(tt.in); got != tt.err {
			t.Errorf("checkRealmSelector(%q) = %q, want %q", tt.in, got, tt.err)
		}
	}
}

func TestPathString(t *testing.T) {
	tests := []struct {
		p    path
		want string
	}{
		{path{}, "."},
		{path{}.fixed(), "."},
		{path{}.key("componentz"), "componentz"},
		{path{}.key("componentz").fixed(), "componentz"},
		{path{}.key("a").fixed().index(1).fixed().fixed().key("b").index(2), "a[1].b[2]"},
		{path{}.key("bindings").index(0).key("weak"), "bindings[0].weak"},
		{path{}.key("program").key("network").key("endpoints").index(0).key("port"), "program.network.endpoints[0].port"},
		{path{}.key("a.b"), "a.b"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("path = %q, want %q", got, tt.want)
		}
		if got, want := tt.p.lastIsKey(), tt.want != "." && !strings.HasSuffix(tt.want, "]"); got != want {
			t.Errorf("%q: lastIsKey = %v, want %v", tt.want, got, want)
		}
	}
	// Siblings made from one parent do not share their last segments.
	parent := path{}.key("components").fixed()
	a, b := parent.key("a"), parent.key("b").fixed().key("c")
	if a.String() != "components.a" || b.String() != "components.b.c" || parent.String() != "components" {
		t.Errorf("siblings: %q, %q, parent %q", a, b, parent)
	}
	if got := expectedList([]string{"url", "digest"}); got != "`url` or `digest`" {
		t.Errorf("expectedList two = %q", got)
	}
}
