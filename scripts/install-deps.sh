#!/usr/bin/env bash
# Installs reval's build, test and runtime dependencies from Debian 12 packages.
# Idempotent: only packages that are missing are installed; runs apt-get through sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang
  libcurl4-openssl-dev nlohmann-json3-dev libre2-dev libboost-dev libboost-filesystem-dev
  libopenblas-dev catch2 libbenchmark-dev zlib1g-dev
  git bubblewrap patch python3 python3-pytest
  chromium nodejs npm
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# node and npm may come from outside Debian (nvm, nodesource); a working binary is enough.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for pkg in "${missing[@]}"; do
    [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
