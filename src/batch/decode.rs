//! The decode stage: workers that read frames ahead, handed out in frame order.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

use half::f16;

use super::{FrameJob, Profile};
use crate::media::{DecodedFrame, MediaError};

/// Decoded frames handed out in frame order, with at most `window` claimed and not yet taken.
pub(super) struct DecodeQueue {
    state: Mutex<DecodeState>,
    changed: Condvar,
    window: usize,
    /// Pixel buffers of frames already uploaded, for the decoders to fill again.
    spare: Mutex<Vec<Vec<[f32; 4]>>>,
    /// The same for half-float frames.
    spare_half: Mutex<Vec<Vec<[f16; 4]>>>,
    /// Decode half-float EXRs as half.
    half: bool,
}

#[derive(Default)]
struct DecodeState {
    next_claim: usize,
    next_take: usize,
    ready: BTreeMap<usize, Result<DecodedFrame, MediaError>>,
    stopped: bool,
}

impl DecodeQueue {
    pub(super) fn new(window: usize, half: bool) -> Self {
        Self {
            state: Mutex::new(DecodeState::default()),
            changed: Condvar::new(),
            window,
            spare: Mutex::default(),
            spare_half: Mutex::default(),
            half,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DecodeState> {
        self.state.lock().expect("decode queue lock")
    }

    /// A decode worker: claims the next frame when the window allows, decodes it, hands it over.
    pub(super) fn work(&self, jobs: &[FrameJob], profile: &Profile) {
        loop {
            let i = {
                let mut s = self.lock();
                while !s.stopped && s.next_claim < jobs.len() && s.next_claim >= s.next_take + self.window {
                    s = self.changed.wait(s).expect("decode queue lock");
                }
                if s.stopped || s.next_claim >= jobs.len() {
                    return;
                }
                s.next_claim += 1;
                s.next_claim - 1
            };
            let buffer = self.spare.lock().expect("spare buffers lock").pop().unwrap_or_default();
            let half = self.half.then(|| self.spare_half.lock().expect("spare buffers lock").pop().unwrap_or_default());
            let started = std::time::Instant::now();
            let loaded = jobs[i].input.decode_with(buffer, half);
            Profile::add(&profile.decode, started);
            self.lock().ready.insert(i, loaded);
            self.changed.notify_all();
        }
    }

    /// Frame `i`'s decode, waiting for it; frames must be taken in order.
    pub(super) fn take(&self, i: usize) -> Result<DecodedFrame, MediaError> {
        let mut s = self.lock();
        let loaded = loop {
            if let Some(loaded) = s.ready.remove(&i) {
                break loaded;
            }
            s = self.changed.wait(s).expect("decode queue lock");
        };
        s.next_take = i + 1;
        drop(s);
        self.changed.notify_all();
        loaded
    }

    /// Gives an uploaded frame's pixel buffer back for a later decode.
    pub(super) fn recycle(&self, pixels: Vec<[f32; 4]>) {
        let mut spare = self.spare.lock().expect("spare buffers lock");
        if spare.len() < self.window {
            spare.push(pixels);
        }
    }

    /// [`Self::recycle`] for a half-float frame's buffer.
    pub(super) fn recycle_half(&self, pixels: Vec<[f16; 4]>) {
        let mut spare = self.spare_half.lock().expect("spare buffers lock");
        if spare.len() < self.window {
            spare.push(pixels);
        }
    }

    /// Tells the workers to finish (after the frame each is decoding) and frees what was read ahead.
    pub(super) fn stop(&self) {
        let mut s = self.lock();
        s.stopped = true;
        s.ready.clear();
        drop(s);
        self.changed.notify_all();
    }
}
