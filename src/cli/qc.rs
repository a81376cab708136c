//! `cinegrade qc INPUT | --project P --shot S [colour flags] [--profile ebu-r103|netflix|FILE.json]
//! [--gamut rec709|p3-d65|rec2020] --json report.json`: every frame graded on the GPU as a render would
//! be, measured on the GPU, and the findings of the profile written as a JSON report. Exit status 0
//! when it passes, 1 when a finding of severity error remains, 2 on bad input.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::pipeline::PipelineArgs;
use super::render_project::ProjectRender;
use cinegrade::color::space::ColorSpace;
use cinegrade::color::spaces;
use cinegrade::gpu::GpuContext;
use cinegrade::qc::{self, QcProfile};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct QcArgs {
    #[command(subcommand)]
    pub command: Option<QcCommand>,
    /// Source: a still, a folder or pattern of numbered frames, or a video clip.
    #[arg(required_unless_present = "project")]
    pub input: Option<PathBuf>,
    /// Grade to apply before measuring (JSON, see README).
    #[arg(short, long)]
    pub grade: Option<PathBuf>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[command(flatten)]
    pub project: ProjectRender,
    /// What to check against: ebu-r103, netflix, or a JSON file of profile fields.
    #[arg(long, default_value = "ebu-r103")]
    pub profile: String,
    /// Flag pixels outside this gamut (in the output's container, e.g. P3 inside Rec.2020 PQ).
    #[arg(long, value_enum)]
    pub gamut: Option<GamutArg>,
    /// The frames are already the deliverable, encoded for this built-in display space (e.g. a PQ
    /// master: `rec2100-pq`): measured as they are, with this space's levels, gamut and light.
    #[arg(long, value_name = "SPACE", conflicts_with_all = ["project", "grade", "input_space", "output_space", "ocio_config", "cdl", "lut"])]
    pub encoded_as: Option<String>,
    /// Write the report here (JSON, see README "Quality control").
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Also write the report as an HTML page (verdict, findings, light-level plot, a thumbnail).
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Replace the reports if they exist.
    #[arg(long)]
    pub overwrite: bool,
}

/// `qc merge`.
#[derive(clap::Subcommand)]
pub enum QcCommand {
    /// Join the JSON reports of chunks of one programme (`qc --frames A-B --json report-N.json` on
    /// each farm task) into its report: the findings found again over every frame (a run across a
    /// chunk edge is one finding), MaxCLL and MaxFALL over all chunks. Exit status as qc's.
    Merge(MergeArgs),
}

#[derive(clap::Args)]
pub struct MergeArgs {
    /// The chunks' reports (JSON written by `qc --json`), in any order.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// The frames the reports must cover between them (e.g. 1001-1100): a chunk that never ran
    /// is an error, not a shorter programme.
    #[arg(long)]
    pub frames: Option<String>,
    /// The programme's report (JSON).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the report as an HTML page.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Replace the outputs if they exist.
    #[arg(long)]
    pub overwrite: bool,
}

/// A target gamut.
#[derive(Clone, Copy, ValueEnum)]
pub enum GamutArg {
    Rec709,
    #[value(name = "p3-d65")]
    P3D65,
    Rec2020,
}

impl GamutArg {
    /// The gamut's primaries.
    pub fn chromaticities(self) -> &'static spaces::Chromaticities {
        match self {
            Self::Rec709 => &spaces::REC709,
            Self::P3D65 => &spaces::P3_D65,
            Self::Rec2020 => &spaces::REC2020,
        }
    }
}

/// Runs `qc merge`; `Ok(false)` when an error finding remains.
fn run_merge(args: &MergeArgs, verbose: bool) -> anyhow::Result<bool> {
    for path in std::iter::once(&args.output).chain(&args.html) {
        if !args.overwrite && path.exists() {
            bail!("{}: already exists (pass --overwrite to replace it)", path.display());
        }
        if args.reports.iter().any(|r| super::same_file(r, path)) {
            bail!("{}: is one of the reports to merge; write the merged report elsewhere", path.display());
        }
    }
    let mut reports = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| name.clone())?;
        let report: qc::QcReport = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{name}:{}:{}: not a qc report: {e}", e.line(), e.column()))?;
        reports.push((name, report));
    }
    let report = qc::merge(reports)?;
    if let Some(text) = &args.frames {
        let want = super::render_sequence::parse_frame_set(text)?;
        let have: std::collections::BTreeSet<u32> = report.frames.iter().map(|f| f.frame).collect();
        let missing: Vec<u32> = want.frames().iter().copied().filter(|f| !have.contains(f)).collect();
        if !missing.is_empty() {
            bail!(
                "--frames {want}: {} frame(s) are in no report: {}",
                missing.len(),
                cinegrade::media::sequence::describe_frames(&missing)
            );
        }
        if let Some(extra) = have.iter().find(|f| !want.contains(**f)) {
            bail!("--frames {want}: frame {extra} is in a report but not in the range");
        }
    }
    summarise(&report);
    if verbose {
        eprintln!("merged {} report(s)", args.reports.len());
    }
    let text = serde_json::to_string_pretty(&report).expect("a report serialises");
    cinegrade::export::write_text_file(&args.output, &text, args.overwrite)?;
    if let Some(path) = &args.html {
        cinegrade::export::write_text_file(path, &qc::html::html(&report, None), args.overwrite)?;
    }
    Ok(report.pass)
}

