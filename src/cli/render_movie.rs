//! `cinegrade render ... -o review.mov --codec prores422hq|h264`: a shot, clip or sequence graded on
//! the GPU into one review movie with its output encoding's colour tags.

use std::io::IsTerminal;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::render::RenderArgs;
use super::render_sequence::{pick_frames, source_frames};
use cinegrade::export::movie::{self, MovieOptions};
use cinegrade::gpu::GpuContext;
use cinegrade::media::FileFormat;

/// Runs `render --codec`.
pub fn run(args: &RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let codec = args.codec.expect("called with --codec").codec();
    let out = &args.output;
    if !matches!(FileFormat::from_path(out), Ok(FileFormat::Video)) || out.extension().is_some_and(|e| e == "mxf") {
        bail!("{}: a review movie is written as .mov, .mp4 or .mkv", out.display());
    }
    if args.format.is_some() || args.depth.is_some() {
        bail!("--format and --depth apply to frames; a movie's codec sets its format and depth");
    }
    let frames_arg = args.project.frames.as_deref();
    let (grade, frames, fps, space, label, shot) = if let Some(project_path) = &args.project.project {
        let project = cinegrade::project::Project::load(project_path)?;
        let root = super::project_root(project_path);
        let shot = super::render_project::find_shot(
            &project,
            args.project
                .shot
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("--project needs --shot NAME: the shot to render"))?,
        )?
        .clone();
        let version = args.project.grade_version.as_deref();
        let (grade, output) =
            super::render_project::shot_render_grade(&args.pipeline, version, &project, project_path, &root, &shot)?;
        cinegrade::export::check_not_source(&project, &root, out)?;
        let frames = pick_frames(shot.media.frame_sources(&root), frames_arg)?;
        let space = output.map(|s| s.name().to_string());
        (grade, frames, shot.frame_rate, space, shot.name.clone(), Some(shot))
    } else {
        let input = args.input.as_ref().expect("clap requires INPUT without --project");
        let (pipeline, grade) = super::pipeline::load_pipeline(args.grade.as_deref(), &args.pipeline)?;
        let (all, fps) = source_frames(input)?;
        if super::same_file(input, out) {
            bail!("{}: refusing to write over the source", out.display());
        }
        let label = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let space = pipeline.output_space().map(|s| s.name().to_string());
        (grade, pick_frames(all, frames_arg)?, fps, space, label, None)
    };
    if args.burn_in && shot.is_none() {
        bail!("--burn-in names a project's shot; give --project and --shot");
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        eprintln!("{label}: {} frame(s) at {fps} fps -> {} ({})", frames.len(), out.display(), codec.name());
        super::pipeline::describe(&grade);
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(frames.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} frames, {eta} left").expect("template"));
    bar.set_message(label);
    let options = MovieOptions { codec, burn_in: args.burn_in, overwrite: args.overwrite };
    let captions = |f: u32| {
        let shot = shot.as_ref().expect("checked above");
        cinegrade::export::burn_in_captions(shot, shot.media.range().map(|_| f))
    };
    let captions: Option<&dyn Fn(u32) -> (String, String)> = if args.burn_in { Some(&captions) } else { None };
    let start = std::time::Instant::now();
    let written =
        movie::render_movie(&ctx, &grade, &frames, fps, space.as_deref(), out, &options, captions, &|_| bar.inc(1));
    bar.finish_and_clear();
    let written = written?;
    eprintln!("wrote {} ({} frame(s) in {:.2} s)", written.display(), frames.len(), start.elapsed().as_secs_f64());
    Ok(())
}
