//! The player: a playhead over a shot's frame range, play/pause, direction and loop, and a clock that
//! advances by wall time at the frame rate. Every call takes `now`, so nothing here reads the clock or
//! sleeps: the app passes `Instant::now()`, tests pass made-up instants.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{CacheStats, FrameCache, Lookup, PlaybackError};
use crate::media::LoadedImage;
use crate::media::sequence::FrameRange;

/// Which way the playhead moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Towards higher frame numbers.
    #[default]
    Forward,
    /// Towards lower frame numbers.
    Reverse,
}

/// A frame the player wants on screen now.
#[derive(Clone, Debug)]
pub struct Present {
    /// Frame number.
    pub frame: u32,
    /// The decoded frame.
    pub image: Arc<LoadedImage>,
}

/// What the transport row and `cinegrade play` report.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlayerStats {
    /// Frames shown per second over the last [`FPS_WINDOW`] (0 when paused or just started).
    pub fps: f64,
    /// Frames shown since the player was made.
    pub shown: u64,
    /// Frames the clock passed that were never shown (decode could not keep up, or broken frames).
    pub dropped: u64,
    /// The cache's counters.
    pub cache: CacheStats,
}

/// How far back the fps meter looks.
pub const FPS_WINDOW: Duration = Duration::from_millis(1500);

/// Frames shown per second over a sliding window of wall time.
#[derive(Clone, Debug)]
pub struct FpsMeter {
    times: VecDeque<Instant>,
    window: Duration,
}

impl FpsMeter {
    /// A meter over `window`.
    pub fn new(window: Duration) -> Self {
        Self { times: VecDeque::new(), window }
    }

    /// A frame was shown at `now`.
    pub fn record(&mut self, now: Instant) {
        self.times.push_back(now);
        self.forget_before(now);
    }

    /// Frames per second over the window ending at `now`: the intervals between the frames shown in
    /// it. 0 with fewer than two frames.
    pub fn fps(&mut self, now: Instant) -> f64 {
        self.forget_before(now);
        let (Some(first), Some(last)) = (self.times.front(), self.times.back()) else { return 0.0 };
        let span = last.saturating_duration_since(*first).as_secs_f64();
        if self.times.len() < 2 || span <= 0.0 { 0.0 } else { (self.times.len() - 1) as f64 / span }
    }

    /// Forgets every frame.
    pub fn reset(&mut self) {
        self.times.clear();
    }

    fn forget_before(&mut self, now: Instant) {
        while self.times.front().is_some_and(|t| now.saturating_duration_since(*t) > self.window) {
            self.times.pop_front();
        }
    }
}

/// Plays one shot's frames out of a [`FrameCache`].
pub struct Player {
    cache: FrameCache,
    range: FrameRange,
    fps: f64,
    looping: bool,
    playing: Option<Direction>,
    direction: Direction,
    /// When the clock started and from which frame.
    anchor: (Instant, u32),
    target: u32,
    shown: Option<u32>,
    shown_count: u64,
    dropped: u64,
    meter: FpsMeter,
    error: Option<String>,
    reported: Option<u32>,
}

impl Player {
    /// A paused player at the first frame of the cache's range, looping, at `fps` frames per second.
    pub fn new(cache: FrameCache, fps: f64, now: Instant) -> Self {
        let range = cache.range();
        Self {
            cache,
            range,
            fps: sane_fps(fps),
            looping: true,
            playing: None,
            direction: Direction::Forward,
            anchor: (now, range.first),
            target: range.first,
            shown: None,
            shown_count: 0,
            dropped: 0,
            meter: FpsMeter::new(FPS_WINDOW),
            error: None,
            reported: None,
        }
    }

    /// The shot's frame range.
    pub fn range(&self) -> FrameRange {
        self.range
    }

    /// Frames per second of the clock.
    pub fn fps(&self) -> f64 {
        self.fps
    }

    /// Whether playback wraps from the end of the range to its start (or the start to the end).
    pub fn looping(&self) -> bool {
        self.looping
    }

    /// The direction of play while playing, `None` while paused.
    pub fn playing(&self) -> Option<Direction> {
        self.playing
    }

    /// True while the clock runs.
    pub fn is_playing(&self) -> bool {
        self.playing.is_some()
    }

