//! Playback of frame sequences: a RAM cache of decoded frames filled by background decode threads that
//! read ahead of the playhead ([`FrameCache`]), and a [`Player`] whose clock advances by wall time at the
//! shot's frame rate and shows the newest decoded frame it can without ever blocking the caller.
//!
//! No egui and no GPU here: the workspace (`crate::workspace`, and its `headless` player for
//! `cinegrade play`) puts the frames on the GPU. Time is always passed in (`now: Instant`), so the clock
//! logic is tested without sleeping.

mod cache;
mod player;

use std::path::PathBuf;
use std::sync::Arc;

pub use cache::{CacheConfig, CacheStats, DecodeFn, FrameCache, Lookup};
pub use player::{Direction, FpsMeter, Player, PlayerStats, Present};

use crate::media::{self, LoadedImage};

/// Default cache budget: 4 GiB, or a quarter of the machine's memory when that is less.
pub fn default_budget_bytes() -> u64 {
    budget_for(total_memory_bytes())
}

/// The default budget on a machine with `total` bytes of memory (`None`: not known).
fn budget_for(total: Option<u64>) -> u64 {
    const FOUR_GIB: u64 = 4 << 30;
    total.map_or(FOUR_GIB, |total| (total / 4).min(FOUR_GIB))
}

/// Physical memory in bytes, where the platform tells (Linux: /proc/meminfo).
fn total_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Decode threads for this machine: one per core beyond the first (the UI thread and the GPU driver
/// need one), at least one and at most six.
pub fn default_decode_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    cores.saturating_sub(1).clamp(1, 6)
}

/// A decoder for a shot's frames, wherever each comes from (a file or a clip's frame): sources read
/// with [`media::FrameSource::load`] (a clip's planes converted by the CPU twin on the decode thread).
pub fn source_decoder(source: impl Fn(u32) -> media::FrameSource + Send + Sync + 'static) -> DecodeFn {
    Arc::new(move |frame| source(frame).load().map_err(|e| e.to_string()))
}

/// A decoder for numbered frames: `frame_path(n)` read with [`media::load`].
pub fn file_decoder(frame_path: impl Fn(u32) -> PathBuf + Send + Sync + 'static) -> DecodeFn {
    Arc::new(move |frame| media::load(&frame_path(frame)).map_err(|e| e.to_string()))
}

/// Why playback could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum PlaybackError {
    /// A frame could not be decoded (missing file, corrupt data); the message names the file.
    #[error("frame {frame}: {message}")]
    Frame {
        /// Frame number.
        frame: u32,
        /// What went wrong (the decoder's message, with the file).
        message: String,
    },
    /// A frame did not arrive in time (a decoder stuck on a slow disk).
    #[error("frame {frame} was not decoded within {seconds} s")]
    Timeout {
        /// Frame number.
        frame: u32,
        /// How long we waited.
        seconds: u64,
    },
    /// The media, project or sequence could not be opened.
    #[error("{0}")]
    Source(String),
    /// The GPU failed.
    #[error(transparent)]
    Gpu(#[from] crate::gpu::GpuError),
}

/// Bytes a decoded frame occupies in the cache (working RGBA float).
pub fn frame_bytes(image: &LoadedImage) -> u64 {
    (image.frame.pixels.len() * std::mem::size_of::<[f32; 4]>()) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_cache_is_a_quarter_of_memory_up_to_4_gib() {
        const GIB: u64 = 1 << 30;
        assert_eq!(super::budget_for(Some(8 * GIB)), 2 * GIB, "a quarter of 8 GiB");
        assert_eq!(super::budget_for(Some(24 * GIB)), 4 * GIB, "at most 4 GiB");
        assert_eq!(super::budget_for(Some(16 * GIB)), 4 * GIB);
        assert_eq!(super::budget_for(None), 4 * GIB, "4 GiB where the memory is not known");
        // This machine's, read from /proc/meminfo as the README says.
        if let Ok(text) = std::fs::read_to_string("/proc/meminfo") {
            let kib: u64 = text
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .unwrap()
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap();
            assert_eq!(super::default_budget_bytes(), (kib * 1024 / 4).min(4 * GIB));
        }
    }
}
