//! Frame I/O on real frames: every format loads, round-trips through export, and bad files give
//! errors (never panics, never huge allocations).

mod common;

use std::path::{Path, PathBuf};

use cinegrade::media::{self, ExrDepth, FileFormat, Frame, MediaError, SampleType, SaveOptions};

fn load(rel: &str) -> media::LoadedImage {
    media::load(&common::data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn save_and_reload(frame: &Frame, dir: &Path, name: &str, options: SaveOptions) -> media::LoadedImage {
    let path = dir.join(name);
    media::save(frame, &path, &options).unwrap_or_else(|e| panic!("save {name}: {e}"));
    media::load(&path).unwrap_or_else(|e| panic!("reload {name}: {e}"))
}

#[test]
fn png_8bit_loads_as_exact_code_values_and_round_trips() {
    let img = load("frames/chelsea.png");
    assert_eq!((img.info.width, img.info.height, img.info.format), (451, 300, FileFormat::Png));
    assert_eq!(img.info.sample_type, SampleType::U8);
    assert_eq!(img.info.channels, ["R", "G", "B"]);
    assert!(img.frame.pixels.iter().all(|p| p[3] == 1.0));
    // 8-bit values decode to k/255 exactly.
    for px in img.frame.pixels.iter().take(500) {
        for v in &px[..3] {
            assert_eq!((v * 255.0).round() / 255.0, *v);
        }
    }
    let dir = common::temp_dir("png");
    let png8 = save_and_reload(&img.frame, &dir, "c8.png", SaveOptions { png_bits: 8, ..Default::default() });
    assert_eq!(png8.info.sample_type, SampleType::U8);
    assert_eq!(png8.frame, img.frame);
    let png16 = save_and_reload(&img.frame, &dir, "c16.png", SaveOptions { png_bits: 16, ..Default::default() });
    assert_eq!(png16.info.sample_type, SampleType::U16);
    assert_eq!(png16.frame, img.frame, "8-bit values survive a 16-bit PNG exactly");
}

#[test]
fn tiff_16bit_keeps_every_code_value_and_8bit_tiff_loads() {
    let dir = common::temp_dir("tiff");
    // Every 16-bit code value appears once across this ramp.
    let ramp = Frame::from_fn(256, 256, |x, y| {
        let k = (y * 256 + x) as f32 / 65535.0;
        [k, 1.0 - k, (k * 3.0) % 1.0, 1.0]
    });
    let ramp =
        Frame { pixels: ramp.pixels.iter().map(|p| p.map(|v| (v * 65535.0).round() / 65535.0)).collect(), ..ramp };
    let back = save_and_reload(&ramp, &dir, "ramp.tif", SaveOptions::default());
    assert_eq!(back.info.sample_type, SampleType::U16);
    assert_eq!(back.frame, ramp);
    // A real photograph through TIFF 16.
    let photo = load("frames/chelsea.png").frame;
    assert_eq!(save_and_reload(&photo, &dir, "chelsea.tif", SaveOptions::default()).frame, photo);
    // Real TIFFs written by ImageMagick from the same photograph: 8-bit LZW and 16-bit ZIP.
    let crop = photo.crop(150, 80, 160, 120);
    for (rel, sample) in [("frames/chelsea_8bit.tif", SampleType::U8), ("frames/chelsea_16bit.tif", SampleType::U16)] {
        let tif = load(rel);
        assert_eq!((tif.info.format, tif.info.sample_type), (FileFormat::Tiff, sample), "{rel}");
        assert_eq!(tif.frame, crop, "{rel} holds the same code values as the PNG");
    }
    let png16 = load("frames/chelsea_crop_16bit.png");
    assert_eq!(png16.info.sample_type, SampleType::U16);
    assert_eq!(png16.frame, crop);
}

#[test]
fn unsupported_tiff_variant_is_a_clear_error() {
    // scikit-image's multi-page 64-bit float TIFF: not a delivery format; refused with the reason.
    let err = media::load(&common::data("frames/multipage_rgb.tif")).unwrap_err().to_string();
    assert!(err.contains("multipage_rgb.tif") && err.contains("TIFF"), "{err}");
}

#[test]
fn jpeg_loads_and_round_trips_within_compression_error() {
    let img = load("frames/rocket.jpg");
    assert_eq!((img.info.width, img.info.height, img.info.sample_type), (640, 427, SampleType::U8));
    let dir = common::temp_dir("jpeg");
    let back = save_and_reload(&img.frame, &dir, "rocket.jpg", SaveOptions::default());
    let mean_err: f32 = img.frame.pixels.iter().zip(&back.frame.pixels).map(|(a, b)| (a[0] - b[0]).abs()).sum::<f32>()
        / img.frame.pixels.len() as f32;
    assert!(mean_err < 0.01, "mean error {mean_err}");
}

fn same_bits(a: &Frame, b: &Frame) -> bool {
    a.pixels
        .iter()
        .zip(&b.pixels)
        .all(|(p, q)| p.iter().zip(q).all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())))
        && a.pixels.len() == b.pixels.len()
}

