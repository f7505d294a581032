#!/usr/bin/env bash
# Configures and builds one build tree. Usage: tools/build.sh release|asan [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release -DADPSIM_WERROR="${ADPSIM_WERROR:-ON}") ;;
  # ASan+UBSan: -O1 keeps it quick to build and run; benchmarks are skipped.
  asan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DADPSIM_SANITIZE=ON
               -DADPSIM_BUILD_BENCH=OFF -DADPSIM_WERROR="${ADPSIM_WERROR:-ON}") ;;
  *) echo "build.sh: unknown build kind $kind" >&2; exit 2 ;;
esac
dir=build/$kind
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
fi
jobs=${ADPSIM_JOBS:-$(nproc)}
if [ $# -gt 0 ]; then
  cmake --build "$dir" -j "$jobs" --target "$@"
else
  cmake --build "$dir" -j "$jobs"
fi
