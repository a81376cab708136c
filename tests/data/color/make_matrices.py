#!/usr/bin/env python3
"""Regenerates matrices.json: colour-science's RGB->XYZ / RGB->RGB matrices and CCT values.

Used by the tests in src/color/spaces.rs (matrices) and src/color/white_balance.rs (CCT).
Needs `pip install colour-science` (works offline).
The primaries below are Cinegrade's (src/color/spaces.rs); the script first checks that they agree
with colour-science's own named colourspaces, then lets colour derive every matrix from them.

    python3 tests/data/color/make_matrices.py
"""
import json
import os
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import colour  # noqa: E402

# name in matrices.json -> (colour-science colourspace name, Cinegrade primaries R, G, B, white)
D65 = (0.3127, 0.3290)
D60 = (0.32168, 0.33767)
GAMUTS = {
    "rec709": ("ITU-R BT.709", ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06)), D65),
    "rec2020": ("ITU-R BT.2020", ((0.708, 0.292), (0.170, 0.797), (0.131, 0.046)), D65),
    "p3-d65": ("Display P3", ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060)), D65),
    "aces-ap0": ("ACES2065-1", ((0.7347, 0.2653), (0.0, 1.0), (0.0001, -0.0770)), D60),
    "aces-ap1": ("ACEScg", ((0.713, 0.293), (0.165, 0.830), (0.128, 0.044)), D60),
    "awg3": ("ARRI Wide Gamut 3", ((0.6840, 0.3130), (0.2210, 0.8480), (0.0861, -0.1020)), D65),
    "awg4": ("ARRI Wide Gamut 4", ((0.7347, 0.2653), (0.1424, 0.8576), (0.0991, -0.0308)), D65),
    "sgamut3cine": ("S-Gamut3.Cine", ((0.766, 0.275), (0.225, 0.800), (0.089, -0.087)), D65),
    "vgamut": ("V-Gamut", ((0.730, 0.280), (0.165, 0.840), (0.100, -0.030)), D65),
    "cinema-gamut": ("Cinema Gamut", ((0.74, 0.27), (0.17, 1.14), (0.08, -0.10)), D65),
    "rwg": (
        "REDWideGamutRGB",
        ((0.780308, 0.304253), (0.121595, 1.493994), (0.095612, -0.084589)),
        D65,
    ),
    "dwg": ("DaVinci Wide Gamut", ((0.8000, 0.3130), (0.1682, 0.9877), (0.0790, -0.1155)), D65),
}


def colourspace(key):
    name, primaries, white = GAMUTS[key]
    named = colour.RGB_COLOURSPACES[name]
    assert np.allclose(named.primaries, primaries, atol=1e-9), (key, named.primaries)
    assert np.allclose(named.whitepoint, white, atol=1e-5), (key, named.whitepoint)
    return colour.RGB_Colourspace(
        key,
        np.array(primaries),
        np.array(white),
        use_derived_matrix_RGB_to_XYZ=True,
        use_derived_matrix_XYZ_to_RGB=True,
    )


def main():
    spaces = {key: colourspace(key) for key in GAMUTS}
    out = {
        "generator": f"make_matrices.py, colour-science {colour.__version__}",
        "rgb_to_xyz": {k: s.matrix_RGB_to_XYZ.tolist() for k, s in spaces.items()},
        "rgb_to_rgb": [],
        "cct": [],
    }
    pairs = [(s, "aces-ap0") for s in GAMUTS if s != "aces-ap0"]
    pairs += [("aces-ap0", d) for d in ("rec709", "rec2020", "p3-d65")]
    pairs += [("rec709", "aces-ap1"), ("dwg", "rec2020"), ("awg3", "awg4")]
    for src, dst in pairs:
        for cat in ("Bradford", "CAT02"):
            m = colour.matrix_RGB_to_RGB(spaces[src], spaces[dst], chromatic_adaptation_transform=cat)
            out["rgb_to_rgb"].append({"src": src, "dst": dst, "cat": cat, "matrix": m.tolist()})
    for kelvin in (1000.0, 2000.0, 2700.0, 3200.0, 4300.0, 5600.0, 6500.0, 9000.0, 15000.0):
        uv0 = colour.temperature.CCT_to_uv_Krystek1985(kelvin)
        krystek_xy = colour.UCS_uv_to_xy(uv0)
        for duv in (-0.02, -0.005, 0.0, 0.005, 0.02):
            # Ohno 2013 moves Duv along the normal of the true Planckian locus; keep its offset.
            ohno = colour.temperature.CCT_to_uv(np.array([kelvin, duv]), method="Ohno 2013")
            ohno0 = colour.temperature.CCT_to_uv(np.array([kelvin, 0.0]), method="Ohno 2013")
            offset_xy = colour.UCS_uv_to_xy(uv0 + (ohno - ohno0)) - krystek_xy
            out["cct"].append(
                {
                    "kelvin": kelvin,
                    "duv": duv,
                    "krystek_xy": krystek_xy.tolist(),
                    "ohno_offset_xy": offset_xy.tolist(),
                }
            )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "matrices.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
