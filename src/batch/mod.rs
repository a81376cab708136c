//! Batch rendering of a frame range: decode, GPU and encode stages in a pipeline so the disk, the
//! codecs and the GPU work at once.
//!
//! Several decode workers read frames ahead (at most [`Workers::decoders`] frames decoded and not yet
//! graded); this thread takes them in frame order, uploads each one, grades it on the GPU (reusing the
//! same three textures while the size stays the same) and reads it back; several encode workers write
//! the graded frames meanwhile (at most one graded frame waits for a free encoder). Memory stays
//! bounded by about `decoders + encoders + 2` frames whatever the range's length. EXR decoding and
//! encoding dominate on a CPU, and the `exr` crate also spreads one file's blocks over its own thread
//! pool, so both kinds of parallelism add up.
//!
//! Half-float EXR sources travel as half: decoded without widening, uploaded as `rgba16float` (the
//! grade reads them directly; the GPU widens each sample exactly), and half-float EXR outputs come
//! back as half, rounded on the GPU (`gpu::HalfReadback`): the CPU converts no sample either way,
//! and both transfers move half the bytes. [`Workers::half`] chooses when ([`HalfTransport`]: by
//! default on GPUs, not on CPU adapters).
//!
//! A frame that cannot be decoded or written fails alone: it is recorded with its error and the
//! other frames still render, so a farm task lists every bad frame at once (each output is written
//! atomically, so a failed frame leaves no partial file). A GPU error stops every stage: the frames
//! after it are reported as not rendered.

mod decode;
mod gpu_stage;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

use crate::export::ExportError;
use crate::gpu::GpuContext;
use crate::grade::Grade;
use crate::media::{self, FrameSource, SaveOptions};
use decode::DecodeQueue;
use gpu_stage::{Graded, Recycled, grade_stage};

/// Most decode (and encode) workers, whatever the machine: each holds a whole frame in memory.
pub const MAX_WORKERS: usize = 8;

/// One frame to render: its number, source and output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameJob {
    /// Frame number (for messages).
    pub frame: u32,
    /// Where the source frame comes from (a file, or a clip's frame).
    pub input: FrameSource,
    /// Output file.
    pub output: PathBuf,
}

/// The frames of a batch render that failed, and why.
#[derive(Debug)]
pub struct BatchError {
    /// Every frame that failed, in frame order, with its error.
    pub failures: Vec<(u32, ExportError)>,
    /// Frames never rendered because a GPU error stopped the render (in frame order).
    pub not_rendered: Vec<u32>,
}

impl BatchError {
    /// The first frame that failed.
    pub fn frame(&self) -> u32 {
        self.failures.first().map_or(0, |(f, _)| *f)
    }

    /// Every frame not written: those that failed and those never rendered, in frame order.
    pub fn frames(&self) -> Vec<u32> {
        let mut all: Vec<u32> =
            self.failures.iter().map(|(f, _)| *f).chain(self.not_rendered.iter().copied()).collect();
        all.sort_unstable();
        all
    }
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((first, error)) = self.failures.first() else { return f.write_str("no frame failed") };
        if self.failures.len() == 1 && self.not_rendered.is_empty() {
            return write!(f, "frame {first}: {error}");
        }
        let failed: Vec<u32> = self.failures.iter().map(|(n, _)| *n).collect();
        write!(f, "{} frame(s) failed ({})", failed.len(), crate::media::sequence::describe_frames(&failed))?;
        if !self.not_rendered.is_empty() {
            write!(
                f,
                ", {} not rendered ({})",
                self.not_rendered.len(),
                crate::media::sequence::describe_frames(&self.not_rendered)
            )?;
        }
        write!(f, "; frame {first}: {error}")
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.failures.first().map(|(_, e)| e as &(dyn std::error::Error + 'static))
    }
}

/// Where a batch render's time went, per stage, summed over the threads that ran it (so a stage
/// on several workers can add up to more than the wall time).
#[derive(Debug, Default)]
pub struct Profile {
    decode: AtomicU64,
    upload: AtomicU64,
    gpu: AtomicU64,
    readback: AtomicU64,
    encode: AtomicU64,
    half_in: AtomicU64,
    half_out: AtomicU64,
}

impl Profile {
    fn add(counter: &AtomicU64, since: std::time::Instant) {
        counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// The stages with their busy time: reading and decoding the sources (decode workers),
    /// uploading them (staging copies, Y'CbCr conversion submitted), waiting for the GPU to grade,
    /// copying the graded pixels out, and encoding and writing the outputs (encode workers).
    pub fn stages(&self) -> [(&'static str, std::time::Duration); 5] {
        let d = |c: &AtomicU64| std::time::Duration::from_nanos(c.load(Ordering::Relaxed));
        [
            ("decode", d(&self.decode)),
            ("upload", d(&self.upload)),
            ("grade (GPU wait)", d(&self.gpu)),
            ("readback", d(&self.readback)),
            ("encode + write", d(&self.encode)),
        ]
    }

    /// Frames that went up as half (half-float sources) and came back as half (half-float outputs).
    pub fn half_frames(&self) -> (u64, u64) {
        (self.half_in.load(Ordering::Relaxed), self.half_out.load(Ordering::Relaxed))
    }
}

/// How many threads decode and encode frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workers {
    /// Decode workers (also the number of frames decoded ahead of the GPU).
    pub decoders: usize,
    /// Encode workers.
    pub encoders: usize,
    /// Whether half-float sources and outputs travel as half (see the module documentation).
    pub half: HalfTransport,
}

/// When half-float frames travel as half.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HalfTransport {
    /// On GPUs; off on CPU adapters (llvmpipe), where the "GPU" is the same cores: there its
    /// half-texture reads and rounding pass cost more than the CPU conversions they replace
    /// (BENCHMARKS.md, "Half-float transport").
    #[default]
    Auto,
    /// Always.
    On,
    /// Never: every frame as working floats.
    Off,
}

impl HalfTransport {
    /// From `CINEGRADE_HALF` (`on`, `off`; anything else or unset: auto).
    pub fn from_env() -> Self {
        match std::env::var("CINEGRADE_HALF").as_deref() {
            Ok("on") => Self::On,
            Ok("off") => Self::Off,
            _ => Self::Auto,
        }
    }

