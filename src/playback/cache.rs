//! The RAM frame cache: decoded frames of one sequence, held within a byte budget, filled by background
//! decode threads that read ahead of the playhead in the play direction. When the budget is full the
//! frames farthest from the playhead (in play order, so the frames just shown go first when looping)
//! are evicted.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Direction;
use super::frame_bytes;
use crate::media::LoadedImage;
use crate::media::sequence::FrameRange;

/// Decodes frame `n` of a sequence; the error is a one-line message naming the file.
pub type DecodeFn = Arc<dyn Fn(u32) -> Result<LoadedImage, String> + Send + Sync>;

/// How big the cache is and how many threads fill it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    /// Bytes of decoded frames the cache may hold (the frame at the playhead is always kept, even
    /// when it alone is larger).
    pub budget_bytes: u64,
    /// Background decode threads.
    pub threads: usize,
    /// Most frames decoded ahead of the playhead (fewer when the budget holds fewer).
    pub read_ahead: u32,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self { budget_bytes: super::default_budget_bytes(), threads: super::default_decode_threads(), read_ahead: 96 }
    }
}

/// What the cache holds for a frame.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Decoded and ready to show.
    Ready(Arc<LoadedImage>),
    /// Not decoded yet (being decoded, or queued behind the read-ahead).
    Pending,
    /// The frame could not be decoded; the message names the file.
    Failed(String),
}

/// Counters for reports and the transport row.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CacheStats {
    /// Look-ups that found the frame decoded.
    pub hits: u64,
    /// Look-ups that had to wait or come back (each frame counted once in a row).
    pub misses: u64,
    /// Frames decoded.
    pub decoded: u64,
    /// Frames that failed to decode.
    pub failed: u64,
    /// Frames evicted to stay within the budget.
    pub evicted: u64,
    /// Seconds spent decoding, summed over the threads.
    pub decode_seconds: f64,
    /// Bytes held now.
    pub used_bytes: u64,
    /// Frames held now.
    pub frames: usize,
}

#[derive(Debug)]
pub(super) enum Slot {
    Decoding,
    Ready {
        image: Arc<LoadedImage>,
        bytes: u64,
    },
    Failed(String),
    /// Decoded but not kept: it did not fit. Requested again only after the playhead moves.
    Skipped,
}

/// The cache's state, shared by the decode threads and the player. Pure logic, tested without threads.
#[derive(Debug)]
pub(super) struct State {
    pub range: FrameRange,
    pub looping: bool,
    pub playhead: u32,
    pub direction: Direction,
    pub slots: HashMap<u32, Slot>,
    pub budget: u64,
    pub read_ahead: u32,
    pub threads: usize,
    /// Size of the last decoded frame: how many frames the budget holds.
    pub frame_bytes: Option<u64>,
    pub stats: CacheStats,
    pub last_miss: Option<u32>,
    pub shutdown: bool,
}

impl State {
    pub fn new(range: FrameRange, config: CacheConfig) -> Self {
        Self {
            range,
            looping: true,
            playhead: range.first,
            direction: Direction::Forward,
            slots: HashMap::new(),
            budget: config.budget_bytes,
            read_ahead: config.read_ahead.max(1),
            threads: config.threads.max(1),
            frame_bytes: None,
            stats: CacheStats::default(),
            last_miss: None,
            shutdown: false,
        }
    }

    /// Steps from the playhead to `frame` in play order. Frames behind the playhead come after every
    /// frame ahead of it: when looping they are reached last, otherwise never (and the farthest behind
    /// is the farthest of all).
    pub fn distance(&self, frame: u32) -> u64 {
        let len = self.range.len();
        let (p, f) = (u64::from(self.playhead), u64::from(frame));
        let (ahead, behind) = match self.direction {
            Direction::Forward => (f.checked_sub(p), p.checked_sub(f)),
            Direction::Reverse => (p.checked_sub(f), f.checked_sub(p)),
        };
        match (ahead, behind) {
            (Some(a), _) => a,
            (None, Some(b)) if self.looping => len - b,
            (None, Some(b)) => len + b,
            (None, None) => unreachable!("one of the subtractions succeeds"),
        }
    }

