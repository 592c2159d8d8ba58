#!/usr/bin/env python3
"""Attune from any language, as a process: stream cues in live, read recommendations as they come.

    swift build --product attune
    python3 Examples/python/live_client.py [path/to/attune]

`attune run` flushes its output whenever it is about to wait for input and
stdout is a pipe, so each recommendation arrives as soon as its cue is applied.
With `--max-lateness 0` a cue is applied at once (no reorder buffer), and with
`--emit every` each cue gets one line back, so this client can write a cue and
wait for its answer. Standard library only. Exits non-zero if a recommendation
does not arrive in time (it doubles as a test).
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time


def start_attune(binary):
    return subprocess.Popen(
        [binary, "run", "--emit", "every", "--max-lateness", "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, bufsize=1)                                 # line-buffered writes from our side


def reader(stream, lines):
    """Forwards each output line to a queue, so the main loop can wait with a timeout."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "ATTUNE", os.path.join(here, "..", "..", ".build", "debug", "attune"))
    attune = start_attune(binary)
    lines = queue.Queue()
    threading.Thread(target=reader, args=(attune.stdout, lines), daemon=True).start()

    # A short live exchange: the other person's face model and posture annotator, a few hundred ms apart.
    cues = [
        {"t": 0.0, "channel": "affect", "value": {"valence": 0.3, "arousal": 0.1}},
        {"t": 0.4, "channel": "posture", "value": {"label": "facing", "confidence": 0.9}},
        {"t": 0.8, "channel": "affect", "value": {"valence": -0.5, "arousal": 0.7}},
        {"t": 1.2, "channel": "posture", "value": {"label": "turned_away", "confidence": 0.9}},
        {"t": 1.6, "channel": "affect", "value": {"valence": -0.8, "arousal": 0.9}},
    ]
    started = time.monotonic()
    for cue in cues:
        time.sleep(0.05)                                       # live: cues trickle in
        attune.stdin.write(json.dumps(cue) + "\n")
        attune.stdin.flush()
        try:
            line = lines.get(timeout=10)
        except queue.Empty:
            attune.kill()
            raise SystemExit(f"no recommendation within 10 s for the cue at t={cue['t']} (is output flushed?)")
        if line is None:
            raise SystemExit(f"attune exited early: {attune.stderr.read()}")
        r = json.loads(line)
        assert r["t"] == cue["t"], (r["t"], cue["t"])
        print(f"{time.monotonic() - started:5.2f}s  t={r['t']:<4} {r['mode']:<8} "
              f"because {'; '.join(b['reason'] for b in r['because'][:2])}")
    attune.stdin.close()                                       # end of input: attune finishes and exits
    rest = [l for l in iter(lines.get, None)]
    summary = attune.stderr.read()
    code = attune.wait(timeout=10)
    print(summary.strip())
    assert code == 0, code
    assert "5 lines read, 5 accepted" in summary, summary
    assert rest == [], rest                                    # every line came back live, none at the end
    print("ok")


if __name__ == "__main__":
    main()
