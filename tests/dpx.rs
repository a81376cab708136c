//! DPX against the tools a post house uses: files written by OpenImageIO and FFmpeg in every layout
//! (tests/data/dpx/make_fixtures.py made them, and the writing tool's own decode of each) read as
//! exactly the codes those tools decode; what Cinegrade writes reads back as the codes it meant in
//! OpenImageIO (committed decode of committed files, which today's writer must still write byte for
//! byte) and in FFmpeg (run live); bad files are clear errors.

mod common;

use std::path::Path;
use std::process::Command;

use cinegrade::media::{self, DpxDepth, DpxTags, Frame, MediaError, SampleType, SaveOptions, dpx};

/// Every fixture: name, bits per sample, channels.
const FIXTURES: &[(&str, u32, usize)] = &[
    ("oiio_rgb8_le", 8, 3),
    ("oiio_rgb10_filled_a_be", 10, 3),
    ("oiio_rgb10_filled_a_le", 10, 3),
    ("oiio_rgb10_filled_b_be", 10, 3),
    ("oiio_rgb10_packed_be", 10, 3),
    ("oiio_rgb12_packed_be", 12, 3),
    ("oiio_rgb16_be", 16, 3),
    ("oiio_rgba10_filled_a_be", 10, 4),
    ("oiio_luma10_packed_le", 10, 1),
    ("oiio_luma16_be", 16, 1),
    ("ffmpeg_rgb8", 8, 3),
    ("ffmpeg_rgb10", 10, 3),
    ("ffmpeg_rgb12", 12, 3),
    ("ffmpeg_rgb16", 16, 3),
    ("ffmpeg_rgba16", 16, 4),
    ("ffmpeg_luma8", 8, 1),
    ("ffmpeg_luma16", 16, 1),
    ("script_rgb12_filled_b_be", 12, 3),
    ("script_luma10_filled_a_be", 10, 1),
];

fn fixture(name: &str) -> std::path::PathBuf {
    common::data(&format!("dpx/{name}.dpx"))
}

/// The integer codes of a frame at `bits` per sample, asserting each value is exactly a code.
fn codes(frame: &Frame, bits: u32, channels: usize, exact: bool, what: &str) -> Vec<u32> {
    let max = ((1u64 << bits) - 1) as f32;
    let mut out = Vec::new();
    for (i, p) in frame.pixels.iter().enumerate() {
        let take: &[usize] = if channels == 1 {
            &[0]
        } else if channels == 3 {
            &[0, 1, 2]
        } else {
            &[0, 1, 2, 3]
        };
        for &c in take {
            let code = (p[c] * max).round();
            if exact {
                assert_eq!(p[c], code / max, "{what}: pixel {i} channel {c} is not a whole code");
            }
            out.push(code as u32);
        }
    }
    out
}

/// The writing tool's own decode of a fixture, as codes: FFmpeg's raw samples (`.ref.raw`) or
/// oiiotool's float EXR (`.ref.exr`).
fn reference_codes(name: &str, bits: u32, channels: usize) -> Vec<u32> {
    let raw = common::data(&format!("dpx/{name}.ref.raw"));
    if raw.exists() {
        let bytes = std::fs::read(raw).unwrap();
        return bytes.chunks_exact(2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]]))).collect();
    }
    let reference = media::load(&common::data(&format!("dpx/{name}.ref.exr"))).unwrap();
    codes(&reference.frame, bits, channels, false, name)
}

#[test]
fn every_layout_written_by_openimageio_and_ffmpeg_reads_as_their_codes() {
    for &(name, bits, channels) in FIXTURES {
        let loaded = media::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((loaded.info.width, loaded.info.height), (29, 17), "{name}");
        assert_eq!(loaded.info.channels.len(), channels, "{name}");
        let want_type = match bits {
            8 => SampleType::U8,
            10 => SampleType::U10,
            12 => SampleType::U12,
            _ => SampleType::U16,
        };
        assert_eq!(loaded.info.sample_type, want_type, "{name}");
        let got = codes(&loaded.frame, bits, channels, true, name);
        let want = reference_codes(name, bits, channels);
        let differ = got.iter().zip(&want).filter(|(a, b)| a != b).count();
        assert_eq!(differ, 0, "{name}: {differ} of {} codes differ from oiiotool's decode", want.len());
        if channels == 1 {
            assert!(
                loaded.frame.pixels.iter().all(|p| p[0] == p[1] && p[1] == p[2] && p[3] == 1.0),
                "{name}: luma to grey"
            );
        }
        if channels == 3 {
            assert!(loaded.frame.pixels.iter().all(|p| p[3] == 1.0), "{name}: opaque");
        }
        // The picture is a real photo: not flat, not black.
        let distinct: std::collections::HashSet<u32> = got.iter().copied().collect();
        assert!(distinct.len() > 50, "{name}: only {} distinct codes", distinct.len());
    }
}

