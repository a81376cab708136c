//! `cinegrade track SEQUENCE --region X,Y,W,H --frames A-B [--backward] [--scale] [--rotation]
//! --json track.json`: follows a region through a sequence or clip ([`cinegrade::track`]) and writes
//! where it is on every frame.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cinegrade::track::{self, LOST_CONFIDENCE, TrackSettings};

/// What to track.
#[derive(Args)]
pub struct TrackArgs {
    /// A folder or pattern of numbered frames (name.####.exr, one of its frames), or a video clip.
    pub input: PathBuf,
    /// The region on the first frame tracked: left, top, width, height in pixels of that frame.
    #[arg(long, value_name = "X,Y,W,H")]
    pub region: String,
    /// The frames to track (e.g. 1001-1100; a clip's frames count from 0). Default: all of them.
    #[arg(long, value_name = "RANGE")]
    pub frames: Option<String>,
    /// Track from the last frame of the range back to the first (the region is on the last).
    #[arg(long)]
    pub backward: bool,
    /// Also track scale (zoom in or out of the subject).
    #[arg(long)]
    pub scale: bool,
    /// Also track rotation.
    #[arg(long)]
    pub rotation: bool,
    /// How far the subject may move between frames beyond the motion so far, pixels (default: half
    /// the region's larger side, at least 16).
    #[arg(long, value_name = "PIXELS")]
    pub search: Option<f32>,
    /// Write the track here as JSON ({"frames": [{"frame", "x", "y", "scale", "rotation",
    /// "confidence"}]}, x and y the region's centre in pixels); `-` for standard output.
    #[arg(long, value_name = "FILE")]
    pub json: PathBuf,
}

/// Parses `X,Y,W,H`.
fn region(text: &str) -> anyhow::Result<[f32; 4]> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [x, y, w, h] = parts.as_slice() else {
        bail!("--region `{text}`: give four numbers, left,top,width,height (e.g. 800,400,120,90)");
    };
    let number = |s: &str| s.parse::<f32>().ok().filter(|v| v.is_finite());
    match (number(x), number(y), number(w), number(h)) {
        (Some(x), Some(y), Some(w), Some(h)) => Ok([x, y, w, h]),
        _ => {
            bail!("--region `{text}`: `{}` is not a number", parts.iter().find(|p| number(p).is_none()).unwrap_or(&""))
        }
    }
}

/// Runs the track.
pub fn run(args: &TrackArgs, verbose: bool) -> anyhow::Result<()> {
    let region = region(&args.region)?;
    let (all, _) = super::render_sequence::source_frames(&args.input)?;
    let mut frames = super::render_sequence::pick_frames(all, args.frames.as_deref())?;
    if frames.len() < 2 {
        bail!("{}: a track needs at least two frames, found {}", args.input.display(), frames.len());
    }
    if args.backward {
        frames.reverse();
    }
    let settings = TrackSettings { region, scale: args.scale, rotation: args.rotation, search: args.search };
    if verbose {
        eprintln!(
            "tracking {} frame(s) {} from frame {}, region {region:?}",
            frames.len(),
            if args.backward { "backward" } else { "forward" },
            frames[0].0
        );
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(frames.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(ProgressStyle::with_template("track [{bar:40}] {pos}/{len} frames, {eta} left").expect("template"));
    let stop = AtomicBool::new(false);
    let report = track::track_frames(&frames, settings, &stop, &mut |done, _| bar.set_position(done as u64))
        .with_context(|| args.input.display().to_string())?;
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&report).expect("a track always serialises") + "\n";
    if args.json.as_os_str() == "-" {
        print!("{json}");
    } else {
        cinegrade::media::atomic::write_bytes_atomically(&args.json, json.as_bytes())
            .with_context(|| format!("writing {}", args.json.display()))?;
    }
    let lost: Vec<u32> = report.frames.iter().filter(|f| f.confidence < LOST_CONFIDENCE).map(|f| f.frame).collect();
    let lowest = report.frames.iter().map(|f| f.confidence).fold(1.0f32, f32::min);
    let summary = if lost.is_empty() {
        format!("tracked {} frame(s); lowest confidence {lowest:.2}", report.frames.len())
    } else {
        format!(
            "tracked {} frame(s); LOST on {} (confidence below {LOST_CONFIDENCE}: the region holds there)",
            report.frames.len(),
            cinegrade::media::sequence::describe_frames(&lost)
        )
    };
    eprintln!("{}: {summary}", args.input.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn regions_parse_and_bad_ones_say_why() {
        assert_eq!(super::region("10, 20,30,40.5").unwrap(), [10.0, 20.0, 30.0, 40.5]);
        assert!(super::region("10,20,30").unwrap_err().to_string().contains("four numbers"));
        assert!(super::region("10,2x,30,40").unwrap_err().to_string().contains("`2x` is not a number"));
    }
}
