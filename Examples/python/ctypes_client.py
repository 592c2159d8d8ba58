#!/usr/bin/env python3
"""Attune in process from Python, through the C API (Protocols/attune.h) and ctypes.

No subprocess: the engine runs inside this Python process.

    swift build --product attune_c                      # -> .build/debug/libattune_c.so
    python3 Examples/python/ctypes_client.py [path/to/libattune_c.so]

The library path is the first argument, else $ATTUNE_LIB, else .build/debug/libattune_c.so.
Exits non-zero if anything is not as the header promises (it doubles as the C API's test).
"""
import ctypes
import json
import os
import sys


class Counts(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in
                ("read", "accepted", "rejected", "blank", "late", "sessions", "emitted", "warnings")]


ATTUNE_OK, ATTUNE_REJECTED, ATTUNE_ERR_ARGUMENT, ATTUNE_ERR_FINISHED = 0, 1, -1, -2


class Attune:
    """A thin Pythonic wrapper: one engine, push lines, read recommendations."""

    def __init__(self, library, config=None):
        lib = ctypes.CDLL(library)
        lib.attune_engine_new.restype = ctypes.c_void_p
        lib.attune_engine_new.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        lib.attune_push_line.restype = ctypes.c_int
        lib.attune_push_line.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        lib.attune_read.restype = ctypes.c_int
        lib.attune_read.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_size_t)]
        lib.attune_counts.restype = ctypes.c_int
        lib.attune_counts.argtypes = [ctypes.c_void_p, ctypes.POINTER(Counts)]
        lib.attune_last_error.restype = ctypes.c_char_p
        lib.attune_last_error.argtypes = [ctypes.c_void_p]
        lib.attune_engine_finish.restype = ctypes.c_int
        lib.attune_engine_finish.argtypes = [ctypes.c_void_p]
        lib.attune_engine_free.restype = None
        lib.attune_engine_free.argtypes = [ctypes.c_void_p]
        lib.attune_free.restype = None
        lib.attune_free.argtypes = [ctypes.c_void_p]
        self.lib = lib
        error = ctypes.c_void_p()
        config_bytes = json.dumps(config).encode() if config is not None else None
        self.engine = lib.attune_engine_new(config_bytes, ctypes.byref(error))
        if not self.engine:
            # *error is ours: copy it, then free it with attune_free.
            message = ctypes.string_at(error.value).decode()
            lib.attune_free(error)
            raise ValueError(message)

    def push(self, line):
        """Pushes one line (str or dict); returns None, or the reason it was rejected."""
        if isinstance(line, dict):
            line = json.dumps(line)
        data = line.encode()
        status = self.lib.attune_push_line(self.engine, data, len(data))
        if status == ATTUNE_OK:
            return None
        if status == ATTUNE_REJECTED:
            return self.lib.attune_last_error(self.engine).decode()
        raise RuntimeError(f"attune_push_line: {status}: {self.lib.attune_last_error(self.engine).decode()}")

    def read(self):
        """The recommendations produced since the last read, as dicts."""
        out, size = ctypes.c_void_p(), ctypes.c_size_t()
        n = self.lib.attune_read(self.engine, ctypes.byref(out), ctypes.byref(size))
        if n < 0:
            raise RuntimeError(f"attune_read: {n}")
        # The buffer is the engine's and lives until the next call: copy it now.
        text = ctypes.string_at(out.value, size.value).decode() if size.value else ""
        lines = text.splitlines()
        assert len(lines) == n, (len(lines), n)
        return [json.loads(l) for l in lines]

    def finish(self):
        self.lib.attune_engine_finish(self.engine)

    def counts(self):
        c = Counts()
        assert self.lib.attune_counts(self.engine, ctypes.byref(c)) == ATTUNE_OK
        return {name: getattr(c, name) for name, _ in Counts._fields_}

    def close(self):
        self.lib.attune_engine_free(self.engine)
        self.engine = None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", ".build", "debug", "libattune_c.so")
    library = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ATTUNE_LIB", default)

    # A bad configuration is an error message, not a crash.
    try:
        Attune(library, config={"bus": {"emitt": "every"}})
        raise SystemExit("expected a configuration error")
    except ValueError as e:
        assert "emitt" in str(e), e
        print(f"bad config rejected: {e}")

    attune = Attune(library, config={"bus": {"emit": "every", "maxLateness": 0}})
    conversation = [
        {"t": 0.0, "channel": "affect", "value": {"valence": 0.2, "arousal": 0.1}},
        {"t": 2.0, "channel": "posture", "value": {"label": "arms_crossed", "confidence": 0.9}},
        {"t": 4.0, "channel": "affect", "value": {"valence": -0.7, "arousal": 0.8}},
        '{"t": 5, "channel": "smell", "value": {}}',       # unknown channel: rejected, counted
        "not json at all",                                  # rejected, counted
        {"t": 6.0, "channel": "affect", "value": {"valence": -0.8, "arousal": 0.9, "confidence": 0.9}},
    ]
    recommendations = []
    for cue in conversation:
        problem = attune.push(cue)
        if problem:
            print(f"rejected: {problem}")
        for r in attune.read():
            recommendations.append(r)
            print(f"t={r['t']:>4}  {r['mode']:<8}  confidence {r['confidence']:.2f}  valence {r['other']['valence']:+.2f}")
    attune.finish()
    recommendations += attune.read()
    counts = attune.counts()
    print("counts:", counts)
    attune.close()

    # Misuse is a status code, never a crash.
    probe = Attune(library)
    lib = probe.lib
    assert lib.attune_push_line(None, b"{}", 2) == ATTUNE_ERR_ARGUMENT
    assert lib.attune_last_error(None) == b"no engine (NULL)"
    assert lib.attune_read(probe.engine, None, None) == ATTUNE_ERR_ARGUMENT
    assert lib.attune_push_line(probe.engine, b"\xff\xfe{", 3) == ATTUNE_REJECTED     # not UTF-8: rejected
    probe.finish()
    assert lib.attune_push_line(probe.engine, b"{}", 2) == ATTUNE_ERR_FINISHED
    assert b"finished" in lib.attune_last_error(probe.engine)
    lib.attune_engine_free(None)
    probe.close()

    assert counts["read"] == 6 and counts["rejected"] == 2 and counts["accepted"] == 4, counts
    assert counts["read"] == counts["accepted"] + counts["rejected"]
    assert len(recommendations) == 4 == counts["emitted"], (len(recommendations), counts)
    assert recommendations[-1]["other"]["valence"] < 0 < recommendations[0]["other"]["valence"] + 1
    print("ok")


if __name__ == "__main__":
    main()