#[test]
fn exr_half_keeps_every_half_value_including_inf_and_nan() {
    let img = load("frames/TestImages_AllHalfValues.exr");
    assert_eq!(img.info.sample_type, SampleType::F16);
    let (_, hi, non_finite) = img.frame.value_range();
    assert!(hi[0] >= 65504.0, "largest half value present, got {}", hi[0]);
    assert!(non_finite > 0, "infinities and NaNs are kept, never clamped");
    let dir = common::temp_dir("exr-half");
    let back =
        save_and_reload(&img.frame, &dir, "half.exr", SaveOptions { exr_depth: ExrDepth::Half, ..Default::default() });
    assert_eq!(back.info.sample_type, SampleType::F16);
    assert!(same_bits(&img.frame, &back.frame));
}

#[test]
fn exr_float_wide_range_round_trips_bit_exact() {
    let img = load("frames/TestImages_WideFloatRange.exr");
    assert_eq!(img.info.channels, ["G"]);
    assert!(img.info.notes.iter().any(|n| n.contains("single channel G")), "{:?}", img.info.notes);
    assert!(img.frame.pixels.iter().all(|p| p[0].to_bits() == p[1].to_bits() && p[1].to_bits() == p[2].to_bits()));
    let (lo, hi, _) = img.frame.value_range();
    assert!(hi[0] > 1.0 || lo[0] < 0.0, "values outside 0..1 survive loading: {lo:?} {hi:?}");
    let dir = common::temp_dir("exr-float");
    let back = save_and_reload(
        &img.frame,
        &dir,
        "f.exr",
        SaveOptions { exr_depth: ExrDepth::Float, alpha: true, ..Default::default() },
    );
    assert_eq!(back.info.sample_type, SampleType::F32);
    assert!(back.info.has_alpha());
    assert!(same_bits(&img.frame, &back.frame));
}

