#!/usr/bin/env python3
"""Writes the example cue streams in this folder (deterministic: a seeded RNG).

two-rooms.jsonl: two interleaved sessions. In room-1 a partner comes home
upset, asks for space, and later comes back to talk; in room-2 a friend shares
bad news, cries, and the listener responds (self cues, including the
listener's own voice). Run: python3 Examples/streams/make_examples.py
"""
import json, os, random

rng = random.Random(7)
here = os.path.dirname(os.path.abspath(__file__))

def voice(t, session, source="other", f0=200.0, loud=-26.0, rate=4.4, pause=0.25, jitter=0.010, sd=22.0):
    return {"t": round(t, 2), "session": session, "source": source, "channel": "voice",
            "value": {"f0_mean_hz": round(f0 + rng.gauss(0, 3), 1), "f0_sd_hz": round(sd + rng.gauss(0, 1.5), 1),
                      "loudness_db": round(loud + rng.gauss(0, 0.7), 1), "speech_rate_sps": round(rate + rng.gauss(0, 0.15), 2),
                      "pause_ratio": round(pause + rng.gauss(0, 0.02), 2), "jitter": round(jitter + rng.gauss(0, 0.001), 4)}}

def text(t, session, s, source="other"):
    return {"t": t, "session": session, "source": source, "channel": "text", "value": {"text": s}}

def posture(t, session, label, source="other", confidence=0.9, end=None):
    v = {"label": label, "confidence": confidence}
    if end is not None:
        v["end"] = end
    return {"t": t, "session": session, "source": source, "channel": "posture", "value": v}

room1, room2 = [], []
# room-1: a baseline of ordinary talk, then an upset arrival and a request for space.
for i in range(6):
    room1.append(voice(i * 1.0, "room-1"))
room1 += [
    text(2.5, "room-1", "Hey, how was your day?", source="self"),
    voice(6.2, "room-1", f0=236, loud=-19, rate=5.6, sd=33),
    text(6.6, "room-1", "Honestly? Terrible. My manager yelled at me in front of everyone."),
    posture(7.0, "room-1", "arms_crossed", end=15.0),
    text(8.0, "room-1", "That sounds really humiliating.", source="self"),
    posture(9.5, "room-1", "turned_away"),
    text(10.0, "room-1", "I don't want to talk about it right now. Please just leave me alone for a bit."),
    {"t": 40.0, "session": "room-1", "control": "tick"},
    posture(75.0, "room-1", "facing"),
    text(76.0, "room-1", "Okay. Can we talk now? I think I need to get this off my chest."),
    posture(76.5, "room-1", "lean_forward"),
]
# room-2: calm baseline, then sad news with crying; the listener's voice stays calm.
for i in range(6):
    room2.append(voice(0.5 + i * 1.0, "room-2", f0=190, loud=-27))
    room2.append(voice(0.7 + i * 1.0, "room-2", source="self", f0=120, loud=-26))
room2 += [
    posture(6.4, "room-2", "head_down"),
    voice(6.8, "room-2", f0=176, loud=-33, rate=3.2, pause=0.5, sd=12, jitter=0.025),
    text(7.2, "room-2", "My grandmother passed away last night. I keep thinking I should have visited more."),
    posture(8.0, "room-2", "crying", end=20.0),
    text(12.0, "room-2", "I'm so sorry. I'm here with you.", source="self"),
    posture(12.5, "room-2", "lean_forward", source="self"),
    text(14.0, "room-2", "Can you just stay with me for a while?"),
    {"t": 30.0, "session": "room-2", "control": "end"},
]
events = sorted(room1 + room2, key=lambda e: e["t"])  # stable: ties keep room order
with open(os.path.join(here, "two-rooms.jsonl"), "w") as f:
    for e in events:
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
print(f"wrote {len(events)} events to two-rooms.jsonl")
