#!/bin/sh
# Renders `attune report` output in headless Chromium to a PNG, to look at the
# report as a browser draws it. Installs chromium (Debian package) if missing
# and allowed; otherwise skips with exit 0 and a clear message.
#
#   Tests/scripts/render_report.sh [STREAM] [OUT.png]
#   ATTUNE=path/to/attune  (default: .build/debug/attune, built if absent)
#   NO_INSTALL=1           skip instead of installing chromium
set -eu
cd "$(dirname "$0")/../.."
stream=${1:-Tests/AttuneOutputTests/Fixtures/example.jsonl}
png=${2:-/tmp/attune-report.png}
attune=${ATTUNE:-.build/debug/attune}

if ! command -v chromium >/dev/null 2>&1; then
    if [ "${NO_INSTALL:-}" = 1 ] || ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
        echo "render_report: SKIPPED: chromium is not installed (Debian: apt-get install -y chromium)"
        exit 0
    fi
    echo "render_report: installing chromium..."
    apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; } || {
        echo "render_report: SKIPPED: could not install chromium"
        exit 0
    }
fi
[ -x "$attune" ] || swift build --product attune >/dev/null

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$attune" report "$stream" -o "$dir/report.html"
# The report must be self-contained: no scripts, no external references.
if grep -Eq '<script|<link|src="http|url\(http' "$dir/report.html"; then
    echo "render_report: FAIL: the report references something outside itself"
    exit 1
fi
rm -f "$png"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$png" \
    --window-size=1200,${HEIGHT:-900} "file://$dir/report.html" >/dev/null 2>&1
size=$(wc -c < "$png" 2>/dev/null || echo 0)
if [ "$size" -lt 10000 ]; then
    echo "render_report: FAIL: no screenshot or an empty one ($size bytes)"
    exit 1
fi
echo "render_report: ok: $png ($size bytes)"
