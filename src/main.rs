//! The `cinegrade` binary: with no subcommand it opens the app on the demo project; `open` opens a
//! project; the other subcommands render headlessly.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::grade::Grade;
use cinegrade::media::{self, ExrDepth, FileFormat, SaveOptions};

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
    /// Render a still, or a project shot's frame range, through the GPU grading pipeline.
    Render(RenderArgs),
    /// Projects: create one from an EDL, describe, relink media, export for review.
    Project(cli::project_cmd::ProjectArgs),
    /// Open the app on a project file (.cgproj).
    Open {
        /// The project.
        project: PathBuf,
    },
    /// Describe an image file: size, channels, bit depth, value range.
    Info {
        /// The image (.png, .jpg, .tif, .exr).
        file: PathBuf,
    },
}

#[derive(clap::Args)]
struct RenderArgs {
    /// Source frame (.png, .jpg, .tif, .exr).
    #[arg(required_unless_present = "project")]
    input: Option<PathBuf>,
    /// Output still; its extension picks the format (.png, .tif, .exr, .jpg). With --project and several
    /// frames, a pattern such as out/name.####.exr.
    #[arg(short, long)]
    output: PathBuf,
    /// Grade to apply (JSON, see README); without it the frame passes through unchanged.
    #[arg(short, long)]
    grade: Option<PathBuf>,
    /// Output depth: 8 or 16 for PNG (default 16), half or float for EXR (default half).
    #[arg(long, value_enum)]
    depth: Option<Depth>,
    /// Replace the output file if it exists.
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    project: cli::render_project::ProjectRender,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cinegrade: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Render(args)) => render(&args, cli.verbose),
        Some(Command::Info { file }) => info(&file),
        Some(Command::Project(args)) => cli::project_cmd::run(args, cli.verbose),
        Some(Command::Open { project }) => cinegrade::ui::run(Some(project)),
        None => cinegrade::ui::run(None),
    }
}

fn save_options(args: &RenderArgs, alpha: bool) -> anyhow::Result<SaveOptions> {
    let format = FileFormat::from_path(&args.output)?;
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

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn render(args: &RenderArgs, verbose: bool) -> anyhow::Result<()> {
    let Some(input) = &args.input else {
        return cli::render_project::run(args, verbose);
    };
    if same_file(input, &args.output) {
        bail!("{}: refusing to write over the source frame", args.output.display());
    }
    let grade = match &args.grade {
        Some(path) => Grade::load(path)?,
        None => Grade::default(),
    };
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
        eprintln!("grade: {} active node(s)", grade.active_nodes().count());
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
