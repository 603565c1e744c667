#!/usr/bin/env bash
# `make demo`: reval's main job on the built-in defaults, offline. Grows as components land.
# Today: load the bundled sample suites and print their problems and a summary.
set -euo pipefail
REVAL="${1:?usage: demo.sh PATH/TO/reval [MODEL.gguf]}"
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
echo "demo done: the sample suites are built into $REVAL (sources: datasets/samples/*.jsonl);" \
     "the download cache is ${REVAL_CACHE:-\$REVAL_CACHE or ~/.cache/reval}; see 'reval help' and README.md"
"$REVAL" help
# SWE-style evaluation of the gold patches of reval's own sample repositories (sandboxed with bwrap).
SWE_DEMO="$(mktemp -d "${TMPDIR:-/tmp}/reval-swe-demo.XXXXXX")"
python3 "$(dirname "$0")/../datasets/samples/swe/make_samples.py" "$SWE_DEMO" >/dev/null
"$REVAL" swe eval --instances "$SWE_DEMO/instances.jsonl" --repos "$SWE_DEMO/repos" --predictions gold \
  --out "$SWE_DEMO/out" --cache-dir "$SWE_DEMO/cache"
rm -rf "$SWE_DEMO"
