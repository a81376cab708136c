#!/usr/bin/env python3
"""Reference values of the BT.2390 EETF (ITU-R BT.2390-10, section 5.4.1) for tests/device_preview.rs:
the report's equations written out in numpy, with PQ from colour-science (ST 2084). Run:

    python3 tests/data/color/make_eetf.py > tests/data/color/eetf_reference.json
"""

import json

import colour
import numpy as np


def pq(nits):
    return float(colour.models.eotf_inverse_ST2084(nits))


def eetf(e, lb, lw, lmin, lmax):
    """E4 for PQ code e, from a mastering display (black lb, peak lw nits) to a target (lmin, lmax)."""
    sb, sw = pq(lb), pq(lw)
    e1 = np.clip((e - sb) / (sw - sb), 0.0, 1.0)
    min_lum = (pq(lmin) - sb) / (sw - sb)
    max_lum = (pq(lmax) - sb) / (sw - sb)
    ks = 1.5 * max_lum - 0.5
    t = (e1 - ks) / (1.0 - ks)
    p = (2 * t**3 - 3 * t**2 + 1) * ks + (t**3 - 2 * t**2 + t) * (1 - ks) + (-2 * t**3 + 3 * t**2) * max_lum
    e2 = np.where(e1 < ks, e1, p)
    e3 = e2 + min_lum * (1 - e2) ** 4
    return e3 * (sw - sb) + sb


cases = []
codes = np.linspace(0.0, 1.0, 101)
for lb, lw, lmin, lmax in [(0.0, 1000.0, 0.0, 600.0), (0.005, 4000.0, 0.05, 1000.0), (0.0, 1000.0, 0.0, 100.0)]:
    cases.append(
        {
            "source_black": lb,
            "source_peak": lw,
            "target_black": lmin,
            "target_peak": lmax,
            "codes": codes.tolist(),
            "out": [float(v) for v in eetf(codes, lb, lw, lmin, lmax)],
        }
    )
print(json.dumps({"generator": "make_eetf.py (numpy, colour-science " + colour.__version__ + ")", "cases": cases}, indent=1))
