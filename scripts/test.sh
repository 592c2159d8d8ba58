#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests, output scripts, then the
# public calibration scenarios. The exit status is what counts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Build once, with tests: never alternate `swift build` and `swift build --build-tests`
# in one build folder (SwiftPM then mixes objects built with and without testing).
swift build --build-tests
swift test --skip-build
export ATTUNE=.build/debug/attune
sh Tests/scripts/replay_check.sh
sh Tests/scripts/render_report.sh
python3 Tests/scripts/check_schemas.py "$ATTUNE"
# The project's own principle scenarios, then the shared calibration set.
python3 Tests/scripts/score_scenarios.py Tests/scenarios --bin .build/debug/attune --min 1.0
if [ -d ../shared/scenarios ]; then
  python3 ../shared/tools/score_scenarios.py ../shared/scenarios --bin .build/debug/attune --min 0.9
fi
