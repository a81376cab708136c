//! `cinegrade bake-lut`: the pipeline (input space, CDL, grade, LUT, output space) baked on the GPU
//! into a `.cube` or CLF file (by the output's extension).

use std::path::PathBuf;

use anyhow::bail;

use super::pipeline::{PipelineArgs, describe, load_pipeline};
use cinegrade::gpu::{GpuContext, bake};

#[derive(clap::Args)]
pub struct BakeArgs {
    /// Grade to bake (JSON); without it only the transforms, CDL and LUT given here are baked.
    #[arg(short, long)]
    pub grade: Option<PathBuf>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// The LUT to write: .cube (Resolve dialect; with a sampled 1D shaper when the input is
    /// scene-linear) or .clf (CLF 3.0; the shaper as an exact ACEScct Log op).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Points per axis of the 3D table.
    #[arg(long, default_value_t = 33, value_parser = clap::value_parser!(u16).range(2..=256))]
    pub size: u16,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// The frame an animated grade (keyframes or tracks) is baked on: a LUT holds one state of it.
    /// Required for an animated grade, refused for a still one.
    #[arg(long)]
    pub frame: Option<u32>,
}

/// Runs `bake-lut`.
pub fn run(args: &BakeArgs, verbose: bool) -> anyhow::Result<()> {
    let ext = args.output.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if !["cube", "clf"].contains(&ext.as_str()) {
        bail!("{}: bake-lut writes .cube or .clf files", args.output.display());
    }
    if !args.overwrite && args.output.exists() {
        bail!("{}: already exists (pass --overwrite to replace it)", args.output.display());
    }
    let (pipeline, grade) = load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let grade = match (grade.is_animated(), args.frame) {
        (true, Some(frame)) => grade.frozen_at(frame),
        (true, None) => bail!(
            "{}: the grade changes over the shot (keyframes or tracks) and a LUT holds one state of it; \
             pass --frame N to bake its state on frame N",
            args.grade.as_deref().map_or("bake-lut".into(), |p| p.display().to_string())
        ),
        (false, Some(_)) => bail!("bake-lut: --frame is for an animated grade, and this one does not change"),
        (false, None) => grade,
    };
    let input = pipeline.input_space();
    if let Some(ocio) = &pipeline.ocio {
        // The LUT samples its input over 0..1: a scene-linear source needs a shaper, which is only
        // built for Cinegrade's own spaces.
        let config = cinegrade::ops::ocio::config(&ocio.config)?;
        let source = ocio.input.as_deref().unwrap_or(&ocio.working);
        if config.encoding(source).as_deref() == Some("scene-linear") {
            bail!(
                "bake-lut: the input \"{source}\" is scene-linear, which a LUT over 0..1 cannot sample; \
                 bake from a log space of the config (say ACEScct) or use Cinegrade's spaces, which get a shaper"
            );
        }
    }
    let [input_name, working_name, output_name] = pipeline.describe_spaces();
    let title = format!(
        "grade {}{}, input {input_name}, working {working_name}, output {output_name}",
        args.grade.as_deref().map_or("(none)".into(), |p| p.display().to_string()),
        args.frame.map(|f| format!(" on frame {f}")).unwrap_or_default(),
    );
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
        describe(&grade);
    }
    let baked = bake::bake(&ctx, &grade, input, usize::from(args.size), &title)?;
    let text =
        if ext == "clf" { cinegrade::interchange::to_clf_string(&baked.to_clf())? } else { baked.to_cube_string()? };
    cinegrade::media::write_bytes_atomically(&args.output, text.as_bytes())
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.output.display()))?;
    if verbose {
        if bake::needs_shaper(input) {
            eprintln!("input is scene-linear: wrote an ACEScct shaper before the 3D table");
        }
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}