    /// The frame the clock or the last seek asks for.
    pub fn target(&self) -> u32 {
        self.target
    }

    /// The frame whose picture was last presented.
    pub fn shown(&self) -> Option<u32> {
        self.shown
    }

    /// The cache the player reads from.
    pub fn cache(&self) -> &FrameCache {
        &self.cache
    }

    /// Starts the clock in `direction` from the frame on screen. At the end of a range that does not
    /// loop, play starts again from the other end.
    pub fn play(&mut self, direction: Direction, now: Instant) {
        let mut from = self.shown.unwrap_or(self.target);
        if !self.looping {
            match direction {
                Direction::Forward if from == self.range.last => from = self.range.first,
                Direction::Reverse if from == self.range.first => from = self.range.last,
                _ => {}
            }
        }
        self.playing = Some(direction);
        self.direction = direction;
        self.anchor = (now, from);
        self.target = from;
        self.meter.reset();
        self.cache.set_playhead(from, direction);
    }

    /// Stops the clock; the frame on screen stays.
    pub fn pause(&mut self) {
        self.playing = None;
        self.target = self.shown.unwrap_or(self.target);
        self.meter.reset();
    }

    /// Pauses when playing, plays forward when paused.
    pub fn toggle(&mut self, now: Instant) {
        if self.is_playing() { self.pause() } else { self.play(Direction::Forward, now) }
    }

    /// Pauses and asks for `frame` (clamped to the range).
    pub fn seek(&mut self, frame: u32) {
        self.playing = None;
        self.meter.reset();
        self.reported = None;
        self.target = frame.clamp(self.range.first, self.range.last);
        self.cache.set_playhead(self.target, self.direction);
    }

    /// Pauses and moves `delta` frames from the frame on screen (clamped; stepping backwards reads
    /// ahead backwards).
    pub fn step(&mut self, delta: i64) {
        self.direction = if delta < 0 { Direction::Reverse } else { Direction::Forward };
        let from = i64::from(self.shown.unwrap_or(self.target));
        self.seek((from + delta).clamp(i64::from(self.range.first), i64::from(self.range.last)) as u32);
    }

    /// Changes the frame rate; a running clock carries on from where it is.
    pub fn set_fps(&mut self, fps: f64, now: Instant) {
        self.reanchor(now);
        self.fps = sane_fps(fps);
    }

    /// Turns looping on or off.
    pub fn set_looping(&mut self, looping: bool, now: Instant) {
        self.reanchor(now);
        self.looping = looping;
        self.cache.set_looping(looping);
    }

    fn reanchor(&mut self, now: Instant) {
        if self.is_playing() {
            self.tick_clock(now);
            self.anchor = (now, self.target);
        }
    }

    /// The last decode error not yet taken (a missing or broken frame).
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// Counters for reports and the transport row.
    pub fn stats(&mut self, now: Instant) -> PlayerStats {
        let fps = if self.is_playing() { self.meter.fps(now) } else { 0.0 };
        PlayerStats { fps, shown: self.shown_count, dropped: self.dropped, cache: self.cache.stats() }
    }

    /// Advances the clock to `now` and returns the frame to put on screen, if it changed. Never waits
    /// for a decode: while playing it shows the newest decoded frame between the one on screen and the
    /// clock's, counting the frames passed over as dropped; while paused it shows the frame asked for
    /// once it is decoded.
    pub fn tick(&mut self, now: Instant) -> Option<Present> {
        let Some(direction) = self.playing else {
            return self.present_target();
        };
        let ended = self.tick_clock(now);
        let from = self.shown.unwrap_or(self.anchor.1);
        let gap = self.steps_between(from, self.target, direction);
        let nearest = if self.shown.is_some() { 1 } else { 0 };
        // The clock's frame counts as the hit or miss; the frames before it are only looked at.
        let at_target = self.cache.get(self.target);
        let mut found = None;
        for k in (nearest..=gap).rev() {
            let frame = self.offset(from, direction, k);
            let lookup = if k == gap { at_target.clone() } else { self.cache.peek(frame) };
            if !matches!(lookup, Lookup::Pending) {
                found = Some((k, frame, lookup));
                break;
            }
        }
        let present = match found {
            Some((k, frame, Lookup::Ready(image))) => {
                self.dropped += k - nearest;
                self.shown = Some(frame);
                self.shown_count += 1;
                self.meter.record(now);
                Some(Present { frame, image })
            }
            Some((k, frame, Lookup::Failed(message))) => {
                // Broken frames are passed over: playback goes on, the message is reported once.
                self.dropped += k + 1 - nearest;
                self.shown = Some(frame);
                if self.reported != Some(frame) {
                    self.reported = Some(frame);
                    self.error = Some(PlaybackError::Frame { frame, message }.to_string());
                }
                None
            }
            _ => None,
        };
        if ended && self.shown == Some(self.target) {
            self.playing = None;
            self.meter.reset();
        }
        present
    }

