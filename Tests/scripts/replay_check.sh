#!/bin/sh
# attune replay must write exactly what attune run writes, only paced: compares
# the outputs (every output format) and checks the wall time of --speed 100
# against the stream's span / 100.
#
#   Tests/scripts/replay_check.sh [STREAM]     ATTUNE=path/to/attune (default .build/debug/attune)
set -eu
cd "$(dirname "$0")/../.."
stream=${1:-Examples/streams/two-rooms.jsonl}
attune=${ATTUNE:-.build/debug/attune}
[ -x "$attune" ] || swift build --product attune >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for opts in "--emit every" "--emit change --format csv" "--emit every --format emotionml" "--format tty"; do
    # shellcheck disable=SC2086
    "$attune" run $opts "$stream" > "$dir/run.out" 2>"$dir/run.err"
    # shellcheck disable=SC2086
    "$attune" replay --speed 1000 $opts "$stream" > "$dir/replay.out" 2>"$dir/replay.err"
    if ! cmp -s "$dir/run.out" "$dir/replay.out"; then
        echo "replay_check: FAIL: replay output differs from run ($opts)"
        diff "$dir/run.out" "$dir/replay.out" | head -5
        exit 1
    fi
done

# Span of the valid lines' timestamps: pacing starts at the first valid line.
span=$("$attune" run --emit every --format csv "$stream" 2>/dev/null |
    awk -F, 'NR > 1 { if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 } END { print max - min }')
start=$(date +%s.%N)
"$attune" replay --speed 100 "$stream" > /dev/null 2>&1
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v span="$span" 'BEGIN {
    wall = e - s; want = span / 100
    printf "replay_check: --speed 100 took %.3f s, expected %.3f s (span %.1f s)\n", wall, want, span
    if (wall < want * 0.95 || wall > want + 1.0) { print "replay_check: FAIL: pacing off"; exit 1 }
    print "replay_check: ok: output identical to run for 4 option sets"
}'
