#!/usr/bin/env bash
# Keystroke benchmarks of amber-lsp, the figures of the README's Performance
# section. Run from anywhere. The Go part needs Go only. The linkheavy and
# lspbench parts drive the built server with two external harnesses that
# are not part of this repository (a keystroke driver over stdio, and a
# side-by-side LSP benchmark), looked for in the directory AMBER_BENCH_TOOLS
# (default: ../shared/tools beside the repository); a part whose harness is
# not there is skipped with a line saying so. The side-by-side run with
# vscode-json-language-server also needs python3, node and npm (it installs
# vscode-langservers-extracted@4.10.0 under the output directory once).
#
#   scripts/bench.sh                 everything (about 15 minutes on 2 cores)
#   BENCH_PARTS="go linkheavy" scripts/bench.sh
#
# Settings (environment): BENCH_PARTS (go, linkheavy, lspbench; default
# all), BENCH_OUT (where binaries, documents and logs go; default a new
# temporary directory), BENCH_TIME (go test -benchtime of the keystroke
# benchmarks; default 200x), LINKHEAVY_EDITS (toggles per edit kind;
# default 20), LSPBENCH_EDITS (default 200).
#
# The machine's load is printed before and after each part: on a shared
# machine, compare ratios measured in one run, not times across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared=${AMBER_BENCH_TOOLS:-$repo/../shared/tools}
parts=${BENCH_PARTS:-go linkheavy lspbench}
for part in linkheavy:linkheavy.py lspbench:lspbench; do
	if [[ " $parts " == *" ${part%%:*} "* && ! -e "$shared/${part#*:}" ]]; then
		echo "skipped: ${part%%:*} (no ${part#*:} in $shared; set AMBER_BENCH_TOOLS)"
		parts=" ${parts//${part%%:*}/} "
	fi
done
out=${BENCH_OUT:-$(mktemp -d -t amber-bench.XXXXXX)}
mkdir -p "$out"

load() { echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) ($(nproc) cores)"; }
has() { [[ " $parts " == *" $1 "* ]]; }

echo "== amber-lsp keystroke benchmarks, $(git rev-parse --short HEAD), $(go version | cut -d' ' -f3), output in $out"
load
go build -o "$out/amber-lsp" ./cmd/amber-lsp
# What the machine charges for a page of memory written the first time,
# which a fresh server pays for each page of its heap (first diagnostics).
go run ./scripts/pagefault -mib 4

if has go; then
	echo
	echo "== go test ./lsp -bench 'Keystroke|FirstDiagnostics' (in-process client over OS pipes)"
	go test ./lsp -run '^$' -bench 'Keystroke' -benchtime "${BENCH_TIME:-200x}" | grep -E '^(Benchmark|ok|FAIL|---)'
	go test ./lsp -run '^$' -bench 'FirstDiagnostics' -benchtime 20x | grep -E '^(Benchmark|ok|FAIL|---)'
	echo
	echo "== --check of the 2,000-child tree against a program that only reads its files"
	go test ./cmd/amber-lsp -run '^$' -bench 'CheckLinkHeavy' -benchtime 5x | grep -E '^(Benchmark|ok|FAIL|---)'
	echo
	echo "== json5 Parse and Reparse of the 10k-line manifest"
	go test ./manifest -run '^$' -bench 'Reparse|^BenchmarkParse$' -benchtime 200x | grep -E '^(Benchmark|ok|FAIL|---)'
	load
fi

if has linkheavy; then
	echo
	echo "== linkheavy.py (the real server over stdio; N children of one leaf; p50/p99 ms from didChange to the root's publication)"
	for n in 100 830 2000; do
		(cd "$out" && python3 "$shared/linkheavy.py" "$out/amber-lsp" "$n" "${LINKHEAVY_EDITS:-20}") >"$out/linkheavy-$n.json"
		python3 - "$out/linkheavy-$n.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("children %5d (%d lines): first diagnostics %.1f ms, peak RSS %d MiB" % (r["ncomp"], r["lines"], r["first_diag_ms"], r["VmHWM"]))
for k in ("label", "binding", "syntax"):
    x = r[k]
    print("  %-8s p50 %8.2f  p99 %8.2f  CPU/edit %7.1f ms  bytes/edit %s" % (k, x["p50"], x["p99"], x["cpu_ms_per_edit"], x["bytes_per_edit"]))
