#!/usr/bin/env python3
"""Writes cube_reference.json: OpenColorIO 2.x results for the .cube fixtures in this folder.

Run from anywhere with `pip install opencolorio` (tested with 2.6.0):

    python3 tests/data/interchange/make_cube_reference.py

For each LUT and each interpolation (tetrahedral, trilinear = OCIO's INTERP_LINEAR), it applies an
`ocio.FileTransform` with a default CPU processor to float32 RGB inputs, including inputs outside [0, 1]
and outside each file's domain, and stores inputs and outputs. src/interchange/cube.rs compares its
CPU reference against these numbers.
"""
import json
import os
import random
import struct
import tempfile

import PyOpenColorIO as ocio

HERE = os.path.dirname(os.path.abspath(__file__))
LUTS = [
    "classic_film.cube",  # 33-point 3D, Resolve-written (CC0, see AUTHORS.md)
    "teal_and_orange_cinema.cube",  # 16-point 3D, the smallest CC0 LUT (see AUTHORS.md)
    "iridas_1d.cube",  # OpenColorIO test file: 1D with DOMAIN_MIN/MAX (LICENSE.OpenColorIO)
    "iridas_3d.cube",  # OpenColorIO test file: 3D with DOMAIN_MIN/MAX (LICENSE.OpenColorIO)
    "resolve_combined.cube",  # hand-made: Resolve 1D shaper + 3D with INPUT_RANGE
]
MODES = {"tetrahedral": ocio.INTERP_TETRAHEDRAL, "trilinear": ocio.INTERP_LINEAR}


def f32(x):
    """Rounds a Python float to the nearest float32, so Rust reads back the exact same input."""
    return struct.unpack("f", struct.pack("f", x))[0]


def short(x):
    """The shortest decimal that reads back as the same float32 (keeps the JSON small)."""
    x = f32(x)
    for digits in range(6, 10):
        s = "%.*g" % (digits, x)
        if f32(float(s)) == x:
            return float(s)
    return x


def make_inputs():
    rng = random.Random(20240517)
    pts = []
    # Grid-aligned and tie cases: nodes of a 33- and a 16-point cube, equal channels, corners.
    for k in (0, 1, 7, 16, 31, 32):
        pts.append([k / 32, k / 32, k / 32])
    for k in (0, 5, 15):
        pts.append([k / 15, (15 - k) / 15, 0.5])
    pts += [[0, 0, 0], [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.25], [0.25, 0.5, 0.5]]
    # Out of range and out of domain (iridas files have domains up to [-2, 2]).
    pts += [[-0.5, 0.5, 1.5], [2.5, -1.0, 0.3], [1.0001, -0.0001, 0.9999], [-3, 3, 0.7], [1.9, 1.5, -2.5]]
    for _ in range(256):
        pts.append([rng.uniform(-0.2, 1.2) for _ in range(3)])
    for _ in range(64):
        pts.append([rng.uniform(-3.0, 3.0) for _ in range(3)])
    return [[f32(v) for v in p] for p in pts]


def ocio_source(name):
    """OCIO's Resolve reader refuses TITLE lines, which Resolve itself writes: hand it a copy without."""
    path = os.path.join(HERE, name)
    with open(path) as f:
        lines = f.readlines()
    if name.startswith("resolve_") and any(l.startswith("TITLE") for l in lines):
        tmp = tempfile.NamedTemporaryFile("w", suffix=".cube", delete=False)
        tmp.writelines(l for l in lines if not l.startswith("TITLE"))
        tmp.close()
        return tmp.name
    return path


def main():
    config = ocio.Config.CreateRaw()
    inputs = make_inputs()
    luts = []
    for name in LUTS:
        src = ocio_source(name)
        entry = {"file": name}
        try:
            for mode, interp in MODES.items():
                transform = ocio.FileTransform(src=src, interpolation=interp)
                cpu = config.getProcessor(transform).getDefaultCPUProcessor()
                entry[mode] = [[short(v) for v in cpu.applyRGB(p)] for p in inputs]
        finally:
            if src != os.path.join(HERE, name):
                os.unlink(src)
        luts.append(entry)
    out = {
        "generator": "make_cube_reference.py, OpenColorIO " + ocio.__version__,
        "inputs": [[short(v) for v in p] for p in inputs],
        "luts": luts,
    }
    with open(os.path.join(HERE, "cube_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
