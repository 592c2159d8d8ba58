#!/usr/bin/env bash
# Sets up, builds and runs `attune run` on an example stream.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product attune 2>&1 | tail -n 1
.build/release/attune run --emit change Examples/streams/two-rooms.jsonl
