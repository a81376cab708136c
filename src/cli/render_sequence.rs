//! `cinegrade render DIR|name.####.exr -o OUT_DIR|out/name.####.exr [--frames 1001-1100]`: a folder or
//! sequence of numbered frames through the same pipeline as a still, with the pipelined batch renderer.
//! Everything is checked before the first frame is written (missing frames, existing outputs, sources).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cinegrade::batch::{FrameJob, Workers};
use cinegrade::gpu::GpuContext;
use cinegrade::grade::Grade;
use cinegrade::media::sequence::{self, FrameSet, SequencePattern, describe_frames};
use cinegrade::media::{FileFormat, FrameSource, SaveOptions};

/// True when `input` names a sequence rather than one still: a folder or a `#`/`%d` pattern.
pub fn is_sequence_input(input: &Path) -> bool {
    input.is_dir() || SequencePattern::is_pattern(input)
}

/// The one sequence of numbered image files in `dir`; the error names what is there instead.
pub(crate) fn sequence_in_folder(dir: &Path) -> anyhow::Result<PathBuf> {
    let entries = std::fs::read_dir(dir).with_context(|| dir.display().to_string())?;
    // One representative frame per (prefix, suffix): the sequences, whatever their padding.
    let mut found: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    for entry in entries {
        let path = entry.with_context(|| dir.display().to_string())?.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.'));
        if hidden || FileFormat::from_path(&path).is_err() || !path.is_file() {
            continue;
        }
        if let Some((p, _)) = SequencePattern::from_frame_file(&path) {
            found.entry((p.prefix, p.suffix)).or_insert(path);
        }
    }
    let mut frames = found.into_values();
    match (frames.next(), frames.len()) {
        (None, _) => bail!("{}: no numbered frames (such as name.1001.exr) in this folder", dir.display()),
        (Some(one), 0) => Ok(one),
        (Some(first), more) => {
            let names: Vec<String> = std::iter::once(first)
                .chain(frames)
                .filter_map(|p| SequencePattern::from_frame_file(&p).map(|(s, _)| s.to_path().display().to_string()))
                .collect();
            bail!(
                "{}: holds {} sequences ({}); give one as a pattern such as {}",
                dir.display(),
                more + 1,
                names.join(", "),
                names[0]
            )
        }
    }
}

/// `--frames`: a frame list as farm engines write them (`1001-1100`, `1001-1100:4`, `1001,1005`).
pub(crate) fn parse_frame_set(text: &str) -> anyhow::Result<FrameSet> {
    FrameSet::parse(text).context("--frames")
}

/// The input sequence and the frames to render.
fn input_frames(input: &Path, frames: Option<&str>) -> anyhow::Result<(SequencePattern, FrameSet)> {
    let probe = if input.is_dir() { sequence_in_folder(input)? } else { input.to_path_buf() };
    let found = sequence::detect(&probe)?.with_context(|| format!("{}: not a frame sequence", input.display()))?;
    let pattern = found.pattern;
    let set = match frames {
        Some(text) => parse_frame_set(text)?,
        None => FrameSet::from_range(found.range),
    };
    require_frames(&pattern, &set)?;
    Ok((pattern, set))
}

/// Fails naming every frame of `set` that `pattern` lacks on disk.
pub(crate) fn require_frames(pattern: &SequencePattern, set: &FrameSet) -> anyhow::Result<()> {
    let missing: Vec<u32> = set.frames().iter().copied().filter(|&f| !pattern.frame_path(f).is_file()).collect();
    if !missing.is_empty() {
        bail!(
            "{}: {} of {} frame(s) missing: {}",
            pattern.to_path().display(),
            missing.len(),
            set.len(),
            describe_frames(&missing)
        );
    }
    Ok(())
}

/// `suffix` (such as `.exr` or `_v2.exr`) with its extension replaced by `ext`.
fn with_extension(suffix: &str, ext: &str) -> String {
    match suffix.rfind('.') {
        Some(dot) => format!("{}.{ext}", &suffix[..dot]),
        None => format!("{suffix}.{ext}"),
    }
}

/// The output naming: a pattern as given, or the input's names in the output folder (with the
/// extension of `--format` when given).
fn output_pattern(input: &SequencePattern, output: &Path, format: Option<&str>) -> anyhow::Result<SequencePattern> {
    if SequencePattern::is_pattern(output) {
        if format.is_some() {
            bail!("--format: the output pattern {} already names the format", output.display());
        }
        return Ok(SequencePattern::parse(output)?);
    }
    if output.is_file() {
        bail!("{}: a sequence renders into a folder or an output pattern such as out/name.####.exr", output.display());
    }
    let suffix = format.map_or_else(|| input.suffix.clone(), |ext| with_extension(&input.suffix, ext));
    Ok(SequencePattern { dir: output.to_path_buf(), suffix, ..input.clone() })
}