    /// Waits up to `timeout` for the frame asked for and returns it, for stepping while paused and for
    /// headless playback of every frame. `Ok(None)` when it is already on screen.
    pub fn present_wait(&mut self, timeout: Duration, now: Instant) -> Result<Option<Present>, PlaybackError> {
        // A frame already on screen, or already reported broken since the last seek, is not waited for.
        if self.shown == Some(self.target) || self.reported == Some(self.target) {
            return Ok(None);
        }
        match self.cache.wait(self.target, self.direction, timeout) {
            Lookup::Ready(image) => {
                self.shown = Some(self.target);
                self.shown_count += 1;
                self.meter.record(now);
                Ok(Some(Present { frame: self.target, image }))
            }
            Lookup::Failed(message) => {
                self.reported = Some(self.target);
                Err(PlaybackError::Frame { frame: self.target, message })
            }
            Lookup::Pending => Err(PlaybackError::Timeout { frame: self.target, seconds: timeout.as_secs() }),
        }
    }

    /// The frame a paused player was asked for, once decoded.
    fn present_target(&mut self) -> Option<Present> {
        if self.shown == Some(self.target) {
            return None;
        }
        match self.cache.get(self.target) {
            Lookup::Ready(image) => {
                self.shown = Some(self.target);
                self.shown_count += 1;
                Some(Present { frame: self.target, image })
            }
            Lookup::Failed(message) => {
                if self.reported != Some(self.target) {
                    self.reported = Some(self.target);
                    self.error = Some(PlaybackError::Frame { frame: self.target, message }.to_string());
                }
                None
            }
            Lookup::Pending => None,
        }
    }

    /// Moves `target` to where the clock is at `now`; true when a range that does not loop has ended.
    fn tick_clock(&mut self, now: Instant) -> bool {
        let Some(direction) = self.playing else { return false };
        let elapsed = now.saturating_duration_since(self.anchor.0).as_secs_f64();
        let steps = (elapsed * self.fps).floor() as u64;
        let (target, ended) = self.advance(self.anchor.1, direction, steps);
        self.target = target;
        self.cache.set_playhead(target, direction);
        ended
    }

    /// The frame `steps` from `from` in `direction`: wrapped when looping, else clamped (and `true`).
    fn advance(&self, from: u32, direction: Direction, steps: u64) -> (u32, bool) {
        let len = self.range.len();
        let offset = u64::from(from - self.range.first);
        let (offset, ended) = match (direction, self.looping) {
            (Direction::Forward, true) => ((offset + steps % len) % len, false),
            (Direction::Reverse, true) => ((offset + len - steps % len) % len, false),
            (Direction::Forward, false) => {
                let to = offset.saturating_add(steps);
                (to.min(len - 1), to >= len - 1)
            }
            (Direction::Reverse, false) => (offset.saturating_sub(steps), steps >= offset),
        };
        ((u64::from(self.range.first) + offset) as u32, ended)
    }

    /// The frame `k` steps from `from` in `direction` (wrapping).
    fn offset(&self, from: u32, direction: Direction, k: u64) -> u32 {
        let len = self.range.len();
        let offset = u64::from(from - self.range.first);
        let to = match direction {
            Direction::Forward => (offset + k % len) % len,
            Direction::Reverse => (offset + len - k % len) % len,
        };
        (u64::from(self.range.first) + to) as u32
    }

