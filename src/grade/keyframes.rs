//! A grade that changes over a shot: keyframes of a node's whole state (its op's parameters, its mix
//! and its key with the windows), and tracks that move a node's windows frame by frame.
//!
//! Between two keyframes every number of the node interpolates as the earlier keyframe says (linear;
//! smooth, an ease in and out; or hold); what is not a number (a LUT's file, a curve whose point count
//! differs, a window added) holds the earlier keyframe's value until the next. Before the first key
//! and after the last the node holds that key. Tracks apply after the keyframes: a window's centre
//! moves by the track's offset, its size scales and its rotation turns, interpolated linearly between
//! tracked frames. [`Grade::at_frame`] gives the plain grade of one frame; the pass graph is recorded
//! from it, so renders, exports, QC and the viewer all evaluate the same way.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Grade, Node, Op};
use crate::ops::key::Key;

/// Most keyframes one node holds.
pub const MAX_KEYFRAMES: usize = 10_000;

/// How a keyframe's values travel to the next keyframe's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interpolation {
    /// At a constant rate.
    #[default]
    Linear,
    /// Easing out of this key and into the next (the smoothstep of the linear fraction).
    Smooth,
    /// Held until the next key, which then applies at once.
    Hold,
}

/// A node's state from one frame on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyframe {
    /// The shot's frame number.
    pub frame: u32,
    /// How to travel to the next keyframe.
    #[serde(default)]
    pub interpolation: Interpolation,
    /// The node's mix here.
    pub mix: f32,
    /// The op with its parameters here (the same op as the node's).
    pub op: Op,
    /// The key here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
}

/// Where a tracker found the subject on one frame, relative to where the window was drawn.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackSample {
    /// The shot's frame number.
    pub frame: u32,
    /// Movement of the window's centre, normalised frame coordinates.
    pub offset: [f32; 2],
    /// Scale of the window's size.
    #[serde(default = "one")]
    pub scale: f32,
    /// Degrees added to the window's rotation, clockwise on screen.
    #[serde(default)]
    pub rotation: f32,
    /// How sure the tracker was (0..1); low where the subject was lost (then the window holds).
    #[serde(default = "one")]
    pub confidence: f32,
}

fn one() -> f32 {
    1.0
}

/// A track driving one of the node's windows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Which window of the node's key (0-based).
    pub window: usize,
    /// Tracked frames in order.
    pub samples: Vec<TrackSample>,
}

impl Track {
    /// The track's movement at `frame`: linear between samples, held before the first and after the
    /// last (`None` without samples).
    pub fn at(&self, frame: u32) -> Option<TrackSample> {
        let i = self.samples.partition_point(|s| s.frame <= frame);
        match (i.checked_sub(1).map(|k| &self.samples[k]), self.samples.get(i)) {
            (Some(a), _) if a.frame == frame => Some(*a),
            (Some(a), Some(b)) => {
                let t = (frame - a.frame) as f32 / (b.frame - a.frame) as f32;
                let l = |x: f32, y: f32| x + (y - x) * t;
                Some(TrackSample {
                    frame,
                    offset: [l(a.offset[0], b.offset[0]), l(a.offset[1], b.offset[1])],
                    scale: l(a.scale, b.scale),
                    rotation: l(a.rotation, b.rotation),
                    confidence: a.confidence.min(b.confidence),
                })
            }
            (Some(a), None) => Some(*a),
            (None, Some(b)) => Some(*b),
            (None, None) => None,
        }
    }

    /// Problems with the track; `windows` is how many windows the node's key holds.
    pub fn validate(&self, windows: usize) -> Result<(), String> {
        if self.window >= windows {
            return Err(format!("a track drives window {} but the key has {windows}", self.window + 1));
        }
        let most = crate::media::sequence::FrameSet::MAX_FRAMES;
        if self.samples.len() as u64 > most {
            return Err(format!("a track holds at most {most} frames"));
        }
        for (i, s) in self.samples.iter().enumerate() {
            let numbers = [s.offset[0], s.offset[1], s.scale, s.rotation, s.confidence];
            if numbers.iter().any(|v| !v.is_finite()) || s.scale <= 0.0 {
                return Err(format!("track of window {}: frame {}: bad sample", self.window + 1, s.frame));
            }
            if i > 0 && s.frame <= self.samples[i - 1].frame {
                return Err(format!(
                    "track of window {}: frames must increase, {} follows {}",
                    self.window + 1,
                    s.frame,
                    self.samples[i - 1].frame
                ));
            }
        }
        Ok(())
    }
}