    /// The frame `steps` after the playhead in play order; `None` past the end when not looping.
    fn ahead_of_playhead(&self, steps: u64) -> Option<u32> {
        let (first, len) = (u64::from(self.range.first), self.range.len());
        let offset = u64::from(self.playhead) - first;
        let target = match (self.direction, self.looping) {
            (Direction::Forward, true) => (offset + steps % len) % len,
            (Direction::Forward, false) => Some(offset + steps).filter(|t| *t < len)?,
            (Direction::Reverse, true) => (offset + len - steps % len) % len,
            (Direction::Reverse, false) => offset.checked_sub(steps)?,
        };
        u32::try_from(first + target).ok()
    }

    /// How many frames from the playhead are worth decoding: the read-ahead, no more than the budget
    /// holds, no more than the sequence has. Before any frame size is known, one per thread.
    pub fn window(&self) -> u64 {
        let fits = match self.frame_bytes {
            Some(bytes) => (self.budget / bytes.max(1)).max(1),
            None => self.threads as u64,
        };
        fits.min(u64::from(self.read_ahead)).min(self.range.len())
    }

    /// The next frame a decode thread should read: the first one from the playhead, in play order,
    /// that the cache neither holds nor is decoding.
    pub fn next_request(&self) -> Option<u32> {
        (0..self.window()).map_while(|k| self.ahead_of_playhead(k)).find(|f| !self.slots.contains_key(f))
    }

    /// Bytes of the decoded frames held.
    pub fn used(&self) -> u64 {
        self.slots.values().map(|s| if let Slot::Ready { bytes, .. } = s { *bytes } else { 0 }).sum()
    }

    /// Keeps a decoded frame, evicting the frames farthest from the playhead to make room. A frame
    /// farther than everything it would push out is not kept (unless it is at the playhead).
    pub fn store(&mut self, frame: u32, image: Arc<LoadedImage>) {
        let bytes = frame_bytes(&image);
        self.frame_bytes = Some(bytes);
        self.stats.decoded += 1;
        let mut used = self.used();
        while used + bytes > self.budget {
            let farthest = self
                .slots
                .iter()
                .filter(|(f, s)| **f != frame && matches!(s, Slot::Ready { .. }))
                .map(|(f, _)| *f)
                .max_by_key(|f| self.distance(*f));
            match farthest {
                Some(f) if self.distance(f) > self.distance(frame) || frame == self.playhead => {
                    if let Some(Slot::Ready { bytes: freed, .. }) = self.slots.remove(&f) {
                        used -= freed;
                        self.stats.evicted += 1;
                    }
                }
                _ if frame == self.playhead => break,
                _ => {
                    self.slots.insert(frame, Slot::Skipped);
                    return;
                }
            }
        }
        self.slots.insert(frame, Slot::Ready { image, bytes });
    }

    /// Moves the playhead; frames skipped for lack of room may be wanted again.
    pub fn set_playhead(&mut self, frame: u32, direction: Direction) {
        self.playhead = frame.clamp(self.range.first, self.range.last);
        self.direction = direction;
        self.slots.retain(|_, s| !matches!(s, Slot::Skipped));
    }

    /// Looks a frame up, counting a hit or (once per frame in a row) a miss.
    pub fn lookup(&mut self, frame: u32) -> Lookup {
        match self.slots.get(&frame) {
            Some(Slot::Ready { image, .. }) => {
                if self.last_miss != Some(frame) {
                    self.stats.hits += 1;
                }
                self.last_miss = None;
                Lookup::Ready(image.clone())
            }
            Some(Slot::Failed(message)) => Lookup::Failed(message.clone()),
            _ => {
                if self.last_miss != Some(frame) {
                    self.stats.misses += 1;
                    self.last_miss = Some(frame);
                }
                Lookup::Pending
            }
        }
    }

    fn snapshot(&self) -> CacheStats {
        let frames = self.slots.values().filter(|s| matches!(s, Slot::Ready { .. })).count();
        CacheStats { used_bytes: self.used(), frames, ..self.stats }
    }
}

