//! Keyframes and tracking in the app, without egui: the keyframe strip's edits on the selected node,
//! and tracking a window through the shot in the background (a progress count, stopped cleanly on
//! request), its result written as the window's track.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::grade::{Interpolation, Track};
use crate::ops::key::Shape;
use crate::project::ShotRef;
use crate::track::{TrackError, TrackReport, TrackSettings};

use super::Workspace;

/// Which way to track from the current frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackDirection {
    /// To the shot's last frame.
    Forward,
    /// To its first.
    Backward,
}

/// A track running in the background.
pub struct TrackJob {
    shot: ShotRef,
    node: usize,
    window: usize,
    start: u32,
    size: (u32, u32),
    done: Arc<AtomicUsize>,
    total: usize,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<Result<TrackReport, TrackError>>>,
}

/// One keyframe as the strip draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripKey {
    /// Its frame.
    pub frame: u32,
    /// How it travels to the next.
    pub interpolation: Interpolation,
}

impl Workspace {
    /// The selected node's keyframes, in frame order.
    pub fn keyframes(&self) -> Vec<StripKey> {
        let node = self.session.grade().and_then(|g| g.nodes.get(self.node));
        node.map(|n| n.keyframes.iter().map(|k| StripKey { frame: k.frame, interpolation: k.interpolation }).collect())
            .unwrap_or_default()
    }

    /// The frames the selected node's windows are tracked on (for the strip).
    pub fn tracked_frames(&self) -> Vec<u32> {
        let node = self.session.grade().and_then(|g| g.nodes.get(self.node));
        let mut frames: Vec<u32> =
            node.into_iter().flat_map(|n| n.tracks.iter().flat_map(|t| t.samples.iter().map(|s| s.frame))).collect();
        frames.sort_unstable();
        frames.dedup();
        frames
    }

    fn edit_node(&mut self, what: &str, f: impl FnOnce(&mut crate::grade::Node, u32) -> bool) -> bool {
        let frame = self.current_frame();
        let Some(mut grade) = self.session.grade().cloned() else { return false };
        let Some(node) = grade.nodes.get_mut(self.node) else { return false };
        node.show_keyframes_at(frame);
        if !f(node, frame) {
            return false;
        }
        self.session.set_grade(what, grade);
        self.session.end_interaction();
        true
    }

    /// Keys the selected node's current state at the current frame (replacing a key there).
    pub fn add_keyframe(&mut self) -> bool {
        self.edit_node("add keyframe", |node, frame| {
            node.set_keyframe(frame);
            true
        })
    }

    /// Removes the selected node's key at the current frame.
    pub fn remove_keyframe(&mut self) -> bool {
        self.edit_node("delete keyframe", |node, frame| node.remove_keyframe(frame))
    }

    /// Moves the selected node's key at `from` to `to`.
    pub fn move_keyframe(&mut self, from: u32, to: u32) -> bool {
        self.edit_node("move keyframe", |node, _| from != to && node.move_keyframe(from, to))
    }

    /// Sets how the selected node's key at `frame` travels to the next.
    pub fn set_interpolation(&mut self, frame: u32, interpolation: Interpolation) -> bool {
        self.edit_node("keyframe interpolation", |node, _| {
            match node.keyframes.iter_mut().find(|k| k.frame == frame) {
                Some(k) if k.interpolation != interpolation => k.interpolation = interpolation,
                _ => return false,
            }
            true
        })
    }

    /// Goes to the selected node's next (or previous) keyframe from the current frame.
    pub fn step_keyframe(&mut self, forward: bool) {
        let now = self.current_frame();
        let keys = self.keyframes();
        let next = if forward {
            keys.iter().map(|k| k.frame).find(|f| *f > now)
        } else {
            keys.iter().rev().map(|k| k.frame).find(|f| *f < now)
        };
        if let Some(f) = next {
            self.go_to_frame(f);
        }
    }

