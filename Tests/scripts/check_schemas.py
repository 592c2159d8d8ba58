#!/usr/bin/env python3
"""Checks that the JSON Schemas in Protocols/schemas describe what attune really
reads and writes: every valid example input line validates against
input.schema.json, every line attune writes validates against
output.schema.json, and lines attune rejects fail the input schema too
(where the schema can say so).

usage: check_schemas.py [ATTUNE_BINARY]"""
import glob, json, os, subprocess, sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "jsonschema"])
    import jsonschema
    from referencing import Registry, Resource

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
attune = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/debug/attune")
schemas = {}
for path in glob.glob(os.path.join(root, "Protocols/schemas/*.schema.json")):
    with open(path) as f:
        schemas[os.path.basename(path)] = json.load(f)
registry = Registry()
for name, schema in schemas.items():
    resource = Resource.from_contents(schema)
    registry = registry.with_resource(schema["$id"], resource).with_resource(name, resource)

def validator(name):
    schema = schemas[name]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=registry)

input_v, output_v = validator("input.schema.json"), validator("output.schema.json")
streams = sorted(glob.glob(os.path.join(root, "Examples/streams/*.jsonl")))
shared = os.path.join(root, "..", "shared", "scenarios")
streams += sorted(glob.glob(os.path.join(shared, "*.jsonl")))
problems = 0
inputs = outputs = 0
for stream in streams:
    with open(stream) as f:
        for n, line in enumerate(f, 1):
            errors = list(input_v.iter_errors(json.loads(line)))
            inputs += 1
            if errors:
                problems += 1
                print(f"{stream}:{n}: input schema: {errors[0].message}")
    out = subprocess.run([attune, "run", "--emit", "every", stream], capture_output=True, text=True, check=True).stdout
    for n, line in enumerate(out.splitlines(), 1):
        errors = list(output_v.iter_errors(json.loads(line)))
        outputs += 1
        if errors:
            problems += 1
            print(f"{stream} output line {n}: output schema: {errors[0].message}")

# Lines attune rejects for their structure must fail the input schema as well.
bad = [
    {"channel": "affect", "value": {"valence": 0.1}},
    {"t": -1, "channel": "affect", "value": {"valence": 0.1}},
    {"t": 1, "channel": "affect", "value": {"valence": 2}},
    {"t": 1, "channel": "affect", "value": {}},
    {"t": 1, "source": "both", "channel": "affect", "value": {"valence": 0}},
    {"t": 1, "control": "pause"},
    {"t": 1, "channel": "text", "value": {"text": 5}},
    {"t": 1, "channel": "posture", "value": {"label": "crying", "confidence": 1.5}},
    {"t": 1, "channel": "voice", "value": {"loudness_db": "loud"}},
]
for line in bad:
    inputs += 1
    if input_v.is_valid(line):
        problems += 1
        print(f"input schema accepts a line attune rejects: {json.dumps(line)}")
    r = subprocess.run([attune, "run"], input=json.dumps(line) + "\n", capture_output=True, text=True)
    if "1 rejected" not in r.stderr:
        problems += 1
        print(f"attune accepts a line the schema rejects: {json.dumps(line)}: {r.stderr.strip()}")

print(f"check_schemas: {inputs} input lines, {outputs} output lines, {problems} problem(s)")
sys.exit(1 if problems else 0)