    /// Whether frames travel as half on the adapter `info`.
    pub fn on_for(self, info: &wgpu::AdapterInfo) -> bool {
        match self {
            Self::On => true,
            Self::Off => false,
            Self::Auto => info.device_type != wgpu::DeviceType::Cpu,
        }
    }
}

impl Workers {
    /// Scaled with the machine's cores: half of them each (at least two, at most [`MAX_WORKERS`]), so
    /// a codec waiting on the disk never leaves a core idle. Half-float transport as
    /// `CINEGRADE_HALF` says ([`HalfTransport::from_env`]; by default per adapter).
    pub fn for_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let each = (cores / 2).clamp(2, MAX_WORKERS);
        Self { decoders: each, encoders: each, half: HalfTransport::from_env() }
    }
}

/// Renders `jobs` in order through `grade` with [`Workers::for_machine`]. `save` is used for every
/// output (its `alpha` is set per frame from the source); `on_written` is called once per frame, in
/// frame order, after its file is in place.
pub fn render_frames(
    ctx: &GpuContext,
    grade: &Grade,
    jobs: &[FrameJob],
    save: SaveOptions,
    on_written: &(dyn Fn(&FrameJob) + Sync),
) -> Result<(), BatchError> {
    render_frames_with(ctx, grade, jobs, save, Workers::for_machine(), on_written)
}

/// [`render_frames`] with a chosen number of decode and encode workers.
pub fn render_frames_with(
    ctx: &GpuContext,
    grade: &Grade,
    jobs: &[FrameJob],
    save: SaveOptions,
    workers: Workers,
    on_written: &(dyn Fn(&FrameJob) + Sync),
) -> Result<(), BatchError> {
    render_frames_profiled(ctx, grade, jobs, save, workers, on_written, &Profile::default())
}

