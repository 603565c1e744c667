#!/usr/bin/env bash
# `make demo`: reval's main job on the built-in defaults, offline. Grows as components land.
set -euo pipefail
REVAL="${1:?usage: demo.sh PATH/TO/reval [MODEL.gguf]}"
"$REVAL" --version
"$REVAL" help
