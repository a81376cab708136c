//! The tracker: follows a region the colorist picks through a sequence or clip, for a window to move
//! with its subject.
//!
//! Each frame is searched in two steps, both on the frame's luma (BT.709 weights), pre-smoothed with
//! a small Gaussian:
//! 1. **Search** by normalised cross-correlation (NCC) of the region's first-frame template, warped by
//!    the current scale and rotation, over whole-pixel offsets around the motion predicted from the
//!    frames before, on a pyramid level where the reach is about 8 pixels and the template at least
//!    16 across (so a large move costs little more than a small one).
//! 2. **Refine** by Lucas–Kanade (forward additive Gauss–Newton, Baker & Matthews 2004 §2) of a
//!    similarity warp (translation, and where asked scale and rotation) of the same template,
//!    coarse to fine down to full resolution: the sub-pixel position.
//!
//! The template is always the first frame's, so errors do not accumulate from frame to frame. The
//! confidence of a frame is the NCC of the warped template with the frame at the refined position.
//! Below [`LOST_CONFIDENCE`] the subject is lost: the frame is reported with that confidence and the
//! last good position (the tracker holds; it never invents a path), and later frames are searched
//! around it so the track picks the subject up again when it returns.
//!
//! The CPU implementation is the tracker (there is no GPU pass to twin): at 1080p a 100-pixel region
//! takes a few milliseconds a frame, far less than decoding the frame.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::media::Frame;

/// Below this NCC a frame counts as lost.
pub const LOST_CONFIDENCE: f32 = 0.6;

/// Smallest region side, pixels.
pub const MIN_REGION: u32 = 8;

/// What to track and how.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackSettings {
    /// The region on the first frame: left, top, width, height in pixels.
    pub region: [f32; 4],
    /// Also track scale (zoom).
    pub scale: bool,
    /// Also track rotation.
    pub rotation: bool,
    /// How far the subject may move between two frames beyond the predicted motion, pixels
    /// (`None`: half the region's larger side, at least 16).
    pub search: Option<f32>,
}

/// Where the region is on one frame.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackedFrame {
    /// The frame's number.
    pub frame: u32,
    /// The region's centre across, pixels.
    pub x: f32,
    /// The region's centre down, pixels.
    pub y: f32,
    /// Its size against the first frame's.
    pub scale: f32,
    /// Its rotation against the first frame's, degrees clockwise on screen.
    pub rotation: f32,
    /// NCC of the region with the first frame's (0..1); below [`LOST_CONFIDENCE`], lost.
    pub confidence: f32,
}

/// The `cinegrade track --json` document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackReport {
    /// Every frame tracked, in frame order.
    pub frames: Vec<TrackedFrame>,
}

/// Why a track could not run.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// The region is not inside the first frame or is too small.
    #[error(
        "the region {region:?} (left, top, width, height) must lie inside the {width}x{height} frame and be at least {MIN_REGION} pixels each way"
    )]
    Region {
        /// The region asked for.
        region: [f32; 4],
        /// Frame width.
        width: u32,
        /// Frame height.
        height: u32,
    },
    /// A frame differs in size from the first.
    #[error("frame {frame} is {got:?}, the first frame {want:?}: a track needs frames of one size")]
    Size {
        /// Its number.
        frame: u32,
        /// Its size.
        got: (u32, u32),
        /// The first frame's.
        want: (u32, u32),
    },
    /// Stopped by the caller.
    #[error("the track was stopped")]
    Cancelled,
    /// A frame could not be read.
    #[error("frame {frame}: {source}")]
    Frame {
        /// Its number.
        frame: u32,
        /// Why.
        source: crate::media::MediaError,
    },
}

/// A single-channel image.
#[derive(Clone, Debug)]
pub struct Luma {
    /// Width, pixels.
    pub width: usize,
    /// Height, pixels.
    pub height: usize,
    /// Row-major values.
    pub data: Vec<f32>,
}

