//! The pipelined batch renderer: same pixels as grading frame by frame, every frame reported once in
//! order, frames of another size mid-range, and a corrupt frame stopping the render with its number.

mod common;

use std::sync::Mutex;

use cinegrade::batch::{FrameJob, render_frames};
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::Grade;
use cinegrade::media::{self, ExrDepth, SaveOptions};
use cinegrade::ops::primaries::Primaries;

fn grade() -> Grade {
    Grade::with_primaries(Primaries { exposure: 0.4, saturation: 1.3, contrast: 1.1, ..Primaries::default() })
}

/// `job`'s source graded on its own, outside the batch renderer.
fn graded_alone(ctx: &cinegrade::gpu::GpuContext, job: &FrameJob) -> cinegrade::media::Frame {
    let source = job.input.load().unwrap().frame;
    executor::apply_grade(ctx, &grade(), &GpuFrame::upload(ctx, &source).unwrap()).unwrap().download(ctx).unwrap()
}

#[test]
fn batch_render_matches_frame_by_frame_grading() {
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("batch-render");
    // Frames of two sizes, so the GPU textures are reallocated mid-range.
    let sources = ["chelsea_crop_16bit.png", "chelsea.png", "chelsea_crop_16bit.png", "rocket.jpg", "chelsea_8bit.tif"];
    let jobs: Vec<FrameJob> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| FrameJob {
            frame: 1001 + i as u32,
            input: common::data(&format!("frames/{s}")).into(),
            output: dir.join(format!("out.{}.exr", 1001 + i)),
        })
        .collect();
    let written = Mutex::new(Vec::new());
    let save = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    render_frames(&ctx, &grade(), &jobs, save, &|j| written.lock().unwrap().push(j.frame)).unwrap();
    assert_eq!(*written.lock().unwrap(), (1001..=1005).collect::<Vec<_>>(), "each frame once, in order");
    for job in &jobs {
        assert_eq!(media::load(&job.output).unwrap().frame, graded_alone(&ctx, job), "frame {}", job.frame);
    }
}

/// EXR frames decode into the memory of frames already uploaded: a frame without alpha after one
/// with alpha, and frames of other contents, must each come out as graded alone (no stale samples).
#[test]
fn batch_render_of_exr_frames_reusing_buffers_matches_frame_by_frame_grading() {
    use cinegrade::media::Frame;
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("batch-exr");
    let (w, h) = (161, 121);
    let with_alpha = Frame::from_fn(w, h, |x, y| [x as f32 / 160.0, y as f32 / 120.0, 0.3, 0.25]);
    let without_alpha = Frame::from_fn(w, h, |x, y| [0.8, (x + y) as f32 / 300.0, 2.5, 1.0]);
    let alpha_path = dir.join("alpha.exr");
    let opaque_path = dir.join("opaque.exr");
    media::save(&with_alpha, &alpha_path, &SaveOptions { alpha: true, ..Default::default() }).unwrap();
    media::save(&without_alpha, &opaque_path, &SaveOptions::default()).unwrap();
    assert!(media::load(&opaque_path).unwrap().info.channels.len() == 3, "written without an alpha channel");
    let desk_zip = common::data("frames/Desk_zip.exr");
    let desk_float = common::data("frames/Desk_zips_float.exr");
    let sources = [&alpha_path, &opaque_path, &alpha_path, &desk_zip, &opaque_path, &desk_float, &opaque_path];
    let jobs: Vec<FrameJob> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| FrameJob {
            frame: 1 + i as u32,
            input: s.to_path_buf().into(),
            output: dir.join(format!("out.{}.exr", 1 + i)),
        })
        .collect();
    let save = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    render_frames(&ctx, &grade(), &jobs, save, &|_| {}).unwrap();
    for job in &jobs {
        let out = media::load(&job.output).unwrap().frame;
        assert_eq!(out, graded_alone(&ctx, job), "frame {} ({})", job.frame, job.input);
    }
}

