#!/usr/bin/env bash
# Scale benchmark of `reval report` (issue 6): 3 runs x 500 problems x 16 samples with ~4,000-token
# responses. Measures the report's file size (target < 25 MB), the time `reval report` takes, and the
# time to interactive in headless Chromium (target < 2 s, bench/report_tti.mjs).
# Usage: bench/report_scale.sh BUILD_DIR [PROBLEMS SAMPLES TOKENS RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:?usage: report_scale.sh BUILD_DIR [PROBLEMS SAMPLES TOKENS RUNS]}"
problems="${2:-500}" samples="${3:-16}" tokens="${4:-4000}" n_runs="${5:-3}"
work="$build/bench-report/${n_runs}x${problems}x${samples}x${tokens}"

if [[ ! -d "$here/tests/browser/node_modules/playwright-core" ]]; then
  (cd "$here/tests/browser" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
if [[ ! -f "$work/runs/scale-$((n_runs - 1))/summary.json" ]]; then
  echo "writing $n_runs runs x $problems problems x $samples samples x ~$tokens tokens to $work/runs"
  python3 "$here/tests/reports/make_fixture_runs.py" "$work/runs" --scale "$problems" "$samples" "$tokens" "$n_runs"
fi
echo "run folders: $(du -sh "$work/runs" | cut -f1)"
runs=()
for ((r = 0; r < n_runs; r++)); do runs+=("$work/runs/scale-$r"); done

start=$(date +%s.%N)
"$build/bin/reval" report "${runs[@]}" -o "$work/report.html"
end=$(date +%s.%N)
bytes=$(stat -c %s "$work/report.html")
printf 'reval report: %.2f s, report size %.1f MB (%d bytes; target < 25 MB)\n' \
  "$(echo "$end - $start" | bc)" "$(echo "$bytes / 1000000" | bc -l)" "$bytes"
node "$here/bench/report_tti.mjs" "$work/report.html" 5 | tee "$work/tti.json"
python3 - "$work/tti.json" "$bytes" <<'PY'
import json, sys
tti = json.load(open(sys.argv[1]))["median"]
size_ok = int(sys.argv[2]) < 25_000_000
tti_ok = tti["load_ms"] < 2000
print(f"time to interactive (load event, median of 5): {tti['load_ms']:.0f} ms (target < 2000 ms); "
      f"script done {tti['script_done_ms']:.0f} ms; open one problem ({tti['n_samples']} samples): {tti['open_problem_ms']:.0f} ms")
sys.exit(0 if size_ok and tti_ok else 1)
PY
