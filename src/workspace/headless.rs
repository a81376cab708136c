//! Headless playback for `cinegrade play`: a sequence (a pattern or a project's shot) played through the
//! same [`Player`] and GPU [`Monitor`] as the app (grade and display passes, source replaced in place),
//! either every frame as fast as it goes or on the frame-rate clock, with the figures to report.

use std::path::Path;
use std::time::{Duration, Instant};

use super::Monitor;
use crate::gpu::GpuContext;
use crate::grade::Grade;
use crate::media::sequence::{self, FrameRange};
use crate::playback::{
    CacheConfig, CacheStats, DecodeFn, Direction, FrameCache, PlaybackError, Player, Present, file_decoder,
};
use crate::project::{Media, Project};

/// How long one frame may take to decode before headless playback gives up.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(120);

/// What to play.
pub struct PlaySource {
    /// What the report calls it (the pattern, or project and shot).
    pub label: String,
    /// The frames to play.
    pub range: FrameRange,
    /// Reads one frame.
    pub decode: DecodeFn,
    /// The grade, with the shot's colour pipeline around it.
    pub grade: Grade,
    /// The shot's frame rate (24 for a bare pattern).
    pub fps: f64,
}

/// Opens a sequence pattern (`plate.####.exr`, or one of its frames), a video clip or a project (`.cgproj`: the shot
/// named `shot`, else its first sequence shot). `grade` replaces the shot's current grade; `frames`
/// narrows the range.
pub fn open_source(
    path: &Path,
    shot: Option<&str>,
    grade: Option<Grade>,
    frames: Option<FrameRange>,
) -> Result<PlaySource, PlaybackError> {
    let source = |e: &dyn std::fmt::Display| PlaybackError::Source(e.to_string());
    let is_project = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("cgproj"));
    let mut found = if is_project {
        let project = Project::load(path).map_err(|e| source(&e))?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let (_, picked) = project
            .shots()
            .find(|(_, s)| match shot {
                Some(name) => s.name == name,
                None => matches!(s.media, Media::Sequence(_) | Media::Clip(_)),
            })
            .ok_or_else(|| {
                PlaybackError::Source(match shot {
                    Some(name) => format!("{}: no shot named {name:?}", path.display()),
                    None => format!("{}: no sequence shot to play (name one with --shot)", path.display()),
                })
            })?;
        let range = picked.media.range().unwrap_or(FrameRange { first: 0, last: 0 });
        let media = picked.media.clone();
        let pipeline = crate::export::shot_pipeline(&project.color, picked, &root);
        PlaySource {
            label: format!("{} / {}", path.display(), picked.name),
            range,
            decode: crate::playback::source_decoder(move |f| media.frame_source(&root, f)),
            grade: pipeline.build(grade.as_ref().unwrap_or(picked.grade())),
            fps: picked.frame_rate,
        }
    } else if crate::media::FileFormat::from_path(path).is_ok_and(crate::media::FileFormat::is_video) {
        clip_source(path, grade)?
    } else {
        let seq = sequence::detect(path)
            .map_err(|e| source(&e))?
            .ok_or_else(|| PlaybackError::Source(format!("{}: not a frame sequence", path.display())))?;
        let pattern = seq.pattern.clone();
        PlaySource {
            label: pattern.to_path().display().to_string(),
            range: seq.range,
            decode: file_decoder(move |f| pattern.frame_path(f)),
            grade: grade.unwrap_or_default(),
            fps: crate::project::DEFAULT_FRAME_RATE,
        }
    };
    if let Some(frames) = frames {
        if !(found.range.contains(frames.first) && found.range.contains(frames.last)) {
            return Err(PlaybackError::Source(format!(
                "frames {}-{} are outside the sequence's {}-{}",
                frames.first, frames.last, found.range.first, found.range.last
            )));
        }
        found.range = frames;
    }
    Ok(found)
}

