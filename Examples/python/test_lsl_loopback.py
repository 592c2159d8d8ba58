#!/usr/bin/env python3
"""End-to-end test of lsl_bridge.py on loopback, in bounded time (about 10 s; hard limit 60 s).

An outlet plays a short cue stream, the bridge (a subprocess running `attune run`)
turns it into recommendations, and an inlet here reads them back and checks the
count, the content and the timestamp mapping (LSL timestamp == t0 + t).

    python3 Examples/python/test_lsl_loopback.py path/to/attune
"""
import json
import os
import subprocess
import sys
import time

import pylsl

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "debug", "attune")
    suffix = f"{os.getpid()}"
    cue_name, rec_name = f"AttuneCuesTest{suffix}", f"AttuneRecsTest{suffix}"
    deadline = time.monotonic() + 60

    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(cue_name, "AttuneCue", 1, pylsl.IRREGULAR_RATE, pylsl.cf_string, cue_name))
    bridge = subprocess.Popen([sys.executable, os.path.join(HERE, "lsl_bridge.py"), "--attune", binary,
                               "--input-name", cue_name, "--output-name", rec_name,
                               "--max-lateness", "0", "--idle-timeout", "3", "--resolve-timeout", "20"])
    try:
        found = pylsl.resolve_byprop("name", rec_name, timeout=20)
        assert found, "the bridge's output stream did not appear"
        inlet = pylsl.StreamInlet(found[0])
        inlet.open_stream(timeout=10)
        while not outlet.have_consumers():                 # the bridge is connected: samples will not be lost
            assert time.monotonic() < deadline, "the bridge never connected to the cue stream"
            time.sleep(0.05)

        cues = [
            {"session": "lsl", "channel": "affect", "value": {"valence": 0.2, "arousal": 0.0}},
            {"session": "lsl", "channel": "posture", "value": {"label": "arms_crossed", "confidence": 0.9}},
            {"session": "lsl", "channel": "affect", "value": {"valence": -0.7, "arousal": 0.8}},
            {"session": "lsl", "channel": "affect", "value": {"valence": -0.8, "arousal": 0.9}},
        ]
        start = pylsl.local_clock()
        stamps = []
        for i, cue in enumerate(cues):
            stamp = start + 0.25 * i                        # explicit LSL timestamps, 0.25 s apart
            stamps.append(stamp)
            outlet.push_sample([json.dumps(cue)], stamp)
            time.sleep(0.05)

        got = []
        while len(got) < len(cues) and time.monotonic() < deadline:
            sample, timestamp = inlet.pull_sample(timeout=1.0)
            if sample is not None:
                got.append((json.loads(sample[0]), timestamp))
        assert len(got) == len(cues), f"expected {len(cues)} recommendations, got {len(got)}"
        for (r, timestamp), stamp, cue in zip(got, stamps, cues):
            assert r["session"] == "lsl" and r["event"] == cue["channel"], r
            assert abs(r["t"] - (stamp - stamps[0])) < 1e-3, (r["t"], stamp - stamps[0])     # t = timestamp - t0
            assert abs(timestamp - stamp) < 1e-3, (timestamp, stamp)                          # back on the LSL clock
            print(f"t={r['t']:<5} lsl={timestamp:.3f}  {r['mode']}")
        assert got[-1][0]["other"]["valence"] < 0, got[-1][0]["other"]
        code = bridge.wait(timeout=max(1, deadline - time.monotonic()))
        assert code == 0, f"bridge exited with {code}"
        print("ok")
    finally:
        if bridge.poll() is None:
            bridge.kill()
            bridge.wait()


if __name__ == "__main__":
    main()
