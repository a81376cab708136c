#!/usr/bin/env python3
"""Applies a LUT file with OpenColorIO, for tests that check what Cinegrade writes is read the same
by OCIO (tests/common/mod.rs: `ocio_apply`).

    python3 tests/tools/ocio_apply.py FILE tetrahedral|trilinear < inputs.json > outputs.json

Reads a JSON list of [r, g, b] on standard input, applies an `ocio.FileTransform` of FILE (its
format found from the file, as any OCIO application would) on OCIO's default CPU processor in
float32, and writes the list of outputs. Exits 3 when PyOpenColorIO is missing, 1 with OCIO's own
message when it refuses the file.
"""
import json
import sys

try:
    import PyOpenColorIO as ocio
except ImportError:
    print("No module named 'PyOpenColorIO' (pip install opencolorio)", file=sys.stderr)
    sys.exit(3)

MODES = {"tetrahedral": ocio.INTERP_TETRAHEDRAL, "trilinear": ocio.INTERP_LINEAR}


def main():
    path, mode = sys.argv[1], sys.argv[2]
    inputs = json.load(sys.stdin)
    config = ocio.Config.CreateRaw()
    transform = ocio.FileTransform(src=path, interpolation=MODES[mode])
    try:
        cpu = config.getProcessor(transform).getDefaultCPUProcessor()
    except ocio.Exception as e:
        print(f"OpenColorIO {ocio.__version__} refused {path}: {e}", file=sys.stderr)
        sys.exit(1)
    flat = [float(v) for rgb in inputs for v in rgb]
    out = cpu.applyRGB(flat)
    json.dump([out[i:i + 3] for i in range(0, len(out), 3)], sys.stdout)


if __name__ == "__main__":
    main()