/// A clip's frames from 0, at its frame rate.
#[cfg(feature = "video")]
fn clip_source(path: &Path, grade: Option<Grade>) -> Result<PlaySource, PlaybackError> {
    let info = crate::media::video::probe(path).map_err(|e| PlaybackError::Source(e.to_string()))?;
    let clip = path.to_path_buf();
    Ok(PlaySource {
        label: path.display().to_string(),
        range: FrameRange { first: 0, last: info.frames - 1 },
        decode: crate::playback::source_decoder(move |f| crate::media::FrameSource::Clip {
            path: clip.clone(),
            frame: f,
        }),
        grade: grade.unwrap_or_default(),
        fps: info.fps(),
    })
}

#[cfg(not(feature = "video"))]
fn clip_source(path: &Path, _grade: Option<Grade>) -> Result<PlaySource, PlaybackError> {
    Err(PlaybackError::Source(crate::media::MediaError::NoVideo(path.to_path_buf()).to_string()))
}

/// How fast to play.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pace {
    /// Every frame, each as soon as it is decoded and graded: what the machine sustains. Over the range
    /// `passes` times: later passes play what the cache kept (upload and GPU only, where it all fits).
    EveryFrame {
        /// How many times to play the range (at least 1).
        passes: u32,
    },
    /// On the clock at this frame rate, dropping the frames decode cannot deliver in time.
    FrameRate(f64),
}

/// The figures of one headless playback.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayReport {
    /// Frames put through the viewer (uploaded, graded, displayed).
    pub shown: u64,
    /// Frames the clock passed that were never shown.
    pub dropped: u64,
    /// Frames that failed to decode.
    pub failed: u64,
    /// Wall time from the first frame asked for to the last one finished on the GPU.
    pub seconds: f64,
    /// Shown frames per second over the whole run.
    pub fps: f64,
    /// Frames decoded per second of decode-thread time (one thread's speed).
    pub decode_fps_per_thread: f64,
    /// Decode threads.
    pub threads: usize,
    /// Seconds spent uploading, grading and displaying on the GPU (waited for), per shown frame.
    pub gpu_seconds_per_frame: f64,
    /// Frame size.
    pub size: (u32, u32),
    /// The cache's counters at the end.
    pub cache: CacheStats,
    /// The cache's budget.
    pub budget_bytes: u64,
    /// Frames per second of each pass over the range (`--measure` with several passes).
    pub pass_fps: Vec<f64>,
}

