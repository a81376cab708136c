//! The GPU stage: uploads each decoded frame, grades it and reads it back, one frame's readback
//! overlapping the next frame's grade, with the textures and buffers kept across frames.

use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use half::f16;

use super::decode::DecodeQueue;
use super::{FrameJob, Profile};
use crate::export::ExportError;
use crate::gpu::{FrameReadback, FrameUploader, GpuContext, GpuFrame, HalfReadback, executor};
use crate::grade::Grade;
use crate::media::{DecodedFrame, Frame, HalfFrame, SaveOptions};

/// Grades every decoded frame in order and hands it to the encoders. A frame that could not be
/// decoded is recorded and passed over; a GPU error stops the stage (returned with its frame).
#[allow(clippy::too_many_arguments)]
pub(super) fn grade_stage(
    ctx: &GpuContext,
    grade: &Grade,
    jobs: &[FrameJob],
    save: SaveOptions,
    half_out: bool,
    queue: &DecodeQueue,
    graded: std::sync::mpsc::SyncSender<(usize, Graded, bool)>,
    recycled: &Recycled,
    record: &(dyn Fn(usize, ExportError) + Sync),
    profile: &Profile,
) -> Result<(), (usize, ExportError)> {
    let mut set: Option<FrameSet> = None;
    // The frame whose grade is submitted and not yet read back: frame i's readback waits until frame
    // i + 1 is submitted, so that the GPU grades one frame while this thread copies out the other.
    let mut pending: Option<Pending> = None;
    let finish = |set: &mut FrameSet, p: Pending| -> Result<bool, (usize, ExportError)> {
        let waited = std::time::Instant::now();
        ctx.wait_for(p.submission.clone()).map_err(|e| (p.frame, e.into()))?;
        Profile::add(&profile.gpu, waited);
        let copied = std::time::Instant::now();
        let error = |e: crate::gpu::GpuError| (p.frame, ExportError::from(e));
        let result = match (&set.half_readbacks, p.half) {
            (Some(half), true) => {
                Graded::Half(half[p.slot].read(ctx, recycled.take_half(), p.submission).map_err(error)?)
            }
            _ => Graded::Float(set.readbacks[p.slot].read(ctx, recycled.take(), p.submission).map_err(error)?),
        };
        Profile::add(&profile.readback, copied);
        Ok(graded.send((p.frame, result, p.alpha)).is_ok())
    };
    for (i, job) in jobs.iter().enumerate() {
        let gpu = |e: crate::gpu::GpuError| (i, ExportError::from(e));
        let submit = |set: &mut Option<FrameSet>, pending: &mut Option<Pending>| {
            let decoded = match queue.take(i) {
                Ok(decoded) => decoded,
                Err(e) => {
                    record(i, e.into());
                    return Ok(Submitted::Skipped);
                }
            };
            let (width, height) = decoded.size();
            if set.as_ref().is_none_or(|s| s.size() != (width, height)) {
                if let (Some(s), Some(p)) = (set.as_mut(), pending.take())
                    && !finish(s, p)?
                {
                    return Ok(Submitted::Stop);
                }
                // Free the old set first: two 4K sets at once are ~1 GB of GPU memory.
                drop(set.take());
                *set = Some(FrameSet::new(ctx, width, height).map_err(gpu)?);
            }
            let s = set.as_mut().expect("allocated above");
            let slot = i % 2;
            let uploading = std::time::Instant::now();
            let mut encoder = ctx.device.create_command_encoder(&Default::default());
            let alpha = decoded.info().has_alpha();
            let mut half_source = false;
            match decoded {
                DecodedFrame::Image(loaded) => {
                    s.uploaders[slot].upload(ctx, &mut encoder, &loaded.frame, &s.source).map_err(gpu)?;
                    // The decoded pixels are in the staging buffer: their memory goes back to the decoders.
                    queue.recycle(loaded.frame.pixels);
                }
                // A half-float file's samples go up as they are, into the half source.
                DecodedFrame::Half { frame, .. } => {
                    let half = s.half_source(ctx).map_err(gpu)?;
                    half.uploaders[slot].upload_half(ctx, &mut encoder, &frame, &half.source).map_err(gpu)?;
                    queue.recycle_half(frame.pixels);
                    half_source = true;
                    profile.half_in.fetch_add(1, Ordering::Relaxed);
                }
                // A clip's planes go up as decoded and become working pixels on the GPU (submitted
                // now, so before the grade below).
                DecodedFrame::Planes { planes, .. } => {
                    crate::gpu::yuv::convert_into(ctx, &planes, &s.source).map_err(gpu)?;
                }
            }
            Profile::add(&profile.upload, uploading);
            // The frame's own number: grain (and anything else that varies per frame) as the viewer
            // shows that frame.
            let source = match (&s.half, half_source) {
                (Some(half), true) => &half.source,
                _ => &s.source,
            };
            executor::encode_grade(ctx, &mut encoder, grade, job.frame, source, &s.out).map_err(gpu)?;
            let half = half_out && save.writes_half(&job.output);
            if half {
                let readbacks = s.half_readbacks.get_or_insert_with(|| {
                    let (w, h) = (s.out.width, s.out.height);
                    [HalfReadback::new(ctx, w, h), HalfReadback::new(ctx, w, h)]
                });
                readbacks[slot].copy(ctx, &mut encoder, &s.out).map_err(gpu)?;
                profile.half_out.fetch_add(1, Ordering::Relaxed);
            } else {
                s.readbacks[slot].copy(&mut encoder, &s.out).map_err(gpu)?;
            }
            let submission = ctx.queue.submit([encoder.finish()]);
            if half_source && let Some(h) = s.half.as_mut() {
                h.uploaders[slot].submitted(submission.clone());
            } else {
                s.uploaders[slot].submitted(submission.clone());
            }
            Ok(Submitted::Frame(Pending { frame: i, slot, alpha, half, submission }))
        };
        let submitted = submit(&mut set, &mut pending);
        // The frame before is read back and handed on whatever happened to this one: frames before a
        // failure are written.
        if let (Some(s), Some(p)) = (set.as_mut(), pending.take())
            && !finish(s, p)?
        {
            return Ok(());
        }
        match submitted? {
            Submitted::Frame(p) => pending = Some(p),
            Submitted::Skipped => {}
            Submitted::Stop => return Ok(()),
        }
    }
    if let (Some(s), Some(p)) = (set.as_mut(), pending.take()) {
        finish(s, p)?;
    }
    Ok(())
}

