//! OpenEXR through the `exr` crate: scanline and tiled, half, float and uint, RGB(A) and luminance (Y).

use std::path::Path;

use std::borrow::Cow;

use exr::prelude::{
    Encoding, FlatSamples, Image, ReadChannels, ReadLayers, SpecificChannels, Vec2, WritableImage, f16, read,
};
use half::slice::HalfFloatSliceExt;

use super::{FileFormat, Frame, ImageInfo, LoadedImage, MediaError, SampleType};

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
    // Whole channels converted at once (half to float with the CPU's conversion instructions where it
    // has them), then interleaved: several times faster than converting sample by sample.
    let plane = |source: Option<usize>, fill: f32| -> Cow<'_, [f32]> {
        match source.map(|s| &channels[s].sample_data) {
            None => Cow::Owned(vec![fill; count]),
            Some(FlatSamples::F32(v)) => Cow::Borrowed(v),
            Some(FlatSamples::F16(v)) => {
                let mut out = vec![0.0; v.len()];
                v.convert_to_f32_slice(&mut out);
                Cow::Owned(out)
            }
            Some(FlatSamples::U32(v)) => Cow::Owned(v.iter().map(|&u| u as f32).collect()),
        }
    };
    let (pr, pg, pb, pa) = (plane(sources[0], 0.0), plane(sources[1], 0.0), plane(sources[2], 0.0), plane(a, 1.0));
    let pixels: Vec<[f32; 4]> = (0..count).map(|i| [pr[i], pg[i], pb[i], pa[i]]).collect();
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
