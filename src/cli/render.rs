//! `cinegrade render`: a still, a folder or sequence of frames, or a project shot's frame range,
//! through the GPU grading pipeline.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;

use super::pipeline::{PipelineArgs, describe, load_pipeline};
use super::{render_project, render_sequence, same_file};
use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::media::{self, DpxDepth, DpxTags, ExrDepth, FileFormat, SaveOptions, dpx};

#[derive(clap::Args)]
pub struct RenderArgs {
    /// Source frame (.png, .jpg, .tif, .exr, .dpx), or a sequence: a folder of numbered frames or a pattern
    /// such as dir/name.####.exr or dir/name.%04d.exr.
    #[arg(required_unless_present = "project")]
    pub input: Option<PathBuf>,
    /// Output still; its extension picks the format (.png, .tif, .exr, .dpx, .jpg). For a sequence, a folder
    /// (frames keep their names) or a pattern such as out/name.####.exr.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Format of a sequence rendered into a folder [default: the source frames' format].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Grade to apply (JSON, see README); without it and the flags below the pixels pass through
    /// unchanged.
    #[arg(short, long)]
    pub grade: Option<PathBuf>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Output depth: 8 or 16 for PNG (default 16), half or float for EXR (default half), 10 or 16 for
    /// DPX (default 10).
    #[arg(long, value_enum)]
    pub depth: Option<Depth>,
    /// Render a review movie (-o name.mov or .mp4) with this codec instead of frames.
    #[arg(long, value_enum)]
    pub codec: Option<CodecArg>,
    /// Burn shot, version, status and frame number into a movie's frames (with --project).
    #[arg(long, requires = "codec")]
    pub burn_in: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// Pass over frames whose output already exists and is complete (checked from its header and
    /// length); a broken leftover is rendered again. For re-running a farm task.
    #[arg(long, conflicts_with = "overwrite")]
    pub skip_existing: bool,
    #[command(flatten)]
    pub project: render_project::ProjectRender,
}

/// File format of frames rendered into a folder.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Exr,
    Png,
    Tif,
    Jpg,
    Dpx,
}

impl OutputFormat {
    /// The file extension it is written with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Exr => "exr",
            Self::Png => "png",
            Self::Tif => "tif",
            Self::Jpg => "jpg",
            Self::Dpx => "dpx",
        }
    }
}

/// A review movie's codec.
#[derive(Clone, Copy, ValueEnum)]
pub enum CodecArg {
    /// Apple ProRes 422 HQ, 10-bit 4:2:2.
    #[value(name = "prores422hq")]
    Prores422Hq,
    /// H.264 High, 8-bit 4:2:0.
    H264,
}

#[cfg(feature = "video")]
impl CodecArg {
    /// The encoder setting.
    pub fn codec(self) -> cinegrade::media::movie::MovieCodec {
        match self {
            Self::Prores422Hq => cinegrade::media::movie::MovieCodec::ProRes422Hq,
            Self::H264 => cinegrade::media::movie::MovieCodec::H264,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Depth {
    #[value(name = "8")]
    Eight,
    #[value(name = "10")]
    Ten,
    #[value(name = "16")]
    Sixteen,
    Half,
    Float,
}

pub fn save_options(args: &RenderArgs, alpha: bool) -> anyhow::Result<SaveOptions> {
    save_options_for(FileFormat::from_path(&args.output)?, args, alpha)
}

/// The save options of `render` for outputs in `format`.
pub fn save_options_for(format: FileFormat, args: &RenderArgs, alpha: bool) -> anyhow::Result<SaveOptions> {
    let mut options = SaveOptions { alpha, overwrite: args.overwrite, ..SaveOptions::default() };
    if let Some(space) = &args.pipeline.output_space {
        options.dpx_tags = DpxTags { frame_rate: None, ..dpx::tags_for_space(space) };
    }
    match (format, args.depth) {
        (_, None) => {}
        (FileFormat::Png, Some(Depth::Eight)) => options.png_bits = 8,
        (FileFormat::Png, Some(Depth::Sixteen)) => options.png_bits = 16,
        (FileFormat::Exr, Some(Depth::Half)) => options.exr_depth = ExrDepth::Half,
        (FileFormat::Exr, Some(Depth::Float)) => options.exr_depth = ExrDepth::Float,
        (FileFormat::Dpx, Some(Depth::Ten)) => options.dpx_depth = DpxDepth::Ten,
        (FileFormat::Dpx, Some(Depth::Sixteen)) => options.dpx_depth = DpxDepth::Sixteen,
        (FileFormat::Tiff, Some(Depth::Sixteen)) | (FileFormat::Jpeg, Some(Depth::Eight)) => {}
        (format, Some(_)) => bail!(
            "--depth: {} output supports {}",
            format.name(),
            match format {
                FileFormat::Png => "8 or 16",
                FileFormat::Exr => "half or float",
                FileFormat::Tiff => "16 only",
                FileFormat::Jpeg => "8 only",
                FileFormat::Dpx => "10 or 16",
                FileFormat::Video => "no --depth (movies take --codec)",
            }
        ),
    }
    Ok(options)
}

/// Runs `render`.
pub fn run(args: &RenderArgs, verbose: bool) -> anyhow::Result<()> {
    if args.codec.is_some() {
        if args.skip_existing {
            bail!("--skip-existing applies to frames; a movie is written whole (pass --overwrite to replace it)");
        }
        #[cfg(feature = "video")]
        return super::render_movie::run(args, verbose);
        #[cfg(not(feature = "video"))]
        bail!("--codec: this build writes no movies (built without the `video` feature)");
    }
    let Some(input) = &args.input else {
        return render_project::run(args, verbose);
    };
    if FileFormat::from_path(input).is_ok_and(FileFormat::is_video) {
        #[cfg(feature = "video")]
        return render_sequence::run_clip(input, args, verbose);
        #[cfg(not(feature = "video"))]
        return Err(media::MediaError::NoVideo(input.clone()).into());
    }
    if render_sequence::is_sequence_input(input) {
        return render_sequence::run(input, args, verbose);
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
    let mut options = save_options(args, loaded.info.has_alpha())?;
    if args.skip_existing && args.output.exists() {
        match media::check_complete(&args.output) {
            Ok(()) => {
                eprintln!("{}: skipped, already complete", args.output.display());
                return Ok(());
            }
            Err(e) => super::warn(format!("rendering again: {e}")),
        }
        options.overwrite = true;
    }
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
