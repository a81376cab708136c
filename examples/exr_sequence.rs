//! Writes a numbered half-float EXR sequence for playback measurements: the source frame stretched to
//! the size asked for (nearest neighbour) and shifted a little per frame so every frame differs.
//!
//! `cargo run --example exr_sequence -- SOURCE.exr OUT_DIR [FRAMES] [WIDTHxHEIGHT]`
//! e.g. `cargo run --example exr_sequence -- ../shared/testdata/exr/ScanLines_Desk.exr /tmp/desk4k 48 3840x2160`
//! writes `OUT_DIR/desk.1001.exr` onwards.

use std::path::PathBuf;

use anyhow::Context;
use cinegrade::media::{self, Frame, SaveOptions};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(source), Some(out)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: exr_sequence SOURCE.exr OUT_DIR [FRAMES] [WIDTHxHEIGHT]");
    };
    let frames: u32 = args.get(2).map_or(Ok(48), |s| s.parse()).context("FRAMES")?;
    let (width, height) = match args.get(3) {
        Some(size) => {
            let (w, h) = size.split_once('x').context("size is WIDTHxHEIGHT")?;
            (w.parse::<u32>()?, h.parse::<u32>()?)
        }
        None => (3840, 2160),
    };
    let src = media::load(&PathBuf::from(source))?.frame;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let stem = PathBuf::from(source).file_stem().map_or("frame".into(), |s| s.to_string_lossy().to_lowercase());
    let name = stem.rsplit('_').next().unwrap_or("frame").to_string();
    for i in 0..frames {
        let shift = i * 7;
        let frame = Frame::from_fn(width, height, |x, y| {
            let sx = (((x + shift) % width) as u64 * u64::from(src.width) / u64::from(width)) as u32;
            let sy = (y as u64 * u64::from(src.height) / u64::from(height)) as u32;
            src.pixel(sx, sy)
        });
        let path = out.join(format!("{name}.{}.exr", 1001 + i));
        media::save(&frame, &path, &SaveOptions { overwrite: true, ..SaveOptions::default() })?;
        println!("{}", path.display());
    }
    Ok(())
}
