#!/usr/bin/env bash
# The editor packages' tests, each in its real editor, headless:
#   editors/test.sh                 VS Code, Neovim and Emacs
#   editors/test.sh vscode emacs    only these
# Runs editors/<editor>/test.sh for each editor that is installed; an editor that is not is
# reported as `skipped: <editor> not installed`, and so is one whose test script exits 77 (its
# own way of saying the editor is missing). Exit status: 0 when every test that ran passed, 1 when
# one failed.
# Env: AMBER_LSP  the server the editors start (default: built once here from this checkout, and
#                 shared by every editor's test); the other variables of each editor's test.sh.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors=("$@")
[ ${#editors[@]} -gt 0 ] || editors=(vscode neovim emacs)
passed=() failed=() skipped=()
start_all=$(date +%s)
built=""
trap '[ -z "$built" ] || rm -rf "$built"' EXIT

# server: builds amber-lsp once for all the editors, unless AMBER_LSP names one.
server() {
  [ -n "${AMBER_LSP:-}" ] && return 0
  built="$(mktemp -d "${TMPDIR:-/tmp}/amber-editors.XXXXXX")"
  local t=$(date +%s)
  if ! (cd "$here/.." && go build -o "$built/amber-lsp" ./cmd/amber-lsp); then
    echo "FAIL editors: go build ./cmd/amber-lsp failed"
    return 1
  fi
  export AMBER_LSP="$built/amber-lsp"
  echo "built amber-lsp once for the editors in $(( $(date +%s) - t ))s"
}

# What each editor's test needs on PATH before it can run at all.
needs() {
  case "$1" in
    vscode) echo "node npm go" ;;  # code-server and Chromium are looked for by vscode/test.sh
    neovim) echo "nvim go" ;;
    emacs) echo "emacs go" ;;
  esac
}

for editor in "${editors[@]}"; do
  script="$here/$editor/test.sh"
  case "$editor" in
    vscode | neovim | emacs) ;;
    *) echo "$editor: unknown editor (expected vscode, neovim or emacs)"; failed+=("$editor"); continue ;;
  esac
  if [ ! -f "$script" ]; then
    echo "skipped: $editor has no $editor/test.sh"; skipped+=("$editor"); continue
  fi
  missing=""
  for tool in $(needs "$editor"); do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  if [ -n "$missing" ]; then
    echo "skipped: $editor not installed (no$missing on PATH)"
    skipped+=("$editor"); continue
  fi
  if [ -z "${AMBER_LSP:-}" ] && ! server; then
    failed+=("$editor"); continue
  fi
  echo "== $editor"
  start=$(date +%s)
  bash "$script"
  rc=$?
  took=$(( $(date +%s) - start ))
  case $rc in
    0) passed+=("$editor"); echo "== $editor: passed in ${took}s" ;;
    77) skipped+=("$editor"); echo "== $editor: skipped (not installed) after ${took}s" ;;
    *) failed+=("$editor"); echo "== $editor: FAILED (exit $rc) in ${took}s" ;;
  esac
done

echo "editors: ${#passed[@]} passed${passed[*]:+ (${passed[*]})}, ${#failed[@]} failed${failed[*]:+ (${failed[*]})}, ${#skipped[@]} skipped${skipped[*]:+ (${skipped[*]})} in $(( $(date +%s) - start_all ))s (load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
[ ${#failed[@]} -eq 0 ]