/// The verdict and findings on stderr (the line a farm log shows first).
fn summarise(report: &qc::QcReport) {
    let errors = report.findings.iter().filter(|f| f.severity == qc::Severity::Error).count();
    eprintln!(
        "qc {}: {} frame(s), {} finding(s), {errors} error(s) (profile {})",
        if report.pass { "PASS" } else { "FAIL" },
        report.frames.len(),
        report.findings.len(),
        report.profile
    );
    if let Some(l) = &report.light_level {
        eprintln!("  MaxCLL {:.0} nits, MaxFALL {:.0} nits", l.max_cll, l.max_fall);
    }
    for f in &report.findings {
        let severity = if f.severity == qc::Severity::Error { "error" } else { "warning" };
        eprintln!(
            "  {severity} {:?} frames {}-{} ({}-{}): {}",
            f.check, f.first_frame, f.last_frame, f.timecode_in, f.timecode_out, f.note
        );
    }
}

/// `qc --project P` without `--shot`: every shot of the project, in edit order, each graded with its
/// own pipeline; one JSON report holding each shot's, and one HTML page with a section (thumbnail,
/// findings, plots) per shot.
fn run_project(
    args: &QcArgs,
    project_path: &std::path::Path,
    profile: &QcProfile,
    verbose: bool,
) -> anyhow::Result<bool> {
    if args.project.frames.is_some() || args.project.grade_version.is_some() {
        bail!("--frames and --grade-version apply to one shot (--shot NAME)");
    }
    let project = cinegrade::project::Project::load(project_path)?;
    let root = super::project_root(project_path);
    let problems = project.media_problems(&root);
    if let Some(p) = problems.first() {
        bail!("shot {:?}: {} (relink it, or check one shot with --shot)", p.name, p.problem);
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
    }
    let mut shots = Vec::new();
    let mut thumbnails = Vec::new();
    for (_, shot) in project.shots() {
        let (grade, output) =
            super::render_project::shot_render_grade(&args.pipeline, None, &project, project_path, &root, shot)?;
        let frames = shot.media.frame_sources(&root);
        let settings = qc::run::settings(profile, output, args.gamut.map(GamutArg::chromaticities))
            .map_err(|e| anyhow::anyhow!("shot {:?}: --gamut: {e}", shot.name))?;
        let job = qc::run::Job {
            grade: &grade,
            frames: &frames,
            lead_in: None,
            output,
            settings: &settings,
            profile,
            fps: shot.frame_rate,
            source: format!("{} / {}", project_path.display(), shot.name),
            keep: args.html.is_some().then_some(frames.len() / 2),
        };
        let (report, middle) =
            qc::run::check(&ctx, &job, &mut |_, _| true).with_context(|| format!("shot {:?}", shot.name))?;
        eprintln!(
            "{}: qc {} ({} frame(s), {} finding(s))",
            shot.name,
            if report.pass { "PASS" } else { "FAIL" },
            report.frames.len(),
            report.findings.len()
        );
        thumbnails.push(middle.and_then(|f| qc::html::thumbnail_data_url(&f, 480)));
        shots.push(qc::ShotReport { shot: shot.name.clone(), report });
    }
    let report = qc::ProjectQcReport {
        pass: shots.iter().all(|s| s.report.pass),
        project: project.name.clone(),
        profile: profile.name.clone(),
        shots,
    };
    let failing = report.shots.iter().filter(|s| !s.report.pass).count();
    eprintln!(
        "qc {}: {} shot(s), {failing} failing (profile {})",
        if report.pass { "PASS" } else { "FAIL" },
        report.shots.len(),
        profile.name
    );
    if let Some(json) = &args.json {
        let text = serde_json::to_string_pretty(&report).expect("a report serialises");
        cinegrade::export::write_text_file(json, &text, args.overwrite)?;
    }
    if let Some(path) = &args.html {
        cinegrade::export::write_text_file(path, &qc::html::html_project(&report, &thumbnails), args.overwrite)?;
    }
    Ok(report.pass)
}

