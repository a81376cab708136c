#!/usr/bin/env python3
"""Validates a Kubernetes Job manifest offline against the Kubernetes API models (PyPI
`kubernetes`): every field must be one the API knows, of its type, and the models' own checks
(required fields, enums) must pass. Then checks the Indexed Job's chunk arithmetic: run with a stub
`cinegrade`, the pods of indexes 0 .. completions-1 render every frame FIRST..LAST exactly once.

    python3 farm/kubernetes/validate.py farm/kubernetes/render-job.yaml
"""

import os
import subprocess
import sys
import tempfile

import kubernetes
import yaml
from kubernetes.client import models

FREE_FORM = {"object"}  # IntOrString, Quantity and other free values


def check(value, type_name, path, errors):
    # The models name their types `List[X]` / `Dict[str, X]` (older releases: `list[X]`, `dict(str, X)`).
    lowered = type_name.lower()
    if lowered.startswith("list["):
        if not isinstance(value, list):
            errors.append(f"{path}: a list expected, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            check(item, type_name[5:-1], f"{path}[{i}]", errors)
    elif lowered.startswith("dict(") or lowered.startswith("dict["):
        inner = type_name[type_name.index(",") + 1 : -1].strip()
        if not isinstance(value, dict):
            errors.append(f"{path}: a map expected")
            return
        for key, item in value.items():
            check(item, inner, f"{path}.{key}", errors)
    elif type_name == "str":
        if not isinstance(value, str):
            errors.append(f"{path}: a string expected, got {value!r} (quote numbers)")
    elif type_name == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: an integer expected, got {value!r}")
    elif type_name == "bool":
        if not isinstance(value, bool):
            errors.append(f"{path}: true or false expected, got {value!r}")
    elif type_name in ("float",):
        if not isinstance(value, (int, float)):
            errors.append(f"{path}: a number expected")
    elif type_name in FREE_FORM or type_name == "datetime":
        pass
    else:
        cls = getattr(models, type_name)
        if not isinstance(value, dict):
            errors.append(f"{path}: an object ({type_name}) expected")
            return
        fields = {json: (attr, cls.openapi_types[attr]) for attr, json in cls.attribute_map.items()}
        for key, item in value.items():
            if key not in fields:
                errors.append(f"{path}.{key}: not a field of {type_name} (known: {', '.join(sorted(fields))})")
                continue
            check(item, fields[key][1], f"{path}.{key}", errors)


def main(path):
    with open(path) as f:
        manifest = yaml.safe_load(f)
    if manifest.get("apiVersion") != "batch/v1" or manifest.get("kind") != "Job":
        sys.exit(f"{path}: not a batch/v1 Job")
    errors = []
    check(manifest, "V1Job", "Job", errors)
    if errors:
        sys.exit(f"{path}:\n  " + "\n  ".join(errors))
    # The models' own validation: required fields, enum values (raises ValueError).
    client = kubernetes.client.ApiClient()
    try:
        job = client._ApiClient__deserialize(manifest, "V1Job")
    except ValueError as e:
        sys.exit(f"{path}: {e}")
    spec = job.spec
    if spec.completion_mode != "Indexed":
        sys.exit(f"{path}: spec.completionMode must be Indexed (JOB_COMPLETION_INDEX picks the chunk)")
    if spec.template.spec.restart_policy != "Never":
        sys.exit(f"{path}: podFailurePolicy needs restartPolicy Never")

    # The chunk arithmetic, with a stub cinegrade that prints its --frames.
    container = spec.template.spec.containers[0]
    env = {e.name: e.value for e in container.env}
    first, last, chunk = int(env["FIRST"]), int(env["LAST"]), int(env["CHUNK"])
    want = (last - first) // chunk + 1
    if spec.completions != want:
        sys.exit(f"{path}: completions is {spec.completions}; FIRST {first}, LAST {last} and CHUNK {chunk} make {want} chunks")
    with tempfile.TemporaryDirectory() as stub:
        with open(os.path.join(stub, "cinegrade"), "w") as f:
            f.write('#!/usr/bin/env bash\nwhile [[ $# -gt 0 ]]; do [[ $1 == --frames ]] && echo "$2"; shift; done\n')
        os.chmod(os.path.join(stub, "cinegrade"), 0o755)
        seen = []
        for index in range(spec.completions):
            run_env = dict(os.environ, PATH=stub + os.pathsep + os.environ["PATH"], JOB_COMPLETION_INDEX=str(index), **env)
            out = subprocess.run(container.command + container.args, env=run_env, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"{path}: index {index} failed: {out.stderr}")
            a, b = out.stdout.strip().split("-")
            seen.extend(range(int(a), int(b) + 1))
        if seen != list(range(first, last + 1)):
            sys.exit(f"{path}: the indexes do not render {first}-{last} once each")
        beyond = dict(os.environ, PATH=stub + os.pathsep + os.environ["PATH"], JOB_COMPLETION_INDEX=str(want), **env)
        if subprocess.run(container.command + container.args, env=beyond, capture_output=True).returncode != 2:
            sys.exit(f"{path}: an index past the last chunk must fail with status 2")
    print(f"{path}: a valid batch/v1 Job, {spec.completions} indexes of {chunk} frames render {first}-{last} once each")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: validate.py JOB.yaml")
    main(sys.argv[1])
