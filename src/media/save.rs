//! Still export: quantisation happens here and only here. Writes go to a temporary file beside the
//! target and are renamed into place, so a failed export never leaves a half-written file.

use std::path::Path;

use image::{ImageEncoder, codecs};

use super::{DpxDepth, DpxTags, FileFormat, Frame, HalfFrame, MediaError, dpx, exr_io};

/// Float precision of an EXR export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExrDepth {
    /// 16-bit half float (the usual delivery).
    #[default]
    Half,
    /// 32-bit float.
    Float,
}

/// How to write a still.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SaveOptions {
    /// PNG bit depth: 8 or 16 (TIFF is always 16-bit, JPEG 8-bit).
    pub png_bits: u8,
    /// EXR sample type.
    pub exr_depth: ExrDepth,
    /// DPX bit depth.
    pub dpx_depth: DpxDepth,
    /// What a DPX header declares (transfer, colorimetric, frame rate).
    pub dpx_tags: DpxTags,
    /// JPEG quality, 1-100.
    pub jpeg_quality: u8,
    /// Write the alpha channel (where the format has one).
    pub alpha: bool,
    /// Replace an existing file.
    pub overwrite: bool,
}

impl Default for SaveOptions {
    fn default() -> Self {
        Self {
            png_bits: 16,
            exr_depth: ExrDepth::Half,
            dpx_depth: DpxDepth::Ten,
            dpx_tags: DpxTags::default(),
            jpeg_quality: 95,
            alpha: false,
            overwrite: false,
        }
    }
}

impl SaveOptions {
    /// True when a frame saved to `path` is a half-float EXR: its samples can be read back from the
    /// GPU as half and written as they are ([`save_half`]).
    pub fn writes_half(&self, path: &Path) -> bool {
        self.exr_depth == ExrDepth::Half && FileFormat::from_path(path).ok() == Some(FileFormat::Exr)
    }
}

/// `(v.clamp(0, 1) × max).round()` (halves away from zero) without `f32::round`, which x86-64's
/// baseline has no instruction for (a library call per sample, most of a 4K DPX encode's time):
/// the truncation, plus one where the fraction is at least a half (exact: below 2^24 an f32 minus
/// its truncation is exact). NaN becomes 0, as `clamp` then `as` made it.
pub(crate) fn quantise(v: f32, max: f32) -> u32 {
    let y = v.clamp(0.0, 1.0) * max;
    let t = y as u32;
    t + u32::from(y - t as f32 >= 0.5)
}

fn quantize8(v: f32) -> u8 {
    quantise(v, 255.0) as u8
}

fn quantize16(v: f32) -> u16 {
    quantise(v, 65535.0) as u16
}

fn samples<T>(frame: &Frame, alpha: bool, q: impl Fn(f32) -> T) -> Vec<T> {
    let n = if alpha { 4 } else { 3 };
    frame.pixels.iter().flat_map(|px| px[..n].iter().map(|v| q(*v)).collect::<Vec<_>>()).collect()
}

/// Writes `frame` to `path` in the format its extension names.
pub fn save(frame: &Frame, path: &Path, options: &SaveOptions) -> Result<(), MediaError> {
    let format = FileFormat::from_path(path)?;
    if !options.overwrite && path.exists() {
        return Err(MediaError::WouldOverwrite(path.to_path_buf()));
    }
    super::write_atomically(
        path,
        |tmp| write(frame, tmp, format, options),
        |source| MediaError::Io { path: path.to_path_buf(), source },
    )
}

/// [`save`] of half samples: a half EXR gets them as they are; any other output widens them to
/// working floats first (exact) and writes as [`save`] does.
pub fn save_half(frame: &HalfFrame, path: &Path, options: &SaveOptions) -> Result<(), MediaError> {
    if !options.writes_half(path) {
        return save(&frame.to_frame(), path, options);
    }
    if !options.overwrite && path.exists() {
        return Err(MediaError::WouldOverwrite(path.to_path_buf()));
    }
    super::write_atomically(
        path,
        |tmp| exr_io::save_half(tmp, frame, options.alpha),
        |source| MediaError::Io { path: path.to_path_buf(), source },
    )
}

fn write(frame: &Frame, tmp: &Path, format: FileFormat, o: &SaveOptions) -> Result<(), MediaError> {
    if format == FileFormat::Exr {
        return exr_io::save(tmp, frame, o.alpha, o.exr_depth == ExrDepth::Half);
    }
    if format == FileFormat::Video {
        return Err(MediaError::Encode {
            path: tmp.to_path_buf(),
            format: format.name(),
            message: "a frame is written as a still (.exr, .dpx, .tif, .png, .jpg); movies are rendered with --codec"
                .into(),
        });
    }
    if format == FileFormat::Dpx {
        return dpx::save(tmp, frame, o.alpha, o.dpx_depth, o.dpx_tags);
    }
    let encode_error = |e: image::ImageError| MediaError::Encode {
        path: tmp.to_path_buf(),
        format: format.name(),
        message: e.to_string(),
    };
    let file = std::fs::File::create(tmp).map_err(|source| MediaError::Io { path: tmp.to_path_buf(), source })?;
    let out = std::io::BufWriter::new(file);
    let (w, h) = (frame.width, frame.height);
    let alpha = o.alpha;
    let color8 = if alpha { image::ExtendedColorType::Rgba8 } else { image::ExtendedColorType::Rgb8 };
    let color16 = if alpha { image::ExtendedColorType::Rgba16 } else { image::ExtendedColorType::Rgb16 };
    match format {
        FileFormat::Png if o.png_bits == 8 => codecs::png::PngEncoder::new(out)
            .write_image(&samples(frame, alpha, quantize8), w, h, color8)
            .map_err(encode_error),
        FileFormat::Png => {
            let data = samples(frame, alpha, quantize16);
            codecs::png::PngEncoder::new(out)
                .write_image(bytemuck::cast_slice(&data), w, h, color16)
                .map_err(encode_error)
        }
        FileFormat::Tiff => {
            let data = samples(frame, alpha, quantize16);
            codecs::tiff::TiffEncoder::new(out)
                .write_image(bytemuck::cast_slice(&data), w, h, color16)
                .map_err(encode_error)
        }
        FileFormat::Jpeg => codecs::jpeg::JpegEncoder::new_with_quality(out, o.jpeg_quality)
            .write_image(&samples(frame, false, quantize8), w, h, image::ExtendedColorType::Rgb8)
            .map_err(encode_error),
        FileFormat::Exr | FileFormat::Dpx | FileFormat::Video => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantise_rounds_as_f32_round() {
        let mut values = vec![0.0, 1.0, -0.5, 2.0, f32::NAN, f32::INFINITY, 0.5 / 1023.0, 1.5 / 1023.0];
        values.extend((0..200_000).map(|i| i as f32 / 199_999.0));
        // Halves and their neighbours, for each depth.
        for max in [255.0f32, 1023.0, 65535.0] {
            for k in 0..1024 {
                let half = (k as f32 + 0.5) / max;
                values.extend([half, f32::from_bits(half.to_bits() - 1), f32::from_bits(half.to_bits() + 1)]);
            }
            for v in &values {
                let want = if v.is_nan() { 0 } else { (v.clamp(0.0, 1.0) * max).round() as u32 };
                assert_eq!(quantise(*v, max), want, "{v} at {max}");
            }
        }
    }
}
