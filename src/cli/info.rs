//! `cinegrade info`: a frame's format, size, channels, sample type and value range.

use std::path::Path;

use cinegrade::media;

/// Runs `info`.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let loaded = media::load(path)?;
    let i = &loaded.info;
    let (lo, hi, non_finite) = loaded.frame.value_range();
    println!("file:      {}", path.display());
    if i.format.is_video() {
        // A clip: its container, codec, timing and colour tags; the value range of its first frame.
        for line in &i.notes {
            println!("{line}");
        }
        let names = ["R", "G", "B", "A"];
        for c in 0..4 {
            if lo[c] <= hi[c] {
                println!("frame 0 {}: {:.6} .. {:.6}", names[c], lo[c], hi[c]);
            }
        }
        return Ok(());
    }
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