    /// Steps from `from` to `to` in `direction` (wrapping; 0 when they are the same frame).
    fn steps_between(&self, from: u32, to: u32, direction: Direction) -> u64 {
        let len = self.range.len();
        let (from, to) = (u64::from(from), u64::from(to));
        match direction {
            Direction::Forward => (to + len - from % len) % len,
            Direction::Reverse => (from + len - to % len) % len,
        }
    }
}

/// A usable frame rate: finite and within 0.01..=1000, else 24.
fn sane_fps(fps: f64) -> f64 {
    if fps.is_finite() && fps > 0.0 { fps.clamp(0.01, 1000.0) } else { 24.0 }
}

#[cfg(test)]
mod tests {
    use super::super::{CacheConfig, DecodeFn};
    use super::*;
    use crate::media::{FileFormat, Frame, ImageInfo, SampleType};

    fn image(value: f32) -> LoadedImage {
        let info = ImageInfo {
            format: FileFormat::Png,
            width: 2,
            height: 1,
            channels: vec!["R".into(), "G".into(), "B".into()],
            sample_type: SampleType::U8,
            notes: Vec::new(),
        };
        LoadedImage { frame: Frame::filled(2, 1, [value, value, value, 1.0]), info }
    }

    /// A player over `first..=last` whose decoder refuses `broken`; the cache has no time limit on
    /// decoding, so tests wait for frames with `present_wait` or `cache().wait` where they need them.
    fn player(first: u32, last: u32, broken: &'static [u32], now: Instant) -> Player {
        let decode: DecodeFn =
            Arc::new(
                move |f| {
                    if broken.contains(&f) { Err(format!("shot.{f}.exr: missing")) } else { Ok(image(f as f32)) }
                },
            );
        let config = CacheConfig { budget_bytes: 1 << 20, threads: 2, read_ahead: 100 };
        Player::new(FrameCache::new(FrameRange::new(first, last).unwrap(), decode, config), 24.0, now)
    }

    fn wait_all(p: &Player) {
        for f in p.range().frames() {
            let _ = p.cache().wait(f, Direction::Forward, Duration::from_secs(30));
        }
    }

    const LONG: Duration = Duration::from_secs(30);

    #[test]
    fn the_clock_advances_one_frame_per_period_and_loops() {
        let t0 = Instant::now();
        let mut p = player(1, 4, &[], t0);
        wait_all(&p);
        assert_eq!(p.tick(t0).map(|f| f.frame), Some(1), "paused: the first frame");
        p.play(Direction::Forward, t0);
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert!(p.tick(at(10)).is_none(), "still frame 1");
        assert_eq!(p.tick(at(42)).map(|f| f.frame), Some(2), "1/24 s later");
        assert_eq!(p.tick(at(84)).map(|f| f.frame), Some(3));
        assert_eq!(p.tick(at(126)).map(|f| f.frame), Some(4));
        assert_eq!(p.tick(at(167)).map(|f| f.frame), Some(1), "loops to the start");
        assert_eq!(p.stats(at(167)).dropped, 0);
    }

    #[test]
    fn frames_the_clock_passes_are_dropped_and_counted() {
        let t0 = Instant::now();
        let mut p = player(1, 10, &[], t0);
        wait_all(&p);
        p.play(Direction::Forward, t0);
        // The app was busy for 4 frame periods: frames 2-4 are never shown.
        let late = t0 + Duration::from_secs_f64(4.5 / 24.0);
        assert_eq!(p.tick(late).map(|f| f.frame), Some(5));
        assert_eq!(p.stats(late).dropped, 4, "1 to 4: play started before 1 was on screen");
    }

    #[test]
    fn reverse_play_without_loop_stops_at_the_first_frame() {
        let t0 = Instant::now();
        let mut p = player(1, 3, &[], t0);
        wait_all(&p);
        p.set_looping(false, t0);
        p.seek(3);
        assert_eq!(p.tick(t0).map(|f| f.frame), Some(3));
        p.play(Direction::Reverse, t0);
        let at = |periods: f64| t0 + Duration::from_secs_f64(periods / 24.0 + 0.001);
        assert_eq!(p.tick(at(1.0)).map(|f| f.frame), Some(2));
        assert_eq!(p.tick(at(2.0)).map(|f| f.frame), Some(1));
        assert!(!p.is_playing(), "stopped at the first frame");
        assert!(p.tick(at(5.0)).is_none());
        assert_eq!(p.shown(), Some(1));
    }