impl Luma {
    /// The BT.709 luma of the `size` pixels of `frame` from `origin` (clipped to the frame; edges extended
    /// where the crop reaches past them).
    pub fn of_crop(frame: &Frame, origin: [isize; 2], size: [usize; 2]) -> Self {
        let (fw, fh) = (frame.width as isize, frame.height as isize);
        let mut data = Vec::with_capacity(size[0] * size[1]);
        for y in 0..size[1] as isize {
            let fy = (origin[1] + y).clamp(0, fh - 1);
            for x in 0..size[0] as isize {
                let fx = (origin[0] + x).clamp(0, fw - 1);
                let p = frame.pixels[(fy * fw + fx) as usize];
                data.push(0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]);
            }
        }
        Self { width: size[0], height: size[1], data }
    }

    fn at(&self, x: isize, y: isize) -> f32 {
        let x = x.clamp(0, self.width as isize - 1) as usize;
        let y = y.clamp(0, self.height as isize - 1) as usize;
        self.data[y * self.width + x]
    }

    /// Bilinear sample at (x, y) (pixel centres at whole numbers + 0.5), edges extended.
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (fx - x0, fy - y0);
        let (x0, y0) = (x0 as isize, y0 as isize);
        let top = self.at(x0, y0) * (1.0 - tx) + self.at(x0 + 1, y0) * tx;
        let bottom = self.at(x0, y0 + 1) * (1.0 - tx) + self.at(x0 + 1, y0 + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    }

    /// Separable Gaussian blur of standard deviation `sigma` pixels.
    fn blurred(&self, sigma: f32) -> Self {
        let r = (sigma * 3.0).ceil() as isize;
        let weights: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
        let total: f32 = weights.iter().sum();
        let pass = |img: &Luma, dx: isize, dy: isize| {
            let mut out = vec![0.0; img.data.len()];
            for y in 0..img.height as isize {
                for x in 0..img.width as isize {
                    let mut s = 0.0;
                    for (k, w) in weights.iter().enumerate() {
                        let o = k as isize - r;
                        s += w * img.at(x + o * dx, y + o * dy);
                    }
                    out[y as usize * img.width + x as usize] = s / total;
                }
            }
            Luma { width: img.width, height: img.height, data: out }
        };
        pass(&pass(self, 1, 0), 0, 1)
    }

    /// Half the size: each pixel the mean of a 2 x 2 block.
    fn halved(&self) -> Self {
        let (w, h) = ((self.width / 2).max(1), (self.height / 2).max(1));
        let mut data = Vec::with_capacity(w * h);
        for y in 0..h as isize {
            for x in 0..w as isize {
                let s = self.at(2 * x, 2 * y)
                    + self.at(2 * x + 1, 2 * y)
                    + self.at(2 * x, 2 * y + 1)
                    + self.at(2 * x + 1, 2 * y + 1);
                data.push(s * 0.25);
            }
        }
        Self { width: w, height: h, data }
    }
}

/// The part of a frame around the region, ready to search: smoothed, with its pyramid (level 0 full
/// size). Only the neighbourhood is read, so a track costs the same on a 4K frame as on an HD one.
struct Pyramid {
    levels: Vec<Luma>,
    /// The crop's top-left corner in the frame, pixels (a multiple of the coarsest level's step).
    origin: [f32; 2],
}

impl Pyramid {
    /// The pyramid of the square of half-side `reach` around `centre` (within the frame).
    fn around(frame: &Frame, centre: [f32; 2], reach: f32, levels: usize) -> Self {
        let align = 1isize << levels;
        let snap = |v: f32| (v.floor() as isize).div_euclid(align) * align;
        // Clipped to the frame: beyond its edge the crop repeats the edge, as the frame's own
        // sampling does, so a region as large as the frame costs no more than the frame.
        let span = |c: f32, size: u32| {
            let x0 = snap((c - reach).max(0.0));
            let x1 = ((c + reach).ceil() as isize).min(size as isize).max(x0 + 1);
            (x0, ((x1 - x0) as usize).next_multiple_of(align as usize) + align as usize)
        };
        let ((ox, sx), (oy, sy)) = (span(centre[0], frame.width), span(centre[1], frame.height));
        let origin = [ox, oy];
        let luma = Luma::of_crop(frame, origin, [sx, sy]);
        let mut out = vec![luma.blurred(1.0)];
        while out.len() < levels {
            let next = out[out.len() - 1].halved();
            out.push(next);
        }
        Self { levels: out, origin: [origin[0] as f32, origin[1] as f32] }
    }

    /// The smoothed value at frame position `p` (full-resolution pixels) on `level`.
    fn sample(&self, level: usize, p: [f32; 2]) -> f32 {
        let ls = 1.0 / (1u32 << level) as f32;
        self.levels[level].sample((p[0] - self.origin[0]) * ls, (p[1] - self.origin[1]) * ls)
    }
}

/// A similarity warp: template offset `u` (pixels from the region's centre on the first frame) lies
/// at `centre + scale · R(rotation) · u` on this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Warp {
    centre: [f32; 2],
    scale: f32,
    /// Radians, clockwise on screen (y down).
    rotation: f32,
}

