#!/usr/bin/env bash
# Tests the Neovim plugin headless, installed as a user installs it (the
# runtimepath entry and require('amber').setup(), test/init.lua), against a
# freshly built amber-lsp on editors/testdata: one PASS/FAIL line per check
# with its time, then a summary; exit status 1 when any check failed.
#   test/checks.lua  the real session: the plan's checks plus restart, health, info
#   test/stubs.lua   the Neovim 0.8+ and 0.11 code paths, against stubs of the
#                    APIs they call (only 0.7 can run here), and the plain functions
# Env: NVIM (default nvim), and those of editors/testdata/harness.sh
# (AMBER_LSP, KEEP, CHECKS, TIMEOUT_MS).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NVIM="${NVIM:-nvim}"
. "$here/../testdata/harness.sh"
h_need nvim "$NVIM"
H_VERSION="$("$NVIM" --version | head -1)"
h_setup nvim
rc=0
(
  h_editor_env
  cd "$WS" || exit 2
  timeout -k 5 180 "$NVIM" --headless -u "$here/test/init.lua" -i NONE -n \
    -c "luafile $here/test/checks.lua" </dev/null >"$H_TMP/log" 2>&1
) || rc=$?
h_leftovers
(
  h_editor_env
  cd "$WS" || exit 2
  timeout -k 5 60 "$NVIM" --headless -u NONE -i NONE -n \
    --cmd "set runtimepath^=$here" -c "luafile $here/test/stubs.lua" </dev/null >>"$H_TMP/log" 2>&1
) || rc=$?
h_finish "$rc"
