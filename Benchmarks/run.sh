#!/usr/bin/env bash
# Runs every Attune benchmark and prints one report (see Protocols/performance.md).
#
#   Benchmarks/run.sh                 # 200,000-line mixes, 5 timed runs each (about 10 minutes)
#   LINES=2000000 REPS=7 Benchmarks/run.sh
#   KEEP_BUILD=1 Benchmarks/run.sh    # reuse the last release builds (default: clean builds)
#
# Builds release binaries (the root package's `attune` and this package's
# `attune-bench`, each in its own build folder), generates the mixes with
# Benchmarks/generate.py into $WORK (default /tmp/attune-bench), then runs
# attune-bench. Quiet machines give steadier numbers: the report prints the
# load average it started with.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
LINES="${LINES:-200000}"
REPS="${REPS:-5}"
THREADS="${THREADS:-1,2}"
WORK="${WORK:-/tmp/attune-bench}"
mkdir -p "$WORK"

# Clean release builds by default: SwiftPM's incremental builds here have left stale
# objects behind after a stored property changed (a harness that crashed, or measured
# the old code). KEEP_BUILD=1 reuses the last build.
if [ "${KEEP_BUILD:-0}" != 1 ]; then
    rm -rf "$root/.build-bench-attune/x86_64-unknown-linux-gnu/release" "$here/.build/x86_64-unknown-linux-gnu/release"
fi
echo "building release binaries..." >&2
swift build -c release --package-path "$root" --scratch-path "$root/.build-bench-attune" --product attune >&2
swift build -c release --package-path "$here" --scratch-path "$here/.build" --product attune-bench >&2
attune="$root/.build-bench-attune/release/attune"
bench="$here/.build/release/attune-bench"

gen() {  # mix lines file
    if [ ! -s "$3" ] || [ "$(wc -l < "$3")" -ne "$2" ]; then
        echo "generating $1 mix ($2 lines)..." >&2
        python3 "$here/generate.py" --mix "$1" --lines "$2" > "$3.tmp" && mv "$3.tmp" "$3"
    fi
}
gen realistic "$LINES" "$WORK/realistic-$LINES.jsonl"
gen text "$LINES" "$WORK/text-$LINES.jsonl"
gen numeric "$LINES" "$WORK/numeric-$LINES.jsonl"
# Warm the page cache.
cat "$WORK"/*-"$LINES".jsonl > /dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "attune: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'), $(swift --version 2>/dev/null | head -1)"
exec "$bench" all --attune "$attune" --reps "$REPS" --threads "$THREADS" \
    --realistic "$WORK/realistic-$LINES.jsonl" --text "$WORK/text-$LINES.jsonl" --numeric "$WORK/numeric-$LINES.jsonl"
