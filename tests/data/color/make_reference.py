#!/usr/bin/env python3
"""Regenerates reference.json: OpenColorIO's conversions of every Cinegrade colour space to and from
ACES2065-1, over the full code range (below 0 and above 1 included).

Used by `matches_opencolorio_over_the_full_range` in src/color/space.rs.
Needs `pip install opencolorio numpy` (works offline; generated with OCIO 2.6).

Sources, per space (see ColorSpace in src/color/space.rs):
- camera and ACES spaces: OCIO BuiltinTransforms `<...>_to_ACES2065-1`;
- davinci-intermediate-dwg, linear-rec709, linear-rec2020: OCIO has no built-in, so the colour
  spaces of OCIO's built-in ACES studio config (whose reference space is ACES2065-1);
- displays: `UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD` followed by the `DISPLAY - CIE-XYZ-D65_to_...`
  built-in, i.e. a colorimetric (not tone-mapped) display encoding, as OCIO's "Un-tone-mapped" view.

    python3 tests/data/color/make_reference.py
"""
import json
import os

import numpy as np
import PyOpenColorIO as ocio

RAW = ocio.Config.CreateRaw()
STUDIO = ocio.Config.CreateFromBuiltinConfig("studio-config-latest")

CAMERA_BUILTINS = {
    "acescg": "ACEScg_to_ACES2065-1",
    "acescct": "ACEScct_to_ACES2065-1",
    "arri-logc3-ei800": "ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1",
    "arri-logc4": "ARRI_LOGC4_to_ACES2065-1",
    "sony-slog3-sgamut3cine": "SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1",
    "panasonic-vlog-vgamut": "PANASONIC_VLOG-VGAMUT_to_ACES2065-1",
    "canon-clog3-cinemagamut": "CANON_CLOG3-CGAMUT_to_ACES2065-1",
    "red-log3g10-rwg": "RED_LOG3G10-RWG_to_ACES2065-1",
}
STUDIO_SPACES = {
    "davinci-intermediate-dwg": "DaVinci Intermediate WideGamut",
    "linear-rec709": "Linear Rec.709 (sRGB)",
    "linear-rec2020": "Linear Rec.2020",
}
DISPLAY_BUILTINS = {
    "srgb-display": "DISPLAY - CIE-XYZ-D65_to_sRGB",
    "rec709-display": "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709",
    "display-p3": "DISPLAY - CIE-XYZ-D65_to_DisplayP3",
    "rec2100-pq": "DISPLAY - CIE-XYZ-D65_to_REC.2100-PQ",
    "rec2100-hlg": "DISPLAY - CIE-XYZ-D65_to_REC.2100-HLG-1000nit",
    "p3d65-pq": "DISPLAY - CIE-XYZ-D65_to_ST2084-P3-D65",
}
LINEAR_SPACES = {"acescg", "linear-rec709", "linear-rec2020"}
N = 200


def cpu(config, transform, inverse=False):
    if inverse:
        transform.setDirection(ocio.TRANSFORM_DIR_INVERSE)
    return config.getProcessor(transform).getDefaultCPUProcessor()


def apply(processor, rgb):
    data = np.ascontiguousarray(rgb, dtype=np.float32).copy()
    processor.applyRGB(data)
    return data


def triples(values):
    """Pixels whose channels are nearby (but different) samples, so the matrices are exercised
    without the cancellation of wildly different channels swamping float32 precision."""
    n = len(values)
    idx = np.arange(n)
    return np.stack([values, values[np.minimum(idx + 3, n - 1)], values[np.maximum(idx - 5, 0)]], axis=1)


def code_values(lo, hi):
    return triples(np.linspace(lo, hi, N))


def linear_values(top):
    negatives = -np.geomspace(2.0, 1e-4, 40)
    positives = np.geomspace(1e-5, top, N - 41)
    return triples(np.concatenate([negatives, [0.0], positives]))


def processors(name):
    """(to ACES2065-1, from ACES2065-1, description) OCIO processors for a Cinegrade space."""
    if name in CAMERA_BUILTINS:
        b = CAMERA_BUILTINS[name]
        return (cpu(RAW, ocio.BuiltinTransform(b)), cpu(RAW, ocio.BuiltinTransform(b), True), b)
    if name in STUDIO_SPACES:
        cs = STUDIO_SPACES[name]
        to = STUDIO.getProcessor(cs, "ACES2065-1").getDefaultCPUProcessor()
        back = STUDIO.getProcessor("ACES2065-1", cs).getDefaultCPUProcessor()
        return (to, back, f"studio-config: {cs}")
    b = DISPLAY_BUILTINS[name]

    def group():
        return ocio.GroupTransform(
            [ocio.BuiltinTransform("UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD"), ocio.BuiltinTransform(b)]
        )

    return (cpu(RAW, group(), True), cpu(RAW, group()), f"UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD + {b}")


def f32_list(rgb):
    # Shortest repr that round-trips through float32, tagged so main() can unquote it.
    return [["@" + str(np.float32(v)) + "@" for v in px] for px in rgb]


def samples(processor, inputs):
    return {"input": np.asarray(inputs, dtype=np.float32), "output": apply(processor, inputs)}


def tagged(spaces):
    return {
        name: {k: ({d: f32_list(a) for d, a in v.items()} if isinstance(v, dict) else v) for k, v in s.items()}
        for name, s in spaces.items()
    }


def main():
    spaces = {}
    for name in list(CAMERA_BUILTINS) + list(STUDIO_SPACES):
        to, back, what = processors(name)
        codes = linear_values(1000.0) if name in LINEAR_SPACES else code_values(-0.2, 1.2)
        to_aces = samples(to, codes)
        # Round trip: OCIO's own ACES values back through OCIO's inverse (clamps included).
        from_aces = samples(back, to_aces["output"])
        spaces[name] = {"ocio": what, "to_aces": to_aces, "from_aces": from_aces}
    for name in DISPLAY_BUILTINS:
        to, back, what = processors(name)
        spaces[name] = {
            "ocio": what,
            "from_aces": samples(back, linear_values(64.0)),
            "to_aces": samples(to, code_values(-0.25, 1.25)),
        }
    out = {"generator": f"make_reference.py, OpenColorIO {ocio.__version__}", "spaces": tagged(spaces)}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        # One pixel per line keeps diffs readable; float32 values in their shortest repr.
        text = json.dumps(out, separators=(",", ":")).replace('"@', "").replace('@"', "")
        f.write(text.replace("],[", "],\n["))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
