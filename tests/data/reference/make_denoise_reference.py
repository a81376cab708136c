#!/usr/bin/env python3
"""Regenerates denoise_reference.json: He, Sun & Tang's guided filter ("Guided Image Filtering", ECCV
2010, Algorithm 1, each channel its own guide) written out in numpy, f64, for tests/denoise_reference.rs.

Needs `pip install numpy openimageio` (works offline):

    python3 tests/data/reference/make_denoise_reference.py

Input: a 448 x 64 crop of tests/data/frames/chelsea.png at (0, 120) (the cat's face, fur and edges),
code / 255 as working values, plus a deterministic pattern both sides compute exactly:
    v = code / 255 + 0.04 * (((x * 73 + y * 151 + c * 37) % 101) / 100 - 0.5), rounded to f32.

The filter, as Cinegrade's documentation states it (src/ops/denoise.rs):
- RGB to Rec.709 Y, Cb, Cr: Y = 0.2126 R + 0.7152 G + 0.0722 B, Cb = (B - Y) / 1.8556, Cr = (R - Y) / 1.5748;
- per channel I, with eps the channel's strength squared (luma 0.05, chroma 0.08), r = 3 pixels
  (radius 12 at the reference width 1920, on a 448-wide frame: 2.8, rounded), box means over (2r + 1)^2 windows with
  edges clamped (replicated):
    a = var(I) / (var(I) + eps), b = mean(I) (1 - a), q = mean(a) I + mean(b);
- back to RGB by the inverse of the matrix above.

Output: the filtered RGB at every pixel of the first and last two rows and columns (the clamped
edges) and at a seeded random 1500 of the rest, as [x, y, r, g, b].
"""
import json
import os

import numpy as np
import OpenImageIO as oiio

HERE = os.path.dirname(os.path.abspath(__file__))
X0, Y0, W, H = 0, 120, 448, 64
R = 3
EPS = {"luma": 0.05**2, "chroma": 0.08**2}


def source():
    buf = oiio.ImageBuf(os.path.join(HERE, "..", "frames", "chelsea.png"))
    codes = buf.get_pixels(oiio.UINT8)[Y0:Y0 + H, X0:X0 + W, :3].astype(np.float64)
    img = (codes.astype(np.float32) / np.float32(255.0)).astype(np.float64)
    y, x, c = np.meshgrid(np.arange(H), np.arange(W), np.arange(3), indexing="ij")
    pattern = 0.04 * (((x * 73 + y * 151 + c * 37) % 101) / 100.0 - 0.5)
    return (img + pattern).astype(np.float32).astype(np.float64)


def box_mean(channel):
    padded = np.pad(channel, R, mode="edge")
    n = 2 * R + 1
    out = np.zeros_like(channel)
    for dy in range(n):
        for dx in range(n):
            out += padded[dy:dy + H, dx:dx + W]
    return out / (n * n)


def guided(channel, eps):
    mean = box_mean(channel)
    var = box_mean(channel * channel) - mean * mean
    a = var / (var + eps)
    b = mean * (1.0 - a)
    return box_mean(a) * channel + box_mean(b)


def main():
    rgb = source()
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    cb, cr = (b - y) / 1.8556, (r - y) / 1.5748
    y, cb, cr = guided(y, EPS["luma"]), guided(cb, EPS["chroma"]), guided(cr, EPS["chroma"])
    r = y + 1.5748 * cr
    b = y + 1.8556 * cb
    g = (y - 0.2126 * r - 0.0722 * b) / 0.7152
    out = np.stack([r, g, b], axis=-1)

    edge = {(x, yy) for yy in range(H) for x in range(W) if x < 2 or x >= W - 2 or yy < 2 or yy >= H - 2}
    rng = np.random.default_rng(2026)
    inner = [(x, yy) for yy in range(2, H - 2) for x in range(2, W - 2)]
    picked = [inner[i] for i in rng.choice(len(inner), 1500, replace=False)]
    samples = sorted(edge) + sorted(picked)
    data = {
        "generator": f"numpy {np.__version__}, make_denoise_reference.py",
        "crop": [X0, Y0, W, H],
        "radius_px": R,
        "luma": 0.05,
        "chroma": 0.08,
        "samples": [[x, yy] + [round(float(v), 9) for v in out[yy, x]] for x, yy in samples],
        # How much the filter changed the picture (so a filter that does nothing cannot pass).
        "mean_abs_change": float(np.mean(np.abs(out - rgb))),
    }
    with open(os.path.join(HERE, "denoise_reference.json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"{len(samples)} samples, mean |change| {data['mean_abs_change']:.4f}")


if __name__ == "__main__":
    main()