/// `a` interpolated towards `b` by `t`: numbers in both (at the same place) interpolate, everything
/// else is `a`'s.
fn lerp_value(a: &Value, b: &Value, t: f64) -> Value {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            serde_json::Number::from_f64(x + (y - x) * t).map_or_else(|| a.clone(), Value::Number)
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            Value::Array(x.iter().zip(y).map(|(x, y)| lerp_value(x, y, t)).collect())
        }
        (Value::Object(x), Value::Object(y)) => Value::Object(
            x.iter().map(|(k, v)| (k.clone(), y.get(k).map_or_else(|| v.clone(), |w| lerp_value(v, w, t)))).collect(),
        ),
        _ => a.clone(),
    }
}

/// The state between keyframes `a` and `b` a fraction `t` (0..1, already eased) of the way.
fn between(a: &Keyframe, b: &Keyframe, t: f32) -> (Op, f32, Option<Key>) {
    let t64 = f64::from(t);
    let mix = a.mix + (b.mix - a.mix) * t;
    let lerp = |x: Value, y: Value| lerp_value(&x, &y, t64);
    let op = match (serde_json::to_value(&a.op), serde_json::to_value(&b.op)) {
        (Ok(x), Ok(y)) => serde_json::from_value(lerp(x, y)).unwrap_or_else(|_| a.op.clone()),
        _ => a.op.clone(),
    };
    let key = match (&a.key, &b.key) {
        (Some(ka), Some(kb)) => match (serde_json::to_value(ka), serde_json::to_value(kb)) {
            (Ok(x), Ok(y)) => {
                let mut key: Key = serde_json::from_value(lerp(x, y)).unwrap_or_else(|_| ka.clone());
                key.show_matte = ka.show_matte;
                Some(key)
            }
            _ => Some(ka.clone()),
        },
        _ => a.key.clone(),
    };
    (op, mix, key)
}

impl Keyframe {
    /// A keyframe at `frame` holding `node`'s current state.
    pub fn of(node: &Node, frame: u32, interpolation: Interpolation) -> Self {
        Self { frame, interpolation, mix: node.mix, op: node.op.clone(), key: node.key.clone() }
    }
}

impl Node {
    /// True when the node changes over the shot (keyframes or tracks).
    pub fn is_animated(&self) -> bool {
        !self.keyframes.is_empty() || self.tracks.iter().any(|t| !t.samples.is_empty())
    }

    /// The node as it is on `frame`: keyframes interpolated, then tracks applied. Its keyframes and
    /// tracks are kept.
    pub fn at_frame(&self, frame: u32) -> Node {
        let mut node = self.clone();
        node.set_frame(frame);
        node
    }

    /// Sets the node's own op, mix and key to their keyframed values on `frame` (what the panels
    /// edit); tracks are not applied (they move the windows only where the grade is rendered).
    pub fn show_keyframes_at(&mut self, frame: u32) {
        if let Some((op, mix, key)) = self.keyframed(frame) {
            let show_matte = self.key.as_ref().is_some_and(|k| k.show_matte);
            (self.op, self.mix, self.key) = (op, mix, key);
            if let Some(k) = self.key.as_mut() {
                k.show_matte = show_matte;
            }
        }
    }

    fn set_frame(&mut self, frame: u32) {
        self.show_keyframes_at(frame);
        let Some(key) = self.key.as_mut() else { return };
        for track in &self.tracks {
            let (Some(window), Some(s)) = (key.windows.get_mut(track.window), track.at(frame)) else { continue };
            window.center = [window.center[0] + s.offset[0], window.center[1] + s.offset[1]];
            window.size = window.size.map(|v| v * s.scale);
            window.rotation += s.rotation;
        }
    }

    /// The keyframed op, mix and key on `frame` (`None` without keyframes).
    pub fn keyframed(&self, frame: u32) -> Option<(Op, f32, Option<Key>)> {
        let keys = &self.keyframes;
        let i = keys.partition_point(|k| k.frame <= frame);
        let state = |k: &Keyframe| (k.op.clone(), k.mix, k.key.clone());
        match (i.checked_sub(1).map(|p| &keys[p]), keys.get(i)) {
            (None, None) => None,
            (None, Some(b)) => Some(state(b)),
            (Some(a), None) => Some(state(a)),
            (Some(a), Some(_)) if a.frame == frame => Some(state(a)),
            (Some(a), Some(b)) => {
                let t = (frame - a.frame) as f32 / (b.frame - a.frame) as f32;
                match a.interpolation {
                    Interpolation::Hold => Some(state(a)),
                    Interpolation::Linear => Some(between(a, b, t)),
                    Interpolation::Smooth => Some(between(a, b, t * t * (3.0 - 2.0 * t))),
                }
            }
        }
    }

