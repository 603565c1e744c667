#!/usr/bin/env bash
# `make bench`: runs every Google Benchmark program that the release build produced.
set -euo pipefail
BUILD_DIR="${1:?usage: bench.sh BUILD_DIR}"
shopt -s nullglob
for program in "$BUILD_DIR"/bench/*_bench; do
  echo "== $program"
  "$program" --benchmark_min_time=0.5
done
