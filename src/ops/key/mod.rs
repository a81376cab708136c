//! Keys: where a node's correction applies. A key is an optional HSL qualifier (hue, saturation and
//! luma ranges with soft edges, cleaned and blurred) combined with power windows (ellipse, rectangle,
//! linear gradient, polygon; feathered, rotated, inverted), itself optionally inverted. The node's
//! output is `mix(input, corrected, matte × node.mix)`; with `show_matte` it is the matte in grey.
//!
//! Passes (recorded by `gpu::graph` for every keyed node, whatever its op):
//! - `shaders/ops/key_qualifier.wgsl` writes the qualifier's matte from the node's input, packed four
//!   pixels to a texel (module `matte`), and a Gaussian blur of the packed matte softens it (the matte
//!   denoise);
//! - the key (`shaders/ops/key_common.wgsl`) evaluates the windows, combines, inverts and blends the
//!   input with the corrected picture: in `key_mix.wgsl` after a spatial op's passes, inside the
//!   generated pass of a pointwise op (`gpu::fused::keyed_source`).
//!
//! The CPU twins ([`qualifier_pixel`], [`mix_pixel`], `matte`'s) read the same uniforms. `key_mix`
//! without a key is also the executor's plain node mix.
//!
//! Window positions are in normalised frame coordinates (0..1 across and down, y down) and sizes and
//! softness in frame heights, so windows survive resolution changes and circles stay round. Polygon
//! and bezier points are offsets from the window's centre (normalised frame coordinates), scaled by
//! its size and turned by its rotation, so the whole shape moves, grows and turns as one (what a
//! tracker drives). A bezier is flattened on the CPU into the corners both twins read.

use bytemuck::Zeroable;
use serde::{Deserialize, Serialize};

use super::Kernel;
use super::gaussian::{self, GaussianUniform};
use super::hsl::{LUMA_WEIGHTS, fract, hue_saturation, luma, smoothstep};
use crate::gpu::graph::CpuPass;
use crate::gpu::layout::GpuStruct;

/// Name of the qualifier shader (`shaders/ops/key_qualifier.wgsl`).
pub const QUALIFIER_SHADER: &str = "key_qualifier";

/// Name of the mixing shader (`shaders/ops/key_mix.wgsl`).
pub const MIX_SHADER: &str = "key_mix";

/// The key's passes and their CPU twins.
pub const KERNELS: &[Kernel] = &[
    Kernel {
        name: QUALIFIER_SHADER,
        wgsl: include_str!("../../../shaders/ops/key_qualifier.wgsl"),
        cpu: |pass: &CpuPass| vec![matte::qualify_packed(&pass.uniform(0), pass.inputs[0])],
        uniform: Some(("Qualifier", QualifierUniform::LAYOUT)),
    },
    Kernel {
        name: MIX_SHADER,
        wgsl: include_str!("../../../shaders/ops/key_mix.wgsl"),
        cpu: |pass: &CpuPass| {
            let u: KeyMixUniform = pass.uniform(0);
            let [input, corrected, matte] = [pass.inputs[0], pass.inputs[1], pass.inputs[2]];
            let q = |x: u32, y: u32| match u.qualifier {
                PACKED_MATTE => matte::sample(matte, x, y),
                GREY_MATTE => matte.pixel(x, y)[0],
                _ => 0.0,
            };
            vec![pass.map(|x, y| mix_pixel(&u, input.pixel(x, y), corrected.pixel(x, y), q(x, y), x, y))]
        },
        uniform: Some(("KeyMix", KeyMixUniform::LAYOUT)),
    },
    Kernel {
        name: matte::ROWS_SHADER,
        wgsl: include_str!("../../../shaders/ops/key_matte_rows.wgsl"),
        cpu: matte::cpu_rows,
        uniform: Some(("MatteBlur", matte::MatteBlurUniform::LAYOUT)),
    },
    Kernel {
        name: matte::COLUMNS_SHADER,
        wgsl: include_str!("../../../shaders/ops/key_matte_columns.wgsl"),
        cpu: matte::cpu_columns,
        uniform: Some(("MatteBlur", matte::MatteBlurUniform::LAYOUT)),
    },
];

/// [`KeyMixUniform::qualifier`]: no qualifier matte (the binding is not read).
pub const NO_QUALIFIER: u32 = 0;

