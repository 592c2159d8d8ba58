#!/usr/bin/env bash
# End-to-end test of the LSL bridge on loopback (about 10 s). Installs pylsl (it bundles liblsl).
# Usage: Tests/scripts/test_lsl_bridge.sh [scratch-path]   (default .build; attune is built if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-.build}"
python3 -c 'import pylsl' 2>/dev/null || python3 -m pip install --quiet 'pylsl==1.18.*'
[ -x "$scratch/debug/attune" ] || swift build --scratch-path "$scratch" --product attune
timeout 90 python3 Examples/python/test_lsl_loopback.py "$scratch/debug/attune" 2> >(grep -v -e ' INFO| ' -e 'Stream transmission broke off' >&2)
