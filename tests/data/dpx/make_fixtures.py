#!/usr/bin/env python3
"""Makes the DPX fixtures of tests/dpx.rs: files written by OpenImageIO (oiiotool, PyPI `openimageio`)
and by FFmpeg (Debian's `ffmpeg`), and each file's reference decode by the tool that wrote it:
oiiotool's as a float EXR (`.ref.exr`), FFmpeg's as its raw samples in the file's own pixel format,
no conversion (`.ref.raw`: little-endian 16-bit codes, interleaved R, G, B[, A] or Y).

The two disagree on 8 and 16-bit lines whose length is not a multiple of 4 bytes: FFmpeg pads them
to 32 bits as ST 268 asks, OpenImageIO writes them back to back and reads every file so (it decodes
FFmpeg's padded files with each line shifted). Cinegrade reads both, by the file's length.

Run from the repository root: python3 tests/data/dpx/make_fixtures.py
The picture is a 29x17 area of scikit-image's `chelsea` (public domain, tests/data/frames), filtered
down so that every sample uses the full 16-bit precision; 29 is odd, so every layout has line padding
to get right (or, in OpenImageIO's 8- and 16-bit files, the lack of it).

Then what Cinegrade itself writes (10-bit filled method A and 16-bit, big-endian) from the 16-bit
fixtures, with oiiotool's decode of each: tests/dpx.rs checks that OpenImageIO reads our files as
the codes we meant, and that today's writer still writes those very files. (FFmpeg's reading of
Cinegrade's DPX is checked live by the test, which runs `ffmpeg`.)

Two layouts no installed tool writes are made here from the spec (SMPTE ST 268) with numpy and
`struct`, from the codes OpenImageIO decoded: 12-bit filled method B and 10-bit luma filled method A.
"""
import os
import struct
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "frames", "chelsea.png")
TMP = os.path.join(HERE, "_src")


def run(*args):
    subprocess.run(args, check=True)


def oiio(name, *opts, bits, channels=None):
    out = os.path.join(HERE, f"oiio_{name}.dpx")
    chans = ["--ch", channels] if channels else []
    run("oiiotool", TMP + ".exr", *chans, "-d", f"uint{bits}", *opts, "-o", out)
    return out


def ffmpeg(name, pix_fmt):
    out = os.path.join(HERE, f"ffmpeg_{name}.dpx")
    run("ffmpeg", "-v", "error", "-y", "-i", TMP + ".tif", "-pix_fmt", pix_fmt, out)
    # FFmpeg's own decode, in the file's pixel format (no scaling).
    native = {"rgb24": "rgb24", "gbrp10be": "gbrp10le", "gbrp12be": "gbrp12le", "rgb48be": "rgb48le",
              "rgba64be": "rgba64le", "gray": "gray", "gray16be": "gray16le"}[pix_fmt]
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", out, "-f", "rawvideo", "-pix_fmt", native, "-"],
                         check=True, capture_output=True).stdout
    eight = native in ("rgb24", "gray")
    samples = np.frombuffer(raw, dtype=np.uint8 if eight else "<u2").astype("<u2")
    if native.startswith("gbrp"):
        g, b, r = samples.reshape(3, -1)
        samples = np.stack([r, g, b], axis=1).reshape(-1)
    samples.astype("<u2").tofile(out[:-4] + ".ref.raw")
    return out


def reference(dpx):
    run("oiiotool", dpx, "-d", "float", "--compression", "zip", "-o", dpx[:-4] + ".ref.exr")


def codes(ref_exr, bits):
    """The integer codes oiiotool decoded, read back through oiiotool's Python module."""
    import OpenImageIO as oiio_mod

    img = oiio_mod.ImageInput.open(ref_exr)
    px = img.read_image("float")
    img.close()
    return np.rint(np.asarray(px) * ((1 << bits) - 1)).astype(np.uint32)


def header_from(template, packing, bits, descriptor, data_len):
    """The 8192-byte header of an OpenImageIO file, with its element's layout fields replaced."""
    with open(template, "rb") as f:
        head = bytearray(f.read(8192))
    e = ">" if head[:4] == b"SDPX" else "<"
    struct.pack_into(e + "I", head, 16, 8192 + data_len)  # file size
    head[800] = descriptor
    head[803] = bits
    struct.pack_into(e + "H", head, 804, packing)
    return bytes(head), e


