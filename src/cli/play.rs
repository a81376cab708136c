//! `cinegrade play`: a sequence played through the app's playback engine and viewer, with the frame
//! rate achieved, decode speed, cache hits and dropped frames.

use std::path::PathBuf;

use anyhow::bail;

use super::pipeline::parse_frames;
use cinegrade::gpu::GpuContext;
use cinegrade::grade::Grade;

#[derive(clap::Args)]
pub struct PlayArgs {
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

/// Runs `play`.
pub fn run(args: &PlayArgs, verbose: bool) -> anyhow::Result<()> {
    use cinegrade::playback;
    use cinegrade::workspace::headless;
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
