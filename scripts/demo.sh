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
