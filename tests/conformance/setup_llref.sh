#!/usr/bin/env bash
# Installs llama.cpp's reference runner (npm node-llama-cpp, pinned) into a cache folder outside the
# repository and copies the llref scripts next to it (they import node-llama-cpp from their own
# folder). Prints the folder on stdout. Re-running is cheap: the install happens once per cache.
#   usage: setup_llref.sh SHARED_TOOLS_LLREF_DIR
set -euo pipefail
tools="${1:?usage: setup_llref.sh PATH/TO/shared/tools/llref}"
cache="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}/llref"
mkdir -p "$cache"
cd "$cache"
if [ ! -f node_modules/node-llama-cpp/package.json ] || [ ! -d node_modules/@node-llama-cpp/linux-x64 ]; then
  # One process at a time: parallel CTest jobs share the cache.
  exec 9>"$cache/.install.lock"
  flock 9
  if [ ! -f node_modules/node-llama-cpp/package.json ] || [ ! -d node_modules/@node-llama-cpp/linux-x64 ]; then
    [ -f package.json ] || npm init -y >/dev/null
    npm i -E --no-audit --no-fund node-llama-cpp@3.21.1 >&2
  fi
fi
cp "$tools/llref.mjs" "$tools/quantize.py" "$cache/"
echo "$cache"
