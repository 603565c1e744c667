#!/usr/bin/env bash
# The evaluation workload, reval vs llama.cpp: SEQ sequences sharing one PP-token prompt decode TG
# tokens each in lock-step (aggregate tokens/s), plus single-stream decode after the same prompt.
# reval: `reval model bench --batch SEQ` (prompt computed once, KV blocks shared by the forks).
# llama.cpp: bench/llamacpp_batched.mjs through the pinned node-llama-cpp (one context with SEQ
# sequences; its API cannot copy KV, so each sequence evaluates the prompt, untimed).
# Runs alternate (reval, llama.cpp, reval, ...) so drifting load hits both; figures are medians.
# Prints the issue's two ratios: reval batched / llama.cpp single-stream (target >= 4) and
# reval batched / llama.cpp batched (target >= 1.2), then the batched ratio of each adjacent
# (reval, llama.cpp) pair: their median and range. On a shared VM whose speed drifts by tens of
# percent within a minute, the paired ratios show how far one run's ratio can be trusted.
#   usage: bench/engine_batched_vs_llamacpp.sh BUILD_DIR [MODEL_FILE]
#   env: SEQ=16 PP=128 TG=32 REPS=3 THREADS="1"
set -euo pipefail
build="${1:?usage: engine_batched_vs_llamacpp.sh BUILD_DIR [MODEL_FILE]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="$root/../shared"
reval="$build/bin/reval"
model="${2:-${REVAL_CACHE:-$HOME/.cache/reval}/bench-models/r1q-1.5b-q8_0.gguf}"
SEQ="${SEQ:-16}" PP="${PP:-128}" TG="${TG:-32}" REPS="${REPS:-3}" THREADS="${THREADS:-1}"
if [ ! -f "$model" ]; then
  echo "engine_batched_vs_llamacpp.sh: $model: no such model file (bench/engine_vs_llamacpp.sh synthesizes them)" >&2
  exit 3
fi
llref="$(bash "$root/tests/conformance/setup_llref.sh" "$shared/tools/llref")"
cp "$root/bench/llamacpp_batched.mjs" "$llref/"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

echo "model $(basename "$model"), $SEQ sequences x tg$TG after a shared pp$PP; $(nproc) CPUs; load: $(uptime | sed 's/.*load/load/')"
printf "%-3s | %14s %14s %14s %14s | %12s %12s\n" thr "reval batched" "llama batched" "llama single" "reval single" \
  "vs llama 1x" "vs llama bat"
for t in $THREADS; do
  rb=() lb=() ls=() rs=()
  for rep in $(seq "$REPS"); do
    "$reval" model bench --model "$model" --threads "$t" --prompt-tokens "$PP" --gen-tokens "$TG" --depth "$PP" \
      --batch "$SEQ" --reps 1 --json >"$work/reval.json"
    rb+=("$(field "$work/reval.json" batched_tok_s)")
    rs+=("$(field "$work/reval.json" tg_tok_s)")
    (cd "$llref" && node llamacpp_batched.mjs --model "$model" --threads "$t" --sequences "$SEQ" --prompt "$PP" \
      --gen "$TG" --reps 1 --json "$work/llama.json" >/dev/null)
    lb+=("$(field "$work/llama.json" batched_tok_s)")
    ls+=("$(field "$work/llama.json" single_tok_s)")
  done
  python3 - "$t" "${rb[*]}" "${lb[*]}" "${ls[*]}" "${rs[*]}" <<'PY'
import statistics, sys
t = sys.argv[1]
rb, lb, ls, rs = (statistics.median(float(x) for x in s.split()) for s in sys.argv[2:6])
print(f"{t:<3} | {rb:14.2f} {lb:14.2f} {ls:14.2f} {rs:14.2f} | {rb/ls:11.2f}x {rb/lb:11.2f}x")
pairs = sorted(float(r) / float(l) for r, l in zip(sys.argv[2].split(), sys.argv[3].split()))
print(f"    paired batched ratios: median {statistics.median(pairs):.2f}x, range {pairs[0]:.2f}-{pairs[-1]:.2f}x "
      f"over {len(pairs)} pairs")
PY
done
