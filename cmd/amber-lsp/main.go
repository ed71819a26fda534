// Command amber-lsp is the Amber manifest language server and, with
// --check, the same analysis as a headless checker for CI.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/lsp"
	hrt "github.com/amberlsp/amber-lsp/overlay/runtime"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, main takes it from the build information (versionOf).
var version = "dev"

const usage = `usage:
  amber-lsp [--stdio] [--clientProcessId PID]
                                 serve the Language Server Protocol on stdio
  amber-lsp --listen 127.0.0.1:PORT [--clientProcessId PID]
                                 serve one LSP client over TCP (loopback only)
  amber-lsp --check [flags] PATH...
                                 check manifests (files, or directories of them)

  amber-lsp --preview [--format text|json] PATH
                                 run the overlay helpers of the root manifest PATH and
                                 show what they do to the scenario
  amber-lsp fmt [--check] PATH...
                                 format manifests in place (--check: list those that would change)
  amber-lsp graph [--format dot|mermaid|json] [--apply-overlays] ROOT
                                 draw the scenario of the root manifest ROOT: components
                                 nested by parent, bindings and exports as edges

check flags:
  --format text|json|sarif       output format (default text)
  -D, --deny warnings|CODE       treat warnings (or one lint code) as errors; repeatable
  --apply-overlays               also run the overlay helpers and check the rewritten scenario
  --fix                          apply every safe fix, write the files, then report what remains

link flags (--check, --preview, graph):
  --remote-fetch https|all|false which remote manifests to fetch: https:// only (the
                                 default), http:// too, or none
  --offline                      fetch nothing (--remote-fetch false); manifests pinned by
                                 digest that are in the cache are still read from it
  --max-instances N              the most component instances one tree may have
                                 (default 100000)

overlay flags (--apply-overlays, --preview, graph --apply-overlays; these run the helper programs manifests name):
  --overlay-timeout DURATION     time allowed for each helper's answer (default 30s)
  --no-remote-helpers            refuse helpers whose manifests were fetched over the
                                 network without a digest pin

server flags:
  --stdio                        serve on stdin/stdout (the default; editors add it)
  --clientProcessId PID          stop when the editor's process PID exits

other:
  version, --version             print the version
  -h, --help                     print this help

exit status: 0 no error, 1 errors found, 2 the command could not run
`

// config is the parsed command line.
type config struct {
	check, applyOverlays, preview bool
	fix                           bool // --fix: apply the safe fixes first (with --check)
	noRemoteHelpers               bool
	stdio                         bool // --stdio: the default transport, said out loud
	format, listen                string
	deny, paths                   []string
	overlayTimeout                time.Duration
	clientPID                     int // --clientProcessId
	limitFlags                        // --remote-fetch, --offline, --max-instances
}

