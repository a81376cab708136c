//! Video clips against FFmpeg's own conversion: clips the tests make with the `ffmpeg` command from a
//! real photograph (scikit-image's `chelsea`, a different crop each frame so frames differ) in each
//! codec an editor hands over, decoded by Cinegrade and compared with FFmpeg's zimg conversion
//! (`zscale`, float RGB, same matrix and range, "left" chroma siting) of the very same frame: within
//! one 10-bit code. Without `ffmpeg` these skip, except under `CI` (which installs it), where they fail.
#![cfg(feature = "video")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cinegrade::media::{self, MediaError, video};

/// Whether `ffmpeg` runs; a failure under CI.
fn have_ffmpeg() -> bool {
    match Command::new("ffmpeg").arg("-version").output() {
        Ok(out) if out.status.success() => true,
        _ if std::env::var_os("CI").is_some() => panic!("CI is set and the ffmpeg command cannot run"),
        _ => {
            eprintln!("skipping: no ffmpeg command");
            false
        }
    }
}

fn ffmpeg(args: &[&str]) -> Vec<u8> {
    let out = Command::new("ffmpeg").args(["-v", "error", "-y"]).args(args).output().expect("ffmpeg runs");
    assert!(out.status.success(), "ffmpeg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// A clip of `frames` frames, 160x96 crops of chelsea moving 2 px right and 1 px down a frame,
/// encoded with `codec` (ffmpeg arguments) and tagged BT.709, limited range.
fn make_clip(dir: &Path, name: &str, frames: u32, codec: &[&str]) -> PathBuf {
    make_clip_sized(dir, name, frames, codec, (160, 96))
}

/// [`make_clip`] at another size (DNxHR needs at least 256x120).
fn make_clip_sized(dir: &Path, name: &str, frames: u32, codec: &[&str], (w, h): (u32, u32)) -> PathBuf {
    let out = dir.join(name);
    let src = common::data("frames/chelsea.png");
    let n = frames.to_string();
    let mut args = vec!["-loop", "1", "-framerate", "24", "-i", src.to_str().unwrap()];
    let tags = "setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv";
    let filter = format!("crop={w}:{h}:40+n*2:60+n,{tags}");
    args.extend(["-vf", &filter, "-frames:v", &n]);
    args.extend(codec);
    args.push(out.to_str().unwrap());
    ffmpeg(&args);
    out
}

/// FFmpeg's conversion of frame `n` through zimg: float R, G, B (and alpha when asked) per pixel.
fn ffmpeg_rgb(clip: &Path, n: u32, alpha: bool) -> Vec<[f32; 4]> {
    let format = if alpha { "gbrapf32le" } else { "gbrpf32le" };
    let filter = format!(
        "select=eq(n\\,{n}),zscale=matrixin=709:rangein=limited:chromalin=left:range=full:filter=bilinear:dither=none,format={format}"
    );
    let raw = ffmpeg(&["-i", clip.to_str().unwrap(), "-vf", &filter, "-frames:v", "1", "-f", "rawvideo", "-"]);
    let v: Vec<f32> = raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let planes = if alpha { 4 } else { 3 };
    let px = v.len() / planes;
    (0..px).map(|i| [v[2 * px + i], v[i], v[px + i], if alpha { v[3 * px + i] } else { 1.0 }]).collect()
}

const ONE_10BIT_CODE: f32 = 1.0 / 1023.0;

/// How far FFmpeg's reference may be from the exact conversion. zimg resamples subsampled chroma in
/// its integer pipeline and rounds the interpolated (odd-column) samples to a whole code, which moves
/// B by up to half a chroma code times 2(1-Kb) (1.8556 for BT.709): 1.06 10-bit RGB codes for a
/// 10-bit stream, 4.2 for an 8-bit one (measured: exactly that on the columns it rounds, 0 elsewhere,
/// 0 on 4:4:4). The bound is one 10-bit code or that rounding, whichever is larger.
fn tolerance(bits: u8, subsampled: bool) -> f32 {
    let rounding = if subsampled { 0.5 * 1.8556 / (224.0 * f32::from(1u16 << (bits - 8))) } else { 0.0 };
    ONE_10BIT_CODE.max(rounding * 1.0001)
}

struct Case {
    name: &'static str,
    codec: &'static [&'static str],
    want_codec: &'static str,
    want_profile: &'static str,
    pixels: &'static str,
    alpha: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "prores422hq.mov",
        codec: &["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"],
        want_codec: "prores",
        want_profile: "HQ",
        pixels: "yuv422p10le",
        alpha: false,
    },
    Case {
        name: "prores4444.mov",
        codec: &["-c:v", "prores_ks", "-profile:v", "4", "-pix_fmt", "yuva444p10le"],
        want_codec: "prores",
        want_profile: "4444",
        pixels: "yuva444p12le",
        alpha: true,
    },
    Case {
        name: "dnxhr_hqx.mxf",
        codec: &["-c:v", "dnxhd", "-profile:v", "dnxhr_hqx", "-pix_fmt", "yuv422p10le", "-threads", "1"],
        want_codec: "dnxhd",
        want_profile: "DNXHR HQX",
        pixels: "yuv422p10le",
        alpha: false,
    },
    Case {
        name: "h264.mp4",
        codec: &["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", "-g", "4", "-bf", "2"],
        want_codec: "h264",
        want_profile: "High",
        pixels: "yuv420p",
        alpha: false,
    },
    Case {
        name: "hevc10.mp4",
        codec: &[
            "-c:v",
            "libx265",
            "-pix_fmt",
            "yuv420p10le",
            "-crf",
            "12",
            "-x265-params",
            "log-level=error:keyint=4",
        ],
        want_codec: "hevc",
        want_profile: "Main 10",
        pixels: "yuv420p10le",
        alpha: false,
    },
];

