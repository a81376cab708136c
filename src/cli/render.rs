//! `cinegrade render`: a still, a folder or sequence of frames, or a project shot's frame range,
//! through the GPU grading pipeline.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;

use super::pipeline::{PipelineArgs, describe, load_pipeline};
use super::{render_project, render_sequence, same_file};
use cinegrade::color::space::ColorSpace;
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
    /// Burn a QC overlay into a still: levels or levels-zebra (outside the legal range, EBU R103's
    /// -5 %..105 %), gamut or gamut-zebra (outside --overlay-gamut in the output's container),
    /// false-color (by IRE, or by nits for PQ output).
    #[arg(long, value_name = "KIND", value_parser = parse_overlay_kind)]
    pub overlay: Option<OverlayKind>,
    /// The target gamut of --overlay gamut [default: rec709].
    #[arg(long, value_enum, requires = "overlay")]
    pub overlay_gamut: Option<super::qc::GamutArg>,
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

/// A QC overlay burned into a still.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverlayKind {
    Levels(cinegrade::qc::overlay::Style),
    Gamut(cinegrade::qc::overlay::Style),
    FalseColor,
}

fn parse_overlay_kind(s: &str) -> Result<OverlayKind, String> {
    use cinegrade::qc::overlay::Style;
    Ok(match s {
        "levels" => OverlayKind::Levels(Style::Solid),
        "levels-zebra" => OverlayKind::Levels(Style::Zebra),
        "gamut" => OverlayKind::Gamut(Style::Solid),
        "gamut-zebra" => OverlayKind::Gamut(Style::Zebra),
        "false-color" => OverlayKind::FalseColor,
        other => {
            return Err(format!(
                "unknown overlay '{other}'; valid: levels, levels-zebra, gamut, gamut-zebra, false-color"
            ));
        }
    })
}

impl OverlayKind {
    /// The overlay for an output in `space` (none: values as they are, taken as an SDR signal).
    pub fn overlay(
        self,
        space: Option<ColorSpace>,
        gamut: Option<super::qc::GamutArg>,
    ) -> anyhow::Result<cinegrade::qc::overlay::Overlay> {
        use cinegrade::qc::overlay::{Overlay, Palette};
        let profile = cinegrade::qc::QcProfile::ebu_r103();
        Ok(match self {
            Self::Levels(style) => Overlay::Levels { low: profile.level_low, high: profile.level_high, style },
            Self::Gamut(style) => {
                let Some(space) = space else {
                    bail!("--overlay gamut needs an output space (--output-space) to know the container's primaries")
                };
                let target = gamut.map_or(&cinegrade::color::spaces::REC709, super::qc::GamutArg::chromaticities);
                Overlay::Gamut { space, target, style }
            }
            Self::FalseColor => Overlay::FalseColor(Palette::for_space(space)),
        })
    }
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
    let still = args.codec.is_none()
        && args.input.as_deref().is_some_and(|i| {
            !render_sequence::is_sequence_input(i) && !FileFormat::from_path(i).is_ok_and(FileFormat::is_video)
        });
    if args.overlay.is_some() && !still {
        bail!("--overlay burns a QC overlay into a still (one input frame rendered to one file)");
    }
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
    let (pipeline, grade) = load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let overlay = args.overlay.map(|k| k.overlay(pipeline.output_space(), args.overlay_gamut)).transpose()?;
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
    let mut graded = executor::apply_grade(&ctx, &grade, &source)?;
    if let Some(overlay) = &overlay {
        graded = cinegrade::qc::overlay::apply_gpu(&ctx, overlay, &graded)?;
    }
    let frame = graded.download(&ctx)?;
    media::save(&frame, &args.output, &options).with_context(|| "export failed".to_string())?;
    if verbose {
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}
