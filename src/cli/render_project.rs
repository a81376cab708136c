//! `cinegrade render --project P.cgproj --shot NAME [--frames 1001-1100] -o out/name.####.exr`: the unit
//! of work a render farm runs. Checks everything before the first frame is written (missing frames,
//! existing outputs, source media), then renders through the pipelined batch renderer.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::project_root;
use cinegrade::batch::FrameJob;
use cinegrade::export::check_not_source;
use cinegrade::gpu::GpuContext;
use cinegrade::grade::Grade;
use cinegrade::media::sequence::{FrameSet, SequencePattern};
use cinegrade::project::{Project, Shot};

/// The project form of `render`.
#[derive(clap::Args)]
pub struct ProjectRender {
    /// Render a shot of this project (.cgproj) instead of INPUT (`qc`: without --shot, every shot).
    #[arg(long, conflicts_with_all = ["input", "grade"])]
    pub project: Option<PathBuf>,
    /// The shot to render (its name in the project).
    #[arg(long, requires = "project")]
    pub shot: Option<String>,
    /// Frames to render: 1001-1100, 1001-1100:4 (every 4th), a list such as 1001,1005,1010-1020, or
    /// one frame, as farm engines hand out (default: the whole sequence, or the shot's range).
    #[arg(long)]
    pub frames: Option<String>,
    /// Grade version to render, by name (default: the shot's current version).
    #[arg(long, requires = "project")]
    pub grade_version: Option<String>,
}

/// The one shot named `name`; the error lists what exists.
pub(crate) fn find_shot<'a>(project: &'a Project, name: &str) -> anyhow::Result<&'a Shot> {
    let found: Vec<&Shot> = project.shots().map(|(_, s)| s).filter(|s| s.name == name).collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<&str> = project.shots().map(|(_, s)| s.name.as_str()).take(10).collect();
            bail!(
                "no shot named {name:?} (shots: {}{})",
                names.join(", "),
                if names.len() == 10 { ", ..." } else { "" }
            )
        }
        many => bail!("{} shots are named {name:?}; rename them so the name picks one", many.len()),
    }
}

fn grade_of(shot: &Shot, version: Option<&str>) -> anyhow::Result<Grade> {
    match version {
        None => Ok(shot.grade().clone()),
        Some(v) => match shot.versions.iter().find(|g| g.name == v) {
            Some(g) => Ok(g.grade.clone()),
            None => {
                let names: Vec<&str> = shot.versions.iter().map(|g| g.name.as_str()).collect();
                bail!("shot {:?} has no version {v:?} (versions: {})", shot.name, names.join(", "))
            }
        },
    }
}

/// The frames to render, each with its source and output.
fn jobs(shot: &Shot, root: &Path, frames: Option<&str>, output: &Path) -> anyhow::Result<Vec<FrameJob>> {
    let Some(shot_range) = shot.media.range() else {
        if frames.is_some() {
            bail!("shot {:?} is a still; --frames applies to sequences and clips", shot.name);
        }
        if SequencePattern::is_pattern(output) {
            bail!("{}: shot {:?} is a still; give a file name, not a pattern", output.display(), shot.name);
        }
        return Ok(vec![FrameJob { frame: 0, input: shot.media_path(root).into(), output: output.to_path_buf() }]);
    };
    let set = match frames {
        Some(text) => super::render_sequence::parse_frame_set(text)?,
        None => FrameSet::from_range(shot_range),
    };
    let bounds = set.bounds();
    match shot.media.pattern(root) {
        Some(pattern) => super::render_sequence::require_frames(&pattern, &set)?,
        // A clip: its frames are those the shot was made with.
        None if !(shot_range.contains(bounds.first) && shot_range.contains(bounds.last)) => {
            bail!("shot {:?}: --frames {set} lies outside the clip's frames {shot_range}", shot.name)
        }
        None => {}
    }
    let out_pattern = SequencePattern::parse(output).ok();
    if out_pattern.is_none() && set.len() > 1 {
        bail!("{}: {} frames need an output pattern such as out/name.####.exr", output.display(), set.len());
    }
    Ok(set
        .frames()
        .iter()
        .map(|&f| FrameJob {
            frame: f,
            input: shot.media.frame_source(root, f),
            output: out_pattern.as_ref().map_or_else(|| output.to_path_buf(), |p| p.frame_path(f)),
        })
        .collect())
}

