#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests, output scripts, then the
# public calibration scenarios. The exit status is what counts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Build once, with tests (which also builds the attune binary and libattune_c).
swift build --build-tests
# A crashed test can hang in the backtracer: never let CI wait on it forever.
timeout 1200 swift test --skip-build
export ATTUNE=.build/debug/attune
# Plugins and embedding: exec plugins from the CLI, the C API from Python, the LSL bridge,
# and the example plugin package (its own build folder).
bash Tests/scripts/test_exec_plugin_cli.sh .build
bash Tests/scripts/test_c_api.sh .build
bash Tests/scripts/test_lsl_bridge.sh .build
bash Examples/physio-plugin/test.sh
# Outputs.
sh Tests/scripts/replay_check.sh
sh Tests/scripts/render_report.sh
python3 Tests/scripts/check_schemas.py "$ATTUNE"
# The project's own principle scenarios, then the shared calibration set.
python3 Tests/scripts/score_scenarios.py Tests/scenarios --bin .build/debug/attune --min 1.0
if [ -d ../shared/scenarios ]; then
  python3 ../shared/tools/score_scenarios.py ../shared/scenarios --bin .build/debug/attune --min 0.9
fi
# A short fuzzing run (about 30 s) over the decoder and the whole ingest path.
bash Tests/scripts/fuzz.sh --smoke