#[test]
fn every_codec_decodes_within_one_10bit_code_of_ffmpegs_conversion() {
    if !have_ffmpeg() {
        return;
    }
    let dir = common::temp_dir("video-codecs");
    for case in CASES {
        // DNxHR wants at least 256x120; the others are small to keep the test quick.
        let size = if case.want_codec == "dnxhd" { (256, 128) } else { (160, 96) };
        let clip = make_clip_sized(&dir, case.name, 6, case.codec, size);
        let info = video::probe(&clip).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(info.codec, case.want_codec, "{}", case.name);
        assert_eq!(info.profile.as_deref(), Some(case.want_profile), "{}", case.name);
        assert_eq!(info.pixel_format, case.pixels, "{}", case.name);
        assert_eq!(
            (info.width, info.height, info.frames, info.frame_rate),
            (size.0, size.1, 6, (24, 1)),
            "{}",
            case.name
        );
        assert_eq!((info.matrix.as_str(), info.alpha), ("bt709", case.alpha), "{}", case.name);
        let limit = tolerance(info.bits, !info.pixel_format.contains("444"));
        for n in [0, 3, 5] {
            let ours = media::load_clip_frame(&clip, n).unwrap();
            let theirs = ffmpeg_rgb(&clip, n, case.alpha);
            assert_eq!(ours.frame.pixels.len(), theirs.len(), "{} frame {n}", case.name);
            let (worst, at) = common::max_error(&ours.frame.pixels, &theirs);
            assert!(worst <= limit, "{} frame {n}: {} 10-bit codes off at pixel {at}", case.name, worst * 1023.0);
            // And on average far inside it: a wrong matrix, range or siting is off everywhere.
            let mean: f32 = ours
                .frame
                .pixels
                .iter()
                .zip(&theirs)
                .map(|(a, b)| (0..3).map(|c| (a[c] - b[c]).abs()).sum::<f32>())
                .sum::<f32>()
                / (3 * theirs.len()) as f32;
            assert!(mean <= 0.3 * ONE_10BIT_CODE, "{} frame {n}: mean error {} codes", case.name, mean * 1023.0);
        }
    }
}

