#!/usr/bin/env python3
"""The ACES configs as OpenColorIO 2.6 writes them, and what OpenColorIO computes with them, for
tests/ocio_config.rs.

Needs `pip install opencolorio numpy` (works offline; generated with PyOpenColorIO 2.6):

    python3 tests/data/ocio/make_ocio_reference.py

Writes, beside this script:
- studio-config.ocio and cg-config.ocio: `Config.CreateFromFile("ocio://studio-config-latest")`
  (and cg-config-latest) serialised, the files a studio hands over;
- ocio_reference.json: for every colour space of both, OpenColorIO's conversion of a set of samples
  to ACES2065-1 and of a scene-linear sweep from ACES2065-1 to it; for every display and view,
  OpenColorIO's ACES2065-1 -> display/view on the sweep.

Samples by the space's encoding: scene-linear spaces get -0.05 .. 200 (log spaced), log and video
spaces code values -0.1 .. 1.1, HDR video spaces 0 .. 1; the ACES sweep is greys from 1e-4 to 500,
the AP0/AP1 corners at several exposures and random saturated colours.
"""
import json
import os

import numpy as np
import PyOpenColorIO as ocio

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = {"studio-config.ocio": "ocio://studio-config-latest", "cg-config.ocio": "ocio://cg-config-latest"}


def rows(a):
    return [[float("%.8g" % v) for v in r] for r in np.asarray(a, dtype=np.float32).reshape(-1, 3).tolist()]


def triples(values):
    n = len(values)
    i = np.arange(n)
    return np.stack([values, values[np.minimum(i + 3, n - 1)], values[np.maximum(i - 5, 0)]], axis=1)


def samples():
    rng = np.random.default_rng(7)
    linear = triples(np.concatenate([[-0.05, -0.01, 0.0], np.geomspace(1e-4, 200.0, 37)]))
    codes = triples(np.linspace(-0.1, 1.1, 40))
    hdr = triples(np.linspace(0.0, 1.0, 40))
    aces = [[v, v, v] for v in np.geomspace(1e-4, 500.0, 24)]
    for c in [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1]]:
        for s in [0.01, 0.18, 1.0, 8.0, 64.0]:
            aces.append([s * x for x in c])
    aces += (rng.uniform(0, 1, (30, 3)) ** 2 * 20).tolist()
    return {"linear": rows(linear), "codes": rows(codes), "hdr": rows(hdr), "aces": rows(aces)}


def kind(cs):
    enc = cs.getEncoding()
    if enc == "scene-linear":
        return "linear"
    if enc == "hdr-video":
        return "hdr"
    return "codes"


def apply(proc, values):
    flat = proc.getDefaultCPUProcessor().applyRGB(np.asarray(values, dtype=np.float32).flatten().tolist())
    return rows(flat)


def main():
    inputs = samples()
    out = {"generator": "PyOpenColorIO " + ocio.__version__, "inputs": inputs, "configs": {}}
    for file, uri in CONFIGS.items():
        config = ocio.Config.CreateFromFile(uri)
        with open(os.path.join(HERE, file), "w") as f:
            f.write(config.serialize())
        entry = {"spaces": {}, "views": {}}
        for cs in config.getColorSpaces():
            name = cs.getName()
            k = kind(cs)
            entry["spaces"][name] = {
                "inputs": k,
                "to_aces": apply(config.getProcessor(name, "ACES2065-1"), inputs[k]),
                "from_aces": apply(config.getProcessor("ACES2065-1", name), inputs["aces"]),
            }
        for display in config.getDisplays():
            for view in config.getViews(display):
                t = ocio.DisplayViewTransform(src="ACES2065-1", display=display, view=view)
                entry["views"][display + " / " + view] = apply(config.getProcessor(t), inputs["aces"])
        out["configs"][file] = entry
    with open(os.path.join(HERE, "ocio_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
