//! Writing DPX: 10-bit filled method A or 16-bit, RGB or RGBA, big-endian, with the header fields a
//! reader needs (size, packing, transfer and colorimetric codes, frame rate, timecode).

use std::path::Path;

use super::{CORE_HEADER, Descriptor, FILM_FRAME_RATE, TV_FRAME_RATE, UNDEFINED, WRITE_DATA_OFFSET};
use crate::media::{Frame, MediaError};

/// Sample depth of a DPX export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DpxDepth {
    /// 10-bit, filled method A (the usual interchange).
    #[default]
    Ten,
    /// 16-bit.
    Sixteen,
}

/// What a written DPX header declares besides the pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DpxTags {
    /// Transfer characteristic code (0: user defined).
    pub transfer: u8,
    /// Colorimetric code (0: user defined).
    pub colorimetric: u8,
    /// Frame rate written to the film and television headers.
    pub frame_rate: Option<f32>,
}

/// The transfer and colorimetric codes that describe a built-in colour space's encoding, where
/// ST 268 has them.
pub fn tags_for_space(space: &str) -> DpxTags {
    let (transfer, colorimetric) = match space {
        "rec709-display" => (6, 6),
        "linear-rec709" => (2, 6),
        "linear-rec2020" => (2, 14),
        "rec2100-pq" => (17, 14),
        "rec2100-hlg" => (18, 14),
        "acescct"
        | "arri-logc3-ei800"
        | "arri-logc4"
        | "sony-slog3-sgamut3cine"
        | "panasonic-vlog-vgamut"
        | "canon-clog3-cinemagamut"
        | "red-log3g10-rwg"
        | "davinci-intermediate-dwg" => (3, 0),
        _ => (0, 0),
    };
    DpxTags { transfer, colorimetric, frame_rate: None }
}

/// Encodes `frame` as a big-endian DPX: 10-bit filled method A or 16-bit, RGB or RGBA. Values are
/// quantised here (0..1 to 0..2^bits-1, rounded; outside 0..1 clips, as any integer file must).
pub fn encode(frame: &Frame, alpha: bool, depth: DpxDepth, tags: DpxTags) -> Vec<u8> {
    let channels = if alpha { 4 } else { 3 };
    let (bits, max) = match depth {
        DpxDepth::Ten => (10u8, 1023.0f32),
        DpxDepth::Sixteen => (16u8, 65535.0f32),
    };
    let line = match depth {
        DpxDepth::Ten => (frame.width as usize * channels).div_ceil(3) * 4,
        // Back to back, as OpenImageIO writes and reads them (it takes any padding for pixels);
        // FFmpeg and Cinegrade tell the layouts apart by the file's length and read both.
        DpxDepth::Sixteen => frame.width as usize * channels * 2,
    };
    let data_len = line * frame.height as usize;
    let mut out = vec![0u8; WRITE_DATA_OFFSET as usize + data_len];
    write_header(&mut out, frame, channels, bits, depth, tags, data_len);
    let q = |v: f32| crate::media::save::quantise(v, max);
    for (y, row) in frame.pixels.chunks(frame.width as usize).enumerate() {
        let dst = &mut out[WRITE_DATA_OFFSET as usize + y * line..][..line];
        let samples = row.iter().flat_map(|p| p[..channels].iter().copied());
        match depth {
            DpxDepth::Ten => {
                let mut word = 0u32;
                let mut n = 0;
                let mut at = 0;
                for s in samples {
                    word |= q(s) << (22 - 10 * n);
                    n += 1;
                    if n == 3 {
                        dst[at..at + 4].copy_from_slice(&word.to_be_bytes());
                        (word, n, at) = (0, 0, at + 4);
                    }
                }
                if n > 0 {
                    dst[at..at + 4].copy_from_slice(&word.to_be_bytes());
                }
            }
            DpxDepth::Sixteen => {
                for (i, s) in samples.enumerate() {
                    dst[i * 2..i * 2 + 2].copy_from_slice(&(q(s) as u16).to_be_bytes());
                }
            }
        }
    }
    out
}

fn write_header(out: &mut [u8], frame: &Frame, channels: usize, bits: u8, depth: DpxDepth, tags: DpxTags, data: usize) {
    let put32 = |out: &mut [u8], at: usize, v: u32| out[at..at + 4].copy_from_slice(&v.to_be_bytes());
    let put16 = |out: &mut [u8], at: usize, v: u16| out[at..at + 2].copy_from_slice(&v.to_be_bytes());
    let text = |out: &mut [u8], at: usize, s: &str| out[at..at + s.len()].copy_from_slice(s.as_bytes());
    // Numeric fields Cinegrade does not fill are "undefined" (all ones), as the standard asks;
    // text fields are empty (NUL).
    out[..WRITE_DATA_OFFSET as usize].fill(0);
    for range in [1408..1432, 1620..1644, 1712..1732, 1920..1972] {
        out[range].fill(0xFF);
    }
    put32(out, 1628, 1); // square pixels
    put32(out, 1632, 1);
    out[..4].copy_from_slice(b"SDPX");
    put32(out, 4, WRITE_DATA_OFFSET);
    text(out, 8, "V2.0");
    put32(out, 16, WRITE_DATA_OFFSET + data as u32);
    put32(out, 20, 1); // ditto key: new frame
    put32(out, 24, CORE_HEADER as u32);
    put32(out, 28, 384);
    put32(out, 32, 0);
    text(out, 160, concat!("Cinegrade ", env!("CARGO_PKG_VERSION")));
    put32(out, 660, UNDEFINED); // not encrypted
    put16(out, 768, 0); // left to right, top to bottom
    put16(out, 770, 1);
    put32(out, 772, frame.width);
    put32(out, 776, frame.height);
    let e = 780;
    put32(out, e, 0); // unsigned
    put32(out, e + 4, 0);
    put32(out, e + 8, UNDEFINED);
    put32(out, e + 12, (1u32 << bits) - 1);
    put32(out, e + 16, UNDEFINED);
    out[e + 20] = if channels == 4 { Descriptor::Rgba.code() } else { Descriptor::Rgb.code() };
    out[e + 21] = tags.transfer;
    out[e + 22] = tags.colorimetric;
    out[e + 23] = bits;
    put16(out, e + 24, if depth == DpxDepth::Ten { 1 } else { 0 });
    put16(out, e + 26, 0);
    put32(out, e + 28, WRITE_DATA_OFFSET);
    put32(out, e + 32, 0);
    put32(out, e + 36, 0);
    // The other seven elements stay undefined.
    out[e + 72..1356].fill(0xFF);
    if let Some(fps) = tags.frame_rate {
        put32(out, FILM_FRAME_RATE, fps.to_bits());
        put32(out, TV_FRAME_RATE, fps.to_bits());
    }
}

/// Writes `frame` to `path` (the caller's temporary file) as DPX.
pub fn save(path: &Path, frame: &Frame, alpha: bool, depth: DpxDepth, tags: DpxTags) -> Result<(), MediaError> {
    std::fs::write(path, encode(frame, alpha, depth, tags))
        .map_err(|source| MediaError::Io { path: path.to_path_buf(), source })
}
