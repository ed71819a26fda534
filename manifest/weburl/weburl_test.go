package weburl

import (
	"errors"
	"testing"
)

// The expectations below are what a WHATWG parser (Node's URL) gives,
// except where a comment says that the Rust `url` crate, which Amber
// uses, gives another answer; errors carry that crate's texts.

func TestParse(t *testing.T) {
	tests := []struct{ in, want, err string }{
		// Preprocessing: C0 controls and spaces trimmed, tabs and newlines removed.
		{in: " https://example.com/x", want: "https://example.com/x"},
		{in: "\thttps://example.com/x\n", want: "https://example.com/x"},
		{in: "\x01https://example.com/x\x1f", want: "https://example.com/x"},
		{in: "https://exa\tmple.com/x", want: "https://example.com/x"},
		{in: "https://exa\nmple.com/x", want: "https://example.com/x"},
		{in: "https://example.com/a\r\nb", want: "https://example.com/ab"},
		// Schemes and hosts are lowered; `\` separates special paths.
		{in: "HTTPS://EXAMPLE.COM/A/../B", want: "https://example.com/B"},
		{in: `https://example.com\x`, want: "https://example.com/x"},
		{in: `http:\\example.com\a\b`, want: "http://example.com/a/b"},
		{in: "http:example.com", want: "http://example.com/"},
		{in: "http:/example.com", want: "http://example.com/"},
		// Percent-escapes in a special host are decoded, then checked.
		{in: "https://ex%41mple.com/x", want: "https://example.com/x"},
		{in: "http://%41/", want: "http://a/"},
		{in: "http://ho%zzst/", err: "invalid international domain name"},
		{in: "http://ho%25st/", err: "invalid international domain name"},
		{in: "http://%FF/", err: "invalid international domain name"},
		{in: "http://a%2Fb/", err: "invalid international domain name"},
		{in: "http://a b/", err: "invalid international domain name"},
		{in: "http://a^b/", err: "invalid international domain name"},
		{in: "http://a!b$&'()*+,;=_~/", want: "http://a!b$&'()*+,;=_~/"},
		{in: "http://a..b/", want: "http://a..b/"},
		{in: "http://exämple.com/", want: "http://exämple.com/"}, // the crate (and Node) write xn--exmple-cua.com
		// Ports.
		{in: "http://", err: "empty host"},
		{in: "http://a:99999/x", err: "invalid port number"},
		{in: "http://a:65535/x", want: "http://a:65535/x"},
		{in: "http://a:080/x", want: "http://a/x"},
		{in: "https://a:443/", want: "https://a/"},
		{in: "ftp://a:21/", want: "ftp://a/"},
		{in: "ws://a:80", want: "ws://a/"},
		{in: "http://host:/x", want: "http://host/x"},
		{in: "http://host:8a/", err: "invalid port number"},
		{in: "http://host:+80/", err: "invalid port number"},
		{in: "http://:80/", err: "empty host"},
		// IPv4: a host ending in a number must be an address.
		{in: "http://1.2.3.4.5/x", err: "invalid IPv4 address"},
		{in: "http://999.1.1.1/x", err: "invalid IPv4 address"},
		{in: "http://1.2.3.256/", err: "invalid IPv4 address"},
		{in: "http://4294967296/", err: "invalid IPv4 address"},
		{in: "http://a.1/", err: "invalid IPv4 address"},
		{in: "http://09/", err: "invalid IPv4 address"},
		{in: "http://0x7f.1/", want: "http://127.0.0.1/"},
		{in: "http://0177.0.0.1/", want: "http://127.0.0.1/"},
		{in: "http://4294967295/", want: "http://255.255.255.255/"},
		{in: "http://1.2.3.4./", want: "http://1.2.3.4/"},
		{in: "http://1.a/", want: "http://1.a/"},
		{in: "http://a.0x1g/", want: "http://a.0x1g/"},
		// IPv6.
		{in: "http://[::1]:8080/x", want: "http://[::1]:8080/x"},
		{in: "http://[1:0:0:2:0:0:0:3]/", want: "http://[1:0:0:2::3]/"},
		{in: "http://[0:0:0:0:0:0:0:0]/", want: "http://[::]/"},
		{in: "http://[::ffff:1.2.3.4]/", want: "http://[::ffff:102:304]/"},
		{in: "http://[1:2:3:4:5:6:7::]/", want: "http://[1:2:3:4:5:6:7:0]/"},
		{in: "http://[::1/", err: "invalid IPv6 address"},
		{in: "http://[:1]/", err: "invalid IPv6 address"},
		{in: "http://[1:2:3:4:5:6:7::8]/", err: "invalid IPv6 address"},
		{in: "http://[1:2:3:4:5:6:7:8:9]/", err: "invalid IPv6 address"},
		{in: "http://[::1.2.3.04]/", err: "invalid IPv6 address"},
		// User info.
		{in: "http://user:pass@host/", want: "http://user:pass@host/"},
		{in: "http://@host/", want: "http://host/"},
		{in: "http://u@v@host/", want: "http://u%40v@host/"},
		{in: "http://u:p:q@host/", want: "http://u:p%3Aq@host/"},
		{in: "http://a@/", err: "empty host"},
		{in: "http://a@:80/", err: "empty host"},
		// Paths, queries and fragments.
		{in: "http://h/a b/c\"d<e>f`g{h}i^j|k", want: "http://h/a%20b/c%22d%3Ce%3Ef%60g%7Bh%7Di^j|k"},
		{in: "http://h/?a b'c\"d#e f\"`<>", want: "http://h/?a%20b%27c%22d#e%20f%22%60%3C%3E"},
		{in: "foo://h/?a b'c", want: "foo://h/?a%20b'c"},
		{in: "http://h/%2e/%2E%2e/x", want: "http://h/x"},
		{in: "http://h/a/..", want: "http://h/"},
		{in: "http://h/a/.", want: "http://h/a/"},
		{in: "http://h/é?é#é", want: "http://h/%C3%A9?%C3%A9#%C3%A9"},
		// file: URLs.
		{in: "file:///C|/x", want: "file:///C:/x"},
		{in: "file://C:/x", want: "file:///C:/x"},
		{in: "file://localhost/x", want: "file:///x"},
		{in: "file://LOCALHOST/x", want: "file:///x"},
		{in: "file://host/x", want: "file://host/x"},
		{in: "file://host/C:/x", want: "file:///C:/x"}, // the crate drops the host; Node keeps it
		{in: "file:x", want: "file:///x"},
		{in: "file:", want: "file:///"},
		{in: "FILE:////x", want: "file:///x"}, // the crate keeps one leading slash; Node writes file:////x
		{in: "file://host:80/x", err: "invalid international domain name"},
		{in: "file://1.2.3.4.5/x", err: "invalid IPv4 address"},
		{in: "file://%41/x", want: "file://a/x"},
		// Other schemes.
		{in: "oci:foo", want: "oci:foo"},
		{in: `C:\dir\x.json5`, want: `c:\dir\x.json5`},
		{in: "foo:", want: "foo:"},
		{in: "foo://", want: "foo://"},
		{in: "foo://h%zz/", want: "foo://h%zz/"},
		{in: "foo://Hé/", want: "foo://H%C3%A9/"},
		{in: "foo:/a/..//x", want: "foo:/.//x"},
		{in: "foo:a b ?q#f", want: "foo:a b ?q#f"},
		{in: "foo://:1/", err: "empty host"},
		{in: "foo://u@/", err: "empty host"},
		{in: "foo://a b/", err: "invalid domain character"},
		{in: `foo://h\x`, err: "invalid domain character"},
		// No scheme.
		{in: "./child.json5", err: "relative URL without a base"},
		{in: ":foo", err: "relative URL without a base"},
		{in: "1a:x", err: "relative URL without a base"},
		{in: "//host/x", err: "relative URL without a base"},
		{in: "  ", err: "relative URL without a base"},
		{in: "", err: "relative URL without a base"},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		check(t, tt.in, "", u, err, tt.want, tt.err)
	}
}

