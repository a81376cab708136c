//! PNG, JPEG and TIFF through the `image` crate, with decoder limits so a lying header cannot exhaust memory.

use std::io::BufReader;
use std::path::Path;

use image::{DynamicImage, ImageReader};

use super::{FileFormat, Frame, ImageInfo, LoadedImage, MAX_DECODED_BYTES, MAX_DIMENSION, MediaError, SampleType};

fn image_format(format: FileFormat) -> image::ImageFormat {
    match format {
        FileFormat::Png => image::ImageFormat::Png,
        FileFormat::Jpeg => image::ImageFormat::Jpeg,
        FileFormat::Tiff => image::ImageFormat::Tiff,
        FileFormat::Exr => image::ImageFormat::OpenExr,
        FileFormat::Dpx | FileFormat::Video => unreachable!("DPX and clips have their own readers"),
    }
}

fn open(path: &Path, format: FileFormat) -> Result<ImageReader<BufReader<std::fs::File>>, MediaError> {
    let file = std::fs::File::open(path).map_err(|source| MediaError::Io { path: path.to_path_buf(), source })?;
    Ok(ImageReader::with_format(BufReader::new(file), image_format(format)))
}

/// A reader whose decoder refuses to allocate past our limits (the second line of defence).
fn limited_reader(path: &Path, format: FileFormat) -> Result<ImageReader<BufReader<std::fs::File>>, MediaError> {
    let mut reader = open(path, format)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    // The decoder's own buffer is at most a quarter of our float frame (8-bit RGBA) to half (16-bit).
    limits.max_alloc = Some(MAX_DECODED_BYTES / 2);
    reader.limits(limits);
    Ok(reader)
}

fn decode_error(path: &Path, format: FileFormat, e: image::ImageError) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: format.name(), message: e.to_string() }
}

/// Decodes a PNG, JPEG or TIFF (first page) into working float values: integers map 0..max to 0..1.
pub fn load(path: &Path, format: FileFormat) -> Result<LoadedImage, MediaError> {
    // Read the header alone first, so absurd dimensions are refused before any allocation.
    // (Reading the header allocates nothing, so it runs without limits and reports the real size.)
    let (width, height) = open(path, format)?.into_dimensions().map_err(|e| decode_error(path, format, e))?;
    super::check_dimensions(path, width.into(), height.into())?;
    let image = limited_reader(path, format)?.decode().map_err(|e| decode_error(path, format, e))?;
    let (channels, sample_type) = describe(&image);
    let frame = to_frame(image);
    let info = ImageInfo { format, width, height, channels, sample_type, notes: Vec::new() };
    Ok(LoadedImage { frame, info })
}

fn describe(image: &DynamicImage) -> (Vec<String>, SampleType) {
    use image::ColorType::*;
    let color = image.color();
    let names: &[&str] = match color.channel_count() {
        1 => &["Y"],
        2 => &["Y", "A"],
        3 => &["R", "G", "B"],
        _ => &["R", "G", "B", "A"],
    };
    let sample = match color {
        L8 | La8 | Rgb8 | Rgba8 => SampleType::U8,
        L16 | La16 | Rgb16 | Rgba16 => SampleType::U16,
        _ => SampleType::F32,
    };
    (names.iter().map(|s| s.to_string()).collect(), sample)
}

fn to_frame(image: DynamicImage) -> Frame {
    let (width, height) = (image.width(), image.height());
    let pixels: Vec<[f32; 4]> = match image {
        DynamicImage::ImageLuma8(b) => b.pixels().map(|p| grey(f32::from(p.0[0]) / 255.0, 1.0)).collect(),
        DynamicImage::ImageLumaA8(b) => {
            b.pixels().map(|p| grey(f32::from(p.0[0]) / 255.0, f32::from(p.0[1]) / 255.0)).collect()
        }
        DynamicImage::ImageLuma16(b) => b.pixels().map(|p| grey(f32::from(p.0[0]) / 65535.0, 1.0)).collect(),
        DynamicImage::ImageLumaA16(b) => {
            b.pixels().map(|p| grey(f32::from(p.0[0]) / 65535.0, f32::from(p.0[1]) / 65535.0)).collect()
        }
        DynamicImage::ImageRgb8(b) => b.pixels().map(|p| rgba(p.0.map(|v| f32::from(v) / 255.0), 1.0)).collect(),
        DynamicImage::ImageRgba8(b) => b.pixels().map(|p| p.0.map(|v| f32::from(v) / 255.0)).collect(),
        DynamicImage::ImageRgb16(b) => b.pixels().map(|p| rgba(p.0.map(|v| f32::from(v) / 65535.0), 1.0)).collect(),
        DynamicImage::ImageRgba16(b) => b.pixels().map(|p| p.0.map(|v| f32::from(v) / 65535.0)).collect(),
        DynamicImage::ImageRgb32F(b) => b.pixels().map(|p| rgba(p.0, 1.0)).collect(),
        DynamicImage::ImageRgba32F(b) => b.pixels().map(|p| p.0).collect(),
        // Any future layout: go through the crate's float conversion, which keeps values unclamped.
        other => other.to_rgba32f().pixels().map(|p| p.0).collect(),
    };
    Frame { width, height, pixels }
}

fn grey(v: f32, a: f32) -> [f32; 4] {
    [v, v, v, a]
}

fn rgba(rgb: [f32; 3], a: f32) -> [f32; 4] {
    [rgb[0], rgb[1], rgb[2], a]
}