/// A graded frame on its way to an encoder, and its pixel buffer on its way back.
pub(super) enum Graded {
    /// Working floats.
    Float(Frame),
    /// Rounded to half on the GPU, for a half-float EXR.
    Half(HalfFrame),
}

/// Pixel buffers for read-back frames: new ones up to `limit` (as many as can be in use at once),
/// then only those the encoders give back (float and half buffers, each kept for its own kind).
pub(super) struct Recycled {
    channel: Receiver<Graded>,
    limit: usize,
    made: std::cell::Cell<usize>,
    floats: std::cell::RefCell<Vec<Vec<[f32; 4]>>>,
    halves: std::cell::RefCell<Vec<Vec<[f16; 4]>>>,
}

impl Recycled {
    pub(super) fn new(channel: Receiver<Graded>, limit: usize) -> Self {
        Self { channel, limit, made: std::cell::Cell::new(0), floats: Default::default(), halves: Default::default() }
    }

    /// Sorts what came back into the two pools; waits for one buffer when `wait` and none came.
    fn collect(&self, wait: bool) {
        let mut got = false;
        let keep = |g: Graded| match g {
            Graded::Float(f) => self.floats.borrow_mut().push(f.pixels),
            Graded::Half(f) => self.halves.borrow_mut().push(f.pixels),
        };
        while let Ok(g) = self.channel.try_recv() {
            keep(g);
            got = true;
        }
        if wait
            && !got
            && let Ok(g) = self.channel.recv()
        {
            keep(g);
        }
    }

    /// A buffer for a frame: one given back, or a new one while fewer than `limit` exist, or else,
    /// after waiting for the encoders to give one back, one of its kind if any (a render whose
    /// outputs switch between half and float EXR may then make a buffer more than `limit`).
    fn take_with<T: Default>(&self, pool: &std::cell::RefCell<Vec<T>>) -> T {
        self.collect(false);
        if let Some(buffer) = pool.borrow_mut().pop() {
            return buffer;
        }
        if self.made.get() < self.limit {
            self.made.set(self.made.get() + 1);
            return T::default();
        }
        self.collect(true);
        pool.borrow_mut().pop().unwrap_or_default()
    }

    fn take(&self) -> Vec<[f32; 4]> {
        self.take_with(&self.floats)
    }

    fn take_half(&self) -> Vec<[f16; 4]> {
        self.take_with(&self.halves)
    }
}

/// What became of one frame in the GPU stage.
enum Submitted {
    /// Graded; its readback is pending.
    Frame(Pending),
    /// Its decode failed (recorded); the next frame goes on.
    Skipped,
    /// The encoders are gone: stop.
    Stop,
}

/// A graded frame submitted to the GPU, its readback not yet taken.
struct Pending {
    frame: usize,
    /// Which of the set's upload and readback buffers it uses.
    slot: usize,
    alpha: bool,
    /// Read back as half.
    half: bool,
    submission: wgpu::SubmissionIndex,
}

/// The GPU side of rendering frames of one size: working textures (shared by consecutive frames, as
/// the GPU runs submissions in order) and two upload and two readback buffers, so that one frame's
/// buffers are filled or read on the CPU while the next frame's are in use on the GPU.
struct FrameSet {
    source: GpuFrame,
    out: GpuFrame,
    uploaders: [FrameUploader; 2],
    readbacks: [FrameReadback; 2],
    /// The half-float source and its uploaders, made for the first half-float frame.
    half: Option<HalfSource>,
    /// Half readbacks, made for the first half-float output.
    half_readbacks: Option<[HalfReadback; 2]>,
}

/// A half-float source texture and its two upload buffers.
struct HalfSource {
    source: GpuFrame,
    uploaders: [FrameUploader; 2],
}

impl FrameSet {
    fn new(ctx: &GpuContext, width: u32, height: u32) -> Result<Self, crate::gpu::GpuError> {
        let new = || GpuFrame::new(ctx, width, height);
        Ok(Self {
            source: new()?,
            out: new()?,
            uploaders: [FrameUploader::new(ctx, width, height), FrameUploader::new(ctx, width, height)],
            readbacks: [FrameReadback::new(ctx, width, height), FrameReadback::new(ctx, width, height)],
            half: None,
            half_readbacks: None,
        })
    }

    /// The half-float source, made on first use.
    fn half_source(&mut self, ctx: &GpuContext) -> Result<&mut HalfSource, crate::gpu::GpuError> {
        let (w, h) = self.size();
        if self.half.is_none() {
            let uploaders = [FrameUploader::new_half(ctx, w, h), FrameUploader::new_half(ctx, w, h)];
            self.half = Some(HalfSource { source: GpuFrame::new_half(ctx, w, h)?, uploaders });
        }
        Ok(self.half.as_mut().expect("made above"))
    }

    fn size(&self) -> (u32, u32) {
        (self.source.width, self.source.height)
    }
}
