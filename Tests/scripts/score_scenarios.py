#!/usr/bin/env python3
# A copy of ../shared/tools/score_scenarios.py, so the own scenarios can be scored where shared/ is absent.
"""Score the project's recommended mode on scenarios.

usage: score_scenarios.py SCENARIOS [--bin PATH] [--min FRACTION] [--verbose]
SCENARIOS is a scenarios.json (list of {name, expect, events}) or a folder
holding NAME.jsonl streams and expected.json. The project is run as
`attune run --emit every` on each stream; the last output line of each
session is its final recommendation."""
import json, os, subprocess, sys, tempfile, argparse

ap = argparse.ArgumentParser()
ap.add_argument("scenarios")
ap.add_argument("--bin", default=os.environ.get("ATTUNE", ".build/release/attune"))
ap.add_argument("--min", type=float, default=0.0)
ap.add_argument("--verbose", action="store_true")
a = ap.parse_args()

if os.path.isdir(a.scenarios):
    exp = json.load(open(os.path.join(a.scenarios, "expected.json")))
    items = [(n, e, os.path.join(a.scenarios, n + ".jsonl")) for n, e in sorted(exp.items())]
else:
    items = []
    tmp = tempfile.mkdtemp()
    for r in json.load(open(a.scenarios)):
        p = os.path.join(tmp, r["name"] + ".jsonl")
        with open(p, "w") as f:
            for e in r["events"]:
                f.write(json.dumps(e, separators=(",", ":")) + "\n")
        items.append((r["name"], r["expect"], p))

if not os.path.exists(a.bin):
    print(f"no binary at {a.bin}: build with swift build -c release")
    sys.exit(1)

ok = total = sc_ok = 0
for name, expect, path in items:
    with open(path) as f:
        p = subprocess.run([a.bin, "run", "--emit", "every"], stdin=f, capture_output=True, text=True, timeout=60)
    last = {}
    for line in p.stdout.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if isinstance(o, dict) and "mode" in o:
            last[o.get("session", "default")] = o
    all_good = True
    for sess, modes in expect.items():
        total += 1
        got = last.get(sess, {}).get("mode")
        good = got in modes
        ok += good
        all_good &= good
        if a.verbose or not good:
            why = last.get(sess, {}).get("because", "")
            print(f"{'ok ' if good else 'BAD'} {name}[{sess}]: got {got}, want {'/'.join(modes)}"
                  + ("" if good else f"  rc={p.returncode} because={json.dumps(why)[:160]} {p.stderr.strip()[:160]}"))
    sc_ok += all_good
frac = ok / total if total else 0.0
print(f"scenarios fully right: {sc_ok}/{len(items)}; session checks: {ok}/{total} = {frac:.2f} (need {a.min:.2f})")
sys.exit(0 if frac >= a.min and total else 1)
