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
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/lsp"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `usage:
  amber-lsp                      serve the Language Server Protocol on stdio
  amber-lsp --listen 127.0.0.1:PORT
                                 serve one LSP client over TCP (loopback only)
  amber-lsp --check [flags] PATH...
                                 check manifests (files, or directories of them)

  amber-lsp --preview [--format text|json] PATH
                                 run the overlay helpers of the root manifest PATH and
                                 show what they do to the scenario

check flags:
  --format text|json|sarif       output format (default text)
  -D, --deny warnings|CODE       treat warnings (or one lint code) as errors; repeatable
  --apply-overlays               also run the overlay helpers and check the rewritten scenario

overlay flags (--apply-overlays, --preview):
  --overlay-timeout DURATION     time allowed for each helper's answer (default 30s)

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
	overlayTimeout                time.Duration
}

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
	case cfg.preview:
		return preview(cfg, stdout, stderr)
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
		case "--overlay-timeout":
			var v string
			if v, err = get(); err == nil {
				cfg.overlayTimeout, err = time.ParseDuration(v)
				if err == nil && cfg.overlayTimeout <= 0 {
					err = fmt.Errorf("--overlay-timeout must be positive, got %s", v)
				} else if err != nil {
					err = fmt.Errorf("--overlay-timeout wants a duration such as 30s, got %q", v)
				}
			}
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
	if cfg.check && cfg.preview {
		return cfg, errors.New("--check and --preview are separate commands; use --check --apply-overlays to check with overlays applied")
	}
	if cfg.applyOverlays && !cfg.check {
		return cfg, errors.New("--apply-overlays goes with --check")
	}
	if cfg.preview && len(cfg.paths) != 1 {
		return cfg, errors.New("--preview takes one root manifest")
	}
	if cfg.preview && cfg.format == "sarif" {
		return cfg, errors.New("--preview prints text or json, not sarif")
	}
	if cfg.overlayTimeout != 0 && !cfg.preview && !cfg.applyOverlays {
		return cfg, errors.New("--overlay-timeout goes with --preview or --apply-overlays")
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

// overlayRuntime starts the helper runtime of --apply-overlays and
// --preview, and a context cancelled on an interrupt; stop stops every
// helper it started.
func overlayRuntime(cfg config) (ctx context.Context, opts analysis.OverlayOptions, stop func()) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	rt := hrt.New(hrt.Options{RequestTimeout: cfg.overlayTimeout})
	return ctx, analysis.OverlayOptions{Runtime: rt}, func() { rt.Close(); cancel() }
}

// filesOf gives the renderers the texts the analysis read.
func filesOf(texts map[string][]byte) *render.Files {
	files := render.NewFiles()
	for name, text := range texts {
		files.Add(name, text)
	}
	return files
}

// preview runs --preview and prints what the overlays do.
func preview(cfg config, stdout, stderr io.Writer) int {
	ctx, opts, stop := overlayRuntime(cfg)
	defer stop()
	res, err := analysis.Preview(ctx, cfg.paths[0], cfg.deny, opts)
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	files := filesOf(res.Texts)
	errs, _ := diag.Count(res.Diagnostics)
	if cfg.format == "json" {
		err = res.Outcome.WriteJSON(stdout, res.Diagnostics, files)
	} else {
		res.Outcome.WriteText(stdout, files)
		if len(res.Diagnostics) > 0 {
			fmt.Fprintln(stdout)
			render.Text(stdout, res.Diagnostics, files, render.TextOptions{Color: useColor(stdout)})
		}
		if errs > 0 {
			fmt.Fprintf(stdout, "\nerror: preview failed: %d error(s)\n", errs)
		}
	}
	return exitStatus(err, errs, stderr)
}

// check runs --check and prints the report.
func check(cfg config, stdout, stderr io.Writer) int {
	opts := analysis.CheckOptions{Deny: cfg.deny, ApplyOverlays: cfg.applyOverlays}
	if cfg.applyOverlays {
		ctx, ov, stop := overlayRuntime(cfg)
		defer stop()
		opts.Overlays, opts.Context = ov, ctx
	}
	res, err := analysis.Check(cfg.paths, opts)
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	files := filesOf(res.Texts)
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
	return exitStatus(err, errs, stderr)
}

// exitStatus is 2 when the output could not be written, 1 when errors were
// found, else 0.
func exitStatus(err error, errs int, stderr io.Writer) int {
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	case errs > 0:
		return 1
	}
	return 0
}

// useColor reports whether w is a terminal and NO_COLOR is unset or empty.
// A character device other than the null device counts as a terminal.
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(info, null)
}