func TestJoin(t *testing.T) {
	tests := []struct{ base, ref, want, err string }{
		{"file:///w/m/p.json5", "./c.json5", "file:///w/m/c.json5", ""},
		{"file:///w/m/p.json5", "../../../../x.json5", "file:///x.json5", ""},
		{"file:///w/m/p.json5", "a//b.json5", "file:///w/m/a//b.json5", ""},
		{"file:///w/m/p.json5", ".", "file:///w/m/", ""},
		{"file:///w/m/p.json5", ":foo", "file:///w/m/:foo", ""},
		{"file:///w/m/p.json5", "1a:x", "file:///w/m/1a:x", ""},
		{"file:///w/m/p.json5", `a\b.json5`, "file:///w/m/a/b.json5", ""},
		{"file:///w/m/p.json5", `\\host\x`, "file://host/x", ""},
		{"file:///w/m/p.json5", "%zz", "file:///w/m/%zz", ""},
		{"file:///w/m/p.json5", "  ", "file:///w/m/p.json5", ""},
		{"file:///w/m/p.json5?q#f", "", "file:///w/m/p.json5?q", ""},
		{"file:///w/m/p.json5?q#f", "#g", "file:///w/m/p.json5?q#g", ""},
		{"file:///w/m/p.json5", "?q", "file:///w/m/p.json5?q", ""},
		{"file:///w/m/p.json5", "c|/x.json5", "file:///c:/x.json5", ""},
		{"file:///w/m/p.json5", "//localhost/x", "file:///x", ""},
		{"file:///w/m/p.json5", "////x", "file:///x", ""}, // Node: file:////x
		{"file:///w/m/p.json5", "//a b/x", "", "invalid international domain name"},
		{"file:///w/m/p.json5", "//h:80/x", "", "invalid international domain name"},
		{"file:///w/m/p.json5", "//1.2.3.4.5/x", "", "invalid IPv4 address"},
		{"file:///w/m/p.json5", "//[::1/x", "", "invalid IPv6 address"},
		{"file:///C:/w/p.json5", "/x", "file:///C:/x", ""},
		{"file:///C:/w/p.json5", "../../..", "file:///C:/", ""},
		{"file:///w/m/p.json5", "http:x", "http://x/", ""},
		{"https://h.example/a/b/c.json5?x", "http:x", "http://x/", ""},
		{"https://h.example/a/b/c.json5?x", "https:x", "https://h.example/a/b/x", ""},
		{"https://h.example/a/b/c.json5?x", "../d.json5", "https://h.example/a/d.json5", ""},
		{"https://h.example/a/b/c.json5?x", "//other/x", "https://other/x", ""},
		{"https://h.example/a/b/c.json5?x", `\x`, "https://h.example/x", ""},
		{"https://h.example/a/b/c.json5?x", "//", "", "empty host"},
		{"https://h.example/a/b/c.json5?x", "//h:99999/x", "", "invalid port number"},
		{"http://u:p@h:81/a/b", "c", "http://u:p@h:81/a/c", ""},
		{"foo://h/a/b", "../../..", "foo://h/", ""},
		{"foo://h/a/b", `\x`, "foo://h/a/\\x", ""},
		{"foo:/a/b", "///..#/", "foo:///#/", ""},
		{"oci:foo", "#f", "oci:foo#f", ""},
		{"oci:foo", "./c.json5", "", "relative URL with a cannot-be-a-base base"},
	}
	for _, tt := range tests {
		base, err := Parse(tt.base)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.base, err)
		}
		u, err := base.Join(tt.ref)
		check(t, tt.ref, tt.base, u, err, tt.want, tt.err)
	}
}

