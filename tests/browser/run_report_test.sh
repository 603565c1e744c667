#!/usr/bin/env bash
# CTest entry of the browser test: writes fixture runs, renders their reports with the real `reval`,
# and opens them in headless Chromium (report_test.mjs). Installs playwright-core from the lock file
# into tests/browser/node_modules on first use (npm ci; no browser is downloaded).
# Environment: REVAL_BINARY, REVAL_FIXTURE_GENERATOR, REVAL_BROWSER_OUT (set by tests/reports/CMakeLists.txt).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${REVAL_BINARY:?}" "${REVAL_FIXTURE_GENERATOR:?}" "${REVAL_BROWSER_OUT:?}"
chromium="${REVAL_CHROMIUM:-/usr/bin/chromium}"

for tool in node npm python3; do
  command -v "$tool" >/dev/null || { echo "REVAL-SKIP: $tool is not installed (scripts/install-deps.sh)"; exit 0; }
done
[[ -x "$chromium" ]] || { echo "REVAL-SKIP: $chromium is not installed (scripts/install-deps.sh)"; exit 0; }

if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  npm_log="$REVAL_BROWSER_OUT.npm-ci.log"  # in the build folder, never in the source tree
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but make sure of it.
  if ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >"$npm_log" 2>&1); then
    cat "$npm_log" >&2
    echo "REVAL-SKIP: npm ci could not install playwright-core (no registry access?)"
    exit 0
  fi
fi

out="$REVAL_BROWSER_OUT"
rm -rf "$out"
mkdir -p "$out"
runs="$out/runs"
python3 "$REVAL_FIXTURE_GENERATOR" "$runs"
"$REVAL_BINARY" report "$runs/aime24-q4km" "$runs/aime24-f16" "$runs/aime24-api" -o "$out/main.html"
"$REVAL_BINARY" report "$runs/aime24-q4km" "$runs/aime24-f16" "$runs/aime24-api" --format json -o "$out/main.json"
"$REVAL_BINARY" report "$runs/swe-api" "$runs/swe-f16" -o "$out/swe.html"
"$REVAL_BINARY" report "$runs/aime24-q4km" "$runs/aime24-api-subset" -o "$out/subset.html"
REVAL_CHROMIUM="$chromium" node "$here/report_test.mjs" "$out" "$runs"
echo "screenshots: $out/report.png $out/report-viewer.png $out/report-dark.png"