/// [`KeyMixUniform::qualifier`]: a matte of the frame's size in its red channel (another node's
/// final matte, for an outside node).
pub const GREY_MATTE: u32 = 1;

/// [`KeyMixUniform::qualifier`]: the key's qualifier matte packed four pixels to a texel
/// (module `matte`).
pub const PACKED_MATTE: u32 = 2;

/// Most windows one key holds.
pub const MAX_WINDOWS: usize = 8;

/// Most corners of a polygon window.
pub const MAX_POLYGON_POINTS: usize = 16;

/// Most points of a bezier window.
pub const MAX_BEZIER_POINTS: usize = 12;

/// Corners one window's uniform holds: a polygon's, or a bezier flattened into this many lines.
pub const MAX_SHAPE_POINTS: usize = 96;

/// Widest matte blur (pixels at the reference width).
pub const MAX_MATTE_BLUR: f32 = 64.0;

/// How the qualifier and the windows combine when a key has both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combine {
    /// Only where both select (qualifier × windows).
    #[default]
    Intersect,
    /// Where either selects (the larger of the two).
    Union,
}

/// A node's key. The default (no qualifier, no windows, nothing inverted) selects the whole frame.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Key {
    /// HSL qualifier, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Power windows, united (the largest matte of them wins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
    /// How the qualifier and the windows combine.
    pub combine: Combine,
    /// Invert the final matte.
    pub invert: bool,
    /// Output the matte as grey instead of the picture: set only by the viewer's matte view on the
    /// grade it renders, never saved (older grade files that stored it read, and it is dropped).
    #[serde(skip_serializing)]
    pub show_matte: bool,
}

/// A soft range of saturation or luma: 1 from `low` to `high`, falling to 0 over `softness` outside.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Range {
    /// Whether this range takes part (a disabled range selects everything).
    pub enabled: bool,
    /// Lowest fully selected value.
    pub low: f32,
    /// Highest fully selected value.
    pub high: f32,
    /// Width of the soft edge on either side.
    pub softness: f32,
}

impl Default for Range {
    fn default() -> Self {
        Self { enabled: false, low: 0.0, high: 1.0, softness: 0.1 }
    }
}

/// A soft range of hue, around the hue circle (all in turns: 0..1, red 0, green 1/3, blue 2/3).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HueRange {
    /// Whether the hue takes part.
    pub enabled: bool,
    /// Centre hue.
    pub center: f32,
    /// Fully selected width around the centre (0..1).
    pub width: f32,
    /// Width of the soft edge on either side.
    pub softness: f32,
}

impl Default for HueRange {
    fn default() -> Self {
        Self { enabled: false, center: 0.0, width: 0.1, softness: 0.05 }
    }
}

/// An HSL qualifier: the product of its enabled ranges, then cleaned and blurred.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Qualifier {
    /// Hue range.
    pub hue: HueRange,
    /// Saturation range (0..1, [`super::hsl`]).
    pub saturation: Range,
    /// Rec.709 luma range.
    pub luma: Range,
    /// Matte values up to this become 0 (0..1).
    pub clean_black: f32,
    /// Matte values from 1 − this become 1 (0..1).
    pub clean_white: f32,
    /// Gaussian blur of the matte, pixels at the reference width (the matte denoise).
    pub blur: f32,
}

impl Default for Qualifier {
    fn default() -> Self {
        Self {
            hue: HueRange::default(),
            saturation: Range::default(),
            luma: Range::default(),
            clean_black: 0.0,
            clean_white: 0.0,
            blur: 0.0,
        }
    }
}

/// `Err` naming `what` unless every value is a finite number.
pub(super) fn finite(values: &[f32], what: &str) -> Result<(), String> {
    if values.iter().all(|v| v.is_finite()) { Ok(()) } else { Err(format!("{what} must be a number")) }
}

