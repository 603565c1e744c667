#!/usr/bin/env bash
# reval's builtin engine vs llama.cpp on the same GGUF files: prompt processing (pp) and decode (tg)
# tokens/s and peak RSS, at 1 and 2 threads, on the R1-Distill-Qwen-1.5B shape in Q8_0 and Q4_K_M.
# llama.cpp runs through the pinned node-llama-cpp (tests/conformance/setup_llref.sh). Runs alternate
# (reval, llama.cpp, reval, ...) so drifting machine load hits both; each figure is a median, and
# a second line gives the median and range of the ratios of adjacent (reval, llama.cpp) runs.
# When BUILD_DIR/bench/membw exists, the model file's read bandwidth (all threads) gives each decode
# figure's bandwidth limit (bandwidth / weight bytes read per token) and the fraction reached.
#   usage: bench/engine_vs_llamacpp.sh BUILD_DIR [WORK_DIR]
#   env: PP=512 TG=64 REPS=3 TYPES="q8_0 q4_k_m" THREADS="1 2"
set -euo pipefail
build="${1:?usage: engine_vs_llamacpp.sh BUILD_DIR [WORK_DIR]}"
work="${2:-${REVAL_CACHE:-$HOME/.cache/reval}/bench-models}"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="$root/../shared"
reval="$build/bin/reval"
PP="${PP:-512}" TG="${TG:-64}" REPS="${REPS:-3}"
TYPES="${TYPES:-q8_0 q4_k_m}" THREADS="${THREADS:-1 2}"
mkdir -p "$work"
llref="$(bash "$root/tests/conformance/setup_llref.sh" "$shared/tools/llref")"

# Peak RSS (KiB) of a command, its stdout kept in $out_file.
run_measured() {
  local out_file="$1"; shift
  /usr/bin/time -f "%M" -o "$out_file.rss" "$@" >"$out_file" 2>"$out_file.err"
}

printf "%-8s %-3s | %12s %12s %6s | %12s %12s %6s | %10s %10s | %9s %9s %9s\n" type thr "reval pp" "llama pp" ratio \
  "reval tg" "llama tg" ratio "reval RSS" "llama RSS" "bw limit" "reval bw" "llama bw"
for type in $TYPES; do
  model="$work/r1q-1.5b-$type.gguf"
  if [ ! -f "$model" ]; then
    "$reval" model synth --shape r1-distill-qwen-1.5b --vocab "$shared/data/gguf/ggml-vocab-qwen2.gguf" \
      --type "$type" --seed 1 -o "$model" >&2
  fi
  for t in $THREADS; do
    rp=() rt=() lp=() lt=() rr=0 lr=0 bw=0
    if [ -x "$build/bench/membw" ]; then  # read bandwidth of the model file with t threads
      bw="$("$build/bench/membw" --mib 512 --threads "$t" --reps 3 --file "$model" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["file_all_gbs"])')"
    fi
    for rep in $(seq "$REPS"); do
      run_measured "$work/reval.out" "$reval" model bench --model "$model" --threads "$t" --prompt-tokens "$PP" \
        --gen-tokens "$TG" --reps 1 --json
      rp+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pp_tok_s"])' "$work/reval.out")")
      rt+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tg_tok_s"])' "$work/reval.out")")
      rr=$(( $(cat "$work/reval.out.rss") > rr ? $(cat "$work/reval.out.rss") : rr ))
      run_measured "$work/llama.out" node "$llref/llref.mjs" --model "$model" --tokens 1 --n 1 --threads "$t" \
        --ctx $((PP + TG + 16)) --bench-prompt "$PP" --bench-gen "$TG" --reps 1 --json "$work/llama.json" --quiet
      lp+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bench"]["pp_tok_s"]["mean"])' "$work/llama.json")")
      lt+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bench"]["tg_tok_s"]["mean"])' "$work/llama.json")")
      lr=$(( $(cat "$work/llama.out.rss") > lr ? $(cat "$work/llama.out.rss") : lr ))
    done
    wb="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["weights_bytes_per_token"])' "$work/reval.out")"
    python3 - "$type" "$t" "$rr" "$lr" "${rp[*]}" "${lp[*]}" "${rt[*]}" "${lt[*]}" "$bw" "$wb" <<'PY'
import statistics, sys
typ, t, rr, lr = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rp, lp, rt, lt = (statistics.median(float(x) for x in s.split()) for s in sys.argv[5:9])
bw, wb = float(sys.argv[9]), float(sys.argv[10])
limit = bw * 1e9 / wb if bw > 0 else float("nan")
print(f"{typ:<8} {t:<3} | {rp:12.2f} {lp:12.2f} {rp/lp:6.2f} | {rt:12.2f} {lt:12.2f} {rt/lt:6.2f} | "
      f"{rr/1024:8.0f}MB {lr/1024:8.0f}MB | {limit:9.2f} {rt/limit:8.0%} {lt/limit:8.0%}")
def paired(ours, theirs):
    r = sorted(float(a) / float(b) for a, b in zip(ours.split(), theirs.split()))
    return f"median {statistics.median(r):.2f} (range {r[0]:.2f}-{r[-1]:.2f})"
print(f"{'':<12} paired ratios over {len(sys.argv[5].split())} (reval, llama.cpp) pairs: "
      f"pp {paired(sys.argv[5], sys.argv[6])}, tg {paired(sys.argv[7], sys.argv[8])}")
PY
  done
done
