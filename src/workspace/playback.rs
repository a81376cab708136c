//! Sequence playback in the workspace: the selected sequence's [`Player`] (RAM cache, read-ahead
//! decode threads, wall clock), kept in step with the shot, and the transport's actions.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::Workspace;
use crate::playback::{CacheConfig, Direction, FrameCache, Player, PlayerStats, source_decoder};
use crate::project::{Media, ShotRef};

/// How long stepping to a frame that is not decoded yet may hold the UI (playback never waits).
const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// The selected sequence's player, with what it was made for.
pub(super) struct ShotPlayback {
    shot: ShotRef,
    media: Media,
    root: PathBuf,
    player: Player,
}

/// The playback cache for `media`: a clip decodes on one thread (in order, FFmpeg threading each
/// frame), a sequence on several.
pub(crate) fn cache_config(media: &Media) -> CacheConfig {
    match media {
        Media::Clip(_) => CacheConfig { threads: 1, ..CacheConfig::default() },
        _ => CacheConfig::default(),
    }
}

impl Workspace {
    /// Makes the selected sequence's player match the shot, advances its clock and puts the frame it
    /// wants on the GPU. Playing never waits for a decode; a paused step to a frame not decoded yet
    /// waits for it (up to [`STEP_TIMEOUT`]), as stepping always showed the exact frame asked for.
    pub(super) fn sync_sequence(&mut self, sel: ShotRef) {
        let Some(shot) = self.session.project.shot(sel) else { return };
        let (media, fps, root) = (shot.media.clone(), shot.frame_rate, self.session.media_root.clone());
        let now = Instant::now();
        if !self.playback.as_ref().is_some_and(|p| p.shot == sel && p.media == media && p.root == root) {
            let Some(range) = media.range() else { return };
            let (decode_media, decode_root) = (media.clone(), root.clone());
            let decode = source_decoder(move |f| decode_media.frame_source(&decode_root, f));
            let mut player = Player::new(FrameCache::new(range, decode, cache_config(&media)), fps, now);
            // The same shot with its media relinked keeps its frame.
            if let Some(frame) = self.frame {
                player.seek(frame);
            }
            self.playback = Some(ShotPlayback { shot: sel, media: media.clone(), root: root.clone(), player });
        }
        let Some(playback) = self.playback.as_mut() else { return };
        let player = &mut playback.player;
        if player.fps() != fps {
            player.set_fps(fps, now);
        }
        let mut present = player.tick(now);
        let mut error = player.take_error();
        if present.is_none() && !player.is_playing() && player.shown() != Some(player.target()) {
            match player.present_wait(STEP_TIMEOUT, now) {
                Ok(p) => present = p,
                Err(e) => error = Some(e.to_string()),
            }
        }
        if let Some(e) = error {
            self.report_error(e);
        }
        match present {
            Some(p) => {
                self.frame = Some(p.frame);
                self.show_frame(sel, media.frame_path(&root, p.frame), &p.image);
            }
            // Never leave the previous shot's picture up when this one's frame could not be shown.
            None if self.shot_view.as_ref().is_some_and(|v| v.shot != sel) => self.drop_view(),
            None => {}
        }
    }

    /// The selected sequence's player (`None` for a still, or before the shot is loaded).
    pub fn player(&self) -> Option<&Player> {
        self.playback.as_ref().filter(|p| Some(p.shot) == self.session.selected).map(|p| &p.player)
    }

    pub(super) fn player_mut(&mut self) -> Option<&mut Player> {
        let selected = self.session.selected;
        self.playback.as_mut().filter(|p| Some(p.shot) == selected).map(|p| &mut p.player)
    }

    /// True while the selected sequence plays.
    pub fn is_playing(&self) -> bool {
        self.player().is_some_and(Player::is_playing)
    }

    /// Plays the selected sequence in `direction` at its frame rate (nothing for a still).
    pub fn play(&mut self, direction: Direction) {
        if let Some(player) = self.player_mut() {
            player.play(direction, Instant::now());
        }
    }

    /// Stops playback; the frame on screen stays.
    pub fn stop(&mut self) {
        if let Some(player) = self.player_mut() {
            player.pause();
        }
    }

    /// Play forward when stopped, stop when playing.
    pub fn toggle_play(&mut self) {
        if let Some(player) = self.player_mut() {
            player.toggle(Instant::now());
        }
    }

    /// Whether playback loops over the shot's range.
    pub fn set_looping(&mut self, looping: bool) {
        if let Some(player) = self.player_mut() {
            player.set_looping(looping, Instant::now());
        }
    }

    /// Achieved frame rate, dropped frames and cache counters of the selected sequence.
    pub fn playback_stats(&mut self) -> Option<PlayerStats> {
        self.player_mut().map(|p| p.stats(Instant::now()))
    }

    /// Sets the selected shot's frame rate (one undo step).
    pub fn set_frame_rate(&mut self, fps: f64) {
        let Some(sel) = self.session.selected else { return };
        if !(fps > 0.0 && fps <= crate::project::MAX_FRAME_RATE) {
            self.report_error(format!("frame rate {fps} is not between 0 and {}", crate::project::MAX_FRAME_RATE));
            return;
        }
        if self.session.project.shot(sel).is_some_and(|s| s.frame_rate != fps) {
            self.session.edit("frame rate", |p| {
                if let Some(shot) = p.shot_mut(sel) {
                    shot.frame_rate = fps;
                }
            });
        }
    }

    /// Steps `delta` frames through the selected sequence (clamped to its range), or `delta` shots
    /// when the shot is a still.
    pub fn step_frame(&mut self, delta: i64) {
        if let Some(player) = self.player_mut() {
            player.step(delta);
            return;
        }
        let range = self.session.selected.and_then(|r| self.session.project.shot(r)).and_then(|s| s.media.range());
        match range {
            Some(range) => {
                let at = i64::from(self.frame.unwrap_or(range.first));
                self.frame = Some((at + delta).clamp(i64::from(range.first), i64::from(range.last)) as u32);
            }
            None => self.session.step_shot(delta as isize),
        }
    }
}