impl Qualifier {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        let h = &self.hue;
        let (s, l) = (&self.saturation, &self.luma);
        finite(
            &[h.center, h.width, h.softness, s.low, s.high, s.softness, l.low, l.high, l.softness, self.blur],
            "qualifier",
        )?;
        finite(&[self.clean_black, self.clean_white], "qualifier")?;
        if !(0.0..=1.0).contains(&h.width) || h.softness < 0.0 {
            return Err(format!(
                "qualifier hue width must be 0..1 and softness not negative, got {} {}",
                h.width, h.softness
            ));
        }
        for (name, r) in [("saturation", s), ("luma", l)] {
            if r.low > r.high || r.softness < 0.0 {
                return Err(format!(
                    "qualifier {name}: low must not exceed high and softness must not be negative, got {} {} {}",
                    r.low, r.high, r.softness
                ));
            }
        }
        let (b, w) = (self.clean_black, self.clean_white);
        if b < 0.0 || w < 0.0 || b + w >= 1.0 {
            return Err(format!(
                "qualifier clean black and clean white must be 0 or more and add up to below 1, got {b} {w}"
            ));
        }
        if !(0.0..=MAX_MATTE_BLUR).contains(&self.blur) {
            return Err(format!("qualifier blur must be 0 to {MAX_MATTE_BLUR}, got {}", self.blur));
        }
        Ok(())
    }

    /// The numbers `key_qualifier.wgsl` and [`qualifier_pixel`] read.
    pub fn uniform(&self) -> QualifierUniform {
        let flag = |on: bool| if on { 1.0 } else { 0.0 };
        let (h, s, l) = (&self.hue, &self.saturation, &self.luma);
        let w = LUMA_WEIGHTS;
        QualifierUniform {
            hue: [flag(h.enabled), fract(h.center), h.width * 0.5, h.softness],
            saturation: [flag(s.enabled), s.low, s.high, s.softness],
            luma: [flag(l.enabled), l.low, l.high, l.softness],
            clean: [self.clean_black, self.clean_white, 0.0, 0.0],
            luma_weights: [w[0], w[1], w[2], 0.0],
        }
    }

    /// The matte blur's line passes for a frame `width` pixels wide.
    pub fn blur_passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.blur, width))
    }
}

impl Key {
    /// True when the key changes anything (otherwise the node applies everywhere).
    pub fn is_active(&self) -> bool {
        self.qualifier.is_some() || !self.windows.is_empty() || self.invert || self.show_matte
    }

    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(q) = &self.qualifier {
            q.validate()?;
        }
        if self.windows.len() > MAX_WINDOWS {
            return Err(format!("a key holds at most {MAX_WINDOWS} windows, got {}", self.windows.len()));
        }
        self.windows.iter().enumerate().try_for_each(|(i, w)| w.validate(i))
    }

    /// The numbers `key_mix.wgsl` and [`mix_pixel`] read, for a node at `mix` on a frame of the given
    /// size.
    pub fn uniform(&self, mix: f32, width: u32, height: u32) -> KeyMixUniform {
        let aspect = width as f32 / height as f32;
        let mut windows = [WindowUniform::zeroed(); MAX_WINDOWS];
        for (slot, w) in windows.iter_mut().zip(&self.windows) {
            *slot = w.uniform(aspect);
        }
        KeyMixUniform {
            mix,
            invert: u32::from(self.invert),
            combine: self.combine as u32,
            qualifier: if self.qualifier.is_some() { PACKED_MATTE } else { NO_QUALIFIER },
            show_matte: u32::from(self.show_matte),
            window_count: self.windows.len().min(MAX_WINDOWS) as u32,
            inv_height: 1.0 / height as f32,
            _pad: 0,
            windows,
        }
    }
}

crate::gpu_struct! {
    /// Qualifier parameters, laid out as `struct Qualifier` in `shaders/ops/key_qualifier.wgsl`.
    pub struct QualifierUniform {
        /// Enabled (1/0), centre, half width, softness.
        pub hue: [f32; 4],
        /// Enabled, low, high, softness.
        pub saturation: [f32; 4],
        /// Enabled, low, high, softness.
        pub luma: [f32; 4],
        /// Clean black, clean white.
        pub clean: [f32; 4],
        /// Luma weights.
        pub luma_weights: [f32; 4],
    }
}

crate::gpu_struct! {
    /// One window, laid out as `struct Window` in `shaders/ops/key_mix.wgsl`.
    pub struct WindowUniform {
        /// [`Shape`] as a number.
        pub shape: u32,
        /// 1 to invert.
        pub invert: u32,
        /// Polygon corners in use.
        pub point_count: u32,
        /// Padding.
        pub _pad: u32,
        /// Centre x, y (frame heights from the top-left corner), half width, half height.
        pub geometry: [f32; 4],
        /// cos and sin of the rotation, softness inside and outside.
        pub transform: [f32; 4],
        /// Outline corners in frame heights, two per vec4.
        pub points: [[f32; 4]; MAX_SHAPE_POINTS / 2],
    }
}

