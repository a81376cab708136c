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
            input: common::data(&format!("frames/{s}")),
            output: dir.join(format!("out.{}.exr", 1001 + i)),
        })
        .collect();
    let written = Mutex::new(Vec::new());
    let save = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    render_frames(&ctx, &grade(), &jobs, save, &|j| written.lock().unwrap().push(j.frame)).unwrap();
    assert_eq!(*written.lock().unwrap(), (1001..=1005).collect::<Vec<_>>(), "each frame once, in order");
    for job in &jobs {
        let source = media::load(&job.input).unwrap().frame;
        let expected = executor::apply_grade(&ctx, &grade(), &GpuFrame::upload(&ctx, &source).unwrap())
            .unwrap()
            .download(&ctx)
            .unwrap();
        assert_eq!(media::load(&job.output).unwrap().frame, expected, "frame {}", job.frame);
    }
}

#[test]
fn a_corrupt_frame_stops_the_render_naming_it() {
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("batch-corrupt");
    let good = common::data("frames/chelsea_crop_16bit.png");
    let bad = dir.join("bad.1003.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n truncated").unwrap();
    let jobs: Vec<FrameJob> = (1001..=1006)
        .map(|f| FrameJob {
            frame: f,
            input: if f == 1003 { bad.clone() } else { good.clone() },
            output: dir.join(format!("out.{f}.png")),
        })
        .collect();
    let err = render_frames(&ctx, &Grade::default(), &jobs, SaveOptions::default(), &|_| {}).unwrap_err();
    assert_eq!(err.frame, 1003);
    assert!(err.to_string().starts_with("frame 1003: ") && err.to_string().contains("bad.1003.png"), "{err}");
    assert!(dir.join("out.1001.png").is_file() && dir.join("out.1002.png").is_file(), "earlier frames kept");
    for f in 1003..=1006 {
        assert!(!dir.join(format!("out.{f}.png")).exists(), "nothing after the failure: {f}");
    }
    // An existing output is refused mid-render, without touching it.
    std::fs::remove_file(dir.join("out.1001.png")).unwrap();
    std::fs::write(dir.join("out.1002.png"), b"keep").unwrap();
    let jobs = &jobs[..2];
    let err = render_frames(&ctx, &Grade::default(), jobs, SaveOptions::default(), &|_| {}).unwrap_err();
    assert_eq!(err.frame, 1002);
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(dir.join("out.1002.png")).unwrap(), b"keep");
}