def filled_b12(template, ref):
    c = codes(ref, 12)  # h, w, 3
    h, w, n = c.shape
    line = c.reshape(h, w * n)
    words = line.astype(np.uint16)  # method B: the 12 bits in the low bits of each 16-bit word
    row_bytes = w * n * 2
    pad = (-row_bytes) % 4
    head, e = header_from(template, 2, 12, 50, h * (row_bytes + pad))
    body = b"".join(row.astype(e + "u2").tobytes() + b"\0" * pad for row in words)
    with open(os.path.join(HERE, "script_rgb12_filled_b_be.dpx"), "wb") as f:
        f.write(head + body)
    return c


def luma10_filled_a(template, ref):
    c = codes(ref, 10)[:, :, 0]
    h, w = c.shape
    words_per_line = (w + 2) // 3
    head, e = header_from(template, 1, 10, 6, h * words_per_line * 4)
    body = bytearray()
    for row in c:
        padded = list(row) + [0] * (words_per_line * 3 - w)
        for i in range(words_per_line):
            a, b, d = padded[3 * i : 3 * i + 3]
            body += struct.pack(e + "I", (int(a) << 22) | (int(b) << 12) | (int(d) << 2))
    with open(os.path.join(HERE, "script_luma10_filled_a_be.dpx"), "wb") as f:
        f.write(head + bytes(body))


def main():
    run("oiiotool", SRC, "--cut", "116x68+100+80", "--resize", "29x17", "-d", "float", "-o", TMP + ".exr")
    run("oiiotool", TMP + ".exr", "-d", "uint16", "-o", TMP + ".tif")
    be = ["--attrib", "oiio:Endian", "big"]
    made = [
        oiio("rgb8_le", bits=8),
        oiio("rgb10_filled_a_be", *be, bits=10),
        oiio("rgb10_filled_a_le", bits=10),
        oiio("rgb10_filled_b_be", *be, "--attrib", "dpx:Packing", "Filled, method B", bits=10),
        oiio("rgb10_packed_be", *be, "--attrib", "dpx:Packing", "Packed", bits=10),
        oiio("rgb12_packed_be", *be, bits=12),
        oiio("rgb16_be", *be, bits=16),
        oiio("rgba10_filled_a_be", *be, bits=10, channels="R,G,B,A=1.0"),
        oiio("luma10_packed_le", bits=10, channels="Y=R"),
        oiio("luma16_be", *be, bits=16, channels="Y=R"),
        ffmpeg("rgb8", "rgb24"),
        ffmpeg("rgb10", "gbrp10be"),
        ffmpeg("rgb12", "gbrp12be"),
        ffmpeg("rgb16", "rgb48be"),
        ffmpeg("rgba16", "rgba64be"),
        ffmpeg("luma8", "gray"),
        ffmpeg("luma16", "gray16be"),
    ]
    for f in made:
        if os.path.basename(f).startswith("oiio_"):
            reference(f)
    filled_b12(made[5], made[5][:-4] + ".ref.exr")
    run("cp", made[5][:-4] + ".ref.exr", os.path.join(HERE, "script_rgb12_filled_b_be.ref.exr"))
    luma10_filled_a(made[1], made[8][:-4] + ".ref.exr")
    run("cp", made[8][:-4] + ".ref.exr", os.path.join(HERE, "script_luma10_filled_a_be.ref.exr"))
    cinegrade = os.path.join(HERE, "..", "..", "..", "target", "debug", "cinegrade")
    binary = [cinegrade] if os.path.exists(cinegrade) else ["cargo", "run", "--quiet", "--"]
    for name, src, opts in [
        ("rgb10", "oiio_rgb16_be.dpx", []),
        ("rgb16", "oiio_rgb16_be.dpx", ["--depth", "16"]),
        ("rgba10", "ffmpeg_rgba16.dpx", []),
    ]:
        out = os.path.join(HERE, f"cinegrade_{name}.dpx")
        run(*binary, "render", os.path.join(HERE, src), "-o", out, "--overwrite", *opts)
        reference(out)
    for ext in (".exr", ".tif"):
        os.remove(TMP + ext)


if __name__ == "__main__":
    main()