    /// Starts tracking the selected node's window `window` from the current frame to the end (or
    /// the start) of the shot, from the region the window covers now.
    pub fn start_track(&mut self, window: usize, direction: TrackDirection, scale: bool, rotation: bool) {
        if self.track_job.is_some() {
            self.report_error("a track is already running: stop it first".into());
            return;
        }
        let (Some(r), Some(shown)) = (self.session.selected, self.shown_windows()) else { return };
        let Some(shot) = self.session.project.shot(r) else { return };
        let Some(range) = shot.media.range() else {
            self.report_error("tracking needs a sequence or clip shot".into());
            return;
        };
        let Some(w) = shown.get(window) else {
            self.report_error("the selected node has no such window".into());
            return;
        };
        if w.shape == Shape::Gradient {
            self.report_error("a linear window covers no region to track: use a shape over the subject".into());
            return;
        }
        let Some((fw, fh)) = self.view().map(|v| v.size()) else { return };
        let aspect = fw as f32 / fh as f32;
        // The window's bounding box on the frame, in pixels, kept inside the frame.
        let outline: Vec<[f32; 2]> = super::windows::outlines(w, aspect).into_iter().next().unwrap_or_default();
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in &outline {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k] * fh as f32);
                hi[k] = hi[k].max(p[k] * fh as f32);
            }
        }
        let (x0, y0) = (lo[0].max(0.0), lo[1].max(0.0));
        let (x1, y1) = (hi[0].min(fw as f32), hi[1].min(fh as f32));
        let region = [x0, y0, (x1 - x0).max(0.0), (y1 - y0).max(0.0)];
        let start = self.current_frame();
        let mut frames: Vec<_> = shot
            .media
            .frame_sources(&self.session.media_root)
            .into_iter()
            .filter(|(f, _)| match direction {
                TrackDirection::Forward => *f >= start && *f <= range.last,
                TrackDirection::Backward => *f <= start && *f >= range.first,
            })
            .collect();
        if direction == TrackDirection::Backward {
            frames.reverse();
        }
        if frames.len() < 2 {
            self.report_error(format!("nothing to track: frame {start} is the shot's last frame that way"));
            return;
        }
        let settings = TrackSettings { region, scale, rotation, search: None };
        let (done, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let total = frames.len();
        let handle = {
            let (done, stop) = (done.clone(), stop.clone());
            std::thread::Builder::new()
                .name("track".into())
                .spawn(move || {
                    crate::track::track_frames(&frames, settings, &stop, &mut |n, _| done.store(n, Ordering::Relaxed))
                })
                .ok()
        };
        self.info(&format!("Tracking window {} from frame {start} ({total} frames)…", window + 1));
        self.track_job =
            Some(TrackJob { shot: r, node: self.node, window, start, size: (fw, fh), done, total, stop, handle });
    }

    /// Frames tracked so far and in all, while a track runs.
    pub fn track_progress(&self) -> Option<(usize, usize)> {
        self.track_job.as_ref().map(|j| (j.done.load(Ordering::Relaxed), j.total))
    }

    /// Asks the running track to stop (nothing is written).
    pub fn cancel_track(&mut self) {
        if let Some(j) = &self.track_job {
            j.stop.store(true, Ordering::Relaxed);
        }
    }

    /// Collects a finished track: its samples become the window's track over the frames tracked
    /// (replacing what was tracked there before), as one undo step.
    pub(super) fn poll_track(&mut self) {
        if !self.track_job.as_ref().is_some_and(|j| j.handle.as_ref().is_none_or(JoinHandle::is_finished)) {
            return;
        }
        let Some(mut job) = self.track_job.take() else { return };
        let result = match job.handle.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            _ => {
                self.report_error("the track stopped unexpectedly".into());
                return;
            }
        };
        let report = match result {
            Ok(r) => r,
            Err(TrackError::Cancelled) => {
                self.info("Track stopped; nothing was changed");
                return;
            }
            Err(e) => {
                self.report_error(format!("track: {e}"));
                return;
            }
        };
        let lost = report.frames.iter().filter(|f| f.confidence < crate::track::LOST_CONFIDENCE).count();
        let mut grade = match self.session.project.shot(job.shot) {
            Some(shot) => shot.grade().clone(),
            None => return,
        };
        let Some(node) = grade.nodes.get_mut(job.node) else { return };
        // The window's existing movement at the start frame carries on under the new track.
        let existing = node.tracks.iter().find(|t| t.window == job.window).and_then(|t| t.at(job.start));
        let base = existing.map_or(([0.0, 0.0], 1.0, 0.0), |s| (s.offset, s.scale, s.rotation));
        let mut samples = report.samples(job.start, job.size.0, job.size.1);
        for s in &mut samples {
            s.offset = [base.0[0] + s.offset[0], base.0[1] + s.offset[1]];
            s.scale *= base.1;
            s.rotation += base.2;
        }
        let (first, last) = (samples.first().map_or(0, |s| s.frame), samples.last().map_or(0, |s| s.frame));
        let track = match node.tracks.iter_mut().position(|t| t.window == job.window) {
            Some(i) => &mut node.tracks[i],
            None => {
                node.tracks.push(Track { window: job.window, samples: Vec::new() });
                node.tracks.last_mut().expect("pushed")
            }
        };
        track.samples.retain(|s| s.frame < first || s.frame > last);
        track.samples.extend(samples);
        track.samples.sort_by_key(|s| s.frame);
        let count = report.frames.len();
        if self.session.selected == Some(job.shot) {
            self.session.set_grade("track window", grade);
            self.session.end_interaction();
        } else {
            self.session.edit("track window", |p| {
                if let Some(s) = p.shot_mut(job.shot) {
                    *s.grade_mut() = grade;
                }
            });
        }
        if lost == 0 {
            self.info(&format!("Tracked window {} over {count} frames", job.window + 1));
        } else {
            self.report_error(format!(
                "Tracked window {} over {count} frames; the subject was lost on {lost} of them (the window holds there)",
                job.window + 1
            ));
        }
    }
}
