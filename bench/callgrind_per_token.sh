#!/usr/bin/env bash
# Instructions per decoded token of the builtin engine, counted by callgrind: a noise-free measure
# (independent of machine load) to compare changes to the forward pass. Synthesizes a small model
# (shape SHAPE, type TYPE, qwen2 vocabulary), runs `reval model bench` decoding G1 and then G2 tokens
# on one thread under callgrind, and prints (Ir(G2) - Ir(G1)) / (G2 - G1): start-up and loading
# cancel out. DEPTH > 0 decodes after DEPTH cached positions (attention cost); BATCH > 0 reports
# instructions per token of BATCH sequences decoding together instead.
#   usage: bench/callgrind_per_token.sh BUILD_DIR
#   env: SHAPE=tiny TYPE=q8_0 G1=4 G2=12 DEPTH=0 BATCH=0
set -euo pipefail
build="${1:?usage: callgrind_per_token.sh BUILD_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
reval="$build/bin/reval"
SHAPE="${SHAPE:-tiny}" TYPE="${TYPE:-q8_0}" G1="${G1:-4}" G2="${G2:-12}" DEPTH="${DEPTH:-0}" BATCH="${BATCH:-0}"
command -v valgrind >/dev/null || { echo "callgrind_per_token.sh: valgrind is not installed" >&2; exit 3; }
work="${REVAL_CACHE:-$HOME/.cache/reval}/bench-models"
mkdir -p "$work"
model="$work/synth-$SHAPE-$TYPE.gguf"
if [ ! -f "$model" ]; then
  "$reval" model synth --shape "$SHAPE" --vocab "$root/../shared/data/gguf/ggml-vocab-qwen2.gguf" --type "$TYPE" \
    --seed 1 -o "$model" >&2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Total instructions (Ir) of one bench run decoding $1 tokens.
count() {
  local extra=()
  if [ "$BATCH" -gt 0 ]; then extra=(--batch "$BATCH" --prompt-tokens 8); else extra=(--prompt-tokens 0); fi
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "$reval" model bench --model "$model" --threads 1 \
    --gen-tokens "$1" --depth "$DEPTH" --reps 1 "${extra[@]}" >/dev/null 2>"$tmp/log.$1"
  grep -m1 '^summary:' "$tmp/cg.$1" | awk '{print $2}'
}
a="$(count "$G1")"
b="$(count "$G2")"
python3 - "$a" "$b" "$G1" "$G2" "$BATCH" "$SHAPE" "$TYPE" "$DEPTH" <<'PY'
import sys
a, b, g1, g2, batch = (int(x) for x in sys.argv[1:6])
shape, typ, depth = sys.argv[6], sys.argv[7], sys.argv[8]
# Without --batch the run decodes G tokens once (tg); with it, tg and then BATCH sequences x G.
tokens_per_g = 1 + batch if batch > 0 else 1
per = (b - a) / ((g2 - g1) * tokens_per_g)
what = f"tg + batch {batch}" if batch > 0 else "tg"
print(f"{shape} {typ} depth {depth} ({what}): {per/1e6:.2f} M instructions per decoded token "
      f"(Ir {a} at G={g1}, {b} at G={g2})")
PY