impl Warp {
    /// Where template offset `u` lies on the frame, full-resolution pixels.
    fn apply(&self, u: [f32; 2]) -> [f32; 2] {
        let (sin, cos) = self.rotation.sin_cos();
        let (a, b) = (self.scale * cos, self.scale * sin);
        [self.centre[0] + a * u[0] - b * u[1], self.centre[1] + b * u[0] + a * u[1]]
    }
}

/// The template: offsets from the region's centre and the smoothed first frame's values there, per
/// pyramid level (offsets in full-resolution pixels).
struct Template {
    levels: Vec<(Vec<[f32; 2]>, Vec<f32>)>,
}

impl Template {
    fn new(first: &Pyramid, region: [f32; 4]) -> Self {
        let centre = [region[0] + region[2] * 0.5, region[1] + region[3] * 0.5];
        let levels = (0..first.levels.len())
            .map(|l| {
                let step = (1u32 << l) as f32;
                let (nx, ny) =
                    ((region[2] / step).round().max(2.0) as usize, (region[3] / step).round().max(2.0) as usize);
                let mut offsets = Vec::with_capacity(nx * ny);
                for j in 0..ny {
                    for i in 0..nx {
                        let u = [
                            (i as f32 + 0.5) * region[2] / nx as f32 - region[2] * 0.5,
                            (j as f32 + 0.5) * region[3] / ny as f32 - region[3] * 0.5,
                        ];
                        offsets.push(u);
                    }
                }
                let values = offsets.iter().map(|u| first.sample(l, [centre[0] + u[0], centre[1] + u[1]])).collect();
                (offsets, values)
            })
            .collect();
        Self { levels }
    }
}

/// Zero-mean normalised cross-correlation of two equal-length lists (0 when either is flat).
fn ncc(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().map(|v| f64::from(*v)).sum::<f64>() / n, b.iter().map(|v| f64::from(*v)).sum::<f64>() / n);
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x) - ma, f64::from(*y) - mb);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa <= 1e-18 || bb <= 1e-18 { 0.0 } else { (ab / (aa * bb).sqrt()) as f32 }
}

/// Follows one region through frames given one at a time.
pub struct Tracker {
    settings: TrackSettings,
    template: Template,
    levels: usize,
    /// The pyramid level searched by NCC.
    search_level: usize,
    warp: Warp,
    /// The motion from the frame before last to the last (for the prediction).
    velocity: [f32; 2],
    size: (u32, u32),
}

impl Tracker {
    /// Starts on `first` (frame number `number`), returning the tracker and the first frame's record.
    pub fn new(first: &Frame, number: u32, settings: TrackSettings) -> Result<(Self, TrackedFrame), TrackError> {
        let [x, y, w, h] = settings.region;
        let (fw, fh) = (first.width as f32, first.height as f32);
        let inside = [x, y, w, h].iter().all(|v| v.is_finite()) && x >= 0.0 && y >= 0.0 && x + w <= fw && y + h <= fh;
        if !inside || w < MIN_REGION as f32 || h < MIN_REGION as f32 {
            return Err(TrackError::Region { region: settings.region, width: first.width, height: first.height });
        }
        let side = w.max(h);
        // Search as coarse as keeps the template 16 pixels across, and no coarser than brings the
        // reach to about 8 pixels of that level.
        let reach = settings.search.unwrap_or_else(|| (side * 0.5).max(16.0));
        let coarsest = (side / 16.0).log2().floor().max(0.0) as usize;
        let wanted = (reach / 8.0).log2().ceil().max(0.0) as usize;
        let search_level = coarsest.min(wanted).min(5);
        let levels = search_level + 1;
        let centre = [x + w * 0.5, y + h * 0.5];
        let pyramid = Pyramid::around(first, centre, side * 0.75 + 8.0, levels);
        let template = Template::new(&pyramid, settings.region);
        let warp = Warp { centre, scale: 1.0, rotation: 0.0 };
        let tracker = Self {
            settings,
            template,
            levels,
            search_level,
            warp,
            velocity: [0.0; 2],
            size: (first.width, first.height),
        };
        let record = tracker.record(number, 1.0);
        Ok((tracker, record))
    }

    fn record(&self, frame: u32, confidence: f32) -> TrackedFrame {
        TrackedFrame {
            frame,
            x: self.warp.centre[0],
            y: self.warp.centre[1],
            scale: self.warp.scale,
            rotation: self.warp.rotation.to_degrees(),
            confidence: confidence.clamp(0.0, 1.0),
        }
    }

