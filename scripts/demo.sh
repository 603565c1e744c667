#!/usr/bin/env bash
# `make demo`: reval's main job on the built-in defaults, offline. Grows as components land.
# Today: load the bundled sample suites, then run one end to end against a local scripted API server.
set -euo pipefail
REVAL="${1:?usage: demo.sh PATH/TO/reval [MODEL.gguf]}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$REVAL" --version
echo
echo "== datasets known to reval"
"$REVAL" datasets list
echo
echo "== math-sample: MATH-style problems with hard answer forms (bundled, offline)"
"$REVAL" datasets show math-sample --offline
echo
echo "== aime-sample: AIME-style problems with integer answers (bundled, offline)"
"$REVAL" datasets show aime-sample --offline
echo
echo "demo: the sample suites are built into $REVAL (sources: datasets/samples/*.jsonl);" \
     "the download cache is ${REVAL_CACHE:-\$REVAL_CACHE or ~/.cache/reval}; see 'reval help' and README.md"

# The harness end to end: the aime-sample suite against reval's scripted OpenAI-compatible test server
# (tests/harness/openai_test_server.py) on 127.0.0.1, which answers each sample right or wrong by its seed.
# (When the built-in engine lands, this runs the suite on a local GGUF model instead.)
echo
echo "== reval run: aime-sample against a scripted OpenAI-compatible server on 127.0.0.1"
WORK="$(mktemp -d)"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
python3 - "$ROOT/datasets/samples/aime-sample.jsonl" > "$WORK/script.json" <<'PY'
import json, sys
rules = []
for i, line in enumerate(open(sys.argv[1])):
    row = json.loads(line)
    right = {"answer": row["answer"], "reasoning": "Working through the problem step by step."}
    wrong = {"answer": str((int(row["answer"]) + 1) % 1000), "reasoning": "A slip in the arithmetic."}
    rules.append({"match": row["problem"][:60], "by_seed": [right, right, wrong, right][: 2 + i % 3]})
print(json.dumps({"rules": rules}))
PY
python3 "$ROOT/tests/harness/openai_test_server.py" --script "$WORK/script.json" --port-file "$WORK/port" &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$WORK/port")/v1"
"$REVAL" run --suite aime-sample --api "$BASE" --model demo-model --out "$WORK/run" --offline
echo
echo "== reval compare: the same suite with run seed 1"
"$REVAL" run --suite aime-sample --api "$BASE" --model demo-model --out "$WORK/run-seed1" --offline --seed 1 >/dev/null
"$REVAL" compare "$WORK/run" "$WORK/run-seed1"
"$REVAL" help
# SWE-style evaluation of the gold patches of reval's own sample repositories (sandboxed with bwrap).
SWE_DEMO="$(mktemp -d "${TMPDIR:-/tmp}/reval-swe-demo.XXXXXX")"
python3 "$(dirname "$0")/../datasets/samples/swe/make_samples.py" "$SWE_DEMO" >/dev/null
"$REVAL" swe eval --instances "$SWE_DEMO/instances.jsonl" --repos "$SWE_DEMO/repos" --predictions gold \
  --out "$SWE_DEMO/out" --cache-dir "$SWE_DEMO/cache"
rm -rf "$SWE_DEMO"

# The built-in engine end to end, no server: the math-sample suite on a GGUF model, graded and
# summarized. Without MODEL (make demo MODEL=path.gguf) a random-weight model with DeepSeek-R1-Distill-Qwen's
# vocab and chat template is synthesized on the fly: expect 0% correct; the point is the path.
echo
echo "== reval run: math-sample on the built-in engine"
DEMO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILTIN_WORK="$(mktemp -d "${TMPDIR:-/tmp}/reval-builtin-demo.XXXXXX")"
DEMO_MODEL="${2:-}"
if [ -z "$DEMO_MODEL" ]; then
  VOCAB="$DEMO_ROOT/../shared/data/gguf/ggml-vocab-qwen2.gguf"
  if [ -f "$VOCAB" ]; then
    DEMO_MODEL="$BUILTIN_WORK/r1-distill-tiny-q8_0.gguf"
    "$REVAL" model synth --shape tiny --r1 --vocab "$VOCAB" --type q8_0 --seed 1 -o "$DEMO_MODEL"
    "$REVAL" run --suite math-sample --model "$DEMO_MODEL" --out "$BUILTIN_WORK/run" --offline \
      --samples 2 --max-tokens 48
  else
    echo "skipped: no vocab to synthesize a model from ($VOCAB); run: make demo MODEL=path/to/model.gguf"
  fi
else
  # A real model: one sample per problem, thinking capped so the demo ends in reasonable time on a CPU.
  "$REVAL" run --suite math-sample --model "$DEMO_MODEL" --out "$BUILTIN_WORK/run" --offline \
    --samples 1 --max-tokens "${MAX_TOKENS:-4096}"
fi
rm -rf "$BUILTIN_WORK"