    /// After the panels edited a keyframed node shown at `frame`: stores the edit as the key at
    /// `frame` (made if there is none) when the node's state differs from its keyframed state there.
    /// True when it stored one.
    pub fn keep_edit_at(&mut self, frame: u32) -> bool {
        let Some((op, mix, key)) = self.keyframed(frame) else { return false };
        let mut mine = self.key.clone();
        if let Some(k) = mine.as_mut() {
            k.show_matte = false;
        }
        let unchanged = op == self.op && mix == self.mix && key == mine;
        if !unchanged {
            self.set_keyframe(frame);
        }
        !unchanged
    }

    /// The keyframe at `frame`, if any.
    pub fn keyframe_at(&self, frame: u32) -> Option<&Keyframe> {
        self.keyframes.iter().find(|k| k.frame == frame)
    }

    /// Stores the node's current op, mix and key as the keyframe at `frame` (replacing one there;
    /// a new key takes the interpolation of the key before it, or linear).
    pub fn set_keyframe(&mut self, frame: u32) {
        let i = self.keyframes.partition_point(|k| k.frame < frame);
        let interpolation = match self.keyframes.get(i) {
            Some(k) if k.frame == frame => k.interpolation,
            _ => i.checked_sub(1).map_or(Interpolation::Linear, |p| self.keyframes[p].interpolation),
        };
        let mut key = Keyframe::of(self, frame, interpolation);
        if let Some(k) = key.key.as_mut() {
            k.show_matte = false;
        }
        match self.keyframes.get_mut(i) {
            Some(k) if k.frame == frame => *k = key,
            _ => self.keyframes.insert(i, key),
        }
    }

    /// Removes the keyframe at `frame`; false when there is none. The node keeps the state it shows.
    pub fn remove_keyframe(&mut self, frame: u32) -> bool {
        let before = self.keyframes.len();
        self.keyframes.retain(|k| k.frame != frame);
        self.keyframes.len() != before
    }

    /// Moves the keyframe at `from` to `to` (refused, false, when `to` already holds one).
    pub fn move_keyframe(&mut self, from: u32, to: u32) -> bool {
        if from == to || self.keyframe_at(to).is_some() {
            return from == to && self.keyframe_at(from).is_some();
        }
        let Some(i) = self.keyframes.iter().position(|k| k.frame == from) else { return false };
        let mut key = self.keyframes.remove(i);
        key.frame = to;
        let at = self.keyframes.partition_point(|k| k.frame < to);
        self.keyframes.insert(at, key);
        true
    }

    /// Problems with the keyframes and tracks (`Err` names which).
    pub fn validate_animation(&self) -> Result<(), String> {
        if self.keyframes.len() > MAX_KEYFRAMES {
            return Err(format!("at most {MAX_KEYFRAMES} keyframes, got {}", self.keyframes.len()));
        }
        for (i, k) in self.keyframes.iter().enumerate() {
            let at = |m: String| format!("keyframe at frame {}: {m}", k.frame);
            if i > 0 && k.frame <= self.keyframes[i - 1].frame {
                return Err(at(format!("frames must increase, it follows frame {}", self.keyframes[i - 1].frame)));
            }
            if k.op.name() != self.op.name() {
                return Err(at(format!("holds a {} op in a {} node", k.op.name(), self.op.name())));
            }
            if !(0.0..=1.0).contains(&k.mix) {
                return Err(at(format!("mix must be between 0 and 1, got {}", k.mix)));
            }
            k.op.validate().map_err(at)?;
            if let Some(key) = &k.key {
                key.validate().map_err(|m| at(format!("key: {m}")))?;
            }
        }
        let windows = self.key.as_ref().map_or(0, |k| k.windows.len());
        self.tracks.iter().try_for_each(|t| t.validate(windows))
    }
}

impl Grade {
    /// The grade as it is on `frame`: every animated node evaluated there (borrowed when none is).
    pub fn at_frame(&self, frame: u32) -> Cow<'_, Grade> {
        if !self.nodes.iter().any(Node::is_animated) {
            return Cow::Borrowed(self);
        }
        let mut grade = self.clone();
        for node in grade.nodes.iter_mut().filter(|n| n.is_animated()) {
            node.set_frame(frame);
        }
        Cow::Owned(grade)
    }

    /// The grade frozen on `frame`: every animated node evaluated there, its keyframes and tracks
    /// dropped. For what holds one state of a grade: a CDL, a baked LUT.
    pub fn frozen_at(&self, frame: u32) -> Grade {
        let mut grade = self.at_frame(frame).into_owned();
        for node in &mut grade.nodes {
            node.keyframes.clear();
            node.tracks.clear();
        }
        grade
    }

    /// True when any node changes over the shot.
    pub fn is_animated(&self) -> bool {
        self.nodes.iter().any(Node::is_animated)
    }
}
