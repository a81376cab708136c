//! One QC run over a shot's frames, as `cinegrade qc` and the app's QC panel both do it: every frame
//! graded on the GPU exactly as a render would be, measured (the previous graded frame kept for the
//! difference), the stuck-pixel search fed, and the findings of the profile raised over them all.

use crate::color::space::ColorSpace;
use crate::color::spaces::{self, Cat, Chromaticities};
use crate::color::transfer::Transfer;
use crate::gpu::{GpuContext, GpuFrame, executor};
use crate::grade::Grade;
use crate::media::{Frame, FrameSource, MediaError, SampleType};

use super::{QcProfile, QcReport, QcSettings, analysis, pixels};

/// Why a QC run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A frame could not be read.
    #[error("frame {frame}: {source}")]
    Frame {
        /// The frame.
        frame: u32,
        /// Why.
        source: MediaError,
    },
    /// The GPU failed.
    #[error(transparent)]
    Gpu(#[from] crate::gpu::GpuError),
    /// The caller asked it to stop.
    #[error("stopped")]
    Cancelled,
}

/// The measures' settings for an output in `space` (none: values as they are) under `profile`, with
/// the pixels outside `gamut` (in the output's container) counted when given.
pub fn settings(
    profile: &QcProfile,
    space: Option<ColorSpace>,
    gamut: Option<&Chromaticities>,
) -> Result<QcSettings, String> {
    let wide = space.is_some_and(|s| *s.gamut() == spaces::REC2020);
    let luma = if wide { super::overlay::LUMA_2020 } else { super::overlay::LUMA_709 };
    let gamut = match (gamut, space) {
        (None, _) => None,
        (Some(_), None) => {
            return Err("the gamut check needs an output space to know the container's primaries".into());
        }
        (Some(target), Some(space)) => {
            Some((space.transfer(), spaces::rgb_to_rgb_matrix(space.gamut(), target, Cat::Bradford)))
        }
    };
    Ok(QcSettings {
        level_low: profile.level_low,
        level_high: profile.level_high,
        black_pixel: profile.black_pixel,
        luma,
        gamut,
        gamut_tolerance: super::overlay::GAMUT_TOLERANCE,
        pq: space.is_some_and(|s| s.transfer() == Transfer::Pq),
        display: display_light(space),
        red_ratio: 0.8,
    })
}

/// How a display turns the output into light, for the flash check: PQ and HLG as their linear
/// (1.0 = 100 nits), an SDR encoding at BT.1702's 200 cd/m2 display; a scene-referred output has no
/// display (no flash check); frames left unconverted are taken as BT.1886 SDR.
fn display_light(space: Option<ColorSpace>) -> Option<(Transfer, f32)> {
    match space {
        None => Some((Transfer::Bt1886, 200.0)),
        Some(s) if s.is_scene_referred() => None,
        Some(s) => match s.transfer() {
            Transfer::Pq | Transfer::HlgDisplay => Some((s.transfer(), 100.0)),
            t => Some((t, 200.0)),
        },
    }
}

/// What one run checks.
pub struct Job<'a> {
    /// The grade, with its colour pipeline (what a render applies).
    pub grade: &'a Grade,
    /// The frames, numbered.
    pub frames: &'a [(u32, FrameSource)],
    /// A frame graded before the first, unmeasured, for the first frame's difference (a chunk's).
    pub lead_in: Option<&'a (u32, FrameSource)>,
    /// The output's colour space (none: not converted).
    pub output: Option<ColorSpace>,
    /// The measures' settings.
    pub settings: &'a QcSettings,
    /// The profile.
    pub profile: &'a QcProfile,
    /// The frame rate timecodes count at.
    pub fps: f64,
    /// What was checked, for the report.
    pub source: String,
    /// Keep the graded frame at this index (a report's thumbnail).
    pub keep: Option<usize>,
}

/// Where a run's time went.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    /// Reading and decoding the frames.
    pub decode: std::time::Duration,
    /// Uploading, grading and measuring them on the GPU (counters read back).
    pub gpu: std::time::Duration,
}