struct Shared {
    state: Mutex<State>,
    /// Wakes decode threads: the playhead moved, room was made, or the cache is shutting down.
    work: Condvar,
    /// Wakes waiters: a frame arrived or failed.
    arrived: Condvar,
    decode: DecodeFn,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A decode thread never panics while holding the lock (decoding happens outside it), so a
        // poisoned lock still holds consistent state.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Decoded frames of one sequence, filled in the background. Dropping it stops its threads (a thread in
/// the middle of a decode finishes that frame first, without holding anything up).
pub struct FrameCache {
    shared: Arc<Shared>,
    threads: usize,
}

impl FrameCache {
    /// A cache of `range`'s frames decoded by `decode` on `config.threads` background threads, which
    /// start reading ahead of the range's first frame at once.
    pub fn new(range: FrameRange, decode: DecodeFn, config: CacheConfig) -> Self {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(range, config)),
            work: Condvar::new(),
            arrived: Condvar::new(),
            decode,
        });
        let threads = config.threads.max(1);
        for i in 0..threads {
            let shared = shared.clone();
            let spawned =
                std::thread::Builder::new().name(format!("cinegrade-decode-{i}")).spawn(move || decode_loop(&shared));
            // Without threads the cache still works: `wait` decodes on the caller's thread.
            if spawned.is_err() {
                break;
            }
        }
        Self { shared, threads }
    }

    /// The frames this cache covers.
    pub fn range(&self) -> FrameRange {
        self.shared.lock().range
    }

    /// Number of decode threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Moves the playhead: decode threads read ahead of it in `direction`.
    pub fn set_playhead(&self, frame: u32, direction: Direction) {
        let mut state = self.shared.lock();
        if (state.playhead, state.direction) != (frame, direction) {
            state.set_playhead(frame, direction);
            self.shared.work.notify_all();
        }
    }

    /// Whether read-ahead wraps from the end of the range to its start.
    pub fn set_looping(&self, looping: bool) {
        self.shared.lock().looping = looping;
        self.shared.work.notify_all();
    }

    /// The frame if it is decoded; never blocks on a decode.
    pub fn get(&self, frame: u32) -> Lookup {
        self.shared.lock().lookup(frame)
    }

    /// The frame if it is decoded, without counting a hit or a miss.
    pub fn peek(&self, frame: u32) -> Lookup {
        match self.shared.lock().slots.get(&frame) {
            Some(Slot::Ready { image, .. }) => Lookup::Ready(image.clone()),
            Some(Slot::Failed(message)) => Lookup::Failed(message.clone()),
            _ => Lookup::Pending,
        }
    }

    /// Whether `frame` is decoded (no hit or miss counted).
    pub fn is_ready(&self, frame: u32) -> bool {
        matches!(self.shared.lock().slots.get(&frame), Some(Slot::Ready { .. }))
    }

    /// The frame, waiting up to `timeout` for it. The playhead moves to it, so the threads decode it
    /// first. `Pending` means the time ran out.
    pub fn wait(&self, frame: u32, direction: Direction, timeout: Duration) -> Lookup {
        self.set_playhead(frame, direction);
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        loop {
            match state.lookup(frame) {
                Lookup::Pending => {}
                done => return done,
            }
            let now = Instant::now();
            if now >= deadline || state.shutdown {
                return Lookup::Pending;
            }
            state = self.shared.arrived.wait_timeout(state, deadline - now).map_or_else(|p| p.into_inner().0, |r| r.0);
        }
    }

    /// Waits up to `timeout` for any frame to arrive (or fail).
    pub fn wait_for_arrival(&self, timeout: Duration) {
        let state = self.shared.lock();
        let _ = self.shared.arrived.wait_timeout(state, timeout);
    }

    /// Counters and occupancy.
    pub fn stats(&self) -> CacheStats {
        self.shared.lock().snapshot()
    }

    /// The byte budget.
    pub fn budget_bytes(&self) -> u64 {
        self.shared.lock().budget
    }

    /// The decoded frames held, in frame order.
    pub fn cached_frames(&self) -> Vec<u32> {
        let state = self.shared.lock();
        let mut frames: Vec<u32> =
            state.slots.iter().filter(|(_, s)| matches!(s, Slot::Ready { .. })).map(|(f, _)| *f).collect();
        frames.sort_unstable();
        frames
    }
}

impl Drop for FrameCache {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.shutdown = true;
        // Free the frames now; a thread still decoding drops its result when it sees `shutdown`.
        state.slots.clear();
        drop(state);
        self.shared.work.notify_all();
        self.shared.arrived.notify_all();
    }
}

