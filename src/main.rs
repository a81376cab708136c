//! The `cinegrade` binary: with no subcommand it opens the app on the demo project; `open` opens a
//! project; the other subcommands render, bake and describe headlessly.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};

use cinegrade::color::cdl::CdlStyle;
use cinegrade::color::space::ColorSpace;
use cinegrade::gpu::{GpuContext, GpuFrame, bake, executor};
use cinegrade::grade::Grade;
use cinegrade::grade::pipeline::{DEFAULT_WORKING_SPACE, Pipeline};
use cinegrade::interchange::{self, InterchangeError, Interpolation};
use cinegrade::media::{self, ExrDepth, FileFormat, SaveOptions};
use cinegrade::ops::color_transform::ToneMapping;
use cinegrade::ops::lut::Lut;

/// How `render` and `bake-lut` order their passes, for `--help`.
const PIPELINE_HELP: &str = "\
Pipeline, in this order:
  [input transform: --input-space -> --working-space]
  [--cdl]  [the grade's nodes]  [--lut]
  [output transform: --working-space -> --output-space]
The CDL, the grade's nodes and the LUT run in the working space (default acescct when converting).
With neither --input-space nor --output-space nothing is converted and pixel values reach the nodes
untouched; with only one of them, the other is the working space. `cinegrade spaces` lists names.";

mod scopes_cli;

#[derive(Parser)]
#[command(
    name = "cinegrade",
    version,
    about = "GPU colour grading: render stills through the same WGSL pipeline as the app"
)]
struct Cli {
    /// Print what is happening, including the GPU adapter in use.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Render a still, a folder or sequence of frames, or a project shot's frame range, through the GPU
    /// grading pipeline.
    #[command(after_help = PIPELINE_HELP)]
    Render(RenderArgs),
    /// Bake a pipeline (input space, CDL, grade, LUT, output space) into a .cube LUT on the GPU.
    #[command(after_help = PIPELINE_HELP)]
    BakeLut(BakeArgs),
    /// List the colour space names: name, scene- or display-referred, description.
    Spaces,
    /// Projects: create one from an EDL, describe, relink media, export for review.
    Project(cli::project_cmd::ProjectArgs),
    /// Open the app on a project file (.cgproj).
    Open {
        /// The project.
        project: PathBuf,
    },
    /// Compute the scopes of a frame on the GPU: an image for people, raw counts for tools.
    Scopes(scopes_cli::ScopesArgs),
    /// Play a sequence (a pattern, one of its frames, or a project's shot) graded through the viewer's GPU
    /// passes, and report the frame rate achieved, decode speed, cache hits and dropped frames.
    Play(PlayArgs),
    /// Describe an image file: size, channels, bit depth, value range.
    Info {
        /// The image (.png, .jpg, .tif, .exr).
        file: PathBuf,
    },
    /// Measure the GPU pipeline on this adapter: copy pass, full grade, scopes, edit latency.
    #[command(after_help = BENCH_HELP)]
    Bench(BenchArgs),
}

const BENCH_HELP: &str = "\
Figures are times and ratios to a plain copy pass of the same frame on the same adapter (one read and
one write per pixel: the memory-bandwidth floor). Throughput figures record --batch passes per
submission and divide; latency figures are single edits, submission and wait included. The median of
--runs samples is reported. Pick an adapter with CINEGRADE_ADAPTER=<name substring>.";

#[derive(clap::Args)]
struct BenchArgs {
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "3840x2160", value_parser = parse_size)]
    size: (u32, u32),
    /// Samples per figure (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Passes per submission for the throughput figures.
    #[arg(long, default_value_t = 4)]
    batch: usize,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected WIDTHxHEIGHT such as 3840x2160, got {s:?}");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h) = (w.trim().parse::<u32>().map_err(|_| bad())?, h.trim().parse::<u32>().map_err(|_| bad())?);
    if w == 0 || h == 0 {
        return Err(bad());
    }
    Ok((w, h))
}

fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    let ctx = cinegrade::gpu::GpuContext::headless()?;
    let (width, height) = args.size;
    let opts = cinegrade::bench::BenchOptions { width, height, runs: args.runs, batch: args.batch };
    eprintln!("measuring on {} ...", ctx.describe());
    let report = cinegrade::bench::run(&ctx, &opts)?;
    print!("{}", report.to_text());
    Ok(())
}