/// Runs `render` on a folder or sequence pattern.
pub fn run(input: &Path, args: &super::render::RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let (grade_path, frames) = (args.grade.as_deref(), args.project.frames.as_deref());
    let (_, grade) = super::pipeline::load_pipeline(grade_path, &args.pipeline)?;
    let (pattern, set) = input_frames(input, frames)?;
    let out = output_pattern(&pattern, &args.output, args.format.map(super::render::OutputFormat::extension))?;
    let format = FileFormat::from_path(&out.frame_path(set.frames()[0]))?;
    let mut options = super::render::save_options_for(format, args, false)?;
    let jobs: Vec<FrameJob> = set
        .frames()
        .iter()
        .map(|&f| FrameJob { frame: f, input: pattern.frame_path(f).into(), output: out.frame_path(f) })
        .collect();
    for job in &jobs {
        if super::same_file(job.input.path(), &job.output) {
            bail!("{}: refusing to write over the source frame", job.output.display());
        }
    }
    let plan = plan_outputs(jobs, &mut options, args.skip_existing)?;
    if !out.dir.as_os_str().is_empty() {
        std::fs::create_dir_all(&out.dir).with_context(|| out.dir.display().to_string())?;
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        eprintln!("input: {} frames {set} -> {}", pattern.to_path().display(), out.to_path().display());
        super::pipeline::describe(&grade);
    }
    let label = pattern.prefix.trim_end_matches(['.', '_']).to_string();
    run_batch(&ctx, &grade, &plan, options, &label, verbose)
}

/// Runs `render` on a video clip: its frames (from 0; `--frames` picks some) to an output pattern, or
/// into a folder as `<clip name>.####.<format>`.
#[cfg(feature = "video")]
pub fn run_clip(input: &Path, args: &super::render::RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let (_, grade) = super::pipeline::load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let info = cinegrade::media::video::probe(input)?;
    let whole = sequence::FrameRange { first: 0, last: info.frames - 1 };
    let set = match args.project.frames.as_deref() {
        Some(text) => parse_frame_set(text)?,
        None => FrameSet::from_range(whole),
    };
    if !whole.contains(set.bounds().last) {
        bail!("{}: --frames {set}: the clip's frames are {whole}", input.display());
    }
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("frame");
    // An output pattern; a folder (frames named after the clip); or, for one frame, a file.
    let out = if SequencePattern::is_pattern(&args.output) {
        if args.format.is_some() {
            bail!("--format: the output pattern {} already names the format", args.output.display());
        }
        Some(SequencePattern::parse(&args.output)?)
    } else if args.output.is_dir() || args.output.extension().is_none() {
        let ext = args.format.map_or("exr", super::render::OutputFormat::extension);
        Some(SequencePattern {
            dir: args.output.clone(),
            prefix: format!("{stem}."),
            padding: 4,
            suffix: format!(".{ext}"),
        })
    } else if set.len() == 1 {
        None
    } else {
        bail!("{}: {} frames need an output pattern such as out/name.####.exr", args.output.display(), set.len());
    };
    let output_of = |f: u32| out.as_ref().map_or_else(|| args.output.clone(), |p| p.frame_path(f));
    let format = FileFormat::from_path(&output_of(set.frames()[0]))?;
    if format.is_video() {
        bail!(
            "{}: frames render to stills (.exr, .dpx, .tif, .png, .jpg); a movie takes --codec",
            args.output.display()
        );
    }
    let mut options = super::render::save_options_for(format, args, info.alpha)?;
    let jobs: Vec<FrameJob> = set
        .frames()
        .iter()
        .map(|&f| FrameJob {
            frame: f,
            input: FrameSource::Clip { path: input.to_path_buf(), frame: f },
            output: output_of(f),
        })
        .collect();
    if jobs.iter().any(|j| super::same_file(input, &j.output)) {
        bail!("{}: refusing to write over the source clip", input.display());
    }
    let plan = plan_outputs(jobs, &mut options, args.skip_existing)?;
    if let Some(dir) = output_of(set.frames()[0]).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        for line in info.lines() {
            eprintln!("{line}");
        }
        eprintln!("frames {set} -> {}", output_of(set.frames()[0]).display());
        super::pipeline::describe(&grade);
    }
    run_batch(&ctx, &grade, &plan, options, stem, verbose)
}

