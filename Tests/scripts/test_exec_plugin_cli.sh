#!/usr/bin/env bash
# `attune run --plugin` end to end with the Python example plugin and with broken plugins,
# plus the live subprocess client. A few seconds. Standard library Python only.
# Usage: Tests/scripts/test_exec_plugin_cli.sh [scratch-path]   (default .build; attune is built if missing)
set -uo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-.build}"
[ -x "$scratch/debug/attune" ] || swift build --scratch-path "$scratch" --product attune || exit 1
attune="$scratch/debug/attune"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name, condition text
    if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; echo "---- stderr:"; cat "$tmp/err"; fail=1; fi
}
hs='echo "{\"protocol\":1,\"name\":\"t\",\"channels\":[\"physio\"]}"'

"$attune" run --emit every --plugin-timeout 10 --plugin physio="python3 Examples/python/physio_plugin.py" \
    Examples/physio-plugin/sample.jsonl >"$tmp/out" 2>"$tmp/err"; code=$?
check "python plugin: exit 0" '[ $code = 0 ]'
check "python plugin: one line per cue" '[ "$(wc -l <"$tmp/out")" = 23 ]'
check "python plugin: its tag reaches the output" 'grep -q physio_arousal_up "$tmp/out"'
check "python plugin: counted in the summary" 'grep -q "attune: plugin physio: 20 replies, 0 failures" "$tmp/err"'
"$attune" run --emit every --plugin-timeout 10 --plugin physio="python3 Examples/python/physio_plugin.py" \
    Examples/physio-plugin/sample.jsonl >"$tmp/out2" 2>/dev/null
check "python plugin: deterministic" 'cmp -s "$tmp/out" "$tmp/out2"'

start=$(date +%s)
# An odd duration: the check below looks for this process by its command line, and a
# plain "sleep 60" elsewhere on the machine made it fail.
"$attune" run --emit every --plugin-timeout 0.5 --plugin physio="$hs; exec sleep 61.25" \
    Examples/physio-plugin/sample.jsonl >"$tmp/out" 2>"$tmp/err"; code=$?
check "hang: exit 0, bounded time" '[ $code = 0 ] && [ $(( $(date +%s) - start )) -lt 10 ]'
check "hang: clear message" 'grep -q "attune: plugin physio (.*): no reply within 0.5 s (cue at line 1); channel physio disabled" "$tmp/err"'
check "hang: later cues rejected and counted" 'grep -q "cues rejected (channel disabled)" "$tmp/err" && grep -q "23 lines read" "$tmp/err"'
check "hang: affect cues still answered" '[ "$(grep -c "\"event\":\"affect\"" "$tmp/out")" = 3 ]'
check "hang: the plugin was killed" '! pgrep -fx "sleep 61.25" >/dev/null'

"$attune" run --strict --plugin physio="$hs; read l; echo garbage" \
    Examples/physio-plugin/sample.jsonl >"$tmp/out" 2>"$tmp/err"; code=$?
check "garbage under --strict: exit 69" '[ $code = 69 ]'
check "garbage: clear message" 'grep -q "bad reply: reply is not JSON: garbage" "$tmp/err"'

"$attune" run --plugin physio="exit 7" Examples/physio-plugin/sample.jsonl >"$tmp/out" 2>"$tmp/err"; code=$?
check "crash before handshake: run goes on" '[ $code = 0 ] && grep -q "exited with status 7 before its handshake" "$tmp/err"'

"$attune" run --plugin "physio" </dev/null >/dev/null 2>"$tmp/err"; code=$?
check "bad --plugin spec: usage error" '[ $code = 64 ] && grep -q "expected NAME=COMMAND" "$tmp/err"'

timeout 60 python3 Examples/python/live_client.py "$attune" >"$tmp/out" 2>"$tmp/err"; code=$?
check "live subprocess client" '[ $code = 0 ] && grep -q "^ok$" "$tmp/out"'
exit $fail
