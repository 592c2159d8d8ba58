#!/usr/bin/env python3
"""Writes the project's own principle scenarios (one stream per case, plus
expected.json) in this folder: cases that follow from the attunement
principles ("I'm fine" while slumped -> question; frustration at a third
party -> reflect; a flooded listener -> space...). Scored like the shared
calibration scenarios: python3 ../shared/tools/score_scenarios.py Tests/scenarios --bin .build/debug/attune
Deterministic (seeded). Run from anywhere: python3 Tests/scenarios/make_scenarios.py"""
import os
os.chdir(os.path.dirname(os.path.abspath(__file__)))
import json, random
rng = random.Random(3)
def base(session="default", n=6, source="other", f0=200):
    out=[]
    for i in range(n):
        out.append({"t":float(i),"session":session,"source":source,"channel":"voice","value":{"f0_mean_hz":round(f0+rng.gauss(0,4),1),"f0_sd_hz":round(22+rng.gauss(0,2),1),"loudness_db":round(-26+rng.gauss(0,0.8),1),"speech_rate_sps":round(4.4+rng.gauss(0,0.2),2),"pause_ratio":round(0.25+rng.gauss(0,0.02),2),"jitter":round(0.01+rng.gauss(0,0.001),4)}})
    return out
def voice(t, **kw):
    v={"f0_mean_hz":200,"f0_sd_hz":22,"loudness_db":-26,"speech_rate_sps":4.4,"pause_ratio":0.25,"jitter":0.01}; v.update(kw)
    return {"t":t,"channel":"voice","value":v}
def text(t,s,source="other"): return {"t":t,"source":source,"channel":"text","value":{"text":s}}
def post(t,l,source="other"): return {"t":t,"source":source,"channel":"posture","value":{"label":l,"confidence":0.9}}
flat=dict(f0_mean_hz=185,f0_sd_hz=12,loudness_db=-32,speech_rate_sps=3.3,pause_ratio=0.5)
loud=dict(f0_mean_hz=260,f0_sd_hz=40,loudness_db=-15,speech_rate_sps=6.2)
sc = {
 "fine-slumped": (base()+[post(6,"slumped"),voice(6.3,**flat),text(6.8,"I'm fine.")], ["question"]),
 "engaged": (base()+[post(6,"smiling"),voice(6.3,**dict(f0_mean_hz=240,loudness_db=-21,speech_rate_sps=5.3)),text(6.8,"We got engaged last night!! I still can't believe it!")], ["reflect"]),
 "leave-alone-only": (base()+[text(6.5,"Leave me alone.")], ["space"]),
 "hopeless": (base()+[post(6,"head_down"),text(6.8,"I don't see the point anymore. Nothing I do matters.")], ["comfort","question"]),
 "exam-nerves": (base()+[post(6,"fidgeting"),text(6.8,"I'm so nervous about my exam tomorrow, I can't stop shaking.")], ["comfort","reflect"]),
 "blame-listener": (base()+[voice(6.2,**loud),post(6.5,"arms_crossed"),text(6.8,"You never listen to me! I'm done talking to you.")], ["space"]),
 "dont-know": (base()+[post(6,"gaze_averted"),text(6.8,"I don't know... it's complicated.")], ["question"]),
 "whatever-turned": (base()+[post(6,"turned_away"),post(6.2,"moving_away"),text(6.8,"Whatever. I don't want to talk.")], ["space"]),
 "pet-died-lean": (base()+[post(6,"lean_forward"),voice(6.3,**flat),text(6.8,"My dog died this morning. Can you stay with me for a bit?")], ["comfort"]),
 "annoyed-coworker": (base()+[post(6,"facing"),voice(6.3,**dict(f0_mean_hz=225,loudness_db=-21,speech_rate_sps=5.2)),text(6.8,"My coworker took credit for my work again, it's so annoying!")], ["reflect"]),
 "lonely-text-only": (base()+[text(6.8,"I've been feeling really lonely since I moved here.")], ["comfort","reflect"]),
 "happy-but-crying": (base()+[post(6,"crying"),text(6.8,"Everything is great, really, I'm super happy.")], ["question"]),
 "self-flooded-affect": (base()+[text(6,"Did you forget to pay the bill again?"),{"t":6.5,"source":"self","channel":"affect","value":{"valence":-0.8,"arousal":0.9,"confidence":0.9}}], ["space"]),
 "nothing-much": (base()+[text(6.8,"Not much, just got back from the store.")], ["question","reflect"]),
 "ashamed": (base()+[post(6,"head_down"),post(6.2,"gaze_averted"),text(6.8,"I'm so embarrassed, I completely messed up the presentation in front of everyone.")], ["comfort","reflect"]),
 "relieved": (base()+[post(6,"smiling"),text(6.8,"The biopsy came back clear. I'm so relieved.")], ["reflect"]),
 "scared-night": (base()+[post(6,"self_touch"),voice(6.3,**dict(jitter=0.03,speech_rate_sps=5.2)),text(6.8,"I heard someone outside my window last night and I'm still scared.")], ["comfort","reflect"]),
}
exp={}
for name,(evs,want) in sc.items():
    with open(name+".jsonl","w") as f:
        for e in evs:
            e.setdefault("session","default"); f.write(json.dumps(e)+"\n")
    exp[name]={"default":want}
json.dump(exp,open("expected.json","w"),indent=1)
