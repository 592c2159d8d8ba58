#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests, then the public
# calibration scenarios. The exit status is what counts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
if [ -d ../shared/scenarios ]; then
  python3 ../shared/tools/score_scenarios.py ../shared/scenarios --bin .build/debug/attune --min 0.9
fi
