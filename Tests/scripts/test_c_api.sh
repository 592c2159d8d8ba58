#!/usr/bin/env bash
# Builds the C API library and drives it from Python via ctypes (no subprocess).
# Usage: Tests/scripts/test_c_api.sh [scratch-path]   (default .build)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-.build}"
swift build --scratch-path "$scratch" --product attune_c
python3 Examples/python/ctypes_client.py "$scratch/debug/libattune_c.so"
