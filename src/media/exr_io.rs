//! OpenEXR through the `exr` crate: scanline and tiled, half, float and uint, RGB(A) and luminance (Y).

use std::path::Path;

use exr::prelude::{
    Encoding, FlatSamples, Image, ReadChannels, ReadLayers, SpecificChannels, Vec2, WritableImage, f16, read,
};
use half::slice::HalfFloatSliceExt;

use super::{FileFormat, Frame, ImageInfo, LoadedImage, MediaError, SampleType};

/// RGBA pixels from channel planes (absent: 0, alpha 1). Converted a chunk of each channel at a time
/// (half to float with the CPU's conversion instructions where it has them) and then interleaved:
/// several times faster than sample by sample, and no whole-frame temporary per channel.
fn interleave(count: usize, planes: [Option<&FlatSamples>; 4]) -> Vec<[f32; 4]> {
    const CHUNK: usize = 4096;
    const FILL: [f32; 4] = [0.0, 0.0, 0.0, 1.0];
    let mut pixels = Vec::with_capacity(count);
    let mut chunk = [[0.0f32; CHUNK]; 4];
    for start in (0..count).step_by(CHUNK) {
        let n = CHUNK.min(count - start);
        for (c, plane) in planes.iter().enumerate() {
            let dst = &mut chunk[c][..n];
            match plane {
                None => dst.fill(FILL[c]),
                Some(FlatSamples::F16(v)) => v[start..start + n].convert_to_f32_slice(dst),
                Some(FlatSamples::F32(v)) => dst.copy_from_slice(&v[start..start + n]),
                Some(FlatSamples::U32(v)) => {
                    for (d, &u) in dst.iter_mut().zip(&v[start..start + n]) {
                        *d = u as f32;
                    }
                }
            }
        }
        pixels.extend((0..n).map(|i| [chunk[0][i], chunk[1][i], chunk[2][i], chunk[3][i]]));
    }
    pixels
}

/// ZIP, 16 scanlines per block, increasing line order.
const ENCODING: Encoding = Encoding::SMALL_LOSSLESS;

fn decode_error(path: &Path, e: exr::error::Error) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: "OpenEXR", message: e.to_string() }
}

/// Decodes the first valid layer (its full-resolution level) of an EXR.
pub fn load(path: &Path) -> Result<LoadedImage, MediaError> {
    // The header first: refuse absurd data windows before any sample buffer is allocated.
    let meta = exr::meta::MetaData::read_from_file(path, false).map_err(|e| decode_error(path, e))?;
    let header = meta.headers.first().ok_or_else(|| MediaError::Decode {
        path: path.to_path_buf(),
        format: "OpenEXR",
        message: "no image layer in file".into(),
    })?;
    let size = header.layer_size;
    super::check_dimensions(path, size.width() as u64, size.height() as u64)?;
    let mut notes = vec![format!(
        "{}, {:?} compression",
        if header.blocks.has_tiles() { "tiled" } else { "scanline" },
        header.compression
    )];
    if meta.headers.len() > 1 {
        notes.push(format!("{} layers; reading the first", meta.headers.len()));
    }

    let image = read()
        .no_deep_data()
        .largest_resolution_level()
        .all_channels()
        .first_valid_layer()
        .all_attributes()
        .from_file(path)
        .map_err(|e| decode_error(path, e))?;
    let layer = image.layer_data;
    let (width, height) = (layer.size.width(), layer.size.height());
    let channels = &layer.channel_data.list;
    let find = |name: &str| channels.iter().position(|c| c.name.eq(name));
    let names: Vec<String> = channels.iter().map(|c| c.name.to_string()).collect();
    let sample_type = channels
        .first()
        .map(|c| match c.sample_data {
            FlatSamples::F16(_) => SampleType::F16,
            FlatSamples::F32(_) => SampleType::F32,
            FlatSamples::U32(_) => SampleType::U32,
        })
        .unwrap_or(SampleType::F16);

    let a = find("A");
    let colour: Vec<usize> = (0..channels.len()).filter(|i| Some(*i) != a).collect();
    let (r, g, b, y) = (find("R"), find("G"), find("B"), find("Y"));
    let count = width * height;
    // Which channel feeds R, G and B: RGB as named; luminance (Y) or a lone channel as grey; a
    // partial RGB set with its missing channels black, as OpenEXR viewers show it.
    let sources: [Option<usize>; 3] = if colour.len() == 1 {
        notes.push(format!("single channel {} shown as grey", names[colour[0]]));
        [Some(colour[0]); 3]
    } else if r.is_some() || g.is_some() || b.is_some() {
        [r, g, b]
    } else if let Some(y) = y {
        [Some(y); 3]
    } else {
        return Err(MediaError::Decode {
            path: path.to_path_buf(),
            format: "OpenEXR",
            message: format!("no R, G, B or Y channels in the first layer (found {})", names.join(", ")),
        });
    };
    let planes = [sources[0], sources[1], sources[2], a].map(|s| s.map(|s| &channels[s].sample_data));
    let pixels = interleave(count, planes);
    let frame = Frame { width: width as u32, height: height as u32, pixels };
    let info = ImageInfo {
        format: FileFormat::Exr,
        width: width as u32,
        height: height as u32,
        channels: names,
        sample_type,
        notes,
    };
    Ok(LoadedImage { frame, info })
}

/// Writes RGB or RGBA as half or float, scanline, ZIP compressed (lossless, 16 lines per block, as
/// OpenEXR's ZIP_COMPRESSION): what other tools read everywhere. Blocks are compressed in parallel.
pub fn save(path: &Path, frame: &Frame, alpha: bool, half: bool) -> Result<(), MediaError> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let px = |x: usize, y: usize| frame.pixels[y * w + x];
    let encode_error = |e: exr::error::Error| MediaError::Encode {
        path: path.to_path_buf(),
        format: "OpenEXR",
        message: e.to_string(),
    };
    let size = (w, h);
    let result = match (alpha, half) {
        (true, true) => Image::from_encoded_channels(
            size,
            ENCODING,
            SpecificChannels::rgba(|p: Vec2<usize>| {
                let v = px(p.x(), p.y());
                (f16::from_f32(v[0]), f16::from_f32(v[1]), f16::from_f32(v[2]), f16::from_f32(v[3]))
            }),
        )
        .write()
        .to_file(path),
        (true, false) => Image::from_encoded_channels(
            size,
            ENCODING,
            SpecificChannels::rgba(|p: Vec2<usize>| {
                let v = px(p.x(), p.y());
                (v[0], v[1], v[2], v[3])
            }),
        )
        .write()
        .to_file(path),
        (false, true) => Image::from_encoded_channels(
            size,
            ENCODING,
            SpecificChannels::rgb(|p: Vec2<usize>| {
                let v = px(p.x(), p.y());
                (f16::from_f32(v[0]), f16::from_f32(v[1]), f16::from_f32(v[2]))
            }),
        )
        .write()
        .to_file(path),
        (false, false) => Image::from_encoded_channels(
            size,
            ENCODING,
            SpecificChannels::rgb(|p: Vec2<usize>| {
                let v = px(p.x(), p.y());
                (v[0], v[1], v[2])
            }),
        )
        .write()
        .to_file(path),
    };
    result.map_err(encode_error)
}
