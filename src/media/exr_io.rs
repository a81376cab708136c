//! OpenEXR through the `exr` crate: scanline and tiled, half, float and uint, RGB(A) and luminance (Y).

use std::path::Path;

use exr::prelude::{FlatSamples, ReadChannels, ReadLayers, read};
use half::f16;
use half::slice::HalfFloatSliceExt;

use super::exr_scanline;
use super::{FileFormat, Frame, HalfFrame, ImageInfo, LoadedImage, MediaError, SampleType};

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

fn decode_error(path: &Path, e: exr::error::Error) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: "OpenEXR", message: e.to_string() }
}

/// Which channel (index into `names`) feeds R, G, B and A: RGB as named; luminance (Y) or a lone
/// channel as grey; a partial RGB set with its missing channels black, as OpenEXR viewers show it.
fn channel_sources(path: &Path, names: &[String], notes: &mut Vec<String>) -> Result<[Option<usize>; 4], MediaError> {
    let find = |name: &str| names.iter().position(|c| c == name);
    let a = find("A");
    let colour: Vec<usize> = (0..names.len()).filter(|i| Some(*i) != a).collect();
    let (r, g, b, y) = (find("R"), find("G"), find("B"), find("Y"));
    let [r, g, b] = if colour.len() == 1 {
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
    Ok([r, g, b, a])
}

fn sample_type(t: exr::meta::attribute::SampleType) -> SampleType {
    match t {
        exr::meta::attribute::SampleType::F16 => SampleType::F16,
        exr::meta::attribute::SampleType::F32 => SampleType::F32,
        exr::meta::attribute::SampleType::U32 => SampleType::U32,
    }
}

/// Decodes the first valid layer (its full-resolution level) of an EXR; scanline ZIP or uncompressed
/// files decode into `buffer`'s allocation.
pub fn load(path: &Path, buffer: Vec<[f32; 4]>) -> Result<LoadedImage, MediaError> {
    match load_with(path, buffer, None)? {
        Loaded::Float(image) => Ok(image),
        Loaded::Half(frame, info) => Ok(LoadedImage { frame: frame.to_frame(), info }),
    }
}

/// What [`load_with`] decoded.
pub enum Loaded {
    /// Working floats.
    Float(LoadedImage),
    /// The file's half samples as they are.
    Half(HalfFrame, ImageInfo),
}

/// [`load`], or, given `half` (a buffer to reuse), the file's half samples as they are when every
/// channel it reads is half and the fast path reads the file.
pub fn load_with(path: &Path, buffer: Vec<[f32; 4]>, half: Option<Vec<[f16; 4]>>) -> Result<Loaded, MediaError> {
    // The header first: refuse absurd data windows before any sample buffer is allocated. The fast
    // path goes on reading blocks from this same reader.
    let file = std::fs::File::open(path).map_err(|source| MediaError::Io { path: path.to_path_buf(), source })?;
    let reader =
        exr::block::read(std::io::BufReader::with_capacity(1 << 20, file), false).map_err(|e| decode_error(path, e))?;
    let meta = reader.meta_data();
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
    let info = |width: usize, height: usize, channels: Vec<String>, sample_type, notes| ImageInfo {
        format: FileFormat::Exr,
        width: width as u32,
        height: height as u32,
        channels,
        sample_type,
        notes,
    };

    if exr_scanline::handles(meta) {
        let names: Vec<String> = header.channels.list.iter().map(|c| c.name.to_string()).collect();
        let sources = channel_sources(path, &names, &mut notes)?;
        let first = header.channels.list.first().map_or(SampleType::F16, |c| sample_type(c.sample_type));
        let all_half = sources
            .iter()
            .flatten()
            .all(|&c| header.channels.list[c].sample_type == exr::meta::attribute::SampleType::F16);
        let info = info(size.width(), size.height(), names, first, notes);
        if let (Some(half), true) = (half, all_half) {
            return Ok(Loaded::Half(exr_scanline::load_half(path, reader, sources, half)?, info));
        }
        let frame = exr_scanline::load(path, reader, sources, buffer)?;
        return Ok(Loaded::Float(LoadedImage { frame, info }));
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
    let names: Vec<String> = channels.iter().map(|c| c.name.to_string()).collect();
    let first = channels
        .first()
        .map(|c| match c.sample_data {
            FlatSamples::F16(_) => SampleType::F16,
            FlatSamples::F32(_) => SampleType::F32,
            FlatSamples::U32(_) => SampleType::U32,
        })
        .unwrap_or(SampleType::F16);
    let sources = channel_sources(path, &names, &mut notes)?;
    let planes = sources.map(|s| s.map(|s| &channels[s].sample_data));
    let pixels = interleave(width * height, planes);
    let frame = Frame { width: width as u32, height: height as u32, pixels };
    Ok(Loaded::Float(LoadedImage { frame, info: info(width, height, names, first, notes) }))
}

/// Writes RGB or RGBA as half or float, scanline, ZIP compressed (lossless, 16 lines per block, as
/// OpenEXR's ZIP_COMPRESSION): what other tools read everywhere. Blocks are compressed in parallel.
pub fn save(path: &Path, frame: &Frame, alpha: bool, half: bool) -> Result<(), MediaError> {
    exr_scanline::save(path, frame, alpha, half)
}

/// [`save`] of half samples, written as they are.
pub fn save_half(path: &Path, frame: &HalfFrame, alpha: bool) -> Result<(), MediaError> {
    exr_scanline::save_half(path, frame, alpha)
}