/// Every frame of a source given on the command line, numbered, and its frame rate: a clip's frames
/// from 0 at its rate, a folder's or pattern's sequence, or one still (frame 0); 24 fps but for clips.
pub(crate) fn source_frames(input: &Path) -> anyhow::Result<(Vec<(u32, FrameSource)>, f64)> {
    let still_rate = cinegrade::project::DEFAULT_FRAME_RATE;
    if FileFormat::from_path(input).is_ok_and(FileFormat::is_video) {
        #[cfg(feature = "video")]
        {
            let info = cinegrade::media::video::probe(input)?;
            let clip = |f| FrameSource::Clip { path: input.to_path_buf(), frame: f };
            return Ok(((0..info.frames).map(|f| (f, clip(f))).collect(), info.fps()));
        }
        #[cfg(not(feature = "video"))]
        return Err(cinegrade::media::MediaError::NoVideo(input.to_path_buf()).into());
    }
    if is_sequence_input(input) {
        let probe = if input.is_dir() { sequence_in_folder(input)? } else { input.to_path_buf() };
        let found = sequence::detect(&probe)?.with_context(|| format!("{}: not a frame sequence", input.display()))?;
        let frames = found.range.frames().map(|f| (f, FrameSource::File(found.pattern.frame_path(f)))).collect();
        return Ok((frames, still_rate));
    }
    Ok((vec![(0, FrameSource::File(input.to_path_buf()))], still_rate))
}

/// The frames of `all` that `--frames` (`text`) names, every one of which must be there.
pub(crate) fn pick_frames(all: Vec<(u32, FrameSource)>, text: Option<&str>) -> anyhow::Result<Vec<(u32, FrameSource)>> {
    let Some(text) = text else { return Ok(all) };
    let set = parse_frame_set(text)?;
    let picked: Vec<_> = all.into_iter().filter(|(n, _)| set.contains(*n)).collect();
    if picked.len() != set.len() {
        let have: std::collections::BTreeSet<u32> = picked.iter().map(|(n, _)| *n).collect();
        let missing: Vec<u32> = set.frames().iter().copied().filter(|f| !have.contains(f)).collect();
        bail!("--frames {set}: frame(s) {} are not in the source", describe_frames(&missing));
    }
    Ok(picked)
}

/// The frames to render and those passed over because their output is already complete.
pub struct Plan {
    /// Frames to render.
    pub jobs: Vec<FrameJob>,
    /// Frames whose output exists and is complete (`--skip-existing`).
    pub skipped: Vec<u32>,
}

/// Decides what happens to outputs that exist: without `--skip-existing` the render refuses to
/// start unless `--overwrite`; with it, a complete output (checked by [`cinegrade::media::check_complete`]:
/// its header and length, never its name alone) is passed over and a broken one rendered again (so
/// `options` may replace it).
pub fn plan_outputs(jobs: Vec<FrameJob>, options: &mut SaveOptions, skip_existing: bool) -> anyhow::Result<Plan> {
    if !skip_existing {
        check_existing(&jobs, options.overwrite)?;
        return Ok(Plan { jobs, skipped: Vec::new() });
    }
    let mut plan = Plan { jobs: Vec::with_capacity(jobs.len()), skipped: Vec::new() };
    for job in jobs {
        // A killed task's half-written temporaries (never taken for frames) are cleared away.
        if let Err(e) = cinegrade::media::atomic::remove_stale_temporaries(&job.output) {
            super::warn(format!("{}: leftover temporary files: {e}", job.output.display()));
        }
        if job.output.exists() {
            match cinegrade::media::check_complete(&job.output) {
                Ok(()) => {
                    plan.skipped.push(job.frame);
                    continue;
                }
                Err(e) => super::warn(format!("frame {}: rendering again: {e}", job.frame)),
            }
        }
        plan.jobs.push(job);
    }
    // What is left either does not exist or is broken: replacing it is the point.
    options.overwrite = true;
    Ok(plan)
}

/// Refuses to start when an output exists, unless `overwrite`.
pub fn check_existing(jobs: &[FrameJob], overwrite: bool) -> anyhow::Result<()> {
    let existing: Vec<&FrameJob> = jobs.iter().filter(|j| j.output.exists()).collect();
    if let (Some(first), false) = (existing.first(), overwrite) {
        let more = if existing.len() > 1 { format!(" (and {} more)", existing.len() - 1) } else { String::new() };
        bail!(
            "{}: already exists{more} (pass --overwrite to replace, or --skip-existing to render only what is missing)",
            first.output.display()
        );
    }
    Ok(())
}

/// The test-only fault point: with `CINEGRADE_TEST_KILL_AFTER_FRAMES=N` the process aborts (as a
/// farm's SIGKILL would land) right after its N-th frame is written, while other frames are still
/// being decoded, graded and encoded: what tests/farm.rs restarts with `--skip-existing`.
fn kill_point() -> Option<usize> {
    std::env::var("CINEGRADE_TEST_KILL_AFTER_FRAMES").ok()?.parse().ok()
}

