#!/usr/bin/env bash
# Tests of the VS Code extension, from any directory:
#   1. unit: `npm ci` (when package-lock.json changed since the last run), then `npm test`: the
#      TypeScript compiles; package.json's settings match docs/settings.md; the grammar tokenises
#      sample lines as expected; trust gating, manifest detection, finding the server, the status
#      bar, command errors.
#   2. package: `npm run package` writes amber-lsp-<version>.vsix.
#   3. ui: the .vsix installed in code-server (VS Code in a browser) and driven through headless
#      Chromium by test/e2e/drive.mjs, on a copy of testdata/workspace plus the repository's
#      examples/, with the amber-lsp built from this checkout on the user's PATH: once in a
#      trusted workspace (every feature), once in an untrusted one (restricted mode).
# Prints one PASS/FAIL line per check with its time, then a summary. Exit status: 0 when every
# check passed; 1 when one failed; 77 when code-server or Chromium is not installed (the unit
# checks and the package ran and passed; the UI checks were skipped).
# Env: CODE_SERVER  code-server to use (default: code-server on PATH, else
#                   ~/.cache/amber-editors/cs/bin/code-server)
#      CHROMIUM     Chromium to drive (default /usr/bin/chromium)
#      AMBER_LSP    the server to test (default: built from this checkout)
#      CHECKS=a,b   only these UI checks (names as printed)
#      UNIT_ONLY=1  stop after the unit checks and the package
#      KEEP=1       keep the scratch workspace, logs and screenshots (kept anyway on failure)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
start=$(now)
fails=0
result() {  # PASS|FAIL NAME START DETAIL
  [ "$1" = PASS ] || fails=$((fails + 1))
  echo "$1 vscode $2 ($(secs "$3")s) $4"
}
cd "$here" || exit 1
scratch="$(mktemp -d "${TMPDIR:-/tmp}/amber-vscode.XXXXXX")"

# 1. unit
t=$(now)
stamp=node_modules/.amber-package-lock.json
if ! cmp -s package-lock.json "$stamp"; then
  if npm ci --no-audit --no-fund >"$scratch/npm-ci.log" 2>&1; then
    cp package-lock.json "$stamp"
  else
    result FAIL npm-ci "$t" "$(tail -5 "$scratch/npm-ci.log" | tr '\n' ' ')"
    exit 1
  fi
fi
t=$(now)
if npm test >"$scratch/unit.log" 2>&1; then
  result PASS unit "$t" "$(grep -E '^ℹ (tests|pass)' "$scratch/unit.log" | tr '\n' ' ')"
else
  result FAIL unit "$t" "$(grep -E '✖|error TS|Error' "$scratch/unit.log" | head -8 | tr '\n' ' ')"
fi

# 2. package
t=$(now)
version="$(node -p 'require("./package.json").version')"
vsix="$here/amber-lsp-$version.vsix"
rm -f "$vsix"
if npm run package >"$scratch/package.log" 2>&1 && [ -f "$vsix" ]; then
  result PASS package "$t" "$(basename "$vsix") $(du -k "$vsix" | cut -f1) KiB"
else
  result FAIL package "$t" "$(tail -5 "$scratch/package.log" | tr '\n' ' ')"
  echo "vscode: failed in $(secs "$start")s; logs in $scratch"; exit 1
fi
if [ "${UNIT_ONLY:-0}" = 1 ]; then
  rm -rf "$scratch"; [ $fails = 0 ]; exit
fi

# 3. ui
cs="${CODE_SERVER:-$(command -v code-server || echo "$HOME/.cache/amber-editors/cs/bin/code-server")}"
browser="${CHROMIUM:-/usr/bin/chromium}"
skip=""
[ -x "$cs" ] || skip="code-server not installed (set CODE_SERVER)"
[ -n "$skip" ] || [ -x "$browser" ] || skip="chromium not installed (set CHROMIUM)"
if [ -n "$skip" ]; then
  echo "skipped: $skip; the UI checks did not run"
  rm -rf "$scratch"
  [ $fails = 0 ] && exit 77; exit 1
fi
t=$(now)
mkdir -p "$scratch/bin" "$scratch/ws" "$scratch/out" "$scratch/data/User" "$scratch/ext" "$scratch/home"
if [ -n "${AMBER_LSP:-}" ]; then
  ln -s "$(cd "$(dirname "$AMBER_LSP")" && pwd)/$(basename "$AMBER_LSP")" "$scratch/bin/amber-lsp"
elif ! (cd "$repo" && go build -o "$scratch/bin/amber-lsp" ./cmd/amber-lsp) 2>"$scratch/go-build.log"; then
  result FAIL server "$t" "go build: $(tail -3 "$scratch/go-build.log" | tr '\n' ' ')"; exit 1