/// Plays `source` through a [`Player`] and a [`Viewer`]; `on_frame` sees each frame shown.
pub fn play(
    ctx: &GpuContext,
    source: PlaySource,
    pace: Pace,
    config: CacheConfig,
    mut on_frame: impl FnMut(u32),
) -> Result<PlayReport, PlaybackError> {
    let start = Instant::now();
    let cache = FrameCache::new(source.range, source.decode, config);
    let budget_bytes = cache.budget_bytes();
    let threads = cache.threads();
    let fps = match pace {
        Pace::FrameRate(fps) => fps,
        Pace::EveryFrame { .. } => source.fps,
    };
    let mut player = Player::new(cache, fps, start);
    // Several passes read ahead across the wrap, so the second pass finds the start cached.
    player.set_looping(matches!(pace, Pace::EveryFrame { passes } if passes > 1), start);
    let mut monitor = Monitor::default();
    let mut gpu_seconds = 0.0;
    let mut show = |present: Present, gpu_seconds: &mut f64| -> Result<(), PlaybackError> {
        let t = Instant::now();
        monitor.show(ctx, &present.image.frame)?;
        if let Some(v) = monitor.viewer() {
            v.render(ctx, &source.grade, present.frame)?;
        }
        ctx.wait()?;
        *gpu_seconds += t.elapsed().as_secs_f64();
        on_frame(present.frame);
        Ok(())
    };
    let mut failed = 0;
    let mut pass_starts = Vec::new();
    let began = Instant::now();
    match pace {
        Pace::EveryFrame { passes } => {
            for (i, frame) in (0..passes.max(1)).flat_map(|_| source.range.frames()).enumerate() {
                if (i as u64).is_multiple_of(source.range.len()) {
                    pass_starts.push(Instant::now());
                }
                player.seek(frame);
                match player.present_wait(FRAME_TIMEOUT, Instant::now()) {
                    Ok(Some(present)) => show(present, &mut gpu_seconds)?,
                    Ok(None) => {}
                    // A broken frame is reported at the end and playback goes on; a stuck one ends it.
                    Err(PlaybackError::Frame { .. }) => failed += 1,
                    Err(e) => return Err(e),
                }
            }
        }
        Pace::FrameRate(_) => {
            player.seek(source.range.first);
            if let Some(present) = player.present_wait(FRAME_TIMEOUT, Instant::now())? {
                show(present, &mut gpu_seconds)?;
            }
            player.play(Direction::Forward, Instant::now());
            while player.is_playing() {
                match player.tick(Instant::now()) {
                    Some(present) => show(present, &mut gpu_seconds)?,
                    // Nothing new: sleep until a frame arrives or a frame period passes.
                    None => player.cache().wait_for_arrival(Duration::from_secs_f64(0.5 / player.fps())),
                }
                if player.take_error().is_some() {
                    failed += 1;
                }
            }
        }
    }
    let seconds = began.elapsed().as_secs_f64();
    let ended = Instant::now();
    let pass_fps = pass_starts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let end = pass_starts.get(i + 1).copied().unwrap_or(ended);
            source.range.len() as f64 / end.duration_since(*t).as_secs_f64().max(1e-9)
        })
        .collect();
    let stats = player.stats(Instant::now());
    let size = monitor.viewer().map_or((0, 0), |v| v.size());
    let decode_fps_per_thread =
        if stats.cache.decode_seconds > 0.0 { stats.cache.decoded as f64 / stats.cache.decode_seconds } else { 0.0 };
    Ok(PlayReport {
        shown: stats.shown,
        dropped: stats.dropped,
        failed,
        seconds,
        fps: if seconds > 0.0 { stats.shown as f64 / seconds } else { 0.0 },
        decode_fps_per_thread,
        threads,
        gpu_seconds_per_frame: if stats.shown > 0 { gpu_seconds / stats.shown as f64 } else { 0.0 },
        size,
        cache: stats.cache,
        budget_bytes,
        pass_fps,
    })
}

impl PlayReport {
    /// The report as printed by `cinegrade play`, one fact per line.
    pub fn lines(&self) -> Vec<String> {
        let gib = |b: u64| b as f64 / f64::from(1u32 << 30);
        let mut lines = vec![
            format!(
                "frames:    {} shown, {} dropped, {} failed, {}x{}",
                self.shown, self.dropped, self.failed, self.size.0, self.size.1
            ),
            format!("playback:  {:.2} fps ({:.2} s)", self.fps, self.seconds),
            format!(
                "decode:    {:.2} fps per thread x {} threads ({} decoded)",
                self.decode_fps_per_thread, self.threads, self.cache.decoded
            ),
            format!("gpu:       {:.1} ms per frame (upload, grade, display)", self.gpu_seconds_per_frame * 1000.0),
            format!(
                "cache:     {} hits, {} misses, {} evicted, {} frames held ({:.2} of {:.2} GiB)",
                self.cache.hits,
                self.cache.misses,
                self.cache.evicted,
                self.cache.frames,
                gib(self.cache.used_bytes),
                gib(self.budget_bytes)
            ),
        ];
        if self.pass_fps.len() > 1 {
            let passes: Vec<String> =
                self.pass_fps.iter().enumerate().map(|(i, fps)| format!("pass {}: {fps:.2} fps", i + 1)).collect();
            lines.push(format!("passes:    {}", passes.join(", ")));
        }
        lines
    }
}
