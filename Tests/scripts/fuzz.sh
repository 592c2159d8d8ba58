#!/usr/bin/env bash
# Builds the libFuzzer target (Sources/AttuneFuzz) with AddressSanitizer and runs it
# over the committed seed corpus (Tests/fuzz-corpus).
#
#   Tests/scripts/fuzz.sh --smoke          # CI: build + 30 s run (about 2 minutes on 2 cores)
#   Tests/scripts/fuzz.sh --time 600       # a longer local run
#   Tests/scripts/fuzz.sh --build-only
#   Tests/scripts/fuzz.sh --run CRASHFILE  # replay one input (e.g. a crash-* artifact)
#
# The target is compiled with plain swiftc, module by module, into .build-fuzz/: it is
# not a SwiftPM target because `-sanitize=fuzzer` links libFuzzer's own `main`.
# New interesting inputs go to .build-fuzz/corpus (not committed); crash inputs are
# written to .build-fuzz/artifacts/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/.build-fuzz
TIME=600
MODE=run
OPT=-O
SANITIZE=fuzzer,address
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) TIME=30 ;;
    --time) TIME=$2; shift ;;
    --build-only) MODE=build ;;
    --run) MODE=replay; REPLAY=$2; shift ;;
    --no-asan) SANITIZE=fuzzer ;;
    --onone) OPT=-Onone ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$OUT/modules" "$OUT/corpus" "$OUT/artifacts"
FLAGS=(-parse-as-library -swift-version 6 -wmo "$OPT" -g -sanitize="$SANITIZE"
       -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
       -I "$OUT/modules" -I "$ROOT/Sources/CJSONC" $(pkg-config --cflags-only-I json-c | sed 's/-I/-Xcc -I/g'))

# module name, source folder; in dependency order
MODULES=("AttuneCore Sources/AttuneCore" "TextChannel Plugins/TextChannel"
         "VoiceChannel Plugins/VoiceChannel" "PostureChannel Plugins/PostureChannel" "Attune Sources/Attune")
STAMP="$OPT $SANITIZE $(swiftc --version 2>&1 | head -1)"
build_module() {
  local name=$1 dir=$2
  local obj=$OUT/modules/$name.o
  mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
  # Rebuild only when a source, a dependency or the flags changed.
  if [ -f "$obj" ] && [ "$(cat "$OUT/modules/$name.stamp" 2>/dev/null)" = "$STAMP" ] \
     && [ -z "$(find "$dir" -name '*.swift' -newer "$obj")" ] && [ "$REBUILT" = 0 ]; then
    return
  fi
  echo "fuzz.sh: compiling $name" >&2
  swiftc "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" \
    -c "${sources[@]}" -o "$obj"
  echo "$STAMP" > "$OUT/modules/$name.stamp"
  REBUILT=1
}
REBUILT=0
for m in "${MODULES[@]}"; do build_module $m; done
BIN=$OUT/attune-fuzz
if [ "$REBUILT" = 1 ] || [ ! -x "$BIN" ] || [ Sources/AttuneFuzz/AttuneFuzz.swift -nt "$BIN" ]; then
  echo "fuzz.sh: linking $BIN" >&2
  swiftc "${FLAGS[@]}" -module-name AttuneFuzz Sources/AttuneFuzz/AttuneFuzz.swift \
    "$OUT"/modules/*.o -ljson-c -o "$BIN" 2> >(grep -v "Cannot export local symbol" >&2)
fi
[ "$MODE" = build ] && exit 0

# Swift's own crash reporter would race libFuzzer's; let libFuzzer print and save the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
if [ "$MODE" = replay ]; then
  exec "$BIN" "$REPLAY"
fi
# -max_len: the corpus lines are short; 4 KiB leaves room for many lines per input.
# -rss_limit_mb: the engine must stay small on any input.
set +e
"$BIN" "$OUT/corpus" "$ROOT/Tests/fuzz-corpus/seeds" \
  -max_total_time="$TIME" -max_len=4096 -rss_limit_mb=1024 -timeout=10 \
  -dict="$ROOT/Tests/fuzz-corpus/attune.dict" \
  -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 > "$OUT/fuzz.log" 2>&1
status=$?
set -e
# The progress lines are many; show the start, the end and anything that went wrong.
grep -v "^#[0-9]*.*\(NEW\|REDUCE\|pulse\)" "$OUT/fuzz.log" | tail -40 >&2
if [ "$status" != 0 ]; then
  echo "fuzz.sh: the fuzzer found a problem (status $status); inputs in $OUT/artifacts/" >&2
  exit 1
fi
echo "fuzz.sh: no crash in $TIME s" >&2
