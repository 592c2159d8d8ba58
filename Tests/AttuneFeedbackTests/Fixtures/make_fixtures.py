#!/usr/bin/env python3
"""Writes the feedback test streams (run from this folder). Fixed numbers, no
randomness: the streams are part of the tests, so they must not move.

Every stream opens the same way: a voice baseline for the other person, then
they disclose "My boss humiliated me in front of everyone today." in a sad,
angry voice, slumped. What the listener says next, and what follows, differ."""
import json

def voice(t, f0, sd, db, rate, pause, jitter, source="other"):
    return {"t": t, "source": source, "channel": "voice",
            "value": {"f0_mean_hz": f0, "f0_sd_hz": sd, "loudness_db": db, "speech_rate_sps": rate,
                      "pause_ratio": pause, "jitter": jitter}}

def text(t, s, source="other"):
    return {"t": t, "source": source, "channel": "text", "value": {"text": s}}

def posture(t, label, source="other", confidence=0.9):
    return {"t": t, "source": source, "channel": "posture", "value": {"label": label, "confidence": confidence}}

BASE = [(201.5, 24.0, -25.9, 4.40, 0.24, 0.0100), (198.2, 22.7, -26.3, 4.21, 0.25, 0.0095),
        (203.9, 23.5, -25.4, 4.52, 0.23, 0.0104), (199.4, 21.9, -26.0, 4.33, 0.26, 0.0098),
        (202.8, 24.6, -25.6, 4.47, 0.24, 0.0102), (200.1, 23.1, -26.1, 4.29, 0.25, 0.0097)]

def disclosure():
    ev = [voice(float(i), *b) for i, b in enumerate(BASE)]
    ev.append(voice(6.0, 226.0, 34.0, -20.5, 5.1, 0.22, 0.0150))    # louder, higher, shakier: upset
    ev.append(posture(6.2, "slumped"))
    ev.append(posture(6.3, "frowning"))
    ev.append(text(6.5, "My boss humiliated me in front of everyone today. I'm so angry and hurt."))
    return ev

def write(name, events):
    with open(name + ".jsonl", "w") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")

write("humiliated-dismissing", disclosure() + [text(8.0, "That sucks! Just forget it.", "self")])
write("humiliated-reflection", disclosure() + [text(8.0, "That's not right! It must be very difficult to deal with him.", "self")])

# A missed response, the other pulls back (turns away, a clipped answer): a rupture.
# Then the listener reflects and comforts; the other turns back and softens: a repair.
write("rupture-repair", disclosure() + [
    text(8.0, "That sucks! Just forget it.", "self"),
    posture(9.5, "turned_away"),
    text(10.0, "Fine."),
    text(12.0, "I'm sorry, that sounds really humiliating. I'm here for you.", "self"),
    posture(13.5, "facing"),
    posture(13.6, "lean_forward"),
    text(14.0, "Thanks. It really was awful, but talking helps."),
])

# A missed response, and the other pulls back, but nothing repairs it.
write("rupture-unrepaired", disclosure() + [
    text(8.0, "That happened to me too, my boss did the same thing last year.", "self"),
    posture(9.5, "turned_away"),
    posture(10.0, "arms_crossed"),
    text(10.5, "Okay."),
])

# Serve and return: a question, answered. What should come next?
write("question-answered", disclosure() + [
    text(8.0, "What happened?", "self"),
    text(10.0, "He called my report a joke in the meeting and everyone laughed at me."),
])
# The same other-state, but the listener said nothing before the other's second sentence.
write("no-question", disclosure() + [
    text(10.0, "He called my report a joke in the meeting and everyone laughed at me."),
])