func check(t *testing.T, in, base string, u *URL, err error, want, wantErr string) {
	t.Helper()
	switch {
	case wantErr != "":
		if err == nil || err.Error() != wantErr {
			t.Errorf("%q against %q: got %v, %v; want error %q", in, base, u, err, wantErr)
		}
	case err != nil:
		t.Errorf("%q against %q: error %v; want %q", in, base, err, want)
	case u.String() != want:
		t.Errorf("%q against %q = %q; want %q", in, base, u.String(), want)
	default:
		// Written out, a URL parses to itself.
		again, err := Parse(want)
		if err != nil || again.String() != want {
			t.Errorf("%q does not parse to itself: %v, %v", want, again, err)
		}
	}
}

func TestErrorsAreSentinels(t *testing.T) {
	_, err := Parse("./x")
	if !errors.Is(err, ErrRelativeWithoutBase) {
		t.Errorf("Parse(./x) = %v; want ErrRelativeWithoutBase", err)
	}
}

func TestFilePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"file:///w/m/c.json5", "/w/m/c.json5"},
		{"file:///w/m/my%20c.json5", "/w/m/my c.json5"},
		{"file:///w/m/a%2Fb.json5", "/w/m/a/b.json5"},
		{"file:///w/m/%zz", "/w/m/%zz"},
		{"file:///w/m/%C3%A9.json5", "/w/m/é.json5"},
		{"file:///w/m/", "/w/m/"},
		{"file:///", "/"},
		{"file://localhost/x", "/x"},
		{"file:///x?q#f", "/x"},
		{"file://host/x", ""},
		{"https://example.com/x", ""},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		got, ok := u.FilePath()
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("FilePath(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestFileURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/w/m/p.json5", "file:///w/m/p.json5"},
		{"/", "file:///"},
		{"/w/my dir/a#b?c%d.json5", "file:///w/my%20dir/a%23b%3Fc%25d.json5"},
		{`/w/a\b{c}^|'(x).json5`, "file:///w/a%5Cb%7Bc%7D^|'(x).json5"},
		{"/w/é.json5", "file:///w/%C3%A9.json5"},
	}
	for _, tt := range tests {
		got := FileURL(tt.in)
		if got != tt.want {
			t.Errorf("FileURL(%q) = %q; want %q", tt.in, got, tt.want)
		}
		u, err := Parse(got)
		if err != nil || u.String() != got {
			t.Errorf("FileURL(%q) = %q does not parse to itself: %v", tt.in, got, err)
			continue
		}
		if p, _ := u.FilePath(); p != tt.in {
			t.Errorf("FilePath(FileURL(%q)) = %q", tt.in, p)
		}
	}
}

