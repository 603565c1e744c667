#!/usr/bin/env bash
# Harness overhead against a server that answers instantly: sustained requests/s at a concurrency and
# RSS over the run (ApiBackend + RunStore, the path `reval run --api` takes).
# usage: bench/harness_api_bench.sh BUILD_DIR [N_REQUESTS=100000] [CONCURRENCY=64]
set -euo pipefail
BUILD_DIR="${1:?usage: harness_api_bench.sh BUILD_DIR [N_REQUESTS] [CONCURRENCY]}"
N="${2:-100000}"
C="${3:-64}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BUILD_DIR/bench/fast_openai_server" "$WORK/port" &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
PORT="$(cat "$WORK/port")"
echo "server on 127.0.0.1:$PORT; $N requests at concurrency $C; $(nproc) cores shared by server and client"
"$BUILD_DIR/bench/harness_api_load" "http://127.0.0.1:$PORT/v1" "$N" "$C" "$WORK/run"