/// The exr crate's general reader (an independent decoder) on `path`: RGBA as f32, alpha 1 if absent.
fn exr_crate_rgba(path: &Path) -> Frame {
    use exr::prelude::*;
    let image = read_first_rgba_layer_from_file(
        path,
        |size, _| Frame::from_fn(size.width() as u32, size.height() as u32, |_, _| [0.0; 4]),
        |frame: &mut Frame, pos, (r, g, b, a): (f32, f32, f32, f32)| {
            let w = frame.width as usize;
            frame.pixels[pos.y() * w + pos.x()] = [r, g, b, a];
        },
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    image.layer_data.channel_data.pixels
}

/// Scanline EXRs written by OpenEXR itself (oiiotool 3.2 from `ScanLines_Desk.exr`, a 161x121 cut:
/// ZIP half, ZIPS float, and uncompressed half with the data window at 200,300 of the 644x874
/// display window) go through cinegrade's own block decoder; each must give exactly the samples the
/// exr crate's general reader gives, including the last, partial 16-line block.
#[test]
fn exr_scanline_zip_files_from_openexr_decode_as_the_exr_crate_decodes_them() {
    for (rel, sample, compression) in [
        ("frames/Desk_zip.exr", SampleType::F16, "ZIP16"),
        ("frames/Desk_zips_float.exr", SampleType::F32, "ZIP1"),
        ("frames/Desk_none_window.exr", SampleType::F16, "Uncompressed"),
    ] {
        let ours = load(rel);
        assert_eq!((ours.info.width, ours.info.height, ours.info.sample_type), (161, 121, sample), "{rel}");
        assert_eq!(ours.info.channels, ["A", "B", "G", "R"], "{rel}");
        assert!(ours.info.notes.iter().any(|n| n.contains(compression)), "{rel}: {:?}", ours.info.notes);
        let theirs = exr_crate_rgba(&common::data(rel));
        assert!(same_bits(&ours.frame, &theirs), "{rel}: decodes differently from the exr crate");
    }
    // The three files hold the same picture (half, float and half again).
    let zip = load("frames/Desk_zip.exr").frame;
    assert!(same_bits(&zip, &load("frames/Desk_none_window.exr").frame));
    let float = load("frames/Desk_zips_float.exr").frame;
    assert!(zip.pixels.iter().zip(&float.pixels).all(|(a, b)| a == b), "half values widened to float are exact");
}

/// cinegrade's EXR writer (its own ZIP blocks) read back by the exr crate: the same samples, so a
/// writer bug cannot hide behind the matching reader. A 4K-wide frame exercises whole blocks and a
/// partial last one; the smooth picture must actually compress.
#[test]
fn exr_written_by_cinegrade_reads_the_same_in_the_exr_crate() {
    let dir = common::temp_dir("exr-writer");
    let frame = Frame::from_fn(3840, 37, |x, y| {
        let t = x as f32 / 3839.0;
        [t * 4.0 - 1.0, (y as f32 / 36.0).powf(2.2), 0.5 + 0.25 * (t * 40.0).sin(), 1.0 - t]
    });
    for (depth, name) in [(ExrDepth::Half, "half.exr"), (ExrDepth::Float, "float.exr")] {
        let path = dir.join(name);
        media::save(&frame, &path, &SaveOptions { exr_depth: depth, alpha: true, ..Default::default() }).unwrap();
        let expected = match depth {
            ExrDepth::Half => Frame {
                pixels: frame.pixels.iter().map(|p| p.map(|v| half::f16::from_f32(v).to_f32())).collect(),
                ..frame.clone()
            },
            ExrDepth::Float => frame.clone(),
        };
        assert!(same_bits(&exr_crate_rgba(&path), &expected), "{name}");
        let raw = frame.pixels.len() * 4 * if depth == ExrDepth::Half { 2 } else { 4 };
        let size = std::fs::metadata(&path).unwrap().len() as usize;
        assert!(size < raw * 3 / 4, "{name}: {size} bytes for {raw} bytes of samples: not compressed");
    }
}

/// Decoding into a previous frame's buffer (what a sequence render does) gives exactly what a fresh
/// decode gives: every sample is overwritten, and alpha is 1 for a file without an alpha channel.
#[test]
fn exr_decoded_into_a_reused_buffer_matches_a_fresh_decode() {
    let dir = common::temp_dir("exr-reuse");
    let opaque = Frame::from_fn(161, 121, |x, y| [x as f32 / 160.0, y as f32 / 120.0, 0.5, 1.0]);
    let opaque_path = dir.join("opaque.exr");
    media::save(&opaque, &opaque_path, &SaveOptions::default()).unwrap();
    let paths = [opaque_path, common::data("frames/Desk_zip.exr"), common::data("frames/Desk_zips_float.exr")];
    for path in &paths {
        let fresh = media::load(path).unwrap().frame;
        for stale in [f32::NAN, 0.25, -7.0] {
            let reused = media::load_reusing(path, vec![[stale; 4]; 161 * 121]).unwrap().frame;
            assert!(same_bits(&reused, &fresh), "{} over a buffer of {stale}", path.display());
        }
        // A buffer of another size is resized, not trusted.
        let other = media::load_reusing(path, vec![[9.0; 4]; 10]).unwrap().frame;
        assert!(same_bits(&other, &fresh), "{}", path.display());
    }
}

#[test]
fn corrupt_exr_zip_block_is_an_error_naming_the_file() {
    let dir = common::temp_dir("exr-corrupt");
    let mut bytes = std::fs::read(common::data("frames/Desk_zip.exr")).unwrap();
    // Past the header and offset table, inside the first blocks' deflate streams.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle - 2000..middle] {
        *b ^= 0x5a;
    }
    let path = write_bytes(&dir, "corrupt.exr", &bytes);
    let err = media::load(&path).unwrap_err().to_string();
    // Where: the file and the first line of the damaged block.
    assert!(err.contains("corrupt.exr") && err.contains("OpenEXR") && err.contains("block at line"), "{err}");
}

#[test]
fn exr_tiled_mipmapped_reads_full_resolution() {
    let img = load("frames/MultiResolution_ColorCodedLevels.exr");
    assert_eq!((img.info.width, img.info.height), (512, 512));
    assert!(img.info.notes.iter().any(|n| n.contains("tiled")), "{:?}", img.info.notes);
}

#[test]
fn exr_luminance_only_fills_rgb_with_y() {
    use exr::prelude::*;
    let photo = load("frames/chelsea.png").frame;
    let luma: Vec<f32> = photo.pixels.iter().map(|p| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]).collect();
    let dir = common::temp_dir("exr-y");
    let path = dir.join("y.exr");
    let channels = AnyChannels::sort(SmallVec::from_vec(vec![AnyChannel::new("Y", FlatSamples::F32(luma.clone()))]));
    Image::from_layer(Layer::new(
        (photo.width as usize, photo.height as usize),
        LayerAttributes::default(),
        Encoding::FAST_LOSSLESS,
        channels,
    ))
    .write()
    .to_file(&path)
    .unwrap();
    let img = media::load(&path).unwrap();
    assert_eq!(img.info.channels, ["Y"]);
    for (px, y) in img.frame.pixels.iter().zip(&luma) {
        assert_eq!([px[0], px[1], px[2], px[3]], [*y, *y, *y, 1.0]);
    }
}

