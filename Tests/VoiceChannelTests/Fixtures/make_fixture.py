#!/usr/bin/env python3
"""Makes the openSMILE voice fixture for VoiceChannelTests.

Speaks sentences with espeak-ng in three styles (calm, agitated, flat), extracts
eGeMAPSv02 Functionals (88 features) with openSMILE, and writes them as:

  espeak-egemaps.jsonl  wire protocol v1 lines, channel "voice", value = all 88
                        eGeMAPS features under their openSMILE names
  espeak-egemaps.tsv    the same numbers for the Swift test, which must not need
                        a JSON decoder: one utterance per line,
                        label TAB t TAB name=value TAB name=value ...

The session starts with calm speech so the plugin can build a baseline, then
interleaves calm, agitated and flat test utterances (agitated ones in between
calm ones, so a baseline that absorbed an outburst would show up in the test).

Needs: espeak-ng (Debian package), `pip install opensmile` (bundles SMILExtract).
Run from anywhere:  python3 Tests/VoiceChannelTests/Fixtures/make_fixture.py
Deterministic: espeak-ng and openSMILE give the same numbers for the same input.
"""
import math
import os
import subprocess
import tempfile

import opensmile

HERE = os.path.dirname(os.path.abspath(__file__))

SENTENCES = [
    "I went to the market this morning and bought some bread.",
    "The weather has been quite mild for this time of year.",
    "We talked about the garden and what to plant next spring.",
    "My sister called yesterday to ask about the weekend plans.",
    "The train was on time, so I got to work a little early.",
    "I read a few chapters of the book before going to sleep.",
    "There is a new cafe near the station that opened last week.",
    "We should probably fix the kitchen window before winter.",
    "I think the meeting went fine, nobody had many questions.",
    "The children played in the park until it started to rain.",
    "I need to call the bank about the letter they sent me.",
    "Dinner will be ready in about twenty minutes or so.",
    "You never listen to me and I am completely sick of it.",
    "Why do you always do this, every single time, why.",
    "I told you three times already and you just ignored me.",
    "I do not really know, it has just been a long week.",
    "Nothing much happened, I mostly stayed at home alone.",
]

# espeak-ng: -s words per minute, -p pitch 0-99, -a amplitude 0-200, -g word gap (10 ms units).
# Small deterministic variations within a style give the baseline a realistic spread.
CALM = [(130, 35, 60, 0), (125, 33, 58, 1), (135, 37, 62, 0), (128, 36, 61, 1),
        (132, 34, 59, 0), (127, 38, 63, 1), (134, 35, 57, 0), (131, 33, 60, 1)]
AGITATED = [(220, 75, 190, 0), (230, 80, 180, 0), (210, 70, 200, 0)]
FLAT = [(100, 25, 30, 12), (95, 22, 28, 15)]

# (label, style params, sentence index): 8 calm baseline utterances, then the test utterances.
PLAN = [("calm_baseline", CALM[i], i) for i in range(8)] + [
    ("calm", (129, 36, 60, 0), 8),
    ("agitated", AGITATED[0], 12),
    ("calm", (133, 34, 61, 1), 9),
    ("agitated", AGITATED[1], 13),
    ("agitated", AGITATED[2], 14),
    ("calm", (126, 35, 59, 0), 10),
    ("flat", FLAT[0], 15),
    ("calm", (130, 37, 62, 1), 11),
    ("flat", FLAT[1], 16),
]


def main():
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    names = list(smile.feature_names)
    jsonl, tsv = [], []
    t = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, (rate, pitch, amp, gap), s) in enumerate(PLAN):
            wav = os.path.join(tmp, f"u{i}.wav")
            subprocess.run(["espeak-ng", "-v", "en", "-s", str(rate), "-p", str(pitch), "-a", str(amp),
                            "-g", str(gap), "-w", wav, SENTENCES[s]], check=True)
            row = smile.process_file(wav)
            feats = [(n, float(row[n].iloc[0])) for n in names]
            feats = [(n, v) for n, v in feats if math.isfinite(v)]
            value = ",".join(f'"{n}":{v!r}' for n, v in feats)
            jsonl.append(f'{{"t":{t!r},"session":"espeak","source":"other","channel":"voice","value":{{{value}}}}}')
            tsv.append("\t".join([label, repr(t)] + [f"{n}={v!r}" for n, v in feats]))
            t = round(t + 4.0, 1)
    with open(os.path.join(HERE, "espeak-egemaps.jsonl"), "w") as f:
        f.write("\n".join(jsonl) + "\n")
    with open(os.path.join(HERE, "espeak-egemaps.tsv"), "w") as f:
        f.write("# label\tt\tname=value... (made by make_fixture.py; eGeMAPSv02 Functionals of espeak-ng speech)\n")
        f.write("\n".join(tsv) + "\n")


if __name__ == "__main__":
    main()
