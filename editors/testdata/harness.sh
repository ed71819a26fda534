# Shared by editors/neovim/test.sh and editors/emacs/test.sh (sourced, not run):
# a scratch folder with the server, the workspace and a clean HOME, and the
# summary line.
#
#   AMBER_LSP=/path/to/amber-lsp   use this server instead of building one
#   KEEP=1                         keep the scratch folder (it is kept anyway when a check fails)
#   CHECKS=hover,rename            run only these checks
#   TIMEOUT_MS=10000               how long each wait for the editor or the server may take

H_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
H_PLAN="$H_REPO/editors/testdata/plan.json"
export TIMEOUT_MS="${TIMEOUT_MS:-10000}" CHECKS="${CHECKS:-}"

h_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# h_need NAME PROGRAM: without PROGRAM, says "skipped: NAME not installed"
# and ends the test with status 77, which editors/test.sh reports as skipped.
h_need() {
  if ! command -v "$2" >/dev/null; then
    echo "skipped: $1 not installed"
    exit 77
  fi
}

# h_setup NAME: makes $H_TMP with bin/amber-lsp (built from the repository,
# or $AMBER_LSP), ws/ (examples/ with editors/testdata/amber/ copied over it;
# no git repository, so root detection must do without one), home/ and the
# results file; puts bin/ first on PATH and exports WS, PLAN, RESULTS.
h_setup() {
  H_NAME="$1"
  H_START=$(h_ms)
  H_TMP="$(mktemp -d "${TMPDIR:-/tmp}/amber-$1-test.XXXXXX")"
  mkdir -p "$H_TMP/bin" "$H_TMP/ws" "$H_TMP/home"
  if [ -n "${AMBER_LSP:-}" ]; then
    ln -s "$(cd "$(dirname "$AMBER_LSP")" && pwd)/$(basename "$AMBER_LSP")" "$H_TMP/bin/amber-lsp"
  else
    local t=$(h_ms)
    if ! (cd "$H_REPO" && go build -o "$H_TMP/bin/amber-lsp" ./cmd/amber-lsp); then
      echo "FAIL $H_NAME build: go build ./cmd/amber-lsp failed"
      exit 1
    fi
    echo "built amber-lsp in $(( $(h_ms) - t )) ms"
  fi
  cp -r "$H_REPO/examples/." "$H_TMP/ws/"
  cp -r "$H_REPO/editors/testdata/amber/." "$H_TMP/ws/"
  : >"$H_TMP/results"
  export PATH="$H_TMP/bin:$PATH" WS="$H_TMP/ws" PLAN="$H_PLAN" RESULTS="$H_TMP/results"
  export AMBER_LSP_VERSION="$("$H_TMP/bin/amber-lsp" version)"
}

# h_editor_env: the environment an editor runs in: a HOME of its own and no
# XDG folders, so no personal configuration changes what is tested.
h_editor_env() {
  export HOME="$H_TMP/home"
  unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR
}

# h_leftovers: after the editor exited, a PASS/FAIL line saying whether a
# process it started (the server, an overlay helper: their command lines
# name the workspace) still runs.
h_leftovers() {
  local t=$(h_ms) left=""
  for _ in $(seq 1 50); do
    left="$(pgrep -af -- "$WS/" | grep -v pgrep || true)"
    [ -z "$left" ] && break
    sleep 0.1
  done
  if [ -z "$left" ]; then
    echo "PASS $H_NAME leftovers ($(( $(h_ms) - t )) ms) no process of the workspace runs after the editor exited" >>"$RESULTS"
  else
    echo "FAIL $H_NAME leftovers ($(( $(h_ms) - t )) ms) still running: $(echo "$left" | tr '\n' ';' | cut -c1-300)" >>"$RESULTS"
  fi
}

# h_finish RC: prints the results and the summary line; removes the scratch
# folder unless something failed or KEEP=1; exits non-zero on any failure.
h_finish() {
  local rc="$1" pass fail
  cat "$H_TMP/results"
  pass=$(grep -c '^PASS' "$H_TMP/results")
  fail=$(grep -c '^FAIL' "$H_TMP/results")
  if [ "$pass" = 0 ] && [ "$fail" = 0 ]; then
    echo "FAIL $H_NAME ran no checks (exit $rc); log: $H_TMP/log"
    tail -5 "$H_TMP/log" 2>/dev/null | sed 's/^/  /'
    fail=1
  elif [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
    echo "FAIL $H_NAME exited with $rc; log: $H_TMP/log"
    fail=1
  fi
  echo "$H_NAME: $pass passed, $fail failed in $(( $(h_ms) - H_START )) ms ($H_VERSION)"
  if [ "$fail" = 0 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$H_TMP"
  else
    echo "$H_NAME: scratch folder kept: $H_TMP"
  fi
  [ "$fail" = 0 ]
}
