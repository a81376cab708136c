#!/usr/bin/env python3
"""Reference values for Cinegrade's CLF reader (tests/clf.rs), from OpenColorIO.

For every .clf below this folder (OpenColorIO's own CLF test files, BSD-3-Clause, see
LICENSE.OpenColorIO): the legal ones are applied with OpenColorIO's CPU processor (32-bit float, the
file's own interpolation) to a fixed set of RGB samples; the illegal ones record OpenColorIO's error.
Run with PyOpenColorIO 2.6 (pip install opencolorio): python3 make_clf_reference.py > clf_reference.json
"""
import glob
import json
import os

import PyOpenColorIO as ocio


def samples():
    values = [-0.25, -0.01, 0.0, 0.001, 0.01, 0.05, 0.18, 0.3, 0.5, 0.75, 0.9, 1.0, 1.2, 4.0]
    out = []
    for i, r in enumerate(values):
        for j, g in enumerate(values):
            b = values[(i * 5 + j * 3) % len(values)]
            out.append([r, g, b])
    # Greys and a few saturated colours across the range.
    out += [[v, v, v] for v in values]
    out += [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.9, 0.2, 0.05], [0.02, 0.3, 0.8]]
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    config = ocio.Config.CreateRaw()
    inputs = samples()
    result = {"generator": "PyOpenColorIO " + ocio.__version__, "inputs": inputs, "files": {}}
    for path in sorted(glob.glob(os.path.join(here, "**", "*.clf"), recursive=True)):
        name = os.path.relpath(path, here)
        entry = {}
        try:
            t = ocio.FileTransform(src=path, interpolation=ocio.INTERP_DEFAULT)
            proc = config.getProcessor(t).getDefaultCPUProcessor()
            flat = [c for rgb in inputs for c in rgb]
            flat = proc.applyRGB(flat)
            entry["outputs"] = [flat[i:i + 3] for i in range(0, len(flat), 3)]
        except Exception as e:  # noqa: BLE001 - every failure is the reference's answer
            entry["error"] = str(e).replace(here + os.sep, "")
        result["files"][name] = entry
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