    /// Finds the region on the next frame.
    pub fn track(&mut self, frame: &Frame, number: u32) -> Result<TrackedFrame, TrackError> {
        if (frame.width, frame.height) != self.size {
            return Err(TrackError::Size { frame: number, got: (frame.width, frame.height), want: self.size });
        }
        let predicted = Warp {
            centre: [self.warp.centre[0] + self.velocity[0], self.warp.centre[1] + self.velocity[1]],
            ..self.warp
        };
        let [_, _, w, h] = self.settings.region;
        let reach = w.max(h) * self.warp.scale * 0.75 + self.reach() + 16.0;
        let pyramid = Pyramid::around(frame, predicted.centre, reach, self.levels);
        let searched = self.search(&pyramid, predicted);
        let mut warp = searched;
        for level in (0..=self.search_level).rev() {
            warp = self.refine(&pyramid, warp, level);
        }
        let confidence = self.confidence(&pyramid, warp);
        if confidence < LOST_CONFIDENCE || !warp.centre.iter().all(|v| v.is_finite()) {
            // Lost: hold where it was last seen, and search around there next time.
            self.velocity = [0.0; 2];
            return Ok(self.record(number, confidence.max(0.0)));
        }
        self.velocity = [warp.centre[0] - self.warp.centre[0], warp.centre[1] - self.warp.centre[1]];
        self.warp = warp;
        Ok(self.record(number, confidence))
    }

    fn sample_template(&self, pyramid: &Pyramid, warp: Warp, level: usize) -> Vec<f32> {
        self.template.levels[level].0.iter().map(|u| pyramid.sample(level, warp.apply(*u))).collect()
    }

    /// How far the subject may move beyond the prediction, pixels.
    fn reach(&self) -> f32 {
        let [_, _, w, h] = self.settings.region;
        self.settings.search.unwrap_or_else(|| (w.max(h) * 0.5).max(16.0))
    }

    /// The best whole-pixel offset (at the search level) around `predicted` by NCC.
    fn search(&self, pyramid: &Pyramid, predicted: Warp) -> Warp {
        let level = self.search_level;
        let step = (1u32 << level) as f32;
        let r = (self.reach() / step).ceil() as i32;
        let template = &self.template.levels[level].1;
        let mut best = (f32::NEG_INFINITY, predicted);
        for dy in -r..=r {
            for dx in -r..=r {
                let candidate = Warp {
                    centre: [predicted.centre[0] + dx as f32 * step, predicted.centre[1] + dy as f32 * step],
                    ..predicted
                };
                let score = ncc(template, &self.sample_template(pyramid, candidate, level));
                if score > best.0 {
                    best = (score, candidate);
                }
            }
        }
        best.1
    }

    /// Gauss–Newton steps of the warp on one pyramid level.
    fn refine(&self, pyramid: &Pyramid, mut warp: Warp, level: usize) -> Warp {
        // One step on this level, in full-resolution pixels.
        let step = (1u32 << level) as f32;
        let (offsets, template) = &self.template.levels[level];
        let params = 2 + usize::from(self.settings.scale) + usize::from(self.settings.rotation);
        for _ in 0..40 {
            // Brightness changes between frames are taken out: the template's mean and contrast
            // are matched to the frame's under the current warp.
            let values = self.sample_template(pyramid, warp, level);
            let gain_offset = gain_offset(template, &values);
            let mut jtj = [[0.0f64; 4]; 4];
            let mut jtr = [0.0f64; 4];
            let (sin, cos) = warp.rotation.sin_cos();
            for ((u, t), v) in offsets.iter().zip(template).zip(&values) {
                let p = warp.apply(*u);
                // Image gradient per full-resolution pixel, over one pixel of this level.
                let h = step * 0.5;
                let gx = (pyramid.sample(level, [p[0] + h, p[1]]) - pyramid.sample(level, [p[0] - h, p[1]])) / step;
                let gy = (pyramid.sample(level, [p[0], p[1] + h]) - pyramid.sample(level, [p[0], p[1] - h])) / step;
                let residual = f64::from(t * gain_offset.0 + gain_offset.1 - v);
                // d(position)/d(scale) = R u; d/d(rotation) = s R' u.
                let ru = [cos * u[0] - sin * u[1], sin * u[0] + cos * u[1]];
                let rpu = [-sin * u[0] - cos * u[1], cos * u[0] - sin * u[1]];
                let mut j = [gx, gy, 0.0, 0.0];
                let mut k = 2;
                if self.settings.scale {
                    j[k] = gx * ru[0] + gy * ru[1];
                    k += 1;
                }
                if self.settings.rotation {
                    j[k] = warp.scale * (gx * rpu[0] + gy * rpu[1]);
                }
                for a in 0..params {
                    jtr[a] += f64::from(j[a]) * residual;
                    for b in 0..params {
                        jtj[a][b] += f64::from(j[a]) * f64::from(j[b]);
                    }
                }
            }
            let Some(delta) = solve(&jtj, &jtr, params) else { break };
            warp.centre[0] += delta[0] as f32;
            warp.centre[1] += delta[1] as f32;
            let mut k = 2;
            if self.settings.scale {
                warp.scale = (warp.scale + delta[k] as f32).clamp(0.2, 5.0);
                k += 1;
            }
            if self.settings.rotation {
                warp.rotation += delta[k] as f32;
            }
            if delta[0].abs() < 1e-3 * f64::from(step) && delta[1].abs() < 1e-3 * f64::from(step) {
                break;
            }
        }
        warp
    }

