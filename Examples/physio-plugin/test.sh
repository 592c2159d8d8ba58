#!/usr/bin/env bash
# Builds the example plugin package, runs its tests and both executables. Called by .ci/run.
# Usage: Examples/physio-plugin/test.sh [scratch-path]   (default: .build inside this folder)
set -euo pipefail
cd "$(dirname "$0")"
scratch="${1:-.build}"
swift build --scratch-path "$scratch" --build-tests
# A crashed test must not hang CI (the backtracer can stall on a loaded machine).
timeout 900 swift test --scratch-path "$scratch" --skip-build
out="$("$scratch/debug/physio-demo" sample.jsonl)"
echo "$out"
grep -q "physio_arousal_up" <<<"$out" || { echo "physio-demo: expected a physio_arousal_up tag" >&2; exit 1; }
rig="$("$scratch/debug/research-rig")"
echo "$rig"
grep -q "comfort\|space\|question\|reflect" <<<"$rig" || { echo "research-rig: no recommendation" >&2; exit 1; }