fn decode_loop(shared: &Shared) {
    loop {
        let frame = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                if let Some(frame) = state.next_request() {
                    state.slots.insert(frame, Slot::Decoding);
                    break frame;
                }
                state = shared.work.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        };
        let started = Instant::now();
        // A decoder that panics on a malformed file is an error for that frame, not a dead thread.
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| (shared.decode)(frame)))
            .unwrap_or_else(|_| Err(format!("frame {frame}: the decoder crashed on this file")));
        let seconds = started.elapsed().as_secs_f64();
        let mut state = shared.lock();
        if state.shutdown {
            return;
        }
        state.stats.decode_seconds += seconds;
        match result {
            Ok(image) => state.store(frame, Arc::new(image)),
            Err(message) => {
                state.stats.failed += 1;
                state.slots.insert(frame, Slot::Failed(message));
            }
        }
        drop(state);
        shared.arrived.notify_all();
        // The first frame's size may have widened the read-ahead window.
        shared.work.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{FileFormat, Frame, ImageInfo, SampleType};

    fn image(width: u32) -> Arc<LoadedImage> {
        let info = ImageInfo {
            format: FileFormat::Exr,
            width,
            height: 1,
            channels: vec!["R".into(), "G".into(), "B".into(), "A".into()],
            sample_type: SampleType::F16,
            notes: Vec::new(),
        };
        Arc::new(LoadedImage { frame: Frame::filled(width, 1, [0.5; 4]), info })
    }

    /// 16 bytes per pixel: a 4-pixel frame is 64 bytes.
    const FRAME: u64 = 64;

    fn state(first: u32, last: u32, frames_in_budget: u64) -> State {
        let config = CacheConfig { budget_bytes: frames_in_budget * FRAME, threads: 2, read_ahead: 100 };
        State::new(FrameRange::new(first, last).unwrap(), config)
    }

    fn ready(state: &State) -> Vec<u32> {
        let mut f: Vec<u32> =
            state.slots.iter().filter(|(_, s)| matches!(s, Slot::Ready { .. })).map(|(f, _)| *f).collect();
        f.sort_unstable();
        f
    }

    #[test]
    fn read_ahead_requests_follow_the_playhead_in_the_play_direction() {
        let mut s = state(1001, 1010, 3);
        // Before a frame size is known: one frame per thread.
        assert_eq!(s.window(), 2);
        assert_eq!(s.next_request(), Some(1001));
        s.slots.insert(1001, Slot::Decoding);
        assert_eq!(s.next_request(), Some(1002));
        s.slots.insert(1002, Slot::Decoding);
        assert_eq!(s.next_request(), None, "the window is full");
        s.store(1001, image(4));
        assert_eq!(s.window(), 3, "the budget holds three frames");
        assert_eq!(s.next_request(), Some(1003));
        // Reverse from 1002: 1001 is held, 1002 decoding, then the loop wraps to 1010.
        s.set_playhead(1002, Direction::Reverse);
        assert_eq!(s.next_request(), Some(1010));
        s.looping = false;
        assert_eq!(s.next_request(), None, "no wrap when not looping");
        s.set_playhead(1009, Direction::Forward);
        assert_eq!(s.next_request(), Some(1009));
        s.slots.insert(1009, Slot::Decoding);
        assert_eq!(s.next_request(), Some(1010));
        s.slots.insert(1010, Slot::Decoding);
        assert_eq!(s.next_request(), None, "the end of the range stops read-ahead");
    }

    #[test]
    fn reverse_looping_walks_down_and_wraps_to_the_end() {
        let mut s = state(1, 5, 10);
        s.set_playhead(2, Direction::Reverse);
        let order: Vec<u32> = (0..7).filter_map(|k| s.ahead_of_playhead(k)).collect();
        assert_eq!(order, [2, 1, 5, 4, 3, 2, 1]);
        assert_eq!(s.distance(2), 0);
        assert_eq!(s.distance(1), 1);
        assert_eq!(s.distance(5), 2);
        assert_eq!(s.distance(3), 4);
    }

    #[test]
    fn the_budget_is_respected_and_the_farthest_frames_go_first() {
        let mut s = state(1, 10, 3);
        for f in [1, 2, 3] {
            s.store(f, image(4));
        }
        assert_eq!(ready(&s), [1, 2, 3]);
        // Playing forward from 3 with looping: 1 and 2 were just shown, so they are farthest.
        s.set_playhead(3, Direction::Forward);
        s.store(4, image(4));
        assert_eq!(ready(&s), [1, 3, 4], "2 is reached last on the next loop");
        assert!(s.used() <= s.budget);
        s.store(5, image(4));
        assert_eq!(ready(&s), [3, 4, 5]);
        assert_eq!(s.stats.evicted, 2);
        // A frame farther away than everything held is not kept.
        s.set_playhead(4, Direction::Forward);
        s.store(9, image(4));
        assert_eq!(ready(&s), [4, 5, 9], "3 is behind the playhead: farthest when looping");
        s.store(8, image(4));
        assert_eq!(ready(&s), [4, 5, 8]);
        s.store(10, image(4));
        assert_eq!(ready(&s), [4, 5, 8], "10 is farther than 8: not kept");
        assert!(matches!(s.slots.get(&10), Some(Slot::Skipped)));
        assert!(s.used() <= s.budget);
    }

    #[test]
    fn without_looping_frames_behind_the_playhead_are_evicted_farthest_first() {
        let mut s = state(1, 10, 3);
        s.looping = false;
        for f in [1, 2, 3] {
            s.store(f, image(4));
        }
        s.set_playhead(3, Direction::Forward);
        s.store(4, image(4));
        assert_eq!(ready(&s), [2, 3, 4], "1 is the farthest behind");
    }

    #[test]
    fn the_playhead_frame_is_kept_even_over_budget() {
        let mut s = state(1, 10, 1);
        s.store(2, image(4));
        s.set_playhead(1, Direction::Forward);
        s.store(1, image(8));
        assert_eq!(ready(&s), [1], "the frame at the playhead evicts everything it needs");
    }

    #[test]
    fn hits_and_misses_count_each_frame_once_in_a_row() {
        let mut s = state(1, 10, 3);
        assert!(matches!(s.lookup(1), Lookup::Pending));
        assert!(matches!(s.lookup(1), Lookup::Pending));
        s.store(1, image(4));
        assert!(matches!(s.lookup(1), Lookup::Ready(_)));
        s.store(2, image(4));
        assert!(matches!(s.lookup(2), Lookup::Ready(_)));
        assert_eq!((s.stats.hits, s.stats.misses), (1, 1));
    }

    #[test]
    fn threads_decode_ahead_and_report_broken_frames() {
        let decode: DecodeFn = Arc::new(|frame| {
            if frame == 3 { Err(format!("plate.{frame:04}.exr: no such file")) } else { Ok((*image(4)).clone()) }
        });
        let config = CacheConfig { budget_bytes: 4 * FRAME, threads: 2, read_ahead: 100 };
        let cache = FrameCache::new(FrameRange::new(1, 6).unwrap(), decode, config);
        let long = Duration::from_secs(30);
        assert!(matches!(cache.wait(1, Direction::Forward, long), Lookup::Ready(_)));
        assert!(matches!(cache.wait(2, Direction::Forward, long), Lookup::Ready(_)));
        match cache.wait(3, Direction::Forward, long) {
            Lookup::Failed(message) => assert!(message.contains("plate.0003.exr"), "{message}"),
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(matches!(cache.wait(4, Direction::Forward, long), Lookup::Ready(_)));
        let stats = cache.stats();
        assert!(stats.used_bytes <= cache.budget_bytes());
        assert_eq!(stats.failed, 1);
        assert!(cache.cached_frames().contains(&4));
    }

    #[test]
    fn a_panicking_decoder_is_an_error_not_a_dead_thread() {
        let decode: DecodeFn = Arc::new(|frame| if frame == 1 { panic!("corrupt") } else { Ok((*image(4)).clone()) });
        let config = CacheConfig { budget_bytes: 4 * FRAME, threads: 1, read_ahead: 100 };
        let cache = FrameCache::new(FrameRange::new(1, 3).unwrap(), decode, config);
        let long = Duration::from_secs(30);
        assert!(matches!(cache.wait(1, Direction::Forward, long), Lookup::Failed(_)));
        assert!(matches!(cache.wait(2, Direction::Forward, long), Lookup::Ready(_)));
    }
}