func main() {
	info, _ := debug.ReadBuildInfo()
	version = versionOf(version, info)
	os.Exit(run(os.Args[1:], closableStdin(), os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "fmt" {
		return fmtCommand(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "graph" {
		return runGraph(args[1:], stdout, stderr)
	}
	cfg, err := parseArgs(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.Is(err, errVersion):
		fmt.Fprintln(stdout, "amber-lsp", version)
		return 0
	case err != nil && launchedByEditor(args, stdin):
		// The editor reads stdout as LSP: the usage would garble it, and
		// its user sees the problem only if the editor shows it.
		fmt.Fprintf(stderr, "amber-lsp: %v (run amber-lsp --help for the usage)\n", err)
		lsp.ServeStartupError(context.Background(), stdio{Reader: stdin, Writer: stdout}, err, lsp.Options{Version: version})
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "amber-lsp: %v\n\n%s", err, usage)
		return 2
	}
	opts := lsp.Options{Version: version, Log: stderr, ClientProcessID: cfg.clientPID}
	switch {
	case cfg.preview:
		return preview(cfg, stdout, stderr)
	case cfg.listen != "":
		return serveTCP(cfg.listen, opts, stderr)
	case !cfg.check:
		defer startProfiles(stderr)()
		return serveStdio(stdin, stdout, opts)
	}
	return check(cfg, stdout, stderr)
}

// launchedByEditor reports whether a command line that failed to parse
// was an editor starting the server on stdio: it says --stdio and stdin is
// not a terminal.
func launchedByEditor(args []string, stdin io.Reader) bool {
	if stdin == nil || !slices.Contains(args, "--stdio") {
		return false
	}
	f, ok := stdin.(*os.File)
	return !ok || !isTerminal(f)
}

// versionOf is the version to print: v when it was set at build time, else
// the module version of `go install ...@version`, else the commit built
// (with "+dirty" when the tree had changes), else v.
func versionOf(v string, info *debug.BuildInfo) string {
	if v != "dev" || info == nil {
		return v
	}
	if mv := info.Main.Version; mv != "" && mv != "(devel)" {
		return mv
	}
	var rev string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v = "dev-" + rev
	if dirty {
		v += "+dirty"
	}
	return v
}

var (
	errHelp    = errors.New("help")
	errVersion = errors.New("version")
)

// unsupportedTransport is the error for the transports some editors ask
// for that amber-lsp does not speak.
func unsupportedTransport(flag string) error {
	return fmt.Errorf("%s is not supported: amber-lsp speaks LSP on stdio (the default, --stdio) or on a loopback TCP port (--listen 127.0.0.1:PORT); set the client's transport to stdio", flag)
}

// parseArgs reads flags and paths in any order.
func parseArgs(args []string) (config, error) {
	cfg := config{format: "text"}
	if len(args) > 0 && args[0] == "version" {
		if len(args) > 1 {
			return cfg, fmt.Errorf("version takes no arguments, got %s", args[1])
		}
		return cfg, errVersion
	}
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
		case "--fix":
			cfg.fix = true
		case "--preview":
			cfg.preview = true
		case "--no-remote-helpers":
			cfg.noRemoteHelpers = true
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
		case "--stdio":
			cfg.stdio = true
		case "--clientProcessId":
			var v string
			if v, err = get(); err == nil {
				cfg.clientPID, err = strconv.Atoi(v)
				if err != nil || cfg.clientPID <= 0 {
					err = fmt.Errorf("--clientProcessId wants a process id, got %q", v)
				}
			}
		case "--pipe", "--socket", "--node-ipc":
			err = unsupportedTransport(name)
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
			var known bool
			if known, err = cfg.limitFlags.parse(name, hasInline, get); !known {
				err = fmt.Errorf("unknown flag %s", a)
			}
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
	if cfg.fix && !cfg.check {
		return cfg, errors.New("--fix goes with --check")
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
	if cfg.noRemoteHelpers && !cfg.preview && !cfg.applyOverlays {
		return cfg, errors.New("--no-remote-helpers goes with --preview or --apply-overlays")
	}
	if cfg.listen != "" && (cfg.check || cfg.preview) {
		return cfg, errors.New("--listen serves the language server; it cannot be combined with --check or --preview")
	}
	if cfg.stdio && cfg.listen != "" {
		return cfg, errors.New("--stdio and --listen are two transports; give one")
	}
	if (cfg.stdio || cfg.clientPID != 0) && (cfg.check || cfg.preview) {
		flag := "--stdio"
		if !cfg.stdio {
			flag = "--clientProcessId"
		}
		return cfg, fmt.Errorf("%s goes with the language server, not with --check or --preview", flag)
	}
	if err := cfg.limitFlags.misplaced(); err != nil && !cfg.check && !cfg.preview {
		return cfg, err
	}
	if !cfg.check && !cfg.preview && len(cfg.paths) > 0 {
		return cfg, fmt.Errorf("unexpected argument %s (did you mean --check %s?)", cfg.paths[0], cfg.paths[0])
	}
	return cfg, nil
}

// serveStdio serves the language server on stdin and stdout.
func serveStdio(stdin io.Reader, stdout io.Writer, opts lsp.Options) int {
	lsp.TuneGC()
	return lsp.Serve(context.Background(), stdio{Reader: stdin, Writer: stdout}, opts)
}

// serveTCP accepts one client on a loopback address and serves it.
func serveTCP(addr string, opts lsp.Options, stderr io.Writer) int {
	lsp.TuneGC()
	code, err := lsp.ServeTCP(context.Background(), addr, opts, func(a net.Addr) {
		fmt.Fprintf(stderr, "amber-lsp: listening on %s for one client\n", a)
	})
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
	}
	return code
}

// stdio is stdin and stdout as one connection; closing it closes stdin.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// overlayRuntime starts the helper runtime of --apply-overlays and
// --preview, and a context cancelled on an interrupt; stop stops every
// helper it started.
func overlayRuntime(cfg config) (ctx context.Context, opts analysis.OverlayOptions, stop func()) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	rt := hrt.New(hrt.Options{RequestTimeout: cfg.overlayTimeout})
	return ctx, analysis.OverlayOptions{Runtime: rt, NoRemoteHelpers: cfg.noRemoteHelpers}, func() { rt.Close(); cancel() }
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
	res, err := analysis.Preview(ctx, cfg.paths[0], cfg.deny, cfg.limits, opts)
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	files := filesOf(res.Texts)
	errs, _ := diag.Count(res.Diagnostics)
	if cfg.format == "json" {
		err = res.WriteJSON(stdout) // as the server's amber.overlays.preview command
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
	opts := analysis.CheckOptions{Deny: cfg.deny, ApplyOverlays: cfg.applyOverlays, Fix: cfg.fix, Limits: cfg.limits}
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
	if err := writeFixed(res.Fixed, stderr); err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	files := filesOf(res.Texts)
	errs, warns := diag.Count(res.Diagnostics)
	// One write per 64 KiB, not one per line: a large report has tens of
	// thousands of lines.
	color := useColor(stdout)
	buffered := bufio.NewWriterSize(stdout, 64<<10)
	stdout = buffered
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
		render.Text(stdout, res.Diagnostics, files, render.TextOptions{Color: color})
		if errs > 0 {
			fmt.Fprintf(stdout, "\nerror: check failed: %d error(s), %d warning(s) in %d file(s)\n", errs, warns, len(res.Files))
		} else if warns > 0 {
			fmt.Fprintf(stdout, "\n%d warning(s) in %d file(s)\n", warns, len(res.Files))
		}
	}
	if ferr := buffered.Flush(); err == nil {
		err = ferr
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
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// isTerminal reports whether f is a terminal: a character device other
// than the null device.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(info, null)
}