#[derive(clap::Args)]
struct RenderArgs {
    /// Source frame (.png, .jpg, .tif, .exr), or a sequence: a folder of numbered frames or a pattern
    /// such as dir/name.####.exr or dir/name.%04d.exr.
    #[arg(required_unless_present = "project")]
    input: Option<PathBuf>,
    /// Output still; its extension picks the format (.png, .tif, .exr, .jpg). For a sequence, a folder
    /// (frames keep their names) or a pattern such as out/name.####.exr.
    #[arg(short, long)]
    output: PathBuf,
    /// Format of a sequence rendered into a folder [default: the source frames' format].
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Grade to apply (JSON, see README); without it and the flags below the pixels pass through
    /// unchanged.
    #[arg(short, long)]
    grade: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Output depth: 8 or 16 for PNG (default 16), half or float for EXR (default half).
    #[arg(long, value_enum)]
    depth: Option<Depth>,
    /// Replace the output file if it exists.
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    project: cli::render_project::ProjectRender,
}

#[derive(clap::Args)]
struct PlayArgs {
    /// A sequence pattern (plate.####.exr), one of its frames, or a project (.cgproj).
    source: PathBuf,
    /// The project's shot to play [default: its first sequence shot].
    #[arg(long)]
    shot: Option<String>,
    /// Grade to apply (JSON) instead of the shot's current grade.
    #[arg(short, long)]
    grade: Option<PathBuf>,
    /// Play on the clock at this rate, dropping what decode cannot deliver [default: the shot's rate].
    #[arg(long, conflicts_with = "measure")]
    fps: Option<f64>,
    /// Frames to play, e.g. 1001-1048 [default: all].
    #[arg(long, value_parser = parse_frames)]
    frames: Option<cinegrade::media::sequence::FrameRange>,
    /// Show every frame as fast as decoding and the GPU allow (no clock, nothing dropped).
    #[arg(long)]
    measure: bool,
    /// With --measure: play the range this many times (later passes read the frames the cache kept).
    #[arg(long, default_value_t = 1, requires = "measure", value_parser = clap::value_parser!(u32).range(1..=100))]
    passes: u32,
    /// Decode threads [default: one per core beyond the first, at most six].
    #[arg(long)]
    threads: Option<usize>,
    /// Frame cache budget in MiB [default: 4 GiB or a quarter of the memory].
    #[arg(long)]
    cache_mib: Option<u64>,
}

#[derive(clap::Args)]
struct BakeArgs {
    /// Grade to bake (JSON); without it only the transforms, CDL and LUT given here are baked.
    #[arg(short, long)]
    grade: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// The .cube file to write (Resolve dialect; with a 1D shaper when the input is scene-linear).
    #[arg(short, long)]
    output: PathBuf,
    /// Points per axis of the 3D table.
    #[arg(long, default_value_t = 33, value_parser = clap::value_parser!(u16).range(2..=256))]
    size: u16,
    /// Replace the output file if it exists.
    #[arg(long)]
    overwrite: bool,
}

/// Colour management, CDL and LUT flags shared by `render` and `bake-lut`.
#[derive(clap::Args)]
struct PipelineArgs {
    /// Colour space of the source (e.g. arri-logc3-ei800, srgb-display); see `cinegrade spaces`.
    #[arg(long, value_name = "SPACE", value_parser = parse_space)]
    input_space: Option<ColorSpace>,
    /// Colour space to deliver in (e.g. rec709-display, rec2100-pq, aces2065-1).
    #[arg(long, value_name = "SPACE", value_parser = parse_space)]
    output_space: Option<ColorSpace>,
    /// Space the CDL, the grade's nodes and the LUT run in when converting [default: acescct].
    #[arg(long, value_name = "SPACE", value_parser = parse_space)]
    working_space: Option<ColorSpace>,
    /// Display rendering of the transforms: auto (tone curve scene->display, its inverse
    /// display->scene) or none (colorimetric, as OpenColorIO's built-in transforms).
    #[arg(long, value_name = "MODE", value_parser = parse_tone_map, default_value = "auto")]
    tone_map: ToneMapping,
    /// ASC CDL file (.cc, .ccc or .cdl) applied first in the working space.
    #[arg(long, value_name = "FILE")]
    cdl: Option<PathBuf>,
    /// Id of the ColorCorrection to apply from a .ccc or .cdl holding several.
    #[arg(long, value_name = "ID", requires = "cdl")]
    cc_id: Option<String>,
    /// asc: clamp to 0..1 as ASC CDL v1.2; no-clamp: keep values outside 0..1 [default: no-clamp].
    #[arg(long, value_name = "STYLE", requires = "cdl", value_parser = parse_cdl_style)]
    cdl_style: Option<CdlStyle>,
    /// .cube LUT (1D, 3D or both) applied after the grade, in the working space.
    #[arg(long, value_name = "FILE")]
    lut: Option<PathBuf>,
    /// 3D LUT interpolation: tetrahedral or trilinear [default: tetrahedral].
    #[arg(long, value_name = "METHOD", requires = "lut", value_parser = parse_interp)]
    interp: Option<Interpolation>,
}

