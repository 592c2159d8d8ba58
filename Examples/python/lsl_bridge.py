#!/usr/bin/env python3
"""Lab Streaming Layer bridge: an LSL cue stream in, `attune run` in the middle, an LSL recommendation stream out.

    pip install 'pylsl==1.18.*'                 # bundles liblsl
    python3 Examples/python/lsl_bridge.py --attune .build/debug/attune [--input-name AttuneCues] [--output-name AttuneRecommendations]

Input stream (resolved by name): channel format string, 1 channel, irregular rate.
Each sample is one JSON cue of wire protocol v1, without or with "t":
    {"session": "s1", "channel": "affect", "value": {"valence": -0.4}}

Output stream (created): name --output-name, type "AttuneRecommendation", string,
1 channel, irregular rate; each sample is one recommendation line of `attune run`.

Timestamp mapping (LSL clock -> session t and back):
  * The sample's LSL timestamp is taken after the inlet's clock correction, so it
    is on this machine's LSL clock (pylsl.local_clock) whatever machine sent it.
  * t0 = the corrected timestamp of the first sample the bridge receives.
  * A cue's session time is t = timestamp - t0 (seconds, >= 0), written into the
    cue as "t" (a "t" already in the sample is replaced; pass --keep-t to keep it).
  * Each recommendation is pushed with LSL timestamp t0 + r["t"], so it lines up
    with the cue that caused it on the LSL clock (LabRecorder, other streams).
Samples are forwarded as they arrive; attune's reorder buffer (--max-lateness)
puts slightly out-of-order cues back in order, at the cost of that much latency.
"""
import argparse
import json
import subprocess
import sys
import threading
import time

import pylsl


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--attune", default="attune", help="the attune binary")
    p.add_argument("--input-name", default="AttuneCues", help="name of the LSL cue stream to read")
    p.add_argument("--output-name", default="AttuneRecommendations", help="name of the LSL stream to create")
    p.add_argument("--emit", default="every", choices=["every", "change", "final"])
    p.add_argument("--max-lateness", default="0.1", help="seconds of reordering (attune run --max-lateness)")
    p.add_argument("--keep-t", action="store_true", help="keep a cue's own \"t\" instead of the LSL timestamp")
    p.add_argument("--resolve-timeout", type=float, default=10.0, help="seconds to wait for the input stream")
    p.add_argument("--duration", type=float, default=0.0, help="stop after this many seconds (0: until the input stream is lost)")
    p.add_argument("--idle-timeout", type=float, default=0.0, help="stop after this many seconds without a sample (0: never)")
    p.add_argument("--config", help="attune run --config FILE")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    streams = pylsl.resolve_byprop("name", args.input_name, timeout=args.resolve_timeout)
    if not streams:
        sys.exit(f"lsl_bridge: no LSL stream named {args.input_name!r} within {args.resolve_timeout} s")
    inlet = pylsl.StreamInlet(streams[0], processing_flags=pylsl.proc_clocksync | pylsl.proc_monotonize)

    info = pylsl.StreamInfo(args.output_name, "AttuneRecommendation", 1, pylsl.IRREGULAR_RATE,
                            pylsl.cf_string, f"attune-{args.output_name}")
    outlet = pylsl.StreamOutlet(info)

    command = [args.attune, "run", "--emit", args.emit, "--max-lateness", args.max_lateness]
    if args.config:
        command += ["--config", args.config]
    attune = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    t0 = None
    t0_ready = threading.Event()

    def publish():
        """attune's output -> the LSL outlet, each at t0 + t on the LSL clock."""
        for line in attune.stdout:
            line = line.rstrip("\n")
            try:
                t = json.loads(line)["t"]
            except (ValueError, KeyError):
                continue
            t0_ready.wait()
            outlet.push_sample([line], t0 + t)

    publisher = threading.Thread(target=publish, daemon=True)
    publisher.start()

    started = time.monotonic()
    last_sample = started
    forwarded = 0
    try:
        while True:
            now = time.monotonic()
            if args.duration and now - started >= args.duration:
                break
            if args.idle_timeout and now - last_sample >= args.idle_timeout:
                break
            sample, timestamp = inlet.pull_sample(timeout=0.2)
            if sample is None:
                continue
            last_sample = time.monotonic()
            if t0 is None:
                t0 = timestamp
                t0_ready.set()
            try:
                cue = json.loads(sample[0])
                if not isinstance(cue, dict):
                    raise ValueError("not an object")
            except ValueError:
                print(f"lsl_bridge: sample is not a JSON object, passed on for attune to reject: {sample[0][:80]}", file=sys.stderr)
                attune.stdin.write(sample[0].replace("\n", " ") + "\n")
                continue
            if not (args.keep_t and "t" in cue):
                cue["t"] = round(max(0.0, timestamp - t0), 6)
            attune.stdin.write(json.dumps(cue, separators=(",", ":")) + "\n")
            attune.stdin.flush()
            forwarded += 1
    except (KeyboardInterrupt, pylsl.LostError):
        pass
    finally:
        attune.stdin.close()                        # end of input: attune flushes every session
        code = attune.wait()
        publisher.join(timeout=5)
        # Give consumers a moment to pull the last samples before the outlet goes away.
        time.sleep(0.5)
    print(f"lsl_bridge: {forwarded} cues forwarded; attune exited with {code}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