/// Runs `qc`; `Ok(false)` when an error finding remains.
pub fn run(args: &QcArgs, verbose: bool) -> anyhow::Result<bool> {
    if let Some(QcCommand::Merge(merge)) = &args.command {
        return run_merge(merge, verbose);
    }
    let profile = QcProfile::load(&args.profile).map_err(anyhow::Error::msg).context("--profile")?;
    for path in [&args.json, &args.html].into_iter().flatten() {
        if !args.overwrite && path.exists() {
            bail!("{}: already exists (pass --overwrite to replace it)", path.display());
        }
    }
    if let (Some(project_path), None) = (&args.project.project, &args.project.shot) {
        return run_project(args, project_path, &profile, verbose);
    }
    let (grade, output, frames, fps, source) = if let Some(project_path) = &args.project.project {
        let project = cinegrade::project::Project::load(project_path)?;
        let root = super::project_root(project_path);
        let shot = super::render_project::find_shot(&project, args.project.shot.as_deref().expect("clap"))?;
        let version = args.project.grade_version.as_deref();
        let (grade, output) =
            super::render_project::shot_render_grade(&args.pipeline, version, &project, project_path, &root, shot)?;
        let frames = shot.media.frame_sources(&root);
        (grade, output, frames, shot.frame_rate, format!("{} / {}", project_path.display(), shot.name))
    } else {
        let input = args.input.as_ref().expect("clap requires INPUT without --project");
        let (pipeline, grade) = super::pipeline::load_pipeline(args.grade.as_deref(), &args.pipeline)?;
        let (frames, fps) = super::render_sequence::source_frames(input)?;
        let output = match &args.encoded_as {
            Some(name) => Some(name.parse::<ColorSpace>().map_err(anyhow::Error::msg).context("--encoded-as")?),
            None => pipeline.output_space(),
        };
        (grade, output, frames, fps, input.display().to_string())
    };
    // A chunk (--frames) that starts past the source's first frame also grades the frame before
    // it, unmeasured, so that its first frame's difference is measured as in a whole run and
    // `qc merge` finds frozen frames across chunk edges.
    let all = frames.clone();
    let frames = super::render_sequence::pick_frames(frames, args.project.frames.as_deref())?;
    let lead_in = match (args.project.frames.is_some(), frames.first()) {
        (true, Some((first, _))) => all.into_iter().find(|(n, _)| first.checked_sub(1) == Some(*n)),
        _ => None,
    };
    let settings = qc::run::settings(&profile, output, args.gamut.map(GamutArg::chromaticities))
        .map_err(|e| anyhow::anyhow!("--gamut: {e} (--output-space, or the shot's)"))?;
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        eprintln!(
            "{source}: {} frame(s), profile {}, output {}",
            frames.len(),
            profile.name,
            output.map_or("not converted", |s| s.name())
        );
        super::pipeline::describe(&grade);
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(frames.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(ProgressStyle::with_template("qc [{bar:40}] {pos}/{len} frames, {eta} left").expect("template"));
    let job = qc::run::Job {
        grade: &grade,
        frames: &frames,
        lead_in: lead_in.as_ref(),
        output,
        settings: &settings,
        profile: &profile,
        fps,
        source,
        keep: args.html.is_some().then_some(frames.len() / 2),
    };
    let started = std::time::Instant::now();
    let (report, middle, timing) = qc::run::check_timed(&ctx, &job, &mut |done, _| {
        bar.set_position(done as u64);
        true
    })?;
    bar.finish_and_clear();
    if verbose {
        let total = started.elapsed().as_secs_f64();
        eprintln!(
            "time: {total:.2} s for {} frame(s) ({:.2} frames/s): decode {:.2} s, upload + grade + measure on the GPU {:.2} s",
            report.frames.len(),
            report.frames.len() as f64 / total.max(1e-9),
            timing.decode.as_secs_f64(),
            timing.gpu.as_secs_f64()
        );
    }
    let thumbnail = middle.and_then(|f| qc::html::thumbnail_data_url(&f, 480));
    summarise(&report);
    if let Some(json) = &args.json {
        let text = serde_json::to_string_pretty(&report).expect("a report serialises");
        cinegrade::export::write_text_file(json, &text, args.overwrite)?;
        if verbose {
            eprintln!("wrote {}", json.display());
        }
    }
    if let Some(path) = &args.html {
        cinegrade::export::write_text_file(path, &qc::html::html(&report, thumbnail.as_deref()), args.overwrite)?;
        if verbose {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(report.pass)
}
