#!/usr/bin/env python3
"""Regenerates aces2_reference.json: OpenColorIO's ACES 2.0 Output Transforms on a synthetic sweep and
on real pixels, for tests/aces2.rs.

Needs `pip install opencolorio openimageio numpy` (works offline; generated with OCIO 2.6):

    python3 tests/data/color/make_aces2_reference.py

Inputs (ACES2065-1):
- "sweep": greys from 1e-4 to 3000 (past the HDR forward limits), the AP0, AP1 and Rec.709
  primaries and secondaries, and very saturated colours (one or two channels near zero or negative)
  from 1e-3 to 1000, plus seeded random AP0 values over 0..100 and a few slightly negative ones;
- "frames": about 250 evenly spaced pixels of each of three real OpenEXR frames of tests/data/frames (scene-linear
  Rec.709 by their headers; a luminance-only frame as grey), converted to ACES2065-1 by OCIO's
  studio config, so the inputs themselves come from OCIO.

Outputs:
- "core": each `ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - <variant>_2.0` built-in, as CIE XYZ (D65);
- "display": the output transform followed by the `DISPLAY - CIE-XYZ-D65_to_<encoding>` built-in, the
  code values a display receives, for every Cinegrade display space;
- "inverse": the inverse of each display chain applied to the forward chain's code values (scene
  ACES2065-1 back).
"""
import json
import os

import numpy as np
import OpenImageIO as oiio
import PyOpenColorIO as ocio

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES = os.path.join(HERE, "..", "frames")
RAW = ocio.Config.CreateRaw()
STUDIO = ocio.Config.CreateFromBuiltinConfig("studio-config-latest")

CORE = {
    "sdr-100-rec709": "SDR-100nit-REC709",
    "sdr-100-p3d65": "SDR-100nit-P3-D65",
    "hdr-225-p3d65": "HDR-108nit-P3-D65",
    "hdr-500-p3d65": "HDR-500nit-P3-D65",
    "hdr-1000-p3d65": "HDR-1000nit-P3-D65",
    "hdr-500-rec2020": "HDR-500nit-REC2020",
    "hdr-1000-rec2020": "HDR-1000nit-REC2020",
    "hdr-2000-rec2020": "HDR-2000nit-REC2020",
    "hdr-4000-rec2020": "HDR-4000nit-REC2020",
}

# Cinegrade display space → (core variant, OCIO display encoding built-in).
DISPLAYS = {
    "rec709-display": ("SDR-100nit-REC709", "REC.1886-REC.709"),
    "srgb-display": ("SDR-100nit-REC709", "sRGB"),
    "display-p3": ("SDR-100nit-P3-D65", "DisplayP3"),
    "rec2100-pq": ("HDR-1000nit-REC2020", "REC.2100-PQ"),
    "p3d65-pq": ("HDR-1000nit-P3-D65", "ST2084-P3-D65"),
    "rec2100-hlg": ("HDR-1000nit-REC2020", "REC.2100-HLG-1000nit"),
}


def core(variant):
    return ocio.BuiltinTransform("ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - %s_2.0" % variant)


def chain(variant, encoding):
    group = ocio.GroupTransform()
    group.appendTransform(core(variant))
    group.appendTransform(ocio.BuiltinTransform("DISPLAY - CIE-XYZ-D65_to_%s" % encoding))
    return group


def apply(transform, values, direction=ocio.TRANSFORM_DIR_FORWARD):
    proc = RAW.getProcessor(transform, direction).getDefaultCPUProcessor()
    flat = proc.applyRGB(np.asarray(values, dtype=np.float32).flatten().tolist())
    return np.asarray(flat, dtype=np.float32).reshape(-1, 3)


def sweep():
    out = []
    for v in np.geomspace(1e-4, 3000.0, 60):
        out.append([v, v, v])
    corners = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1]]
    to_ap0 = {
        "ap0": np.eye(3),
        "ap1": np.asarray(STUDIO.getProcessor("ACEScg", "ACES2065-1").getDefaultCPUProcessor().applyRGB(
            [1, 0, 0, 0, 1, 0, 0, 0, 1])).reshape(3, 3).T,
        "rec709": np.asarray(STUDIO.getProcessor("Linear Rec.709 (sRGB)", "ACES2065-1").getDefaultCPUProcessor().applyRGB(
            [1, 0, 0, 0, 1, 0, 0, 0, 1])).reshape(3, 3).T,
    }
    for m in to_ap0.values():
        for c in corners:
            for scale in np.geomspace(1e-3, 1000.0, 13):
                out.append((m @ (np.asarray(c, dtype=np.float64) * scale)).tolist())
    # Very saturated: one channel far below the others, or slightly negative.
    for scale in [0.01, 0.18, 1.0, 10.0, 100.0]:
        for lo in [0.0, 1e-3, -1e-3 * scale]:
            out += [[scale, lo, lo], [lo, scale, lo], [lo, lo, scale], [scale, scale * 0.5, lo],
                    [lo, scale * 0.3, scale], [scale * 0.8, lo, scale]]
    rng = np.random.default_rng(2026)
    out += (rng.uniform(0.0, 1.0, (300, 3)) ** 3 * 100.0).tolist()
    out += rng.uniform(-0.02, 2.0, (60, 3)).tolist()
    return out


def frames():
    to_aces = STUDIO.getProcessor("Linear Rec.709 (sRGB)", "ACES2065-1").getDefaultCPUProcessor()
    out = []
    for name in ["Desk_zip.exr", "TestImages_WideFloatRange.exr", "MultiResolution_ColorCodedLevels.exr"]:
        buf = oiio.ImageBuf(os.path.join(FRAMES, name))
        pixels = buf.get_pixels(oiio.FLOAT)
        pixels = pixels.reshape(pixels.shape[0], pixels.shape[1], -1)
        if pixels.shape[2] < 3:  # luminance: grey
            pixels = np.repeat(pixels[:, :, :1], 3, axis=2)
        pixels = pixels[:, :, :3].reshape(-1, 3)
        pixels = pixels[:: max(1, len(pixels) // 250)]
        pixels = pixels[np.all(np.isfinite(pixels), axis=1)]
        flat = to_aces.applyRGB(pixels.astype(np.float32).flatten().tolist())
        out += np.asarray(flat, dtype=np.float32).reshape(-1, 3).tolist()
    return out


def rounded(a):
    return [[float("%.8g" % v) for v in row] for row in np.asarray(a, dtype=np.float32).tolist()]


def main():
    inputs = {"sweep": sweep(), "frames": frames()}
    inputs = {k: rounded(v) for k, v in inputs.items()}
    result = {"generator": "PyOpenColorIO " + ocio.__version__, "inputs": inputs, "core": {}, "display": {}, "inverse": {}}
    for key, variant in CORE.items():
        result["core"][key] = {k: rounded(apply(core(variant), v)) for k, v in inputs.items()}
    for name, (variant, encoding) in DISPLAYS.items():
        t = chain(variant, encoding)
        codes = {k: apply(t, v) for k, v in inputs.items()}
        result["display"][name] = {k: rounded(v) for k, v in codes.items()}
        result["inverse"][name] = {k: rounded(apply(t, v, ocio.TRANSFORM_DIR_INVERSE)) for k, v in codes.items()}
    with open(os.path.join(HERE, "aces2_reference.json"), "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