#[test]
fn exr_luminance_chroma_subsampled_is_refused_with_a_reason() {
    let err = media::load(&common::data("frames/Chromaticities_Rec709_YC.exr")).unwrap_err().to_string();
    assert!(err.contains("Chromaticities_Rec709_YC.exr") && err.contains("subsampl"), "{err}");
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn truncated_files_of_every_format_are_errors() {
    let dir = common::temp_dir("truncated");
    for rel in [
        "frames/chelsea.png",
        "frames/rocket.jpg",
        "frames/chelsea_16bit.tif",
        "frames/TestImages_WideFloatRange.exr",
        "frames/Desk_zip.exr",
    ] {
        let bytes = std::fs::read(common::data(rel)).unwrap();
        let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
        // Cutting a TIFF's or JPEG's last bytes may only remove padding, so those are cut in the middle.
        let late =
            if name.ends_with(".png") || name.ends_with(".exr") { bytes.len() - 10 } else { bytes.len() * 2 / 3 };
        for cut in [0, 8, 100, bytes.len() / 3, late] {
            let path = write_bytes(&dir, &format!("cut{cut}-{name}"), &bytes[..cut]);
            match media::load(&path) {
                Err(e) => assert!(e.to_string().contains(&format!("cut{cut}-{name}")), "error names the file: {e}"),
                // A JPEG cut near its end can still decode (the decoder pads); a partial picture is
                // acceptable there, a panic never is.
                Ok(_) if name.ends_with(".jpg") && cut > 100 => {}
                Ok(_) => panic!("{name} cut at {cut} bytes decoded without error"),
            }
        }
    }
}

#[test]
fn garbage_unknown_and_missing_files_are_errors() {
    let dir = common::temp_dir("garbage");
    for name in ["x.png", "x.jpg", "x.tif", "x.exr"] {
        let path = write_bytes(&dir, name, b"this is not an image at all, just words");
        assert!(media::load(&path).is_err(), "{name}");
    }
    let bmp = write_bytes(&dir, "x.bmp", b"BM");
    assert!(matches!(media::load(&bmp), Err(MediaError::UnknownFormat(_))));
    assert!(matches!(media::load(&dir.join("missing.png")), Err(MediaError::Io { .. })));
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn absurd_dimensions_are_refused_before_decoding() {
    let dir = common::temp_dir("absurd");
    // A valid PNG header declaring 1,000,000 x 1,000,000 pixels, then nothing.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(1_000_000u32.to_be_bytes());
    ihdr.extend(1_000_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // A short IDAT and IEND so the header reads completely; the pixel data is of course missing.
    for (kind, data) in [(&b"IDAT"[..], &b"\x78\x9c\x03\x00\x00\x00\x00\x01"[..]), (&b"IEND"[..], &b""[..])] {
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    let path = write_bytes(&dir, "huge.png", &png);
    let err = media::load(&path).unwrap_err();
    assert!(matches!(err, MediaError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("1000000x1000000"), "{err}");

    // An EXR whose dataWindow claims a 2-billion-pixel-wide image.
    let mut exr = std::fs::read(common::data("frames/TestImages_WideFloatRange.exr")).unwrap();
    let key = b"dataWindow\0box2i\0";
    let at = exr.windows(key.len()).position(|w| w == key).unwrap() + key.len() + 4;
    exr[at + 8..at + 12].copy_from_slice(&2_000_000_000i32.to_le_bytes());
    let path = write_bytes(&dir, "huge.exr", &exr);
    assert!(media::load(&path).is_err());
}

#[test]
fn export_never_replaces_an_existing_file_unless_asked() {
    let dir = common::temp_dir("overwrite");
    let frame = Frame::filled(4, 4, [0.5, 0.25, 0.125, 1.0]);
    let path = dir.join("still.png");
    media::save(&frame, &path, &SaveOptions::default()).unwrap();
    let before = std::fs::read(&path).unwrap();
    let other = Frame::filled(4, 4, [1.0, 0.0, 0.0, 1.0]);
    let err = media::save(&other, &path, &SaveOptions::default()).unwrap_err();
    assert!(matches!(err, MediaError::WouldOverwrite(_)), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    media::save(&other, &path, &SaveOptions { overwrite: true, ..Default::default() }).unwrap();
    assert_ne!(std::fs::read(&path).unwrap(), before);
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}