/// The grade `render --project` applies to `shot`: its version's nodes in its colour pipeline, with
/// the command line's colour flags where given.
pub(crate) fn shot_render_grade(
    flags: &super::pipeline::PipelineArgs,
    grade_version: Option<&str>,
    project: &Project,
    project_path: &Path,
    root: &Path,
    shot: &Shot,
) -> anyhow::Result<(cinegrade::grade::Grade, Option<cinegrade::color::space::ColorSpace>)> {
    // The shot's colour spaces unless the command line names others; CDL, LUT, working space and
    // tone mapping flags apply as for a still.
    if flags.ocio_config.is_some() {
        bail!(
            "--ocio-config with --project: a project's shots name Cinegrade's colour spaces (OCIO configs per project are not supported yet)"
        );
    }
    // The OCIO environment variable does not apply: the project says how its shots are managed.
    let mut pipeline = flags.pipeline_with(false)?;
    if project.color.ocio_config.is_some() {
        // The project's config, the shot's spaces in it; the CDL and LUT flags apply as for a still.
        let p = flags;
        if p.input_space.is_some() || p.output_space.is_some() || p.working_space.is_some() || p.tone_map.is_some() {
            bail!(
                "{}: the project is colour managed by its OCIO config; set the shot's spaces in the project (the app's Colour rows)",
                project_path.display()
            );
        }
        let (cdl, lut) = (pipeline.cdl.take(), pipeline.lut.take());
        pipeline = cinegrade::export::shot_pipeline(&project.color, shot, root);
        (pipeline.cdl, pipeline.lut) = (cdl, lut);
    }
    pipeline.input = pipeline.input.or(shot.input_space);
    pipeline.output = pipeline.output.or(shot.output_space);
    if flags.working_space.is_none() && project.color.ocio_config.is_none() {
        pipeline.working = shot.color().working_space();
    }
    if flags.tone_map.is_none() {
        pipeline.tone_map = shot.tone_map;
        pipeline.peak_nits = pipeline.peak_nits.or(shot.peak_nits);
    }
    let mut grade = pipeline.build(&grade_of(shot, grade_version)?);
    // LUT paths in a project are relative to its folder.
    grade.resolve_paths(root);
    Ok((grade, pipeline.output_space()))
}

/// Runs `render --project`.
pub fn run(args: &super::render::RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let project_path = args.project.project.as_deref().expect("checked by the caller");
    let Some(shot_name) = args.project.shot.as_deref() else {
        bail!("--project needs --shot NAME: the shot to render");
    };
    let project = Project::load(project_path)?;
    let root = project_root(project_path);
    let shot = find_shot(&project, shot_name)?;
    let version = args.project.grade_version.as_deref();
    let (grade, _) = shot_render_grade(&args.pipeline, version, &project, project_path, &root, shot)?;
    let jobs = jobs(shot, &root, args.project.frames.as_deref(), &args.output)?;
    let mut options = super::render::save_options(args, false)?;
    if args.pipeline.output_space.is_none() {
        options.dpx_tags = cinegrade::export::dpx_tags(shot);
    }
    options.dpx_tags.frame_rate = Some(shot.frame_rate as f32);
    for job in &jobs {
        if super::same_file(job.input.path(), &job.output) {
            bail!("{}: refusing to write over the source frame", job.output.display());
        }
        check_not_source(&project, &root, &job.output)?;
    }
    let first_output = jobs[0].output.clone();
    let plan = super::render_sequence::plan_outputs(jobs, &mut options, args.skip_existing)?;
    if let Some(dir) = first_output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        eprintln!(
            "shot: {} ({}), {} frame(s), {} active node(s)",
            shot.name,
            shot.media.describe(),
            plan.jobs.len(),
            grade.active_nodes().count()
        );
    }
    super::render_sequence::run_batch(&ctx, &grade, &plan, options, &shot.name, verbose)?;
    if verbose {
        eprintln!("wrote {} frame(s) to {}", plan.jobs.len(), args.output.display());
    }
    Ok(())
}