// TestPathRef: a relative path written as a relative reference, which
// joined to a file URL names the path again.
func TestPathRef(t *testing.T) {
	base, err := Parse("file:///w/m/root.json5")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want, path string }{
		{"web.json5", "web.json5", "/w/m/web.json5"},
		{"../lib/a b%.json5", "../lib/a%20b%25.json5", "/w/lib/a b%.json5"},
		{"a#b?c/d.json5", "a%23b%3Fc/d.json5", "/w/m/a#b?c/d.json5"},
		{`a\b.json5`, "a%5Cb.json5", `/w/m/a\b.json5`},
		{"c:d/e.json5", "./c:d/e.json5", "/w/m/c:d/e.json5"},
		{"http:x", "./http:x", "/w/m/http:x"},
		{"x/c:d", "x/c:d", "/w/m/x/c:d"},
		{"%2e%2e/x", "%252e%252e/x", "/w/m/%2e%2e/x"},
		{"\tx\n.json5", "%09x%0A.json5", "/w/m/\tx\n.json5"},
	}
	for _, tt := range tests {
		got := PathRef(tt.in)
		if got != tt.want {
			t.Errorf("PathRef(%q) = %q; want %q", tt.in, got, tt.want)
		}
		u, err := base.Join(got)
		if err != nil {
			t.Errorf("joining PathRef(%q) = %q: %v", tt.in, got, err)
			continue
		}
		if p, _ := u.FilePath(); p != tt.path {
			t.Errorf("joining PathRef(%q) = %q names %q; want %q", tt.in, got, p, tt.path)
		}
	}
}

// TestFilePathOf: reading a plain file URL without parsing it gives what
// parsing gives.
func TestFilePathOf(t *testing.T) {
	for _, in := range []string{
		"file:///w/m/c.json5", "file:///", "file:///w/m/", "file:///C:/x", "file:///c|/x", "file:///a/./b",
		"file:///a/../b", "file:///a/.hidden", "file:////x", "file:///a//b", "file:///a%20b", "file:///a b",
		"file:///a?q", "file:///a#f", `file:///a\b`, "file://host/x", "file://localhost/x", "file:x",
		"FILE:///x", "file:///{a}`b\"<c>^", "file:///é", " file:///x", "https://example.com/x", "file:///x\t",
	} {
		want, wantOK := "", false
		if u, err := Parse(in); err == nil {
			want, wantOK = u.FilePath()
		}
		if got, ok := FilePathOf(in); got != want || ok != wantOK {
			t.Errorf("FilePathOf(%q) = %q, %v; parsing gives %q, %v", in, got, ok, want, wantOK)
		}
	}
}
