//! Batch rendering of a frame range: three stages in a pipeline so the disk and the GPU work at once.
//!
//! A decode thread reads frames ahead into a bounded channel; this thread uploads each one, grades it
//! on the GPU (reusing the same three textures while the size stays the same) and reads it back; an
//! encode thread writes the previous frame meanwhile. The first error stops every stage and is
//! returned naming its frame; frames already written stay written.

use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use crate::export::ExportError;
use crate::gpu::{GpuContext, GpuFrame, executor};
use crate::grade::Grade;
use crate::media::{self, Frame, LoadedImage, MediaError, SaveOptions};

/// Frames decoded ahead of the GPU (and graded frames waiting for the encoder).
pub const READ_AHEAD: usize = 3;

/// One frame to render: its number, source and output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameJob {
    /// Frame number (for messages).
    pub frame: u32,
    /// Source frame file.
    pub input: PathBuf,
    /// Output file.
    pub output: PathBuf,
}

/// Why a batch render stopped.
#[derive(Debug, thiserror::Error)]
#[error("frame {frame}: {source}")]
pub struct BatchError {
    /// The frame that failed.
    pub frame: u32,
    /// What went wrong.
    #[source]
    pub source: ExportError,
}

/// Renders `jobs` in order through `grade`. `save` is used for every output (its `alpha` is set per
/// frame from the source); `on_written` is called from the encode thread after each file is in place.
pub fn render_frames(
    ctx: &GpuContext,
    grade: &Grade,
    jobs: &[FrameJob],
    save: SaveOptions,
    on_written: &(dyn Fn(&FrameJob) + Sync),
) -> Result<(), BatchError> {
    let (decoded_tx, decoded_rx) = sync_channel::<(usize, Result<LoadedImage, MediaError>)>(READ_AHEAD);
    let (graded_tx, graded_rx) = sync_channel::<(usize, Frame, bool)>(READ_AHEAD);
    let fail = |i: usize, e: ExportError| BatchError { frame: jobs[i].frame, source: e };
    std::thread::scope(|scope| {
        let decoder = scope.spawn(move || {
            for (i, job) in jobs.iter().enumerate() {
                let loaded = media::load(&job.input);
                let failed = loaded.is_err();
                // A closed channel means the GPU stage stopped: nothing more to read.
                if decoded_tx.send((i, loaded)).is_err() || failed {
                    break;
                }
            }
        });
        let encoder = scope.spawn(move || -> Result<(), BatchError> {
            for (i, frame, alpha) in graded_rx {
                media::save(&frame, &jobs[i].output, &SaveOptions { alpha, ..save }).map_err(|e| fail(i, e.into()))?;
                on_written(&jobs[i]);
            }
            Ok(())
        });
        let graded = grade_stage(ctx, grade, decoded_rx, graded_tx).map_err(|(i, e)| fail(i, e));
        let written = encoder.join().expect("encode thread does not panic");
        decoder.join().expect("decode thread does not panic");
        // The GPU stage's error comes first in frame order; else the encoder's.
        graded.and(written)
    })
}

/// Grades every decoded frame and hands it to the encoder; stops at the first error or when the
/// encoder has stopped.
fn grade_stage(
    ctx: &GpuContext,
    grade: &Grade,
    decoded: std::sync::mpsc::Receiver<(usize, Result<LoadedImage, MediaError>)>,
    graded: std::sync::mpsc::SyncSender<(usize, Frame, bool)>,
) -> Result<(), (usize, ExportError)> {
    let mut textures: Option<[GpuFrame; 3]> = None;
    for (i, loaded) in decoded {
        let loaded = loaded.map_err(|e| (i, e.into()))?;
        let frame = &loaded.frame;
        let gpu = |e: crate::gpu::GpuError| (i, ExportError::from(e));
        if textures.as_ref().is_none_or(|[s, ..]| (s.width, s.height) != (frame.width, frame.height)) {
            let new = || GpuFrame::new(ctx, frame.width, frame.height);
            textures = Some([new().map_err(gpu)?, new().map_err(gpu)?, new().map_err(gpu)?]);
        }
        let [source, out, scratch] = textures.as_ref().expect("allocated above");
        source.write(ctx, frame).map_err(gpu)?;
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        executor::encode_grade(ctx, &mut encoder, grade, source, out, scratch).map_err(gpu)?;
        ctx.queue.submit([encoder.finish()]);
        let result = out.download(ctx).map_err(gpu)?;
        if graded.send((i, result, loaded.info.has_alpha())).is_err() {
            break;
        }
    }
    Ok(())
}