fi
cp -r "$here/testdata/workspace/." "$scratch/ws/"
cp -r "$repo/examples" "$scratch/ws/examples"
# The cloud-init YAML sidecar and its VM, shared with the other editors' tests.
cp "$repo/editors/testdata/amber/vm.json5" "$repo/editors/testdata/amber/user-data.yaml" "$scratch/ws/"
cp -r "$scratch/ws" "$scratch/ws-untrusted"
cp -r "$here/testdata/untrusted/." "$scratch/ws-untrusted/"
# Overlay previews on for the workspace, as its settings would say; the untrusted copy says so too,
# and must be ignored.
for w in ws ws-untrusted; do
  mkdir -p "$scratch/$w/.vscode"
  printf '{\n  "amber.overlays.preview": true\n}\n' >"$scratch/$w/.vscode/settings.json"
done
cat >"$scratch/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "editor.hover.delay": 100,
  "files.autoSave": "off"
}
JSON
# A user whose login shell puts amber-lsp on PATH: code-server gives the extension host the
# login shell's environment, not this one's.
printf 'export PATH=%q:"$PATH"\n' "$scratch/bin" >"$scratch/home/.profile"
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" XDG_DATA_HOME="$scratch/home/.local/share"
unset XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item"}'
if ! timeout 120 "$cs" --user-data-dir "$scratch/data" --extensions-dir "$scratch/ext" \
    --install-extension "$vsix" >"$scratch/install.log" 2>&1; then
  result FAIL install "$t" "$(tail -3 "$scratch/install.log" | tr '\n' ' ')"; exit 1
fi
result PASS install "$t" "$(grep -o 'amberlsp.amber-lsp[^ ]*' "$scratch/install.log" | head -1) into code-server $("$cs" --version 2>/dev/null | head -1)"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export CS="$cs" SCRATCH="$scratch" PORT_="$port" CHROMIUM="$browser" HERE="$here"
# ui runs code-server on one workspace and drives it: `ui trusted` (workspace trust off, so
# everything is trusted) or `ui untrusted` (trust on, the folder never trusted).
ui() {
  local ws="$SCRATCH/ws" trust=(--disable-workspace-trust)
  if [ "$1" = untrusted ]; then
    ws="$SCRATCH/ws-untrusted" trust=()
    node -e 'const f = process.argv[1], s = JSON.parse(require("fs").readFileSync(f, "utf8"));
      Object.assign(s, { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never",
        "security.workspace.trust.banner": "never", "security.workspace.trust.untrustedFiles": "open",
        "amber.overlays.preview": true, "amber.remote.fetch": "all", "amber.server.path": "amber-lsp" });
      require("fs").writeFileSync(f, JSON.stringify(s, null, 2));' "$SCRATCH/data/User/settings.json"
  fi
  ip link set lo up 2>/dev/null || true
  setsid "$CS" --bind-addr "127.0.0.1:$PORT_" --auth none --disable-telemetry --disable-update-check \
    "${trust[@]}" --disable-getting-started-override --ignore-last-opened \
    --user-data-dir "$SCRATCH/data" --extensions-dir "$SCRATCH/ext" --config "$SCRATCH/config.yaml" \
    "$ws" >"$SCRATCH/code-server-$1.log" 2>&1 &
  local pid=$!
  trap 'kill -- -'"$pid"' 2>/dev/null; sleep 0.5; kill -9 -- -'"$pid"' 2>/dev/null; true' EXIT
  for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$PORT_/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  TRUST="$1" timeout -k 5 600 node "$HERE/test/e2e/drive.mjs" "http://127.0.0.1:$PORT_/?folder=$ws" \
    "$ws" "$SCRATCH/out" 2>"$SCRATCH/drive-$1.log"
}
export -f ui
# code-server and Chromium get a network namespace with only loopback when the system allows
# it: the graph renderer and everything else must work offline.
net="host network"; wrap=(bash -c)
if unshare -n true 2>/dev/null; then net="loopback only"; wrap=(unshare -n bash -c); fi
: >"$scratch/results"
rc=0
# wants PASS: whether CHECKS asks for a check of that pass (the untrusted ones are restricted_*).
wants() {
  [ -z "${CHECKS:-}" ] && return 0
  local c cs
  IFS=, read -ra cs <<<"$CHECKS"
  for c in "${cs[@]}"; do
    if [[ $c == restricted_* ]]; then [ "$1" = untrusted ] && return 0; else [ "$1" = trusted ] && return 0; fi
  done
  return 1
}
for trust in trusted untrusted; do
  wants "$trust" || continue
  "${wrap[@]}" "ui $trust" | tee -a "$scratch/results"
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
ui_fails=$(grep -c '^FAIL' "$scratch/results")
ui_passes=$(grep -c '^PASS' "$scratch/results")
fails=$((fails + ui_fails))
[ "$rc" = 0 ] || [ "$ui_fails" -gt 0 ] || fails=$((fails + 1))
echo "vscode: $ui_passes UI checks passed, $ui_fails failed ($net), exit $rc; all in $(secs "$start")s"
if [ $fails = 0 ] && [ "${KEEP:-0}" != 1 ]; then
  rm -rf "$scratch"
else
  echo "vscode: logs (drive-*.log, code-server-*.log) and screenshots in $scratch"
fi
[ $fails = 0 ]
