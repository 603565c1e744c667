#!/usr/bin/env bash
# Per-instance overhead of `reval swe eval` outside the tests themselves (work tree + patch
# application + sandbox start/stop + parse + cleanup), target < 100 ms, and the total wall time of
# the swe-real gold run. The mirror cache is warmed first (bundle import is a one-time cost, reported
# apart). Runs on reval's own samples always and on ../shared/data/swe-real when present.
#
# Usage: bench/swe_eval_bench.sh [BUILD_DIR] [REPEATS]      (default build/release, 3 repeats)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${1:-$HERE/build/release}"
REPEATS="${2:-3}"
REVAL="$BUILD_DIR/bin/reval"
[[ -x "$REVAL" ]] || { echo "swe_eval_bench: $REVAL not built (cmake --build $BUILD_DIR --target reval)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/reval-swe-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/datasets/samples/swe/make_samples.py" "$WORK/samples" >/dev/null

# Prints "name: n=.. median overhead .. ms (p90 ..), components ..., total wall .. s" for one run folder.
summarize() {
  python3 - "$1" "$2" <<'EOF'
import glob, json, statistics, sys
name, out = sys.argv[1], sys.argv[2]
rows = []
for path in glob.glob(out + "/*/report.json"):
    for body in json.load(open(path)).values():
        rows.append(body["reval"]["timings_ms"])
summary = json.load(open(out + "/summary.json"))
def med(key):
    return statistics.median(r[key] for r in rows)
over = sorted(r["overhead"] for r in rows)
p90 = over[min(len(over) - 1, int(0.9 * len(over)))]
print(f"{name}: n={len(rows)} resolved={summary['resolved_instances']} "
      f"median overhead {med('overhead'):.1f} ms (p90 {p90:.1f}); "
      f"work_tree {med('work_tree'):.1f}, apply {med('apply'):.1f}, sandbox_start {med('sandbox_start'):.1f}, "
      f"sandbox_stop {med('sandbox_stop'):.1f}, parse {med('parse'):.2f}, cleanup {med('cleanup'):.1f} ms; "
      f"median tests {med('tests'):.0f} ms; total wall {summary['reval']['wall_ms'] / 1000:.2f} s")
EOF
}

run_suite() {  # NAME INSTANCES REPOS WORKERS
  local name="$1" instances="$2" repos="$3" workers="$4"
  "$REVAL" swe eval --instances "$instances" --repos "$repos" --predictions gold --out "$WORK/warm-$name" \
    --cache-dir "$WORK/cache" --workers "$workers" >/dev/null 2>&1
  for i in $(seq 1 "$REPEATS"); do
    "$REVAL" swe eval --instances "$instances" --repos "$repos" --predictions gold --out "$WORK/$name-$i" \
      --cache-dir "$WORK/cache" --workers "$workers" >/dev/null 2>&1
    summarize "$name (run $i, $workers worker(s))" "$WORK/$name-$i"
  done
}

echo "== reval swe eval overhead ($(nproc) CPUs, $REVAL)"
run_suite samples "$WORK/samples/instances.jsonl" "$WORK/samples/repos" 1
SWE_REAL="$HERE/../shared/data/swe-real"
if [[ -d "$SWE_REAL" ]]; then
  run_suite swe-real "$SWE_REAL/instances.jsonl" "$SWE_REAL/repos" 1
  run_suite swe-real-parallel "$SWE_REAL/instances.jsonl" "$SWE_REAL/repos" 3
else
  echo "swe-real: ../shared/data/swe-real not present; skipped"
fi