/// [`render_frames_with`], adding where the time went to `profile`.
pub fn render_frames_profiled(
    ctx: &GpuContext,
    grade: &Grade,
    jobs: &[FrameJob],
    save: SaveOptions,
    workers: Workers,
    on_written: &(dyn Fn(&FrameJob) + Sync),
    profile: &Profile,
) -> Result<(), BatchError> {
    // A clip decodes in order (FFmpeg threads each decode itself): one worker, or each would decode
    // and discard the frames the others claimed.
    let clip = jobs.iter().any(|j| matches!(j.input, FrameSource::Clip { .. }));
    let decoders = if clip { 1 } else { workers.decoders.max(1) };
    let encoders = workers.encoders.max(1);
    let half = workers.half.on_for(&ctx.adapter_info);
    let queue = DecodeQueue::new(decoders, half);
    let reporter = Reporter::default();
    let errors: Mutex<Vec<(usize, ExportError)>> = Mutex::new(Vec::new());
    let record = |i: usize, e: ExportError| {
        errors.lock().expect("error list lock").push((i, e));
        reporter.failed(i, jobs, on_written);
    };
    let (graded_tx, graded_rx) = sync_channel::<(usize, Graded, bool)>(1);
    let graded_rx = Mutex::new(graded_rx);
    // Written frames' pixel buffers go back to the GPU stage for the next readback: a fresh 4K buffer
    // costs page faults on every frame. Every buffer comes back, so the channel never fills.
    let buffers = encoders + 2;
    let mut stopped_at: Option<usize> = None;
    let (recycle_tx, recycle_rx) = sync_channel::<Graded>(buffers);
    std::thread::scope(|scope| {
        for _ in 0..decoders.min(jobs.len()) {
            scope.spawn(|| queue.work(jobs, profile));
        }
        for _ in 0..encoders.min(jobs.len()) {
            let recycle = recycle_tx.clone();
            let (graded_rx, reporter, record) = (&graded_rx, &reporter, &record);
            scope.spawn(move || {
                encode_worker(jobs, save, graded_rx, reporter, on_written, record, &recycle, profile);
            });
        }
        drop(recycle_tx);
        // On every way out of the GPU stage the decoders are told to stop and the encoders see the
        // channel close (the sender is moved in and dropped).
        let recycled = Recycled::new(recycle_rx, buffers);
        let graded = grade_stage(ctx, grade, jobs, save, half, &queue, graded_tx, &recycled, &record, profile);
        queue.stop();
        if let Err((i, e)) = graded {
            stopped_at = Some(i);
            record(i, e);
        }
    });
    let mut errors = errors.into_inner().expect("error list lock");
    errors.sort_by_key(|(i, _)| *i);
    let failed: BTreeSet<usize> = errors.iter().map(|(i, _)| *i).collect();
    let written = reporter.written_frames();
    // After a GPU error: the frames neither written nor failed.
    let not_rendered: Vec<u32> = match stopped_at {
        Some(_) => {
            (0..jobs.len()).filter(|i| !failed.contains(i) && !written.contains(i)).map(|i| jobs[i].frame).collect()
        }
        None => Vec::new(),
    };
    if errors.is_empty() {
        return Ok(());
    }
    Err(BatchError { failures: errors.into_iter().map(|(i, e)| (jobs[i].frame, e)).collect(), not_rendered })
}

/// Calls `on_written` in frame order although encoders finish out of order (a failed frame is passed
/// over), and remembers which frames were written.
#[derive(Default)]
struct Reporter {
    state: Mutex<ReporterState>,
}

#[derive(Default)]
struct ReporterState {
    next: usize,
    /// Frames done (written or failed) after `next`.
    done: BTreeSet<usize>,
    written: BTreeSet<usize>,
}

impl Reporter {
    fn written(&self, i: usize, jobs: &[FrameJob], on_written: &(dyn Fn(&FrameJob) + Sync)) {
        self.state.lock().expect("reporter lock").written.insert(i);
        self.done(i, jobs, on_written);
    }

    fn failed(&self, i: usize, jobs: &[FrameJob], on_written: &(dyn Fn(&FrameJob) + Sync)) {
        self.done(i, jobs, on_written);
    }

    fn done(&self, i: usize, jobs: &[FrameJob], on_written: &(dyn Fn(&FrameJob) + Sync)) {
        let mut guard = self.state.lock().expect("reporter lock");
        let s = &mut *guard;
        s.done.insert(i);
        while s.done.remove(&s.next) {
            if s.written.contains(&s.next) {
                on_written(&jobs[s.next]);
            }
            s.next += 1;
        }
    }

    fn written_frames(&self) -> BTreeSet<usize> {
        self.state.lock().expect("reporter lock").written.clone()
    }
}

/// An encode worker: writes graded frames until the GPU stage closes the channel; a frame that
/// cannot be written is recorded and the next one written.
#[allow(clippy::too_many_arguments)]
fn encode_worker(
    jobs: &[FrameJob],
    save: SaveOptions,
    graded: &Mutex<Receiver<(usize, Graded, bool)>>,
    reporter: &Reporter,
    on_written: &(dyn Fn(&FrameJob) + Sync),
    record: &(dyn Fn(usize, ExportError) + Sync),
    recycle: &std::sync::mpsc::SyncSender<Graded>,
    profile: &Profile,
) {
    loop {
        // The lock is held only while waiting for the next frame, not while encoding it.
        let next = graded.lock().expect("graded channel lock").recv();
        let Ok((i, frame, alpha)) = next else { return };
        let started = std::time::Instant::now();
        let options = SaveOptions { alpha, ..save };
        let saved = match &frame {
            Graded::Float(frame) => media::save(frame, &jobs[i].output, &options),
            Graded::Half(frame) => media::save_half(frame, &jobs[i].output, &options),
        };
        Profile::add(&profile.encode, started);
        let _ = recycle.try_send(frame);
        match saved {
            Ok(()) => reporter.written(i, jobs, on_written),
            Err(e) => record(i, e.into()),
        }
    }
}
