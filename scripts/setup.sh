#!/usr/bin/env bash
# Set up Network Designer on a Debian/Ubuntu machine, idempotently:
#   1. the system libraries Qt needs (only those missing; needs root or sudo),
#   2. a virtual environment in .venv with Python >= 3.11,
#   3. the project, editable; with --test also its test extra and the reference extra
#      (Keras 3 + CPU PyTorch), so the Keras-parity tests run instead of skipping.
# Where apt is available it also installs Debian's dataset-fashion-mnist, which the
# MNIST-style examples and templates train on.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--test" ] && extra="[test,reference]"

# Qt 6 (xcb and offscreen platforms), its fonts, and Python's venv module.
qt_packages=(
  libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
  libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 fonts-dejavu-core
)
# Data the examples use; its absence only hides those examples, so a failure is not fatal.
data_packages=(dataset-fashion-mnist)

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${qt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing system libraries for Qt: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  for package in "${data_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
      sudo=""
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      echo "setup: installing $package (example data)"
      { $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
          "$package" >/dev/null; } || echo "setup: could not install $package; its examples stay hidden" >&2
    fi
  done
else
  echo "setup: not a Debian-like system; install Qt 6's system libraries yourself if Qt fails to start." >&2
fi

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "setup: Network Designer needs Python 3.11 or newer; none was found on PATH." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    # Debian's own Python ships venv separately.
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv
    "$python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ -n "$extra" ] && ! .venv/bin/python -c 'import torch' 2>/dev/null; then
  # The CPU build of PyTorch first: an open range would fetch a CUDA build of several GB.
  # 2.13.0 is the CPU wheel these machines carry; elsewhere pip finds it on PyPI.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0" ||
    echo "setup: could not install PyTorch 2.13.0; the reference extra will pick a build" >&2
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
# Compile the engine's Numba kernels once now, so the first training does not wait.
.venv/bin/python -m designer.engine.kernels || echo "setup: kernels will compile on first use" >&2
echo "setup: ready ($(.venv/bin/python --version), .venv)"
