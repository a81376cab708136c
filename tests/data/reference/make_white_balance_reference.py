"""Reference white-balance matrices from colour-science: Krystek 1985 Planckian uv for the shot's light
and for 6500 K, Bradford von Kries adaptation between them, in linear Rec.709.

Run: pip install colour-science ; python3 make_white_balance_reference.py  (writes white_balance_reference.json)
"""
import json

import numpy as np
import colour


def xy(cct):
    return colour.UCS_uv_to_xy(colour.temperature.CCT_to_uv_Krystek1985(cct))


# BT.709: matrices derived from the primaries (sRGB in colour uses the rounded IEC table).
srgb = colour.RGB_COLOURSPACES["ITU-R BT.709"]
cases = []
for cct in [2000.0, 3200.0, 4300.0, 5600.0, 9000.0, 12000.0]:
    cat = colour.adaptation.matrix_chromatic_adaptation_VonKries(
        colour.xy_to_XYZ(xy(cct)), colour.xy_to_XYZ(xy(6500.0)), "Bradford")
    m = srgb.matrix_XYZ_to_RGB @ cat @ srgb.matrix_RGB_to_XYZ
    cases.append({"kelvin": cct, "matrix": m.tolist()})
with open("white_balance_reference.json", "w") as f:
    json.dump({"generator": "colour-science " + colour.__version__, "cases": cases}, f, indent=1)
print("wrote", len(cases))