    #[test]
    fn playing_never_waits_for_a_frame_that_is_not_decoded() {
        // One slow frame: the decoder blocks frame 3 until the test lets it go.
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = std::sync::Mutex::new(gate);
        let decode: DecodeFn = Arc::new(move |f| {
            if f == 3 {
                let _ = gate.lock().unwrap().recv();
            }
            Ok(image(f as f32))
        });
        let config = CacheConfig { budget_bytes: 1 << 20, threads: 2, read_ahead: 100 };
        let t0 = Instant::now();
        let mut p = Player::new(FrameCache::new(FrameRange::new(1, 6).unwrap(), decode, config), 24.0, t0);
        assert!(matches!(p.cache().wait(2, Direction::Forward, LONG), Lookup::Ready(_)));
        p.seek(1);
        p.present_wait(LONG, t0).unwrap();
        p.play(Direction::Forward, t0);
        let at = |periods: f64| t0 + Duration::from_secs_f64(periods / 24.0 + 0.001);
        assert_eq!(p.tick(at(1.0)).map(|f| f.frame), Some(2));
        // Frame 3 is stuck: the clock reaches it and nothing new is shown, at once.
        assert!(p.tick(at(2.0)).is_none());
        assert_eq!(p.target(), 3);
        release.send(()).unwrap();
        assert!(matches!(p.cache().wait(4, Direction::Forward, LONG), Lookup::Ready(_)));
        // By 4 periods, 4 is decoded: it is shown and 3 counts as dropped.
        assert_eq!(p.tick(at(3.0)).map(|f| f.frame), Some(4));
        assert_eq!(p.stats(at(3.0)).dropped, 1);
    }

    #[test]
    fn a_broken_frame_is_reported_once_and_playback_goes_on() {
        let t0 = Instant::now();
        let mut p = player(1, 5, &[3], t0);
        wait_all(&p);
        p.play(Direction::Forward, t0);
        let at = |periods: f64| t0 + Duration::from_secs_f64(periods / 24.0 + 0.001);
        assert_eq!(p.tick(at(0.0)).map(|f| f.frame), Some(1));
        assert_eq!(p.tick(at(1.0)).map(|f| f.frame), Some(2));
        assert!(p.tick(at(2.0)).is_none(), "3 is broken: the picture stays on 2");
        let error = p.take_error().expect("the broken frame is reported");
        assert!(error.contains("frame 3") && error.contains("shot.3.exr"), "{error}");
        assert_eq!(p.tick(at(3.0)).map(|f| f.frame), Some(4));
        assert!(p.take_error().is_none(), "reported once");
        assert!(p.is_playing());
        // Stepping onto it while paused is an error value too.
        p.seek(3);
        assert!(matches!(p.present_wait(LONG, at(4.0)), Err(PlaybackError::Frame { frame: 3, .. })));
    }

    #[test]
    fn stepping_and_seeking_pause_and_clamp() {
        let t0 = Instant::now();
        let mut p = player(10, 12, &[], t0);
        p.play(Direction::Forward, t0);
        p.step(-5);
        assert!(!p.is_playing());
        assert_eq!(p.target(), 10);
        assert_eq!(p.present_wait(LONG, t0).unwrap().map(|f| f.frame), Some(10));
        p.step(1);
        assert_eq!(p.present_wait(LONG, t0).unwrap().map(|f| f.frame), Some(11));
        p.seek(99);
        assert_eq!(p.target(), 12);
    }

    #[test]
    fn the_fps_meter_counts_frames_in_its_window() {
        let t0 = Instant::now();
        let mut m = FpsMeter::new(Duration::from_secs(1));
        assert_eq!(m.fps(t0), 0.0);
        for i in 0..=10 {
            m.record(t0 + Duration::from_millis(i * 50));
        }
        assert!((m.fps(t0 + Duration::from_millis(500)) - 20.0).abs() < 1e-9);
        // Two seconds on, the old frames are forgotten.
        assert_eq!(m.fps(t0 + Duration::from_secs(3)), 0.0);
    }
}