EOF
	done
	load
fi

if has lspbench; then
	echo
	(cd "$shared/lspbench" && go build -o "$out/lspbench" .)
	# Two documents of 10,000 generated lines, each given a manifest_version
	# and alone in its folder: doc.json in JSON (which is JSON5 too), the one
	# both servers read whole, for the side-by-side run; doc.json5 in the
	# JSON5 flavour (unquoted keys, comments, single quotes), for amber-lsp
	# alone. vscode-json-language-server given the JSON5 flavour as JSON
	# stops reading it at the first unquoted key: its five diagnostics never
	# change, so its times there are not of the same work.
	mkdir -p "$out/docj" "$out/doc"
	for f in json:docj/doc.json json5:doc/doc.json5; do
		"$out/lspbench" gen -lines 10000 -flavor "${f%%:*}" -o "$out/gen.${f%%:*}"
		python3 - "$out/gen.${f%%:*}" "$out/${f#*:}" <<'EOF'
import sys
s = open(sys.argv[1]).read()
i = s.index("{\n") + 2
key = '"manifest_version"' if sys.argv[2].endswith(".json") else "manifest_version"
open(sys.argv[2], "w").write(s[:i] + "  " + key + ': "0.4.0",\n' + s[i:])
EOF
	done
	vsjson=$out/node/node_modules/.bin/vscode-json-language-server
	if [ ! -x "$vsjson" ] && command -v npm >/dev/null; then
		npm install --prefix "$out/node" --no-audit --no-fund vscode-langservers-extracted@4.10.0 >/dev/null 2>&1 || true
	fi
	if [ -x "$vsjson" ]; then
		echo "== lspbench: amber-lsp and vscode-json-language-server on the same 10k-line JSON document, both pulling diagnostics as VS Code does, edits interleaved in one run"
		(cd "$out/docj" && "$out/lspbench" -server "$out/amber-lsp" -name amber-lsp -lang json5 \
			-compare "$vsjson --stdio" -compare-lang json -diag auto -compare-diag auto \
			-file doc.json -edits "${LSPBENCH_EDITS:-200}" -runs 3 -logdir "$out/logs-side") |
			sed -n '/^lspbench:/,/^A\/B/p'
	else
		echo "== lspbench: vscode-json-language-server not available (needs npm): amber-lsp alone on the 10k-line JSON document"
		(cd "$out/docj" && "$out/lspbench" -server "$out/amber-lsp" -lang json5 -file doc.json -edits "${LSPBENCH_EDITS:-200}" -runs 3) |
			sed -n '/^lspbench:/,/timeouts/p'
	fi
	echo "-- amber-lsp alone on the 10k-line JSON5 document, 3 runs, and its first diagnostics from 9 fresh servers (ms, sorted)"
	(cd "$out/doc" && "$out/lspbench" -server "$out/amber-lsp" -lang json5 -file doc.json5 -edits "${LSPBENCH_EDITS:-200}" -runs 3 -logdir "$out/logs-alone") |
		grep -E 'p50 ms|p99 ms|CPU ms per|RSS'
	(cd "$out/doc" && "$out/lspbench" -server "$out/amber-lsp" -lang json5 -file doc.json5 -edits 10 -runs 9 -logdir "$out/logs-first" 2>&1) |
		grep -o 'first-diag=[0-9.]*' | cut -d= -f2 | sort -n | tr '\n' ' '
	echo
	echo "-- the floor: scripts/nooplsp, a server that answers every pull at once and does nothing else, 2 runs, and its first diagnostics from 9 fresh servers (ms, sorted)"
	go build -o "$out/nooplsp" ./scripts/nooplsp
	(cd "$out/doc" && "$out/lspbench" -server "$out/nooplsp" -lang json5 -file doc.json5 -edits "${LSPBENCH_EDITS:-200}" -runs 2 -logdir "$out/logs-noop") |
		grep -E 'p50 ms|p99 ms'
	(cd "$out/doc" && "$out/lspbench" -server "$out/nooplsp" -lang json5 -file doc.json5 -edits 10 -runs 9 -logdir "$out/logs-noop-first" 2>&1) |
		grep -o 'first-diag=[0-9.]*' | cut -d= -f2 | sort -n | tr '\n' ' '
	echo
	load
fi
