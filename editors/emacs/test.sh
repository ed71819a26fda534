#!/usr/bin/env bash
# Tests the Emacs package headless, installed as a user installs it
# ((require 'amber-lsp) from the load-path, test/init.el), with Eglot against
# a freshly built amber-lsp on editors/testdata: one PASS/FAIL line per check
# with its time, then a summary; exit status 1 when any check failed.
#   byte-compile     amber-lsp.el compiles without a warning and passes checkdoc
#   test/checks.el   the real session: the plan's checks plus settings and restart
#   test/lsp-mode.el the same package with lsp-mode, when lsp-mode can be loaded
#                    (installed, or LSP_MODE_PATH=dir:dir naming its folders and
#                    those of its dependencies); skipped otherwise
# Env: EMACS (default emacs), LSP_MODE_PATH, and those of editors/testdata/harness.sh
# (AMBER_LSP, KEEP, CHECKS, TIMEOUT_MS).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EMACS="${EMACS:-emacs}"
. "$here/../testdata/harness.sh"
h_need emacs "$EMACS"
eglot_version="$("$EMACS" --batch --eval '(progn (require (quote lisp-mnt)) (require (quote find-func)) (princ (or (ignore-errors (with-temp-buffer (insert-file-contents (find-library-name "eglot")) (lm-version))) "not installed")))' 2>/dev/null)"
H_VERSION="$("$EMACS" --version | head -1), Eglot $eglot_version"
h_setup emacs
rc=0
(
  h_editor_env
  export AMBER_EMACS_DIR="$H_TMP/emacs"
  mkdir -p "$AMBER_EMACS_DIR" && cp "$here/amber-lsp.el" "$AMBER_EMACS_DIR/"
  cd "$AMBER_EMACS_DIR" || exit 2
  t=$(h_ms)
  out="$("$EMACS" --batch -L . --eval '(setq byte-compile-error-on-warn t)' \
      -f batch-byte-compile amber-lsp.el 2>&1 | grep -v '^Loading')"
  out="$out$("$EMACS" --batch --eval '(progn (require (quote checkdoc)) (checkdoc-file "amber-lsp.el"))' 2>&1 | grep -v '^Loading')"
  if [ -z "$out" ] && [ -f amber-lsp.elc ]; then
    echo "PASS emacs byte-compile ($(( $(h_ms) - t )) ms) no warnings, checkdoc clean" >>"$RESULTS"
  else
    echo "FAIL emacs byte-compile ($(( $(h_ms) - t )) ms) $(echo "$out" | tr '\n' ' ' | cut -c1-400)" >>"$RESULTS"
  fi
  cd "$WS" || exit 2
  r=0
  timeout -k 5 180 "$EMACS" --batch -l "$here/test/init.el" -l "$here/test/checks.el" \
    </dev/null >"$H_TMP/log" 2>&1 || r=$?
  h_leftovers
  if [ -n "${CHECKS:-}" ]; then exit "$r"; fi
  if [ -n "${LSP_MODE_PATH:-}" ] ||
     "$EMACS" --batch --eval '(kill-emacs (if (locate-library "lsp-mode") 0 1))' 2>/dev/null; then
    timeout -k 5 120 "$EMACS" --batch -l "$here/test/lsp-mode.el" </dev/null >>"$H_TMP/log" 2>&1 || r=$?
  else
    echo "skipped: emacs lsp-mode (lsp-mode is not installed; LSP_MODE_PATH names its folders)" >>"$RESULTS"
  fi
  exit "$r"
) || rc=$?
h_finish "$rc"
