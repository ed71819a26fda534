package weburl

import "testing"

// FuzzParse parses arbitrary input, alone and joined to a file URL and an
// https one: it must never panic, and a URL written out must parse to
// itself. A file URL may be written anew once: the `url` crate drops the
// empty segments a file URL's path starts with, which can leave a drive
// letter first (`\.\\A|` against file:///w/m/p.json5 is file:///A|, and
// that is file:///A:), as it does in the crate.
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=1m ./manifest/weburl/
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://ex%41mple.com/x", `http:\\h\a\..\b?q#f`, "file://host/C:/x", "http://[::ffff:1.2.3.4]:80/",
		"foo:/a/..//x", "//u:p@h:1/x", "\t:x\n", "c|/x", "../../x?y#z", "oci:foo", "http://0x7f.1/", "",
	} {
		f.Add(s)
	}
	fileBase, _ := Parse("file:///w/m/p.json5")
	httpBase, _ := Parse("https://u@h.example:8443/a/b?x#y")
	f.Fuzz(func(t *testing.T, in string) {
		u, err := Parse(in)
		roundTrip(t, in, u, err)
		u, err = fileBase.Join(in)
		roundTrip(t, in, u, err)
		u, err = httpBase.Join(in)
		roundTrip(t, in, u, err)
		if u != nil {
			u.FilePath()
		}
	})
}

func roundTrip(t *testing.T, in string, u *URL, err error) {
	if err != nil {
		return
	}
	s := u.String()
	again, err := Parse(s)
	if err == nil && again.String() != s && u.scheme == "file" {
		s = again.String()
		again, err = Parse(s)
	}
	if err != nil || again.String() != s {
		t.Fatalf("%q gives %q, which parses to %v, %v", in, s, again, err)
	}
}