    fn confidence(&self, pyramid: &Pyramid, warp: Warp) -> f32 {
        ncc(&self.template.levels[0].1, &self.sample_template(pyramid, warp, 0))
    }
}

/// The gain and offset that best map `template` onto `values` (least squares).
fn gain_offset(template: &[f32], values: &[f32]) -> (f32, f32) {
    let n = template.len() as f64;
    let mt = template.iter().map(|v| f64::from(*v)).sum::<f64>() / n;
    let mv = values.iter().map(|v| f64::from(*v)).sum::<f64>() / n;
    let (mut tv, mut tt) = (0.0, 0.0);
    for (t, v) in template.iter().zip(values) {
        tv += (f64::from(*t) - mt) * (f64::from(*v) - mv);
        tt += (f64::from(*t) - mt).powi(2);
    }
    let gain = if tt > 1e-18 { (tv / tt).clamp(0.25, 4.0) } else { 1.0 };
    (gain as f32, (mv - gain * mt) as f32)
}

/// Solves the `n` x `n` system `a x = b` (Gaussian elimination with partial pivoting).
fn solve(a: &[[f64; 4]; 4], b: &[f64; 4], n: usize) -> Option<[f64; 4]> {
    let mut m = *a;
    let mut x = *b;
    for c in 0..n {
        let pivot = (c..n).max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))?;
        if m[pivot][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, pivot);
        x.swap(c, pivot);
        for r in c + 1..n {
            let f = m[r][c] / m[c][c];
            let pivot_row = m[c];
            for (v, p) in m[r][c..n].iter_mut().zip(&pivot_row[c..n]) {
                *v -= f * p;
            }
            x[r] -= f * x[c];
        }
    }
    for c in (0..n).rev() {
        for k in c + 1..n {
            x[c] -= m[c][k] * x[k];
        }
        x[c] /= m[c][c];
    }
    Some(x)
}

/// Tracks through `frames` (number and a way to read it, in the order to track: descending for a
/// backward track), calling `progress(done, total)` after each; `stop` ends it early with
/// [`TrackError::Cancelled`]. The report lists the frames in frame order.
pub fn track_frames(
    frames: &[(u32, crate::media::FrameSource)],
    settings: TrackSettings,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<TrackReport, TrackError> {
    let mut out = Vec::with_capacity(frames.len());
    let mut tracker: Option<Tracker> = None;
    for (i, (number, source)) in frames.iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            return Err(TrackError::Cancelled);
        }
        let loaded = source.load().map_err(|source| TrackError::Frame { frame: *number, source })?;
        let record = match tracker.as_mut() {
            None => {
                let (t, first) = Tracker::new(&loaded.frame, *number, settings)?;
                tracker = Some(t);
                first
            }
            Some(t) => t.track(&loaded.frame, *number)?,
        };
        out.push(record);
        progress(i + 1, frames.len());
    }
    out.sort_by_key(|f| f.frame);
    Ok(TrackReport { frames: out })
}

impl TrackReport {
    /// The track as a window's movement: offsets of the region's centre from the first tracked
    /// frame's (the frame the region was drawn on), normalised by the frame size, with its scale,
    /// rotation and confidence.
    pub fn samples(&self, start: u32, width: u32, height: u32) -> Vec<crate::grade::TrackSample> {
        let Some(origin) = self.frames.iter().find(|f| f.frame == start).or(self.frames.first()) else {
            return Vec::new();
        };
        self.frames
            .iter()
            .map(|f| crate::grade::TrackSample {
                frame: f.frame,
                offset: [(f.x - origin.x) / width as f32, (f.y - origin.y) / height as f32],
                scale: f.scale / origin.scale,
                rotation: f.rotation - origin.rotation,
                confidence: f.confidence,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