#[test]
fn frames_read_in_any_order_equal_frames_read_in_order() {
    if !have_ffmpeg() {
        return;
    }
    let dir = common::temp_dir("video-seek");
    // Long GOPs with B-frames: a jump backward must seek to a key frame and decode forward.
    let clip = make_clip(&dir, "gop.mp4", 60, &["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", "-bf", "3"]);
    let mut reader = video::ClipReader::open(&clip).unwrap();
    let in_order: Vec<_> = (0..60).map(|n| reader.read(n).unwrap().to_frame()).collect();
    // Every frame differs from the next (the crop moves).
    assert!(in_order.windows(2).all(|w| w[0] != w[1]));
    let mut jumper = video::ClipReader::open(&clip).unwrap();
    for n in [59, 3, 31, 30, 0, 52, 26, 27, 1] {
        assert!(jumper.read(n).unwrap().to_frame() == in_order[n as usize], "frame {n} read out of order differs");
    }
    let err = jumper.read(60).unwrap_err().to_string();
    assert!(err.contains("gop.mp4") && err.contains("frame 60"), "{err}");
}

#[test]
fn info_reports_codec_profile_timing_depth_timecode_and_colour_tags() {
    if !have_ffmpeg() {
        return;
    }
    let dir = common::temp_dir("video-info");
    let clip = make_clip(
        &dir,
        "tc.mov",
        3,
        &["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le", "-timecode", "01:00:10:05"],
    );
    let out = common::cinegrade(&["info", clip.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "QuickTime / MOV",
        "prores (HQ)",
        "160x96",
        "fps:       24",
        "frames:    3 (0-2)",
        "yuv422p10le, 10-bit",
        "primaries bt709, transfer bt709, matrix bt709, range tv",
        "timecode:  01:00:10:05",
    ] {
        assert!(text.contains(want), "info lacks {want:?}:\n{text}");
    }
}

#[test]
fn the_gpu_converts_planar_frames_as_the_cpu_twin_does() {
    if !have_ffmpeg() {
        return;
    }
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("video-gpu");
    for case in CASES.iter().filter(|c| c.name != "dnxhr_hqx.mxf") {
        let clip = make_clip(&dir, case.name, 2, case.codec);
        let mut reader = video::ClipReader::open(&clip).unwrap();
        let video::Decoded::Yuv(yuv) = reader.read(1).unwrap() else { panic!("{}: planar", case.name) };
        let gpu = cinegrade::gpu::yuv::upload(&ctx, &yuv).unwrap().download(&ctx).unwrap();
        let (worst, at) = common::max_error(&gpu.pixels, &yuv.to_frame().pixels);
        // Same f32 formula; measured 0 on lavapipe, 1e-6 allows a GPU's fused multiply-adds.
        assert!(worst <= 1e-6, "{}: GPU differs from the CPU twin by {worst} at {at}", case.name);
    }
}

#[test]
fn broken_clips_are_errors_naming_the_file() {
    if !have_ffmpeg() {
        return;
    }
    let dir = common::temp_dir("video-bad");
    // The index at the front (faststart), so a cut removes frames, not the index.
    let clip = make_clip(&dir, "good.mov", 4, &["-c:v", "prores_ks", "-profile:v", "2", "-movflags", "+faststart"]);
    let bytes = std::fs::read(&clip).unwrap();
    for (name, data) in [
        ("empty.mov", &bytes[..0]),
        ("header.mov", &bytes[..64]),
        ("garbage.mp4", &b"this is not a movie at all, only a sentence"[..]),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        let err = media::load(&path).unwrap_err().to_string();
        assert!(err.contains(name), "{name}: {err}");
    }
    // Cut in its pixel data (the index at the front survives): the missing frames are errors.
    let cut = dir.join("cut.mov");
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap();
    assert!(mdat < bytes.len() / 4, "faststart puts the index first");
    let keep = bytes.len() * 2 / 3;
    std::fs::write(&cut, &bytes[..keep]).unwrap();
    let errors: Vec<String> =
        (0..4).filter_map(|n| media::load_clip_frame(&cut, n).err()).map(|e| e.to_string()).collect();
    assert!(!errors.is_empty(), "a clip cut to {keep} of {} bytes decoded every frame", bytes.len());
    assert!(errors.iter().all(|e| e.contains("cut.mov") && e.contains("frame")), "{errors:?}");
    assert!(matches!(media::load(&dir.join("missing.mov")), Err(MediaError::Io { .. })));
}

#[test]
fn render_takes_a_clips_frames_through_the_gpu_conversion() {
    if !have_ffmpeg() {
        return;
    }
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("video-render");
    let clip = make_clip(&dir, "A001.mov", 8, &["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"]);
    let out = dir.join("out/A001.####.exr");
    let run = common::cinegrade(&[
        "render",
        clip.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--frames",
        "2-5",
        "--depth",
        "float",
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    for f in 2..=5u32 {
        let got = media::load(&dir.join(format!("out/A001.{f:04}.exr"))).unwrap().frame;
        let want = media::load_clip_frame(&clip, f).unwrap().frame;
        let (worst, at) = common::max_error(&got.pixels, &want.pixels);
        // The GPU conversion against its CPU twin (same f32 formula), through a float EXR.
        assert!(worst <= 1e-6, "frame {f}: {worst} at {at}");
    }
    assert!(!dir.join("out/A001.0001.exr").exists() && !dir.join("out/A001.0006.exr").exists());
    let past = common::cinegrade(&["render", clip.to_str().unwrap(), "-o", out.to_str().unwrap(), "--frames", "6-8"]);
    assert!(!past.status.success() && common::stderr(&past).contains("0-7"), "{}", common::stderr(&past));
}

#[test]
fn a_clip_is_a_shot_the_project_renders_plays_and_finds_by_edl() {
    if !have_ffmpeg() {
        return;
    }
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("video-project");
    let media_dir = dir.join("media");
    std::fs::create_dir_all(&media_dir).unwrap();
    let codec = ["-c:v", "prores_ks", "-profile:v", "3", "-timecode", "01:00:00:00"];
    let clip = make_clip(&media_dir, "A001C003.mov", 10, &codec);
    // An EDL whose reel is the clip's name, using its frames 2 to 6.
    let edl = dir.join("reel.edl");
    std::fs::write(
        &edl,
        "TITLE: reel\nFCM: NON-DROP FRAME\n\n001  A001C003 V     C        01:00:00:02 01:00:00:07 00:00:00:00 00:00:00:05\n",
    )
    .unwrap();
    let project = dir.join("reel.cgproj");
    let run = common::cinegrade(&[
        "project",
        "import-edl",
        edl.to_str().unwrap(),
        "--media",
        media_dir.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let p = cinegrade::project::Project::load(&project).unwrap();
    let (_, shot) = p.shots().next().unwrap();
    let cinegrade::project::Media::Clip(c) = &shot.media else { panic!("a clip shot: {:?}", shot.media) };
    assert_eq!(
        (c.first, c.last, shot.frame_rate),
        (2, 6, 24.0),
        "source 01:00:00:02-01:00:00:07 of a 01:00:00:00 clip"
    );
    // render --project takes the shot's frames of the clip.
    let out = dir.join("out/s.####.exr");
    let run = common::cinegrade(&[
        "render",
        "--project",
        project.to_str().unwrap(),
        "--shot",
        &shot.name,
        "-o",
        out.to_str().unwrap(),
        "--depth",
        "float",
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let written: Vec<u32> = (0..10).filter(|f| dir.join(format!("out/s.{f:04}.exr")).exists()).collect();
    assert_eq!(written, vec![2, 3, 4, 5, 6]);
    let got = media::load(&dir.join("out/s.0004.exr")).unwrap().frame;
    let (worst, _) = common::max_error(&got.pixels, &media::load_clip_frame(&clip, 4).unwrap().frame.pixels);
    assert!(worst <= 1e-6, "{worst}");

    // The app: a dropped clip becomes a shot of all its frames at its rate; stepping shows each frame.
    let mut ws = cinegrade::workspace::Workspace::new(ctx, Vec::new());
    ws.open_demo();
    ws.update();
    ws.import_frames(std::slice::from_ref(&clip));
    ws.update();
    let shot = ws.session.project.shot(ws.session.selected.unwrap()).unwrap();
    assert!(
        matches!(&shot.media, cinegrade::project::Media::Clip(c) if (c.first, c.last) == (0, 9)),
        "{:?}",
        shot.media
    );
    assert_eq!(shot.frame_rate, 24.0);
    ws.step_frame(3);
    // Bypass: the viewer shows the source display, the decoded frame quantised for the screen.
    ws.viewing.bypass = true;
    ws.update();
    assert_eq!(ws.frame, Some(3));
    let shown = ws.view().unwrap().read_display(&ws.gpu, cinegrade::gpu::viewer::DisplayKind::Source).unwrap();
    let want = media::load_clip_frame(&clip, 3).unwrap().frame.to_rgba8();
    // The display pass rounds on the GPU: a 10-bit value halfway between two 8-bit codes may land
    // on either (2 of 61440 bytes on lavapipe).
    let worst = shown.iter().zip(&want).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
    assert!(worst <= 1, "the viewer shows frame 3 (off by {worst})");
    let other = media::load_clip_frame(&clip, 0).unwrap().frame.to_rgba8();
    let from_first = shown.iter().zip(&other).filter(|(a, b)| a.abs_diff(**b) > 1).count();
    assert!(from_first > want.len() / 2, "and not frame 0");
}

/// ffprobe's facts about a movie's video stream.
fn ffprobe(path: &Path) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_streams", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(out.status.success(), "ffprobe: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["streams"][0].clone()
}

#[test]
fn review_movies_carry_their_codec_and_colour_tags_and_the_graded_frames() {
    if !have_ffmpeg() {
        return;
    }
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("video-movie");
    let clip = make_clip(&dir, "plate.mov", 6, &["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"]);
    let spaces = ["--input-space", "rec709-display", "--output-space"];
    for (codec, name, space, want) in [
        ("prores422hq", "review.mov", "rec709-display", ("prores", "HQ", "yuv422p10le", "bt709", "bt709", "bt709")),
        ("h264", "review.mp4", "rec2100-pq", ("h264", "High", "yuv420p", "bt2020", "smpte2084", "bt2020nc")),
    ] {
        let out = dir.join(name);
        let mut args = vec!["render", clip.to_str().unwrap(), "-o", out.to_str().unwrap(), "--codec", codec];
        args.extend(spaces);
        args.push(space);
        let run = common::cinegrade(&args);
        assert!(run.status.success(), "{}", common::stderr(&run));
        let s = ffprobe(&out);
        let got = (
            &s["codec_name"],
            &s["profile"],
            &s["pix_fmt"],
            &s["color_primaries"],
            &s["color_transfer"],
            &s["color_space"],
        );
        assert_eq!(got.0, want.0, "{name}: {s}");
        assert_eq!((got.1, got.2), (&serde_json::json!(want.1), &serde_json::json!(want.2)), "{name}");
        assert_eq!(
            (got.3, got.4, got.5),
            (&serde_json::json!(want.3), &serde_json::json!(want.4), &serde_json::json!(want.5)),
            "{name}"
        );
        let timing = (&s["color_range"], &s["nb_read_frames"], &s["r_frame_rate"], &s["avg_frame_rate"]);
        let want_timing =
            (&serde_json::json!("tv"), &serde_json::json!("6"), &serde_json::json!("24/1"), &serde_json::json!("24/1"));
        assert_eq!(timing, want_timing, "{name}");
    }
    // The movie's frames are the graded frames (here the identity conversion), within what ProRes
    // loses (measured: 2.6 10-bit codes mean, 1.4 of them in luma, on this 160x96 photo; a wrong
    // matrix or range is tens of codes off).
    let review = dir.join("review.mov");
    for f in [0, 5] {
        let got = media::load_clip_frame(&review, f).unwrap().frame;
        let want = media::load_clip_frame(&clip, f).unwrap().frame;
        let n = (3 * want.pixels.len()) as f32;
        let mean = got
            .pixels
            .iter()
            .zip(&want.pixels)
            .map(|(a, b)| (0..3).map(|c| (a[c] - b[c]).abs()).sum::<f32>())
            .sum::<f32>()
            / n;
        assert!(mean < 4.0 * ONE_10BIT_CODE, "frame {f}: mean error {} 10-bit codes", mean * 1023.0);
    }
    let refused =
        common::cinegrade(&["render", clip.to_str().unwrap(), "-o", review.to_str().unwrap(), "--codec", "h264"]);
    assert!(
        !refused.status.success() && common::stderr(&refused).contains("already exists"),
        "{}",
        common::stderr(&refused)
    );
}

#[test]
fn project_export_writes_one_movie_a_shot_with_burn_in() {
    if !have_ffmpeg() {
        return;
    }
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("video-export");
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.cgproj");
    for (sub, burn) in [("plain", false), ("burnt", true)] {
        let out = dir.join(sub);
        let mut args =
            vec!["project", "export", project.to_str().unwrap(), "--movie", out.to_str().unwrap(), "--codec", "h264"];
        if burn {
            args.push("--burn-in");
        }
        let run = common::cinegrade(&args);
        assert!(run.status.success(), "{}", common::stderr(&run));
        assert!(
            String::from_utf8_lossy(&run.stdout).contains("4 movie(s)"),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
    }
    let name = "010_rocket_v2_warm_dusk.mov";
    let s = ffprobe(&dir.join("plain").join(name));
    assert_eq!((&s["codec_name"], &s["nb_frames"]), (&serde_json::json!("h264"), &serde_json::json!("1")));
    // 640x427 has an odd height: 4:2:0 needs even, so the last row is repeated once.
    assert_eq!((&s["width"], &s["height"]), (&serde_json::json!(640), &serde_json::json!(428)));
    let plain = media::load_clip_frame(&dir.join("plain").join(name), 0).unwrap().frame;
    let burnt = media::load_clip_frame(&dir.join("burnt").join(name), 0).unwrap().frame;
    let h = plain.height;
    // The captions sit along the bottom; the top of the picture is the same.
    let differs = |y0: u32, y1: u32| (y0..y1).any(|y| (0..plain.width).any(|x| plain.pixel(x, y) != burnt.pixel(x, y)));
    assert!(differs(h * 9 / 10, h), "burn-in along the bottom");
    assert!(!differs(0, h / 4), "nothing burnt into the top");
}

#[test]
fn prores_4444_keeps_its_alpha() {
    if !have_ffmpeg() {
        return;
    }
    let dir = common::temp_dir("video-alpha");
    let out = dir.join("alpha.mov");
    let src = common::data("frames/chelsea.png");
    // Alpha a horizontal ramp over the photo, 12-bit ProRes 4444.
    ffmpeg(&[
        "-i",
        src.to_str().unwrap(),
        "-vf",
        "crop=160:96:40:60,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='X*255/159',setparams=colorspace=bt709:range=tv",
        "-frames:v",
        "1",
        "-c:v",
        "prores_ks",
        "-profile:v",
        "4",
        "-pix_fmt",
        "yuva444p10le",
        out.to_str().unwrap(),
    ]);
    let ours = media::load_clip_frame(&out, 0).unwrap();
    assert!(ours.info.has_alpha());
    // FFmpeg's decoded alpha plane itself (zimg would scale alpha as limited range, which it is not).
    let raw = ffmpeg(&["-i", out.to_str().unwrap(), "-f", "rawvideo", "-pix_fmt", "yuva444p12le", "-"]);
    let samples: Vec<u16> = raw.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
    let n = 160 * 96;
    let theirs: Vec<f32> = samples[3 * n..4 * n].iter().map(|&a| f32::from(a) / 4095.0).collect();
    let differ = ours.frame.pixels.iter().zip(&theirs).filter(|(p, a)| p[3] != **a).count();
    assert_eq!(differ, 0, "alpha equals FFmpeg's decoded alpha codes / 4095");
    // The ramp survives: transparent on the left, opaque on the right.
    assert!(ours.frame.pixel(0, 50)[3] < 0.01 && ours.frame.pixel(159, 50)[3] > 0.99);
}
