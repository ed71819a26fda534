package txtar

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		comment string
		files   []File
	}{
		{"empty", "", "", nil},
		{"comment only", "just words\n", "just words\n", nil},
		{"files", "about\n-- a.json5 --\n{}\n-- dir/b.txt --\nx\ny\n", "about\n", []File{
			{Name: "a.json5", Data: []byte("{}\n"), Line: 3},
			{Name: "dir/b.txt", Data: []byte("x\ny\n"), Line: 5},
		}},
		{"empty file and last line unterminated", "-- a --\n-- b --\nend", "", []File{
			{Name: "a", Data: []byte{}, Line: 2},
			{Name: "b", Data: []byte("end"), Line: 3},
		}},
		{"near misses are data", "-- a --\n--  --\n-- b\n--b --\n -- c --\n", "", []File{
			{Name: "a", Data: []byte("--  --\n-- b\n--b --\n -- c --\n"), Line: 2},
		}},
		{"CRLF header", "-- a --\r\nx\r\n", "", []File{{Name: "a", Data: []byte("x\r\n"), Line: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Parse([]byte(tt.in))
			if string(a.Comment) != tt.comment {
				t.Errorf("comment %q, want %q", a.Comment, tt.comment)
			}
			if len(a.Files) != len(tt.files) {
				t.Fatalf("files %+v, want %+v", a.Files, tt.files)
			}
			for i, f := range a.Files {
				if w := tt.files[i]; f.Name != w.Name || string(f.Data) != string(w.Data) || f.Line != w.Line {
					t.Errorf("file %d = %q %q line %d, want %q %q line %d", i, f.Name, f.Data, f.Line, w.Name, w.Data, w.Line)
				}
			}
		})
	}
}

func TestFormatRoundTrip(t *testing.T) {
	in := "about\n-- a.json5 --\n{}\n-- b --\n-- c --\nno newline"
	a := Parse([]byte(in))
	out := Format(a)
	if want := in + "\n"; string(out) != want {
		t.Errorf("Format = %q, want %q", out, want)
	}
	if b := Parse(out); !reflect.DeepEqual(names(b), names(a)) || string(b.Get("c").Data) != "no newline\n" {
		t.Errorf("reparsed %+v", b)
	}
	if a.Get("missing") != nil {
		t.Error("Get of a missing file")
	}
}

func names(a *Archive) []string {
	var out []string
	for _, f := range a.Files {
		out = append(out, f.Name)
	}
	return out
}

func TestWriteDirAndGlob(t *testing.T) {
	dir := t.TempDir()
	a := Parse([]byte("-- x.json5 --\n{}\n-- sub/y.txt --\ny\n-- @golden --\nz\n"))
	if err := a.WriteDir(dir, func(name string) bool { return name[0] != '@' }); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "sub", "y.txt")); err != nil || string(data) != "y\n" {
		t.Errorf("sub/y.txt: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "@golden")); err == nil {
		t.Error("a file keep refused was written")
	}
	bad := Parse([]byte("-- ../escape --\nx\n"))
	if err := bad.WriteDir(dir, func(string) bool { return true }); err == nil {
		t.Error("a name leaving the directory was written")
	}
	if err := os.WriteFile(filepath.Join(dir, "case.txtar"), Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Glob(filepath.Join(dir, "*.txtar"), ".json5")
	if err != nil || len(got) != 1 || string(got[filepath.Join(dir, "case.txtar")+"/x.json5"]) != "{}\n" {
		t.Errorf("Glob = %q, %v", got, err)
	}
}
