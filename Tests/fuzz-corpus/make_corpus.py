#!/usr/bin/env python3
"""Writes the committed libFuzzer seed corpus (Tests/fuzz-corpus/seeds/).

One seed = one fuzz input: byte 0 picks the run options (see Sources/AttuneFuzz),
the rest is newline-separated input lines. Seeds are taken from the example
streams, the shared scenarios and a list of hostile lines. Deterministic output:
re-running gives the same files.

    python3 Tests/fuzz-corpus/make_corpus.py
"""
import glob, hashlib, os

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
out = os.path.join(here, "seeds")
os.makedirs(out, exist_ok=True)
for f in glob.glob(os.path.join(out, "*")):
    os.remove(f)

def seed(option, lines):
    data = bytes([option]) + b"\n".join(lines)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

streams = sorted(glob.glob(os.path.join(root, "Examples/streams/*.jsonl")) +
                 glob.glob(os.path.join(root, "../shared/scenarios/*.jsonl")))
k = 0
for path in streams:
    lines = open(path, "rb").read().split(b"\n")
    lines = [l for l in lines if l]
    for i in range(0, len(lines), 12):   # small inputs mutate faster
        seed(k % 6 | (0x80 if k % 4 == 0 else 0), lines[i:i + 12])
        k += 1

hostile = [
    b'',
    b'   \t ',
    b'{"t":1e400,"channel":"text","value":{"text":"hi"}}',
    b'{"t":NaN,"channel":"text","value":{"text":"hi"}}',
    b'{"t":Infinity,"channel":"text","value":{"text":"hi"}}',
    b'{"t":-Infinity,"channel":"text","value":{"text":"hi"}}',
    b'{"t":-1,"channel":"text","value":{"text":"hi"}}',
    b'{"t":1,"t":2,"channel":"text","value":{"text":"dup"}}',
    b'{"t":1,"channel":"text","channel":"voice","value":{"text":"dup"}}',
    b'{"t":"1","channel":"text","value":{"text":"hi"}}',
    b'{"t":1,"session":5,"channel":"text","value":{"text":"hi"}}',
    b'{"t":1,"channel":7,"value":{"text":"hi"}}',
    b'{"t":1,"channel":"text","value":{"text":42}}',
    b'{"t":1,"channel":"voice","value":{"loudness_db":"loud"}}',
    b'{"t":1,"channel":"voice","value":{"f0_mean_hz":1e308,"loudness_db":-1e308,"speech_rate_sps":0,"pause_ratio":-5,"jitter":1e-320}}',
    b'{"t":1,"channel":"posture","value":{"label":"crying","confidence":2}}',
    b'{"t":1,"channel":"affect","value":{"valence":1e300,"arousal":-1e300,"confidence":0.5}}',
    b'{"t":1,"channel":"text","value":{"text":"bad \xff\xfe utf8"}}',
    b'{"t":1,"channel":"text","value":{"text":"nul \\u0000 escaped"}}',
    b'{"t":1,"channel":"text","value":{"text":"raw nul \x00 here"}}',
    b'{"t":1,"channel":"text","value":{"text":"\\ud800 lone surrogate"}}',
    b'{"t":1,"channel":"text","value":{"text":"' + "\U0001F62D\U0001F621 :( :) >:(".encode() + b'"}}',
    b'[' * 40 + b']' * 40,
    b'{"a":' * 20 + b'1' + b'}' * 20,
    b'{"t":1,"channel":"text","value":{"text":"x"}}\r',
    b'\xef\xbb\xbf{"t":1,"channel":"text","value":{"text":"bom"}}',
    b'{"t":1,"channel":"text","value":{"text":"trailing"}} x',
    b'{"t":1,"channel":"text","value":{"text":"unterminated',
    b'null', b'[]', b'"str"', b'12', b'true',
    b'{"t":100000,"session":"s","control":"tick"}',
    b'{"t":3,"session":"s","control":"end"}',
    b'{"t":3,"session":"s","control":"stop"}',
    b'{"t":3,"session":"","control":"end"}',
    b'{"t":1,"session":"' + b'x' * 300 + b'","channel":"text","value":{"text":"long session"}}',
    b'{"t":1,"source":"listener","channel":"text","value":{"text":"hi"}}',
    b'{"t":1,"source":"self","channel":"text","value":{"text":"I hear you"}}',
    b'{"t":1,"channel":"smell","value":{}}',
    b'{"t":1.7976931348623157e308,"channel":"text","value":{"text":"max"}}',
    b'{"t":5e-324,"channel":"text","value":{"text":"min"}}',
    b'{"t":9007199254740993,"channel":"text","value":{"text":"big int"}}',
    b'{"t":123456789012345678901234567890,"channel":"text","value":{"text":"huge int"}}',
    bytes(range(256)),
]
# Each hostile line alone, then all of them in one stream between good lines.
good = b'{"t":2,"channel":"text","value":{"text":"I feel so alone and sad"}}'
for i, h in enumerate(hostile):
    seed(i % 6, [good, h, b'{"t":0.5,"channel":"posture","value":{"label":"crying","confidence":0.9}}'])
seed(0, hostile)
seed(0x80 | 4, [b'{"t":%d,"session":"s%d","channel":"affect","value":{"valence":-0.5,"arousal":0.4}}' % (t, t % 7) for t in range(40, 0, -3)])
print(len(os.listdir(out)), "seeds in", out)