/// Some frames of a render failed: `render` exits with status 1 (bad input, caught before the
/// first frame, exits 2). The summary line and each failure are already printed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FramesFailed(pub String);

/// Renders the plan's frames with a progress bar on a terminal, then prints one summary line on
/// stderr (a farm task's log line): frames rendered, skipped and failed, seconds, frames per second.
/// Fails with [`FramesFailed`] when any frame failed.
pub fn run_batch(
    ctx: &GpuContext,
    grade: &Grade,
    plan: &Plan,
    options: SaveOptions,
    label: &str,
    verbose: bool,
) -> anyhow::Result<()> {
    let jobs = &plan.jobs;
    let workers = Workers::for_machine();
    if verbose {
        eprintln!("workers: {} decode, {} encode", workers.decoders, workers.encoders);
    }
    let bar = if std::io::stderr().is_terminal() && !jobs.is_empty() {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} frames, {per_sec}, {eta} left")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    let start = Instant::now();
    let kill_after = kill_point();
    let written = std::sync::atomic::AtomicUsize::new(0);
    let on_written = |_: &FrameJob| {
        bar.inc(1);
        let n = written.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if kill_after == Some(n) {
            // As SIGKILL would: no destructor runs, no file is finished or cleaned up.
            std::process::abort();
        }
    };
    let profile = cinegrade::batch::Profile::default();
    let result = if jobs.is_empty() {
        Ok(())
    } else {
        cinegrade::batch::render_frames_profiled(ctx, grade, jobs, options, workers, &on_written, &profile)
    };
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    if verbose && !jobs.is_empty() {
        // Busy time per stage, summed over its threads, and its share of the machine's cores over
        // the render's wall time.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        eprintln!("profile ({} frame(s), {seconds:.2} s wall, {cores} cores):", jobs.len());
        for (stage, busy) in profile.stages() {
            let busy = busy.as_secs_f64();
            eprintln!(
                "  {stage:<18} {busy:>8.2} s  {:>6.1} ms/frame  {:>5.1} % of the cores",
                busy * 1e3 / jobs.len() as f64,
                100.0 * busy / (seconds.max(1e-9) * cores)
            );
        }
        let (half_in, half_out) = profile.half_frames();
        eprintln!(
            "  half-float transport ({}): {half_in} frame(s) uploaded as half, {half_out} read back as half",
            if workers.half.on_for(&ctx.adapter_info) { "on" } else { "off on this adapter; CINEGRADE_HALF=on" }
        );
    }
    let failed = result.as_ref().err().map(|e| e.frames()).unwrap_or_default();
    let rendered = jobs.len() - failed.len();
    let mut all: Vec<u32> = jobs.iter().map(|j| j.frame).chain(plan.skipped.iter().copied()).collect();
    all.sort_unstable();
    let mut line = format!(
        "{label}: frames {}: rendered {rendered} frame(s) in {seconds:.2} s ({:.2} frames/s)",
        describe_frames(&all),
        rendered as f64 / seconds.max(1e-9)
    );
    if !plan.skipped.is_empty() {
        line.push_str(&format!(
            "; {} skipped, already complete ({})",
            plan.skipped.len(),
            describe_frames(&plan.skipped)
        ));
    }
    if !failed.is_empty() {
        line.push_str(&format!("; {} FAILED: {}", failed.len(), describe_frames(&failed)));
    }
    eprintln!("{line}");
    match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let summary = e.to_string();
            for (frame, error) in e.failures {
                eprintln!("cinegrade: frame {frame}: {}", super::one_line(&anyhow::Error::new(error)));
            }
            if !e.not_rendered.is_empty() {
                eprintln!("cinegrade: not rendered after that: {}", describe_frames(&e.not_rendered));
            }
            Err(FramesFailed(summary).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_keep_the_frame_names() {
        assert_eq!(with_extension(".exr", "png"), ".png");
        assert_eq!(with_extension("_v2.exr", "tif"), "_v2.tif");
        assert_eq!(with_extension("", "exr"), ".exr");
        let input = SequencePattern::parse(Path::new("plates/A001.####.exr")).unwrap();
        let out = output_pattern(&input, Path::new("graded"), Some("png")).unwrap();
        assert_eq!(out.frame_path(1001), Path::new("graded/A001.1001.png"));
        let out = output_pattern(&input, Path::new("graded/B.%03d.exr"), None).unwrap();
        assert_eq!(out.frame_path(7), Path::new("graded/B.007.exr"));
        assert!(output_pattern(&input, Path::new("graded/B.%03d.exr"), Some("png")).is_err());
    }
}
