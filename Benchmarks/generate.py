#!/usr/bin/env python3
"""Writes a realistic wire-protocol v1 cue stream for benchmarks (deterministic: a seeded RNG).

    python3 Benchmarks/generate.py --lines 2000000 > /tmp/mix.jsonl
    python3 Benchmarks/generate.py --mix text --lines 500000 > /tmp/text.jsonl

Mixes:
  realistic  many interleaved sessions, each a conversation: voice prosody every
             ~0.5 s from both people, utterances (text, 6-30 words), posture
             annotations (some intervals with "end"), an occasional tick, and
             "end" when a conversation is over (a new session takes its place).
             About 1 line in 2,000 is bad (malformed JSON, an unknown channel, a
             value out of range) so the reject path is part of the measurement.
             Lines average ~200 bytes. Share by line: voice ~62 %, text ~22 %,
             posture ~15 %, controls ~1 %.
  text       utterances only (6-40 words).
  numeric    voice and posture only (no text analysis).

Timestamps run forward per session with small jitter (a few lines arrive up to
0.3 s out of order, within the default --max-lateness of 0.5 s).
"""
import argparse
import json
import random
import sys

OPENERS = [
    "Honestly", "I don't know", "You know what", "Well", "So", "Okay", "Yeah", "Look", "I mean", "Sorry",
]
FEELINGS = [
    "I feel really sad about it", "I'm so angry right now", "it was actually a great day",
    "I'm worried it's something serious", "I just feel empty", "I'm fine, really", "that made me so happy",
    "I'm exhausted and overwhelmed", "nobody listens to me", "I'm kind of nervous about tomorrow",
    "it's whatever, I don't care", "I'm proud of how it went", "I miss having friends around",
    "my manager yelled at me in front of everyone", "I can't stop thinking about it",
    "please just leave me alone for a bit", "can we talk about it later", "I need to get this off my chest",
    "the traffic was terrible and I'm furious", "I'm not really sure how I feel about it",
]
FILLERS = [
    "and then", "because", "but", "after work", "at the office", "with my sister", "this morning",
    "last night", "on the phone", "for a while", "again", "to be honest", "like always", "somehow",
]
WORDS = (
    "the a and to it was I my me that of in is for on with he she they we you this just so but not "
    "really very about what when then there time day work home people friend family week thing talk "
    "feel think know want need said told going back still never always maybe little lot more good bad"
).split()
POSTURES = [
    "arms_crossed", "arms_open", "crying", "facing", "fidgeting", "gaze_averted", "gaze_contact", "head_down",
    "head_shake", "laughing", "lean_back", "lean_forward", "nodding", "restless", "slumped", "smiling",
    "still", "tense", "turned_away", "upright",
]


def utterance(rng, min_words, max_words):
    """A sentence of min_words..max_words words built from emotional phrases and filler."""
    target = rng.randint(min_words, max_words)
    parts = []
    if rng.random() < 0.5:
        parts.append(rng.choice(OPENERS) + ",")
    while True:
        parts.append(rng.choice(FEELINGS))
        if sum(len(p.split()) for p in parts) >= target:
            break
        parts.append(rng.choice(FILLERS))
        while sum(len(p.split()) for p in parts) < target - 6 and rng.random() < 0.6:
            parts.append(rng.choice(WORDS))
    words = " ".join(parts).split()[:target]
    s = " ".join(words)
    return s[0].upper() + s[1:] + rng.choice([".", ".", "?", "!", "..."])


class Conversation:
    def __init__(self, rng, serial, t0):
        self.rng = rng
        self.name = "conv-%06d-%s" % (serial, rng.choice(["kitchen", "call", "clinic", "car", "chat"]))
        self.t = t0
        self.left = rng.randint(150, 900)  # lines before it ends
        # Each person's voice baseline.
        self.f0 = {"other": rng.uniform(110, 230), "self": rng.uniform(100, 220)}

    def voice(self, source):
        r = self.rng
        arousal = r.gauss(0, 1)
        return {"f0_mean_hz": round(self.f0[source] * (1 + 0.08 * arousal), 1),
                "f0_sd_hz": round(max(2, 20 + 5 * arousal + r.gauss(0, 1.5)), 1),
                "loudness_db": round(-26 + 3 * arousal + r.gauss(0, 0.7), 1),
                "speech_rate_sps": round(max(0.5, 4.4 + 0.6 * arousal + r.gauss(0, 0.15)), 2),
                "pause_ratio": round(min(0.95, max(0.0, 0.25 - 0.05 * arousal + r.gauss(0, 0.02))), 2),
                "jitter": round(max(0.001, 0.010 + r.gauss(0, 0.001)), 4)}

    def next_line(self, mix):
        r = self.rng
        self.t += r.uniform(0.1, 0.6)
        t = self.t
        if r.random() < 0.05:
            t = max(0.0, t - r.uniform(0.0, 0.3))  # arrives a little out of order
        self.left -= 1
        head = {"t": round(t, 3), "session": self.name}
        if self.left <= 0:
            return dict(head, control="end"), True
        source = "other" if r.random() < 0.65 else "self"
        roll = r.random()
        if mix == "text":
            kind = "text"
        elif mix == "numeric":
            kind = "voice" if roll < 0.8 else "posture"
        else:
            kind = "voice" if roll < 0.62 else "text" if roll < 0.84 else "posture" if roll < 0.992 else "tick"
        if kind == "tick":
            return dict(head, control="tick"), False
        line = dict(head, source=source, channel=kind)
        if kind == "voice":
            line["value"] = self.voice(source)
        elif kind == "text":
            line["value"] = {"text": utterance(r, 6, 40 if mix == "text" else 30)}
        else:
            v = {"label": r.choice(POSTURES), "confidence": round(r.uniform(0.5, 1.0), 2)}
            if r.random() < 0.3:
                v["end"] = round(t + r.uniform(1, 10), 2)
            line["value"] = v
        return line, False


def bad_line(rng, t):
    return rng.choice([
        '{"t":%.2f,"session":"broken","channel":"voice","value":{"f0_mean_hz":' % t,
        '{"t":%.2f,"session":"broken","channel":"smell","value":{"x":1}}' % t,
        '{"t":%.2f,"session":"broken","channel":"posture","value":{"label":"crying","confidence":7}}' % t,
        '{"t":-1,"session":"broken","channel":"text","value":{"text":"negative time"}}',
        '',
    ])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lines", type=int, default=2_000_000)
    p.add_argument("--mix", choices=["realistic", "text", "numeric"], default="realistic")
    p.add_argument("--sessions", type=int, default=200, help="conversations running at once")
    p.add_argument("--bad-every", type=int, default=2000, help="one bad line in N (0: none)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    serial = 0
    live = []
    for _ in range(a.sessions):
        serial += 1
        live.append(Conversation(random.Random(rng.random()), serial, rng.uniform(0, 5)))
    out = sys.stdout
    buf = []
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    for n in range(a.lines):
        if a.bad_every and n % a.bad_every == a.bad_every - 1:
            buf.append(bad_line(rng, n * 0.001))
        else:
            i = rng.randrange(len(live))
            line, ended = live[i].next_line(a.mix)
            buf.append(dumps(line))
            if ended:
                serial += 1
                live[i] = Conversation(random.Random(rng.random()), serial, 0.0)
        if len(buf) >= 10000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