#[test]
fn a_corrupt_frame_fails_alone_and_is_named() {
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("batch-corrupt");
    let good = common::data("frames/chelsea_crop_16bit.png");
    let bad = dir.join("bad.1003.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n truncated").unwrap();
    let jobs: Vec<FrameJob> = (1001..=1006)
        .map(|f| FrameJob {
            frame: f,
            input: if f == 1003 { bad.clone() } else { good.clone() }.into(),
            output: dir.join(format!("out.{f}.png")),
        })
        .collect();
    let written = std::sync::Mutex::new(Vec::new());
    let err = render_frames(&ctx, &Grade::default(), &jobs, SaveOptions::default(), &|j| {
        written.lock().unwrap().push(j.frame)
    })
    .unwrap_err();
    assert_eq!(err.frame(), 1003);
    assert_eq!(err.frames(), [1003]);
    assert!(err.not_rendered.is_empty());
    assert!(err.to_string().starts_with("frame 1003: ") && err.to_string().contains("bad.1003.png"), "{err}");
    // The other frames are rendered, and reported written in frame order.
    assert_eq!(*written.lock().unwrap(), [1001, 1002, 1004, 1005, 1006]);
    for f in [1001, 1002, 1004, 1005, 1006] {
        assert!(dir.join(format!("out.{f}.png")).is_file(), "frame {f} rendered");
    }
    assert!(!dir.join("out.1003.png").exists(), "no output for the failed frame");
    // Two bad frames: both named.
    let bad2 = dir.join("bad.1005.png");
    std::fs::write(&bad2, b"not a png at all").unwrap();
    let mut jobs2 = jobs.clone();
    jobs2[4].input = bad2.into();
    for job in &mut jobs2 {
        job.output = dir.join(format!("two.{}.png", job.frame));
    }
    let err = render_frames(&ctx, &Grade::default(), &jobs2, SaveOptions::default(), &|_| {}).unwrap_err();
    assert_eq!(err.frames(), [1003, 1005]);
    assert!(err.to_string().starts_with("2 frame(s) failed (1003, 1005); frame 1003: "), "{err}");
    // An existing output is refused mid-render, without touching it.
    std::fs::remove_file(dir.join("out.1001.png")).unwrap();
    std::fs::write(dir.join("out.1002.png"), b"keep").unwrap();
    let jobs = &jobs[..2];
    let err = render_frames(&ctx, &Grade::default(), jobs, SaveOptions::default(), &|_| {}).unwrap_err();
    assert_eq!(err.frame(), 1002);
    assert!(dir.join("out.1001.png").is_file(), "the other frame is written");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(dir.join("out.1002.png")).unwrap(), b"keep");
}

/// Grain differs from frame to frame: each frame of a batch render gets the grain of its own number,
/// as the viewer and a single render of that frame show it (it was frame 0's on every frame).
#[test]
fn batch_render_grades_each_frame_with_its_own_number() {
    use cinegrade::grade::{Node, Op};
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("batch-grain");
    let grain = cinegrade::ops::grain::Grain { amount: 0.2, ..Default::default() };
    let grade = Grade { nodes: vec![Node::new(Op::Grain(grain))], ..Grade::default() };
    let source = common::data("frames/chelsea_crop_16bit.png");
    let jobs: Vec<FrameJob> = [1001u32, 1002]
        .iter()
        .map(|&f| FrameJob { frame: f, input: source.clone().into(), output: dir.join(format!("g.{f}.exr")) })
        .collect();
    let save = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    render_frames(&ctx, &grade, &jobs, save, &|_| {}).unwrap();
    let upload = GpuFrame::upload(&ctx, &media::load(&source).unwrap().frame).unwrap();
    let outs: Vec<_> = jobs.iter().map(|j| media::load(&j.output).unwrap().frame).collect();
    assert_ne!(outs[0], outs[1], "new grain on the next frame");
    for (job, out) in jobs.iter().zip(&outs) {
        let alone = executor::apply_grade_frame(&ctx, &grade, job.frame, &upload).unwrap().download(&ctx).unwrap();
        assert_eq!(*out, alone, "frame {}", job.frame);
    }
}
