package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
	"github.com/amberlsp/amber-lsp/diag/render"
	"github.com/amberlsp/amber-lsp/linker/graph"
)

// graphConfig is the parsed command line of `amber-lsp graph`.
type graphConfig struct {
	format         graph.Format
	applyOverlays  bool
	overlayTimeout time.Duration
	root           string
	limitFlags     // --remote-fetch, --offline, --max-instances
}

// parseGraphArgs reads the flags and the one root of `amber-lsp graph`.
func parseGraphArgs(args []string) (graphConfig, error) {
	cfg := graphConfig{format: graph.DOT}
	var paths []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, inline, hasInline := strings.Cut(a, "=")
		get := func() (string, error) {
			if hasInline {
				return inline, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch {
		case a == "--":
			paths = append(paths, args[i+1:]...)
			i = len(args)
		case !strings.HasPrefix(a, "-") || a == "-":
			paths = append(paths, a)
		case name == "--format":
			var v string
			if v, err = get(); err == nil {
				cfg.format, err = graph.ParseFormat(v)
			}
		case name == "--apply-overlays":
			cfg.applyOverlays = true
		case name == "--overlay-timeout":
			var v string
			if v, err = get(); err == nil {
				cfg.overlayTimeout, err = time.ParseDuration(v)
				if err != nil || cfg.overlayTimeout <= 0 {
					err = fmt.Errorf("--overlay-timeout wants a positive duration such as 30s, got %q", v)
				}
			}
		case name == "-h" || name == "--help":
			return cfg, errHelp
		default:
			var known bool
			if known, err = cfg.limitFlags.parse(name, hasInline, get); !known {
				err = fmt.Errorf("unknown graph flag %s", a)
			}
		}
		if err != nil {
			return cfg, err
		}
	}
	switch {
	case len(paths) == 0:
		return cfg, errors.New("graph takes the root manifest to draw")
	case len(paths) > 1:
		return cfg, fmt.Errorf("graph takes one root manifest, got %d paths", len(paths))
	case cfg.overlayTimeout != 0 && !cfg.applyOverlays:
		return cfg, errors.New("--overlay-timeout goes with --apply-overlays")
	}
	cfg.root = paths[0]
	return cfg, nil
}

// runGraph runs `amber-lsp graph`: it prints the scenario of the root, or
// on stderr the errors that kept it from being drawn (exit 1).
func runGraph(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseGraphArgs(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "amber-lsp: %v\n\n%s", err, usage)
		return 2
	}
	opts := analysis.GraphOptions{Format: cfg.format, ApplyOverlays: cfg.applyOverlays, Limits: cfg.limits}
	ctx, ov, stop := overlayRuntime(config{overlayTimeout: cfg.overlayTimeout})
	defer stop()
	if cfg.applyOverlays {
		opts.Overlays = ov
	}
	res, err := analysis.Graph(ctx, cfg.root, opts)
	if err != nil {
		fmt.Fprintf(stderr, "amber-lsp: %v\n", err)
		return 2
	}
	if res.Text == "" {
		render.Text(stderr, res.Diagnostics, filesOf(res.Texts), render.TextOptions{Color: useColor(stderr)})
		if errs, _ := diag.Count(res.Diagnostics); errs > 0 {
			fmt.Fprintf(stderr, "\nerror: no scenario to draw: %d error(s)\n", errs)
		} else {
			fmt.Fprintf(stderr, "\nerror: no scenario to draw: %d remote manifest(s) not fetched\n", len(res.Diagnostics))
		}
		return 1
	}
	_, err = io.WriteString(stdout, res.Text)
	return exitStatus(err, 0, stderr)
}
