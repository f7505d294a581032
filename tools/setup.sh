#!/usr/bin/env bash
# Installs adpsim's build and test dependencies from Debian packages.
# Idempotent: does nothing when every package is already installed.
# Usage: tools/setup.sh [--with-ns3]   (ns-3 is only a benchmark peer)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3
  libboost-dev          # Asio/Beast (header-only): live mode
  libsqlite3-dev sqlite3  # Hive metastore backing store
  libspdlog-dev         # log sink of the CLI
  libcli11-dev          # command line
  libgtest-dev libgmock-dev  # tests
  libtomlplusplus-dev   # scenario files
  nlohmann-json3-dev    # reports
  libssl-dev            # libcrypto: MD5 / SHA-256 / HMAC
  libpugixml-dev        # XML (S3 wire protocol)
  libsimdjson-dev       # fast JSON parsing on the clean/enrich hot path
  libbenchmark-dev      # bench/
)
for arg in "$@"; do
  case "$arg" in
    --with-ns3) packages+=(libns3-dev) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup.sh: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
