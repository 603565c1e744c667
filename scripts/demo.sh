#!/usr/bin/env bash
# `make demo`: reval's main job on the built-in defaults, offline, in a few minutes on 2 cores.
#   1. the built-in engine: the math-sample suite on a GGUF model (MODEL=path.gguf, or a random-weight model
#      synthesized on the fly: expect 0% correct, the point is the path), graded and summarized;
#   2. the API backend: the aime-sample suite against reval's scripted OpenAI-compatible server on 127.0.0.1,
#      twice with different seeds, and the paired comparison of the two runs;
#   3. SWE-style grading of the gold patches of reval's own sample repositories, sandboxed, and an SWE suite run
#      (oracle-retrieval prompts) against the scripted server, its patches graded in the sandbox;
#   4. one self-contained HTML report of the runs.
# Everything is kept under runs/demo/ (DEMO_OUT overrides).
set -euo pipefail
REVAL="$(realpath "${1:?usage: demo.sh PATH/TO/reval [MODEL.gguf]}")"
MODEL="${2:-}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${DEMO_OUT:-$ROOT/runs/demo}"
rm -rf "$OUT"
mkdir -p "$OUT"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT

section() { printf '\n== %s\n' "$*"; }

"$REVAL" --version
section "datasets known to reval (the sample sets are built in; the others download on first use)"
"$REVAL" datasets list

# 1. Built-in engine.
section "reval run: math-sample on the built-in engine"
if [ -z "$MODEL" ]; then
  VOCAB="$ROOT/../shared/data/gguf/ggml-vocab-qwen2.gguf"
  if [ -f "$VOCAB" ]; then
    MODEL="$OUT/r1-distill-tiny-q8_0.gguf"
    "$REVAL" model synth --shape tiny --r1 --vocab "$VOCAB" --type q8_0 --seed 1 -o "$MODEL"
    "$REVAL" model info "$MODEL"
    "$REVAL" run --suite math-sample --model "$MODEL" --out "$OUT/builtin-math-sample" --offline \
      --samples 2 --max-tokens 48
  else
    echo "skipped: synthesizing a model needs a real vocab ($VOCAB is absent); run: make demo MODEL=path/to/model.gguf"
  fi
else
  # A real model: one sample per problem, thinking capped so the demo ends in reasonable time on a CPU.
  "$REVAL" model info "$MODEL"
  "$REVAL" run --suite math-sample --model "$MODEL" --out "$OUT/builtin-math-sample" --offline \
    --samples 1 --max-tokens "${MAX_TOKENS:-4096}"
fi

# 2. API backend against the scripted server, which answers each sample right or wrong by its seed.
section "reval run: aime-sample against a scripted OpenAI-compatible server on 127.0.0.1"
python3 - "$ROOT/datasets/samples/aime-sample.jsonl" > "$OUT/server-script.json" <<'PY'
import json, sys
rules = []
for i, line in enumerate(open(sys.argv[1])):
    row = json.loads(line)
    right = {"answer": row["answer"], "reasoning": "Working through the problem step by step."}
    wrong = {"answer": str((int(row["answer"]) + 1) % 1000), "reasoning": "A slip in the arithmetic."}
    rules.append({"match": row["problem"][:60], "by_seed": [right, right, wrong, right][: 2 + i % 3]})
print(json.dumps({"rules": rules}))
PY
python3 "$ROOT/tests/harness/openai_test_server.py" --script "$OUT/server-script.json" --port-file "$OUT/port" &
SERVER=$!
for _ in $(seq 200); do [ -s "$OUT/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$OUT/port")/v1"
"$REVAL" run --suite aime-sample --api "$BASE" --model demo-model --out "$OUT/api-aime-sample" --offline
section "reval compare: the same suite with run seed 1"
"$REVAL" -q run --suite aime-sample --api "$BASE" --model demo-model --out "$OUT/api-aime-sample-seed1" \
  --offline --seed 1 >/dev/null
"$REVAL" compare "$OUT/api-aime-sample" "$OUT/api-aime-sample-seed1"
kill "$SERVER" 2>/dev/null || true
SERVER=""

# 3. SWE-style evaluation, sandboxed with bubblewrap.
section "reval swe eval: gold patches of the sample repositories"
python3 "$ROOT/datasets/samples/swe/make_samples.py" "$OUT/swe-samples" >/dev/null
if ! "$REVAL" swe eval --instances "$OUT/swe-samples/instances.jsonl" --repos "$OUT/swe-samples/repos" \
    --predictions gold --out "$OUT/swe-gold" --cache-dir "$OUT/swe-cache"; then
  echo "(swe eval needs a working bubblewrap sandbox; see the message above)"
fi
section "reval run: swe-sample against the scripted server (gold patch for one instance, no diff for the other)"
python3 - "$OUT/swe-samples/instances.jsonl" > "$OUT/swe-server-script.json" <<'PY'
import json, sys
first = json.loads(open(sys.argv[1]).readline())
rules = [{"match": first["problem_statement"][:40], "responses": [{"content": "```diff\n" + first["patch"] + "```"}]}]
print(json.dumps({"rules": rules, "default": [{"content": "I could not find the bug."}]}))
PY
rm -f "$OUT/port"
python3 "$ROOT/tests/harness/openai_test_server.py" --script "$OUT/swe-server-script.json" --port-file "$OUT/port" &
SERVER=$!
for _ in $(seq 200); do [ -s "$OUT/port" ] && break; sleep 0.05; done
if ! REVAL_CACHE="$OUT/cache" "$REVAL" run --suite swe-sample --repos "$OUT/swe-samples/repos" \
    --api "http://127.0.0.1:$(cat "$OUT/port")/v1" --model demo-model --out "$OUT/api-swe-sample"; then
  echo "(SWE runs need a working bubblewrap sandbox; see the message above)"
fi
kill "$SERVER" 2>/dev/null || true
SERVER=""

# 4. The report.
section "reval report"
"$REVAL" report "$OUT/api-aime-sample" "$OUT/api-aime-sample-seed1" -o "$OUT/report.html"
"$REVAL" report "$OUT/api-aime-sample" "$OUT/api-aime-sample-seed1" --format md
if [ -f "$OUT/api-swe-sample/summary.json" ]; then
  "$REVAL" report "$OUT/api-swe-sample" -o "$OUT/swe-report.html"  # section 8: SWE outcomes
fi

section "where things are"
echo "run folders:  $OUT/{builtin-math-sample,api-aime-sample,api-aime-sample-seed1,swe-gold,api-swe-sample}"
echo "HTML report:  $OUT/report.html (SWE run: $OUT/swe-report.html)"
