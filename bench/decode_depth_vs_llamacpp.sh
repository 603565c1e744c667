#!/usr/bin/env bash
# Single-stream decode at long contexts, reval vs llama.cpp: attention over the KV cache grows with
# the context and dominates late in a 32k-token sample. reval decodes TG tokens after DEPTH cached
# positions (`reval model bench --depth`: random K/V, same attention cost as a real prompt);
# llama.cpp first evaluates a DEPTH-token prompt (slow at 16k: minutes), then decodes TG tokens
# (bench/llamacpp_batched.mjs --sequences 1). Alternating runs; medians of REPS.
#   usage: bench/decode_depth_vs_llamacpp.sh BUILD_DIR [MODEL_FILE]
#   env: DEPTHS="512 4096 16384" TG=16 REPS=1 THREADS=1 LLAMA=1 (LLAMA=0: reval only)
set -euo pipefail
build="${1:?usage: decode_depth_vs_llamacpp.sh BUILD_DIR [MODEL_FILE]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
reval="$build/bin/reval"
model="${2:-${REVAL_CACHE:-$HOME/.cache/reval}/bench-models/r1q-1.5b-q8_0.gguf}"
DEPTHS="${DEPTHS:-512 4096 16384}" TG="${TG:-16}" REPS="${REPS:-1}" THREADS="${THREADS:-1}" LLAMA="${LLAMA:-1}"
[ -f "$model" ] || { echo "decode_depth_vs_llamacpp.sh: $model: no such model file" >&2; exit 3; }
if [ "$LLAMA" = 1 ]; then
  llref="$(bash "$root/tests/conformance/setup_llref.sh" "$root/../shared/tools/llref")"
  cp "$root/bench/llamacpp_batched.mjs" "$llref/"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

echo "model $(basename "$model"), threads $THREADS, tg$TG; load: $(uptime | sed 's/.*load/load/')"
printf "%-7s | %12s %12s %7s\n" depth "reval tg" "llama tg" ratio
for d in $DEPTHS; do
  r=() l=()
  for rep in $(seq "$REPS"); do
    "$reval" model bench --model "$model" --threads "$THREADS" --prompt-tokens 0 --gen-tokens "$TG" --depth "$d" \
      --reps 1 --json >"$work/reval.json"
    r+=("$(field "$work/reval.json" tg_tok_s)")
    if [ "$LLAMA" = 1 ]; then
      (cd "$llref" && node llamacpp_batched.mjs --model "$model" --threads "$THREADS" --sequences 1 --prompt "$d" \
        --gen "$TG" --reps 1 --no-single --json "$work/llama.json" >/dev/null)
      l+=("$(field "$work/llama.json" batched_tok_s)")
    else
      l+=("nan")
    fi
  done
  python3 - "$d" "${r[*]}" "${l[*]}" <<'PY'
import math, statistics, sys
d = sys.argv[1]
r = statistics.median(float(x) for x in sys.argv[2].split())
l = statistics.median(float(x) for x in sys.argv[3].split())
ratio = r / l if not math.isnan(l) else float("nan")
print(f"{d:<7} | {r:12.2f} {l:12.2f} {ratio:7.2f}")
PY
done
