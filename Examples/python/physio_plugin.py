#!/usr/bin/env python3
"""An Attune exec plugin in plain Python (standard library only): the `physio` channel.

    attune run --plugin physio="python3 Examples/python/physio_plugin.py" Examples/physio-plugin/sample.jsonl

Protocol (Protocols/exec-plugin.md), in four lines:
  1. write a handshake line first: {"protocol": 1, "name": ..., "channels": ["physio"]}
  2. read one cue per line from stdin: {"t", "session", "source", "channel", "line", "value"}
  3. write exactly one evidence line per cue, and flush: {"arousal": {"value", "sd"}, "tags": [...]}
  4. exit when stdin closes. Diagnostics go to stderr, never stdout.

The value: {"hr_bpm": 72, "eda_us": 4.1} (heart rate in beats per minute, skin
conductance in microsiemens; either may be missing). Each is scored against the
person's own running baseline (per session and source), like the Swift example
in Examples/physio-plugin, so a resting 90 bpm is nobody's alarm.
"""
import json
import sys

SPREAD_FLOOR = {"hr_bpm": 2.0, "eda_us": 0.2}   # measurement noise, in the feature's units
ADAPTATION = 0.05                                 # remembers about the last 20 samples
WARMUP = 5                                        # samples before a baseline is trusted at all


class Baseline:
    """Exponentially weighted mean and mean absolute deviation, with a spread floor."""

    def __init__(self, floor):
        self.n, self.mean, self.absdev, self.floor = 0, 0.0, 0.0, floor

    def update(self, x):
        z = 0.0 if self.n == 0 else (x - self.mean) / max(self.absdev * 1.2533, self.floor)
        self.n += 1
        w = max(1.0 / self.n, ADAPTATION)
        clipped = x if self.n <= 3 else self.mean + max(-2.5, min(2.5, z)) * max(self.absdev * 1.2533, self.floor)
        self.absdev += w * (abs(clipped - self.mean) - self.absdev)
        self.mean += w * (clipped - self.mean)
        return z


def evidence(cue, states):
    value = cue["value"]
    if not isinstance(value, dict):
        return {"warnings": ["physio: value must be an object"]}
    key = (cue["session"], cue["source"])
    state = states.setdefault(key, {k: Baseline(f) for k, f in SPREAD_FLOOR.items()})
    zs, warmed = [], True
    for feature in ("hr_bpm", "eda_us"):
        x = value.get(feature)
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            baseline = state[feature]
            warmed = warmed and baseline.n >= WARMUP
            zs.append(baseline.update(float(x)))
    if not zs:
        return {"warnings": ["physio: neither hr_bpm nor eda_us in the value"]}
    if not warmed:
        return {}                                   # still learning this person's baseline
    z = sum(zs) / len(zs)
    reply = {"arousal": {"value": round(max(-1.0, min(1.0, z / 3)), 4), "sd": 0.35}, "confidence": 0.8}
    if z >= 2:
        reply["tags"] = [{"tag": "physio_arousal_up", "strength": round(min(1.0, z / 4), 4),
                          "reason": f"heart rate / skin conductance {z:.1f} spreads above their baseline"}]
    return reply


def main():
    out = sys.stdout
    out.write(json.dumps({"protocol": 1, "name": "physio_plugin.py", "channels": ["physio"]}) + "\n")
    out.flush()
    states = {}
    for line in sys.stdin:
        try:
            reply = evidence(json.loads(line), states)
        except Exception as e:                     # one bad cue must not cost the whole channel
            reply = {"warnings": [f"physio: {type(e).__name__}: {e}"]}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
