//! `cinegrade scopes`: the scopes of a (graded) frame as a PNG for a supervisor and as JSON counts for
//! tools, computed by the same GPU passes as the app.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::ValueEnum;

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::media;
use cinegrade::scopes::quantize::{LEVEL_MAX, LEVEL_MIN, Q_SCALE};
use cinegrade::scopes::{
    CountScale, LumaWeights, ScopeEngine, ScopeKind, ScopeSettings, WaveformMode, WaveformScale, render,
};

#[derive(clap::Args)]
pub struct ScopesArgs {
    /// Source frame (.png, .jpg, .tif, .exr), read as display-encoded code values.
    input: PathBuf,
    /// Output image (.png).
    #[arg(short, long)]
    output: PathBuf,
    /// Which scope to draw; `all` tiles waveform, parade, vectorscope and histogram.
    #[arg(long, value_enum, default_value = "all")]
    kind: Kind,
    /// Grade to apply first (JSON, see README).
    #[arg(short, long)]
    grade: Option<PathBuf>,
    /// Also write the raw bin counts, the settings and the luma weights as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Luma weights / Y'CbCr of the output space: rec709 (also sRGB, P3) or rec2020 (also Rec.2100).
    #[arg(long, value_enum, default_value = "rec709")]
    luma: Luma,
    /// Waveform trace: luma or RGB overlay.
    #[arg(long, value_enum, default_value = "luma")]
    waveform: Wave,
    /// Waveform graticule: 0-100 IRE or 0-1023 10-bit code values.
    #[arg(long, value_enum, default_value = "ire")]
    scale: Scale,
    /// Vectorscope zoom: 1, 2, 4, 8 or 16.
    #[arg(long, default_value_t = 1)]
    zoom: u32,
    /// Histogram count scale.
    #[arg(long, value_enum, default_value = "linear")]
    histogram: Counts,
    /// Size of each scope image, WIDTHxHEIGHT.
    #[arg(long, default_value = "768x432")]
    size: String,
    /// Replace the output files if they exist.
    #[arg(long)]
    overwrite: bool,
    /// Colour management around the grade (as for render): the scopes show its output.
    #[command(flatten)]
    pipeline: super::pipeline::PipelineArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Waveform,
    Parade,
    Vectorscope,
    Histogram,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum Luma {
    Rec709,
    Rec2020,
}

#[derive(Clone, Copy, ValueEnum)]
enum Wave {
    Luma,
    Rgb,
}

#[derive(Clone, Copy, ValueEnum)]
enum Scale {
    Ire,
    #[value(name = "cv10")]
    Cv10,
}

#[derive(Clone, Copy, ValueEnum)]
enum Counts {
    Linear,
    Log,
}

fn parse_size(text: &str) -> anyhow::Result<(u32, u32)> {
    let parsed = text.split_once(['x', 'X']).and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
    parsed.with_context(|| format!("--size: expected WIDTHxHEIGHT, got '{text}'"))
}

fn settings(args: &ScopesArgs) -> anyhow::Result<ScopeSettings> {
    let (image_width, image_height) = parse_size(&args.size)?;
    let settings = ScopeSettings {
        luma: match args.luma {
            Luma::Rec709 => LumaWeights::Rec709,
            Luma::Rec2020 => LumaWeights::Rec2020,
        },
        waveform_mode: match args.waveform {
            Wave::Luma => WaveformMode::Luma,
            Wave::Rgb => WaveformMode::Rgb,
        },
        waveform_scale: match args.scale {
            Scale::Ire => WaveformScale::Ire,
            Scale::Cv10 => WaveformScale::CodeValues10Bit,
        },
        vectorscope_zoom: args.zoom,
        histogram_scale: match args.histogram {
            Counts::Linear => CountScale::Linear,
            Counts::Log => CountScale::Log,
        },
        image_width,
        image_height,
        ..ScopeSettings::default()
    };
    settings.validate()?;
    Ok(settings)
}

/// Refuses to write over the source or, without --overwrite, over an existing file.
fn check_output(path: &Path, input: &Path, overwrite: bool) -> anyhow::Result<()> {
    if super::same_file(input, path) {
        bail!("{}: refusing to write over the source frame", path.display());
    }
    if !overwrite && path.exists() {
        bail!("{}: already exists (pass --overwrite to replace it)", path.display());
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it into place.
/// [`media::write_atomically`] with anyhow errors naming the file.
fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> anyhow::Result<()>) -> anyhow::Result<()> {
    media::write_atomically(path, write, anyhow::Error::from)
        .with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(args: &ScopesArgs, verbose: bool) -> anyhow::Result<()> {
    let is_png = args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !is_png {
        bail!("{}: scopes are written as PNG (.png)", args.output.display());
    }
    let settings = settings(args)?;
    check_output(&args.output, &args.input, args.overwrite)?;
    if let Some(json) = &args.json {
        check_output(json, &args.input, args.overwrite)?;
        if super::same_file(json, &args.output) || json == &args.output {
            bail!("{}: --json and -o name the same file", json.display());
        }
    }
    let (_, grade) = super::pipeline::load_pipeline(args.grade.as_deref(), &args.pipeline)?;
    let loaded = media::load(&args.input)?;
    let ctx = GpuContext::headless()?;
    if verbose {
        eprintln!("adapter: {}", ctx.describe());
    }
    let source = GpuFrame::upload(&ctx, &loaded.frame)?;
    let graded = executor::apply_grade(&ctx, &grade, &source)?;
    let kinds: Vec<ScopeKind> = match args.kind {
        Kind::All => ScopeKind::ALL.to_vec(),
        Kind::Waveform => vec![ScopeKind::Waveform],
        Kind::Parade => vec![ScopeKind::Parade],
        Kind::Vectorscope => vec![ScopeKind::Vectorscope],
        Kind::Histogram => vec![ScopeKind::Histogram],
    };
    let mut engine = ScopeEngine::new(&ctx)?;
    engine.run(&ctx, &graded, &settings, &kinds)?;
    let mut images = Vec::with_capacity(kinds.len());
    for kind in &kinds {
        let image = engine.read_image(&ctx, *kind)?;
        images.push(render::captioned(&image, *kind, &settings));
    }
    let image = match <[image::RgbaImage; 4]>::try_from(images) {
        Ok(four) => render::tile(&four),
        Err(mut one) => one.remove(0),
    };
    write_atomically(&args.output, |tmp| image.save_with_format(tmp, image::ImageFormat::Png).map_err(Into::into))?;
    println!(
        "scopes: {} of {} ({}x{}{})",
        kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
        args.input.display(),
        graded.width,
        graded.height,
        if grade.active_nodes().count() > 0 { ", graded" } else { "" }
    );
    println!("reads:  display-encoded R'G'B' code values; luma and Cb/Cr with {} weights", settings.luma.name());
    for kind in &kinds {
        println!("legend: {}", settings.legend(*kind));
    }
    println!("wrote:  {}", args.output.display());
    if let Some(path) = &args.json {
        let counts = engine.read_counts(&ctx)?;
        let [kr, kg, kb] = settings.luma.fractions();
        let doc = serde_json::json!({
            "input": args.input.display().to_string(),
            "frame": { "width": graded.width, "height": graded.height },
            "graded": grade.active_nodes().count() > 0,
            "settings": settings,
            "luma_weights": { "name": settings.luma.name(), "kr": kr, "kg": kg, "kb": kb },
            "encoding": format!(
                "display-encoded R'G'B' code values, quantised to 1/{Q_SCALE}; levels are full-range \
                 10-bit code values round(1023 V) from {LEVEL_MIN} to {LEVEL_MAX}, samples beyond counted \
                 in the end bins; NaN counts as 0"
            ),
            "layout": {
                "waveform": "per channel: index = column * levels + (level - level_min)",
                "histogram": "per channel: index = level - level_min",
                "vectorscope": "index = row * size + column; column grows with Cb, row with Cr, neutral at (size/2, size/2); the grid spans +-9/(16 zoom)"
            },
            "counts": counts,
        });
        write_atomically(path, |tmp| {
            let mut file = std::io::BufWriter::new(std::fs::File::create(tmp)?);
            serde_json::to_writer(&mut file, &doc)?;
            file.flush()?;
            Ok(())
        })?;
        println!("wrote:  {}", path.display());
    }
    Ok(())
}