fn parse_frames(s: &str) -> Result<cinegrade::media::sequence::FrameRange, String> {
    cinegrade::media::sequence::FrameRange::parse(s).map_err(|e| e.to_string())
}

fn parse_space(s: &str) -> Result<ColorSpace, String> {
    s.parse().map_err(|e: cinegrade::color::space::ParseColorSpaceError| e.to_string())
}

fn parse_interp(s: &str) -> Result<Interpolation, String> {
    s.parse().map_err(|e: InterchangeError| e.to_string())
}

fn parse_tone_map(s: &str) -> Result<ToneMapping, String> {
    ToneMapping::ALL
        .into_iter()
        .find(|t| t.name() == s)
        .ok_or_else(|| format!("unknown tone mapping '{s}'; valid: auto, none"))
}

fn parse_cdl_style(s: &str) -> Result<CdlStyle, String> {
    [CdlStyle::Asc, CdlStyle::NoClamp]
        .into_iter()
        .find(|c| c.name() == s)
        .ok_or_else(|| format!("unknown CDL style '{s}'; valid: asc, no-clamp"))
}

impl PipelineArgs {
    /// The pipeline, with the CDL and LUT files read now so a bad file is reported before any GPU
    /// work, naming the file and line.
    fn pipeline(&self) -> anyhow::Result<Pipeline> {
        let cdl = match &self.cdl {
            Some(path) => Some((read_cdl(path, self.cc_id.as_deref())?, self.cdl_style.unwrap_or_default())),
            None => None,
        };
        let lut = match &self.lut {
            Some(path) => {
                let lut = Lut { path: path.clone(), interpolation: self.interp.unwrap_or_default() };
                lut.load()?;
                Some(lut)
            }
            None => None,
        };
        Ok(Pipeline {
            input: self.input_space,
            working: self.working_space.unwrap_or(DEFAULT_WORKING_SPACE),
            output: self.output_space,
            tone_map: self.tone_map,
            cdl,
            lut,
        })
    }
}

/// The CDL to apply from `path`: the one with `id`, else the file's only correction.
fn read_cdl(path: &Path, id: Option<&str>) -> anyhow::Result<cinegrade::color::cdl::Cdl> {
    let corrections = interchange::read_cdl_file(path)?;
    let name = path.display();
    let chosen = match id {
        Some(id) => interchange::find_by_id(&corrections, id).with_context(|| name.to_string())?,
        None if corrections.len() == 1 => &corrections[0],
        None => {
            let ids: Vec<String> =
                corrections.iter().map(|c| c.id.clone().unwrap_or_else(|| "(no id)".into())).collect();
            bail!("{name}: holds {} ColorCorrections; pick one with --cc-id ({})", corrections.len(), ids.join(", "));
        }
    };
    Ok(chosen.cdl)
}

/// File format of frames rendered into a folder.
#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Exr,
    Png,
    Tif,
    Jpg,
}

