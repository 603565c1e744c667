#!/usr/bin/env bash
# `make demo`: reval's main job on the built-in defaults, offline. Grows as components land.
set -euo pipefail
REVAL="${1:?usage: demo.sh PATH/TO/reval [MODEL.gguf]}"
"$REVAL" --version
"$REVAL" help
# SWE-style evaluation of the gold patches of reval's own sample repositories (sandboxed with bwrap).
SWE_DEMO="$(mktemp -d "${TMPDIR:-/tmp}/reval-swe-demo.XXXXXX")"
python3 "$(dirname "$0")/../datasets/samples/swe/make_samples.py" "$SWE_DEMO" >/dev/null
"$REVAL" swe eval --instances "$SWE_DEMO/instances.jsonl" --repos "$SWE_DEMO/repos" --predictions gold \
  --out "$SWE_DEMO/out" --cache-dir "$SWE_DEMO/cache"
rm -rf "$SWE_DEMO"