#[test]
fn header_facts_and_padding_are_reported() {
    let oiio = dpx::read_header(&fixture("oiio_rgb10_filled_a_le")).unwrap();
    assert!(!oiio.big_endian);
    assert_eq!((oiio.version.as_str(), oiio.transfer, oiio.bit_depth), ("V2.0", 6, 10));
    assert_eq!(oiio.packing, dpx::Packing::FilledA);
    assert_eq!(oiio.input_space_hint(), Some("rec709-display"));
    assert!(oiio.creator.starts_with("OpenImageIO"), "{}", oiio.creator);
    let ff = dpx::read_header(&fixture("ffmpeg_rgb10")).unwrap();
    assert!(ff.big_endian);
    assert_eq!((ff.transfer, ff.data_offset), (2, 1664));
    // FFmpeg writes no industry headers: its pixel data where the timecode would be is not one.
    assert_eq!(ff.timecode, None);
    // OpenImageIO writes 8-bit lines back to back (87 bytes each); FFmpeg pads them to 88.
    let unpadded = media::load(&fixture("oiio_rgb8_le")).unwrap();
    assert!(unpadded.info.notes.iter().any(|n| n.contains("not padded")), "{:?}", unpadded.info.notes);
    let padded = media::load(&fixture("ffmpeg_rgb8")).unwrap();
    assert!(!padded.info.notes.iter().any(|n| n.contains("not padded")));
}

#[test]
fn timecode_and_frame_rate_of_the_television_header_are_read() {
    let mut bytes = std::fs::read(fixture("oiio_rgb10_filled_a_be")).unwrap();
    bytes[1920..1924].copy_from_slice(&0x0100_2312u32.to_be_bytes());
    bytes[1940..1944].copy_from_slice(&24.0f32.to_bits().to_be_bytes());
    let header = dpx::parse_header(Path::new("tc.dpx"), &bytes).unwrap();
    assert_eq!(header.timecode.as_deref(), Some("01:00:23:12"));
    assert_eq!(header.frame_rate, Some(24.0));
    let notes = header.notes().join("\n");
    assert!(notes.contains("timecode: 01:00:23:12") && notes.contains("frame rate: 24"), "{notes}");
}

/// The codes Cinegrade means to write for a 16-bit source at `bits`.
fn requantized(name: &str, channels: usize, bits: u32) -> Vec<u32> {
    let max = ((1u64 << bits) - 1) as f32;
    reference_codes(name, 16, channels).iter().map(|&c| ((c as f32 / 65535.0) * max).round() as u32).collect()
}

#[test]
fn what_cinegrade_writes_openimageio_reads_as_the_codes_meant() {
    for (written, source, channels, bits) in [
        ("cinegrade_rgb10", "oiio_rgb16_be", 3, 10),
        ("cinegrade_rgb16", "oiio_rgb16_be", 3, 16),
        ("cinegrade_rgba10", "ffmpeg_rgba16", 4, 10),
    ] {
        // oiiotool's decode of the committed file is the codes meant...
        assert_eq!(reference_codes(written, bits, channels), requantized(source, channels, bits), "{written}");
        // ...and today's writer still writes that file.
        let frame = media::load(&fixture(source)).unwrap().frame;
        let depth = if bits == 10 { DpxDepth::Ten } else { DpxDepth::Sixteen };
        let bytes = dpx::encode(&frame, channels == 4, depth, DpxTags::default());
        assert!(bytes == std::fs::read(fixture(written)).unwrap(), "{written}: the writer's output changed");
    }
}

/// FFmpeg's decode of a DPX as raw planar or packed samples, or `None` without ffmpeg (a failure
/// when `CI` is set: CI installs it).
fn ffmpeg_raw(path: &Path, pix_fmt: &str) -> Option<Vec<u16>> {
    let out = match Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "rawvideo", "-pix_fmt", pix_fmt, "-"])
        .output()
    {
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipping: ffmpeg not found ({e})");
            return None;
        }
        Err(e) => panic!("CI is set and ffmpeg cannot run: {e}"),
    };
    assert!(out.status.success(), "ffmpeg: {}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect())
}