impl OutputFormat {
    /// The file extension it is written with.
    fn extension(self) -> &'static str {
        match self {
            Self::Exr => "exr",
            Self::Png => "png",
            Self::Tif => "tif",
            Self::Jpg => "jpg",
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Depth {
    #[value(name = "8")]
    Eight,
    #[value(name = "16")]
    Sixteen,
    Half,
    Float,
}

/// The error and its causes on one line, leaving out a cause whose text the message already holds
/// (our errors print their source themselves).
fn one_line(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message.replace('\n', " ")
}

/// On headless machines (CI, render nodes) `XDG_RUNTIME_DIR` is often unset, and Mesa's Vulkan
/// drivers then print "XDG_RUNTIME_DIR is invalid" on every GPU start, which would break the promise
/// of a single error line. Give the process a private runtime folder in that case.
fn ensure_runtime_dir() {
    if std::env::var_os("XDG_RUNTIME_DIR").is_some() {
        return;
    }
    // One per machine user: a folder owned by someone else fails the permission change and is left alone.
    let dir = std::env::temp_dir().join("cinegrade-runtime");
    let made = std::fs::create_dir_all(&dir).and_then(|()| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
    });
    if made.is_ok() {
        // SAFETY: called first thing in main, before any other thread exists.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", &dir) };
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    {
        // Like other Unix tools, end quietly when the reader of our output goes away
        // (`cinegrade info x.exr | head`) instead of panicking in println!.
        // SAFETY: restoring the default disposition of a signal, before any thread exists.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        ensure_runtime_dir();
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cinegrade: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Render(args)) => render(&args, cli.verbose),
        Some(Command::BakeLut(args)) => bake_lut(&args, cli.verbose),
        Some(Command::Spaces) => {
            spaces();
            Ok(())
        }
        Some(Command::Scopes(args)) => scopes_cli::run(&args, cli.verbose),
        Some(Command::Info { file }) => info(&file),
        Some(Command::Bench(args)) => bench(&args),
        Some(Command::Play(args)) => play(&args, cli.verbose),
        Some(Command::Project(args)) => cli::project_cmd::run(args, cli.verbose),
        Some(Command::Open { project }) => cinegrade::ui::run(Some(project)),
        None => cinegrade::ui::run(None),
    }
}

fn play(args: &PlayArgs, verbose: bool) -> anyhow::Result<()> {
    use cinegrade::playback::{self, headless};
    let grade = args.grade.as_deref().map(Grade::load).transpose()?;
    let source = headless::open_source(&args.source, args.shot.as_deref(), grade, args.frames)?;
    let pace = match (args.measure, args.fps) {
        (true, _) => headless::Pace::EveryFrame { passes: args.passes },
        (false, Some(fps)) if fps.is_finite() && fps > 0.0 => headless::Pace::FrameRate(fps),
        (false, Some(fps)) => bail!("--fps {fps}: expected frames per second above 0"),
        (false, None) => headless::Pace::FrameRate(source.fps),
    };
    let mut config = playback::CacheConfig::default();
    if let Some(threads) = args.threads {
        config.threads = threads.max(1);
    }
    if let Some(mib) = args.cache_mib {
        config.budget_bytes = mib << 20;
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
    }
    println!(
        "playing:   {} frames {}-{} ({})",
        source.label,
        source.range.first,
        source.range.last,
        match pace {
            headless::Pace::EveryFrame { passes } => format!("every frame, as fast as it goes, {passes} pass(es)"),
            headless::Pace::FrameRate(fps) => format!("at {fps} fps"),
        }
    );
    let report = headless::play(&ctx, source, pace, config, |frame| {
        if verbose {
            eprintln!("frame {frame}");
        }
    })?;
    println!("adapter:   {}", ctx.adapter_info.name);
    for line in report.lines() {
        println!("{line}");
    }
    Ok(())
}

fn save_options(args: &RenderArgs, alpha: bool) -> anyhow::Result<SaveOptions> {
    save_options_for(FileFormat::from_path(&args.output)?, args, alpha)
}

/// The save options of `render` for outputs in `format`.
fn save_options_for(format: FileFormat, args: &RenderArgs, alpha: bool) -> anyhow::Result<SaveOptions> {
    let mut options = SaveOptions { alpha, overwrite: args.overwrite, ..SaveOptions::default() };
    match (format, args.depth) {
        (_, None) => {}
        (FileFormat::Png, Some(Depth::Eight)) => options.png_bits = 8,
        (FileFormat::Png, Some(Depth::Sixteen)) => options.png_bits = 16,
        (FileFormat::Exr, Some(Depth::Half)) => options.exr_depth = ExrDepth::Half,
        (FileFormat::Exr, Some(Depth::Float)) => options.exr_depth = ExrDepth::Float,
        (FileFormat::Tiff, Some(Depth::Sixteen)) | (FileFormat::Jpeg, Some(Depth::Eight)) => {}
        (format, Some(_)) => bail!(
            "--depth: {} output supports {}",
            format.name(),
            match format {
                FileFormat::Png => "8 or 16",
                FileFormat::Exr => "half or float",
                FileFormat::Tiff => "16 only",
                FileFormat::Jpeg => "8 only",
            }
        ),
    }
    Ok(options)
}

/// Whether two paths name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn render(args: &RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let Some(input) = &args.input else {
        return cli::render_project::run(args, verbose);
    };
    if cli::render_sequence::is_sequence_input(input) {
        return cli::render_sequence::run(input, args, verbose);
    }
    if args.project.frames.is_some() {
        bail!("--frames applies to a sequence: a folder of numbered frames or a pattern such as name.####.exr");
    }
    if args.format.is_some() {
        bail!("--format applies to a sequence rendered into a folder; a still's extension picks its format");
    }
    if same_file(input, &args.output) {
        bail!("{}: refusing to write over the source frame", args.output.display());
    }
    let (_, grade) = load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let loaded = media::load(input)?;
    let options = save_options(args, loaded.info.has_alpha())?;
    if !options.overwrite && args.output.exists() {
        bail!("{}: already exists (pass --overwrite to replace it)", args.output.display());
    }
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        eprintln!(
            "input: {} {}x{} {}",
            loaded.info.format.name(),
            loaded.info.width,
            loaded.info.height,
            loaded.info.sample_type.describe()
        );
        describe(&grade);
    }
    let source = GpuFrame::upload(&ctx, &loaded.frame)?;
    let graded = executor::apply_grade(&ctx, &grade, &source)?;
    let frame = graded.download(&ctx)?;
    media::save(&frame, &args.output, &options).with_context(|| "export failed".to_string())?;
    if verbose {
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}