/// Runs `job`; `progress(done, total)` is called after each frame and stops the run when it returns
/// false. Returns the report and the kept frame.
pub fn check(
    ctx: &GpuContext,
    job: &Job,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(QcReport, Option<Frame>), RunError> {
    check_timed(ctx, job, progress).map(|(report, kept, _)| (report, kept))
}

/// [`check`], with where its time went.
pub fn check_timed(
    ctx: &GpuContext,
    job: &Job,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(QcReport, Option<Frame>, Timing), RunError> {
    let mut timing = Timing::default();
    let mut grader = Grader::default();
    if let Some((number, source)) = job.lead_in {
        let decoded =
            source.decode(grader.take_buffer()).map_err(|source| RunError::Frame { frame: *number, source })?;
        grader.grade(ctx, job.grade, *number, decoded)?;
    }
    let mut measures = Vec::with_capacity(job.frames.len());
    let mut float_source = false;
    let mut kept = None;
    // Stuck pixels are judged over frames of one size (a cut to another size starts again).
    let mut stuck: Option<pixels::StuckTracker> = None;
    for (i, (number, frame_source)) in job.frames.iter().enumerate() {
        let started = std::time::Instant::now();
        let decoded =
            frame_source.decode(grader.take_buffer()).map_err(|source| RunError::Frame { frame: *number, source })?;
        let decoded_at = std::time::Instant::now();
        timing.decode += decoded_at - started;
        float_source |= matches!(decoded.info().sample_type, SampleType::F16 | SampleType::F32);
        let (graded, prev) = grader.grade(ctx, job.grade, *number, decoded)?;
        measures.push(analysis::measure_gpu(ctx, graded, prev, job.settings, *number)?);
        if stuck.as_ref().is_none_or(|t| t.size() != (graded.width, graded.height)) {
            stuck = Some(pixels::StuckTracker::new(ctx, graded.width, graded.height)?);
        }
        stuck.as_mut().expect("made above").add(ctx, graded)?;
        if job.keep == Some(i) {
            kept = Some(graded.download(ctx)?);
        }
        // The measures read their counters back, so the GPU's work for this frame is done here.
        timing.gpu += decoded_at.elapsed();
        if !progress(i + 1, job.frames.len()) {
            return Err(RunError::Cancelled);
        }
    }
    // Scene-referred deliverables (EXR in a scene space, or float frames left unconverted).
    let scene_referred = job.output.map_or(float_source, |s| s.is_scene_referred());
    let stuck = stuck.map(|t| t.finish(ctx, pixels::StuckLimits::default())).transpose()?;
    let report = super::report(measures, stuck.as_ref(), job.profile, job.fps, scene_referred, job.source.clone());
    Ok((report, kept, timing))
}

/// Uploads and grades a run's frames one after another into textures kept while the frame size
/// stays (a 4K frame's source and graded textures and its upload staging are 133 MB each, which
/// fresh allocations per frame would have the system fault in and zero every frame), alternating
/// two graded frames so that the one before stays for the difference measure.
#[derive(Default)]
struct Grader {
    /// The decoded pixels' memory, back from the last upload.
    buffer: Vec<[f32; 4]>,
    set: Option<GradedSet>,
    /// How many frames have been graded into the current set.
    count: usize,
}

struct GradedSet {
    source: GpuFrame,
    uploader: crate::gpu::FrameUploader,
    graded: [GpuFrame; 2],
}

impl Grader {
    fn take_buffer(&mut self) -> Vec<[f32; 4]> {
        std::mem::take(&mut self.buffer)
    }

    /// Grades `decoded` (frame `number`); returns it and, when the frame before was graded into the
    /// same set (the same size), that one.
    fn grade(
        &mut self,
        ctx: &GpuContext,
        grade: &crate::grade::Grade,
        number: u32,
        decoded: crate::media::DecodedFrame,
    ) -> Result<(&GpuFrame, Option<&GpuFrame>), RunError> {
        let (width, height) = decoded.size();
        if self.set.as_ref().is_none_or(|s| (s.source.width, s.source.height) != (width, height)) {
            // A cut to a frame of another size is no repeat: no difference measured there.
            self.set = None;
            let new = || GpuFrame::new(ctx, width, height);
            self.set = Some(GradedSet {
                source: new()?,
                uploader: crate::gpu::FrameUploader::new(ctx, width, height),
                graded: [new()?, new()?],
            });
            self.count = 0;
        }
        let set = self.set.as_mut().expect("made above");
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        match decoded {
            crate::media::DecodedFrame::Image(loaded) => {
                set.uploader.upload(ctx, &mut encoder, &loaded.frame, &set.source)?;
                self.buffer = loaded.frame.pixels;
            }
            crate::media::DecodedFrame::Planes { planes, .. } => {
                crate::gpu::yuv::convert_into(ctx, &planes, &set.source)?;
            }
            crate::media::DecodedFrame::Half { frame, .. } => {
                // Not asked for (`decode` widens half files), but taken as it comes.
                set.source.write(ctx, &frame.to_frame())?;
            }
        }
        let slot = self.count % 2;
        executor::encode_grade(ctx, &mut encoder, grade, number, &set.source, &set.graded[slot])?;
        set.uploader.submitted(ctx.queue.submit([encoder.finish()]));
        let previous = (self.count > 0).then(|| &set.graded[1 - slot]);
        self.count += 1;
        Ok((&set.graded[slot], previous))
    }
}