#[test]
fn what_cinegrade_writes_ffmpeg_reads_as_the_codes_meant() {
    let dir = common::temp_dir("dpx-ffmpeg");
    let frame = media::load(&fixture("oiio_rgb16_be")).unwrap().frame;
    let (w, h) = (frame.width as usize, frame.height as usize);
    for (bits, depth, pix_fmt) in [(10, DpxDepth::Ten, "gbrp10le"), (16, DpxDepth::Sixteen, "rgb48le")] {
        let path = dir.join(format!("out{bits}.dpx"));
        let options = SaveOptions { dpx_depth: depth, ..SaveOptions::default() };
        media::save(&frame, &path, &options).unwrap();
        let Some(raw) = ffmpeg_raw(&path, pix_fmt) else { return };
        let meant = requantized("oiio_rgb16_be", 3, bits);
        let got: Vec<u32> = if bits == 10 {
            // Planar G, B, R.
            (0..w * h).flat_map(|i| [raw[2 * w * h + i], raw[i], raw[w * h + i]]).map(u32::from).collect()
        } else {
            raw.iter().map(|&v| u32::from(v)).collect()
        };
        assert_eq!(got.len(), meant.len());
        let differ = got.iter().zip(&meant).filter(|(a, b)| a != b).count();
        assert_eq!(differ, 0, "{bits}-bit: {differ} codes differ in FFmpeg's decode");
        // And Cinegrade reads its own file back as those codes.
        let back = media::load(&path).unwrap();
        assert_eq!(codes(&back.frame, bits, 3, true, "read back"), meant);
    }
}

#[test]
fn sequences_and_render_write_dpx() {
    let dir = common::temp_dir("dpx-render");
    let src = dir.join("plate.1001.dpx");
    std::fs::copy(fixture("oiio_rgb10_filled_a_be"), &src).unwrap();
    std::fs::copy(fixture("ffmpeg_rgb10"), dir.join("plate.1002.dpx")).unwrap();
    let out = common::cinegrade(&[
        "render",
        dir.join("plate.####.dpx").to_str().unwrap(),
        "-o",
        dir.join("out/graded.#######.dpx").to_str().unwrap(),
        "--output-space",
        "rec709-display",
        "--input-space",
        "rec709-display",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    for f in [1001, 1002] {
        let path = dir.join(format!("out/graded.{f:07}.dpx"));
        let header = dpx::read_header(&path).unwrap();
        assert_eq!((header.bit_depth, header.packing, header.big_endian), (10, dpx::Packing::FilledA, true));
        assert_eq!((header.transfer, header.colorimetric), (6, 6), "tagged with the output space");
        // An identity conversion: the codes survive.
        let got = media::load(&path).unwrap();
        let want = media::load(&dir.join(format!("plate.{f}.dpx"))).unwrap();
        assert_eq!(codes(&got.frame, 10, 3, true, "out"), codes(&want.frame, 10, 3, true, "in"), "frame {f}");
    }
    let out = common::cinegrade(&["info", src.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "DPX",
        "10-bit integer",
        "transfer: ITU-R BT.709 (6)",
        "input space hint: rec709-display",
        "creator: OpenImageIO",
    ] {
        assert!(text.contains(want), "info lacks {want:?}:\n{text}");
    }
    let bad = common::cinegrade(&[
        "render",
        src.to_str().unwrap(),
        "-o",
        dir.join("x.dpx").to_str().unwrap(),
        "--depth",
        "half",
    ]);
    assert!(!bad.status.success() && common::stderr(&bad).contains("10 or 16"), "{}", common::stderr(&bad));
}

#[test]
fn broken_dpx_files_are_errors_naming_the_file() {
    let dir = common::temp_dir("dpx-bad");
    let good = std::fs::read(fixture("oiio_rgb10_packed_be")).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    for cut in [0, 3, 100, 1663, 2000, good.len() / 2, good.len() - 1] {
        let path = write(&format!("cut{cut}.dpx"), &good[..cut]);
        let err = media::load(&path).unwrap_err();
        assert!(err.to_string().contains(&format!("cut{cut}.dpx")), "{err}");
    }
    let patched = |at: usize, bytes: &[u8]| {
        let mut b = good.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        b
    };
    // Absurd dimensions are refused before anything is allocated.
    let huge = write("huge.dpx", &patched(772, &1_000_000u32.to_be_bytes()));
    assert!(matches!(media::load(&huge), Err(MediaError::TooLarge { .. })));
    for (name, at, bytes, says) in [
        ("magic.dpx", 0, &b"XXXX"[..], "not a DPX"),
        ("elements.dpx", 770, &[0, 9][..], "image elements"),
        ("descriptor.dpx", 800, &[100][..], "descriptor 100"),
        ("depth.dpx", 803, &[32][..], "32-bit"),
        ("rle.dpx", 806, &[0, 1][..], "run-length"),
        ("element_offset.dpx", 808, &0x7FFF_0000u32.to_be_bytes()[..], "outside the file"),
    ] {
        let err = media::load(&write(name, &patched(at, bytes))).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
    }
}
