#!/usr/bin/env python3
"""Makes the QC light-level and level fixtures of tests/qc.rs, with the expected measures computed
here by numpy and colour-science (independently of Cinegrade):

- desk_pq.1001.exr, desk_pq.1002.exr: tests/data/frames/Desk_zip.exr (a 161x121 cut of OpenEXR's
  ScanLines_Desk, scene-linear Rec.709, peaking near 233) encoded as SMPTE ST 2084 (PQ) code values
  with linear 1.0 = 100 nits, the second frame 20 times brighter (so it has codes above 105 %, which
  only the mirrored PQ curve reaches, and pixels past 10000 nits). Written as 32-bit float EXR
  (OpenImageIO), so the codes are exactly what the reference measures.
- reference.json: per frame the pixels whose smallest channel is below -5 % or largest above 105 %
  (EBU R103), the brightest max(R,G,B) in nits and the mean of max(R,G,B) in nits; and MaxCLL,
  MaxFALL over both frames (CTA-861.3).

Run from the repository root: python3 tests/data/qc/make_reference.py
"""
import json
import os

import colour
import numpy as np
import OpenImageIO as oiio

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "frames", "Desk_zip.exr")


def read(path):
    img = oiio.ImageInput.open(path)
    px = np.asarray(img.read_image("float"), dtype=np.float64)
    img.close()
    return px[:, :, :3]


def pq_encode(linear):
    # ST 2084 on nits, mirrored below 0 as Cinegrade's `rec2100-pq` encoding is.
    nits = np.abs(linear) * 100.0
    return np.sign(linear) * colour.models.eotf_inverse_ST2084(nits)


def pq_decode_nits(code):
    # The mirrored curve beyond 1.0 continues the formula (no clamp): as decoded for measuring.
    c = np.maximum(code, 0.0)
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    p = c ** (1 / m2)
    return 10000.0 * (np.maximum(p - c1, 0.0) / (c2 - c3 * p)) ** (1 / m1)


def main():
    linear = read(SRC)
    frames = []
    for n, gain in [(1001, 1.0), (1002, 20.0)]:
        code = pq_encode(linear * gain).astype(np.float32)
        out = oiio.ImageOutput.create("exr")
        path = os.path.join(HERE, f"desk_pq.{n}.exr")
        spec = oiio.ImageSpec(code.shape[1], code.shape[0], 3, "float")
        spec.attribute("compression", "zip")
        out.open(path, spec)
        out.write_image(code)
        out.close()
        c = code.astype(np.float64)
        lo, hi = c.min(axis=2), c.max(axis=2)
        # Nits from the float32 codes the file holds; past 1.0 the curve runs on (mirrored PQ).
        nits = pq_decode_nits(hi)
        frames.append({
            "frame": n,
            "below": int((lo < -0.05).sum()),
            "above": int((hi > 1.05).sum()),
            "max_nits": float(nits.max()),
            "average_nits": float(nits.mean()),
        })
    reference = {
        "source": "Desk_zip.exr, PQ encoded by colour-science's eotf_inverse_ST2084",
        "frames": frames,
        "max_cll": max(f["max_nits"] for f in frames),
        "max_fall": max(f["average_nits"] for f in frames),
    }
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(reference, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