crate::gpu_struct! {
    /// Key mixing parameters, laid out as `struct KeyMix` in `shaders/ops/key_mix.wgsl`.
    pub struct KeyMixUniform {
        /// Node mix.
        pub mix: f32,
        /// 1 to invert the final matte.
        pub invert: u32,
        /// [`Combine`] as a number.
        pub combine: u32,
        /// The qualifier matte bound: [`NO_QUALIFIER`], [`GREY_MATTE`] or [`PACKED_MATTE`].
        pub qualifier: u32,
        /// 1 to output the matte as grey.
        pub show_matte: u32,
        /// Windows in use.
        pub window_count: u32,
        /// 1 / frame height: pixel centres to frame heights.
        pub inv_height: f32,
        /// Padding.
        pub _pad: u32,
        /// The windows.
        pub windows: [WindowUniform; MAX_WINDOWS],
    }
}

impl KeyMixUniform {
    /// A plain mix of input and corrected, no key (unkeyed spatial nodes with mix below 1).
    pub fn plain(mix: f32, height: u32) -> Self {
        Key::default().uniform(mix, 1, height)
    }
}

/// 1 inside `low..=high`, 0 beyond `softness` outside, smooth between.
fn band(v: f32, low: f32, high: f32, softness: f32) -> f32 {
    if softness <= 0.0 {
        return if v >= low && v <= high { 1.0 } else { 0.0 };
    }
    smoothstep(low - softness, low, v) * (1.0 - smoothstep(high, high + softness, v))
}

/// CPU twin of `key_qualifier.wgsl`: the cleaned (not yet blurred) qualifier matte of a pixel.
pub fn qualifier_pixel(u: &QualifierUniform, rgb: [f32; 3]) -> f32 {
    let [h, s] = hue_saturation(rgb);
    let mut m = 1.0f32;
    if u.hue[0] != 0.0 {
        let d = (fract(h - u.hue[1] + 0.5) - 0.5).abs();
        m *= band(d, -1.0, u.hue[2], u.hue[3]);
    }
    if u.saturation[0] != 0.0 {
        m *= band(s, u.saturation[1], u.saturation[2], u.saturation[3]);
    }
    if u.luma[0] != 0.0 {
        let l = luma(rgb);
        m *= band(l, u.luma[1], u.luma[2], u.luma[3]);
    }
    ((m - u.clean[0]) / (1.0 - u.clean[0] - u.clean[1]).max(1e-6)).clamp(0.0, 1.0)
}

fn length(v: [f32; 2]) -> f32 {
    (v[0] * v[0] + v[1] * v[1]).sqrt()
}

/// Signed distance (frame heights; negative inside) from `p` to a polygon's edge (Inigo Quilez's
/// polygon distance with an even-odd inside test).
fn polygon_distance(w: &WindowUniform, p: [f32; 2]) -> f32 {
    let n = w.point_count as usize;
    if n == 0 {
        return 1.0;
    }
    let corner = |i: usize| [w.points[i / 2][(i % 2) * 2], w.points[i / 2][(i % 2) * 2 + 1]];
    let v0 = corner(0);
    let mut d = (p[0] - v0[0]) * (p[0] - v0[0]) + (p[1] - v0[1]) * (p[1] - v0[1]);
    let mut sign = 1.0f32;
    let mut j = n - 1;
    for i in 0..n {
        let (vi, vj) = (corner(i), corner(j));
        let e = [vj[0] - vi[0], vj[1] - vi[1]];
        let wv = [p[0] - vi[0], p[1] - vi[1]];
        let t = ((wv[0] * e[0] + wv[1] * e[1]) / (e[0] * e[0] + e[1] * e[1]).max(1e-12)).clamp(0.0, 1.0);
        let b = [wv[0] - e[0] * t, wv[1] - e[1] * t];
        d = d.min(b[0] * b[0] + b[1] * b[1]);
        let c = [p[1] >= vi[1], p[1] < vj[1], e[0] * wv[1] > e[1] * wv[0]];
        if c.iter().all(|x| *x) || c.iter().all(|x| !*x) {
            sign = -sign;
        }
        j = i;
    }
    sign * d.sqrt()
}