fn info(path: &Path) -> anyhow::Result<()> {
    let loaded = media::load(path)?;
    let i = &loaded.info;
    let (lo, hi, non_finite) = loaded.frame.value_range();
    println!("file:      {}", path.display());
    println!("format:    {}", i.format.name());
    println!("size:      {}x{}", i.width, i.height);
    println!("channels:  {} ({})", i.channels.len(), i.channels.join(", "));
    println!("samples:   {}", i.sample_type.describe());
    let names = ["R", "G", "B", "A"];
    for c in 0..4 {
        if lo[c] <= hi[c] {
            println!("range {}:   {:.6} .. {:.6}", names[c], lo[c], hi[c]);
        }
    }
    if non_finite > 0 {
        println!("non-finite: {non_finite} samples (NaN or infinity)");
    }
    for note in &i.notes {
        println!("note:      {note}");
    }
    Ok(())
}

/// The pipeline and the grade (or an empty one) with the pipeline's nodes around it.
fn load_pipeline(grade: Option<&Path>, args: &PipelineArgs) -> anyhow::Result<(Pipeline, Grade)> {
    let grade = match grade {
        Some(path) => Grade::load(path)?,
        None => Grade::default(),
    };
    let pipeline = args.pipeline()?;
    let grade = pipeline.build(&grade);
    Ok((pipeline, grade))
}

/// Prints the nodes that will run (for `--verbose`).
fn describe(grade: &Grade) {
    let names: Vec<String> = grade
        .active_nodes()
        .map(|n| match (&n.op, n.label.is_empty()) {
            (cinegrade::grade::Op::ColorTransform(t), _) => {
                format!("{} ({} -> {})", n.op.name(), t.from, t.to)
            }
            (_, true) => n.op.name().to_string(),
            (_, false) => format!("{} ({})", n.op.name(), n.label),
        })
        .collect();
    eprintln!("grade: {} active node(s){}{}", names.len(), if names.is_empty() { "" } else { ": " }, names.join(", "));
}

fn spaces() {
    for space in ColorSpace::ALL {
        let referred = if space.is_scene_referred() { "scene" } else { "display" };
        println!("{:<26} {referred:<8} {}", space.name(), space.description());
    }
}

fn bake_lut(args: &BakeArgs, verbose: bool) -> anyhow::Result<()> {
    if !args.overwrite && args.output.exists() {
        bail!("{}: already exists (pass --overwrite to replace it)", args.output.display());
    }
    let (pipeline, grade) = load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let input = pipeline.input_space();
    let title = format!(
        "grade {}, input {}, working {}, output {}",
        args.grade.as_deref().map_or("(none)".into(), |p| p.display().to_string()),
        input.map_or("(not converted)", |s| s.name()),
        if pipeline.converts() { pipeline.working.name() } else { "(none)" },
        pipeline.output_space().map_or("(not converted)", |s| s.name()),
    );
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        describe(&grade);
    }
    let baked = bake::bake(&ctx, &grade, input, usize::from(args.size), &title)?;
    let text = baked.to_cube_string()?;
    write_atomically(&args.output, text.as_bytes())?;
    if verbose {
        if bake::needs_shaper(input) {
            eprintln!("input is scene-linear: wrote a 1D shaper before the 3D table");
        }
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        bail!("{}: {e}", path.display());
    }
    Ok(())
}
