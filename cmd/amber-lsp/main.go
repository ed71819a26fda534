// Command amber-lsp is the Amber manifest language server and, with
// --check, the same analysis as a headless checker for CI.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strings"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/lsp"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `usage:
  amber-lsp                      serve the Language Server Protocol on stdio
  amber-lsp --listen 127.0.0.1:PORT
                                 serve one LSP client over TCP (loopback only)
  amber-lsp --check [flags] PATH...
                                 check manifests (files, or directories of them)

check flags:
  --format text|json|sarif       output format (default text)
  -D, --deny warnings|CODE       treat warnings (or one lint code) as errors; repeatable
  --apply-overlays               also run overlay helpers (not available yet)

other:
  --version                      print the version
  -h, --help                     print this help

exit status: 0 no error, 1 errors found, 2 the command could not run
`

// config is the parsed command line.
type config struct {
	check, applyOverlays, preview bool
	format, listen                string
	deny, paths                   []string
}

// errUsage marks command-line mistakes (exit status 2).
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.Is(err, errVersion):
		fmt.Fprintln(stdout, "amber-lsp", version)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "amber-lsp: %v\n\n%s", err, usage)
		return 2
	}
	switch {
	case cfg.preview || cfg.applyOverlays:
		fmt.Fprintln(stderr, "amber-lsp: running overlay helpers (--preview, --apply-overlays) is not available in this build yet")
		return 2
	case cfg.listen != "":
		return serveTCP(cfg.listen, stderr)
	case !cfg.check:
		return serveStdio(stdout, stderr)
	}
	return check(cfg, stdout, stderr)
}

var (
	errHelp    = errors.New("help")
	errVersion = errors.New("version")
)

// parseArgs reads flags and paths in any order.
func parseArgs(args []string) (config, error) {
	cfg := config{format: "text"}
	value := func(i *int, name string) (string, error) {
		if *i+1 >= len(args) {
			return "", fmt.Errorf("%s needs a value", name)
		}
		*i++
		return args[*i], nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, inline, hasInline := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			cfg.paths = append(cfg.paths, a)
			continue
		}
		if a == "--" {
			cfg.paths = append(cfg.paths, args[i+1:]...)
			break
		}
		get := func() (string, error) {
			if hasInline {
				return inline, nil
			}
			return value(&i, name)
		}
		var err error
		switch name {
		case "--check":
			cfg.check = true
		case "--apply-overlays":
			cfg.applyOverlays = true
		case "--preview":
			cfg.preview = true
		case "--listen":
			cfg.listen, err = get()
			if err == nil {
				err = lsp.CheckLoopback(cfg.listen)
			}
		case "--format":
			cfg.format, err = get()
			if err == nil && cfg.format != "text" && cfg.format != "json" && cfg.format != "sarif" {
				err = fmt.Errorf("unknown --format %q (want text, json or sarif)", cfg.format)
			}
		case "-D", "--deny":
			var d string
			if d, err = get(); err == nil {
				cfg.deny = append(cfg.deny, d)
			}
		case "-h", "--help":
			return cfg, errHelp
		case "--version":
			return cfg, errVersion
		default:
			if strings.HasPrefix(a, "-D") && len(a) > 2 {
				cfg.deny = append(cfg.deny, a[2:])
				continue
			}
			err = fmt.Errorf("unknown flag %s", a)
		}
		if err != nil {
			return cfg, err
		}
	}
	if (cfg.check || cfg.preview) && len(cfg.paths) == 0 {
		return cfg, errors.New("no manifest path given")
	}
	if cfg.listen != "" && (cfg.check || cfg.preview) {
		return cfg, errors.New("--listen serves the language server; it cannot be combined with --check or --preview")
	}
	if !cfg.check && !cfg.preview && len(cfg.paths) > 0 {
		return cfg, fmt.Errorf("unexpected argument %s (did you mean --check %s?)", cfg.paths[0], cfg.paths[0])
	}
	return cfg, nil
}

// serveStdio serves the language server on stdin and stdout.
func serveStdio(stdout, stderr io.Writer) int {
	tuneGC()
	rwc := stdio{Reader: os.Stdin, Writer: stdout}
	return lsp.Serve(context.Background(), rwc, lsp.Options{Version: version, Log: stderr})
}

// serveTCP accepts one client on a loopback address and serves it.
func serveTCP(addr string, stderr io.Writer) int {
	tuneGC()
	code, err := lsp.ServeTCP(context.Background(), addr, lsp.Options{Version: version, Log: stderr}, func(a net.Addr) {
		fmt.Fprintf(stderr, "amber-lsp: listening on %s for one client\n", a)
	})
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
	}
	return code
}

// stdio is stdin and stdout as one connection.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return os.Stdin.Close() }

// tuneGC trades memory the server does not need for fewer collections
// while it re-analyzes on every keystroke: collect at 4x the live heap, but
// never let the heap pass 48 MiB without collecting.
func tuneGC() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(48 << 20)
}

// check runs --check and prints the report.
func check(cfg config, stdout, stderr io.Writer) int {
	res, err := analysis.Check(cfg.paths, analysis.CheckOptions{Deny: cfg.deny})
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	files := render.NewFiles()
	for name, text := range res.Texts {
		files.Add(name, text)
	}
	errs, warns := diag.Count(res.Diagnostics)
	fallback := ""
	if len(res.Files) > 0 {
		fallback = res.Files[0]
	}
	switch cfg.format {
	case "json":
		err = render.JSON(stdout, res.Diagnostics, files, len(res.Files), fallback)
	case "sarif":
		err = render.SARIF(stdout, res.Diagnostics, files, version)
	default:
		render.Text(stdout, res.Diagnostics, files, render.TextOptions{Color: useColor(stdout)})
		if errs > 0 {
			fmt.Fprintf(stdout, "\nerror: check failed: %d error(s), %d warning(s) in %d file(s)\n", errs, warns, len(res.Files))
		} else if warns > 0 {
			fmt.Fprintf(stdout, "\n%d warning(s) in %d file(s)\n", warns, len(res.Files))
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	if errs > 0 {
		return 1
	}
	return 0
}

// useColor reports whether w is a terminal and NO_COLOR is unset or empty.
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