/// Signed distance from pixel position `p` (frame heights) to a window's edge, negative inside.
pub fn window_distance(w: &WindowUniform, p: [f32; 2]) -> f32 {
    let [cx, cy, hx, hy] = w.geometry;
    let [cos, sin, _, _] = w.transform;
    let d = [p[0] - cx, p[1] - cy];
    let local = [d[0] * cos + d[1] * sin, d[1] * cos - d[0] * sin];
    match w.shape {
        0 => {
            let rho = length([local[0] / hx, local[1] / hy]);
            if rho < 1e-6 { -hx.min(hy) } else { length(local) * (1.0 - 1.0 / rho) }
        }
        1 => {
            let q = [local[0].abs() - hx, local[1].abs() - hy];
            length([q[0].max(0.0), q[1].max(0.0)]) + q[0].max(q[1]).min(0.0)
        }
        2 => -local[0],
        _ => polygon_distance(w, p),
    }
}

/// A window's matte at `p` (frame heights).
fn window_matte(w: &WindowUniform, p: [f32; 2]) -> f32 {
    let dist = window_distance(w, p);
    let (inside, outside) = (w.transform[2], w.transform[3]);
    let m = if inside + outside > 0.0 {
        1.0 - smoothstep(-inside, outside, dist)
    } else if dist <= 0.0 {
        1.0
    } else {
        0.0
    };
    if w.invert != 0 { 1.0 - m } else { m }
}

/// The pipeline constants `key_qualifier.wgsl` is compiled with for uniform `u`: the ranges it
/// enables (bit 0 hue, 1 saturation, 2 luma).
pub fn qualifier_constants(u: &QualifierUniform) -> Vec<(&'static str, u32)> {
    let on = |r: &[f32; 4], bit: u32| if r[0] != 0.0 { bit } else { 0 };
    vec![("QUALIFY_RANGES", on(&u.hue, 1) | on(&u.saturation, 2) | on(&u.luma, 4))]
}

/// The pipeline constants `key_mix.wgsl` is compiled with for uniform `u`: the window shapes it
/// uses (bit s for shape s, polygons and beziers bit 3) and the qualifier matte's layout. The shader
/// then carries no code for the others; the CPU twin reads the uniform alone.
pub fn mix_constants(u: &KeyMixUniform) -> Vec<(&'static str, u32)> {
    let count = (u.window_count as usize).min(MAX_WINDOWS);
    let shapes = u.windows[..count].iter().fold(0u32, |m, w| m | 1 << w.shape.min(3));
    vec![("KEY_SHAPES", shapes), ("KEY_QUALIFIER", u.qualifier.min(PACKED_MATTE))]
}

/// The key's final matte at pixel (x, y), given the (blurred) qualifier matte there if bound.
pub fn matte(u: &KeyMixUniform, qualifier: f32, x: u32, y: u32) -> f32 {
    let p = [(x as f32 + 0.5) * u.inv_height, (y as f32 + 0.5) * u.inv_height];
    let mut m = 1.0f32;
    if u.window_count > 0 {
        let mut w = 0.0f32;
        for window in &u.windows[..u.window_count as usize] {
            w = w.max(window_matte(window, p));
        }
        m = w;
        if u.qualifier != 0 {
            m = if u.combine == Combine::Union as u32 { qualifier.max(w) } else { qualifier * w };
        }
    } else if u.qualifier != 0 {
        m = qualifier;
    }
    if u.invert != 0 { 1.0 - m } else { m }
}

/// CPU twin of `key_mix.wgsl` for the pixel at (x, y).
pub fn mix_pixel(u: &KeyMixUniform, input: [f32; 4], corrected: [f32; 4], qualifier: f32, x: u32, y: u32) -> [f32; 4] {
    let m = matte(u, qualifier, x, y);
    if u.show_matte != 0 {
        return [m, m, m, input[3]];
    }
    let a = m * u.mix;
    if a >= 1.0 {
        return [corrected[0], corrected[1], corrected[2], input[3]];
    }
    let blend = |c: usize| input[c] * (1.0 - a) + corrected[c] * a;
    [blend(0), blend(1), blend(2), input[3]]
}

pub mod matte;
mod pick;
#[cfg(test)]
mod tests;
mod window;

pub use window::{Shape, Window, insert_point, remove_point};
