//! Curves: custom master + RGB curves and the hue-vs-hue, hue-vs-saturation, hue-vs-luma,
//! luma-vs-saturation and saturation-vs-saturation curves, in one pointwise pass
//! (`shaders/ops/curves.wgsl`).
//!
//! Each curve is a list of control points joined by a monotone cubic spline (Fritsch & Carlson 1980,
//! "Monotone Piecewise Cubic Interpolation", SIAM J. Numer. Anal. 17(2)): it never overshoots its
//! points, so a curve the colorist draws rising never dips. Curves are baked once into tables of
//! [`TABLE_SIZE`] entries read with linear interpolation, by the shader and the CPU reference alike.
//! Custom curves continue as straight lines beyond 0..1 (so values above 1 are not clipped); hue
//! curves wrap around the hue circle.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::hsl::{LUMA_WEIGHTS, fract, from_hue, hue_saturation, luma};
use super::{OpContext, Pointwise, Site};
use crate::interchange::InterchangeError;

/// Name of the shader file (`shaders/ops/curves.wgsl`).
pub const SHADER: &str = "curves";

/// Entries per baked curve.
pub const TABLE_SIZE: usize = 1024;

/// Values in [`Curves::tables`]: every curve kind's table.
pub const TABLES_LEN: usize = 9 * TABLE_SIZE;

/// Most control points a curve may have.
pub const MAX_POINTS: usize = 64;

/// Control points (x, y), sorted by strictly increasing x within 0..1, joined by a monotone spline.
///
/// Written in grade files as a plain list of pairs: `[[0, 0], [0.5, 0.6], [1, 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Curve {
    /// The points, x ascending.
    pub points: Vec<[f32; 2]>,
}

impl Curve {
    /// The identity curve of a custom curve: (0, 0) and (1, 1).
    pub fn identity() -> Self {
        Self { points: vec![[0.0, 0.0], [1.0, 1.0]] }
    }

    /// A flat curve at 0: the neutral of every "vs" curve (no points at all is neutral too).
    pub fn flat() -> Self {
        Self::default()
    }

    /// Adds a point keeping the x order (replacing a point at the same x); returns its index.
    pub fn insert(&mut self, point: [f32; 2]) -> usize {
        let i = self.points.partition_point(|p| p[0] < point[0]);
        if self.points.get(i).is_some_and(|p| p[0] == point[0]) {
            self.points[i] = point;
        } else {
            self.points.insert(i, point);
        }
        i
    }

    /// Why these points can't be a curve; `periodic` curves (hue) need x below 1 (1 is 0 again).
    pub fn validate(&self, name: &str, periodic: bool) -> Result<(), String> {
        if self.points.len() > MAX_POINTS {
            return Err(format!("{name} has {} points, at most {MAX_POINTS}", self.points.len()));
        }
        for (i, [x, y]) in self.points.iter().copied().enumerate() {
            if !x.is_finite() || !y.is_finite() {
                return Err(format!("{name} point {} is not a number", i + 1));
            }
            let top_ok = if periodic { x < 1.0 } else { x <= 1.0 };
            if x < 0.0 || !top_ok {
                let range = if periodic { "0 to below 1" } else { "0 to 1" };
                return Err(format!("{name} point {} has x {x}, must be {range}", i + 1));
            }
            if i > 0 && x <= self.points[i - 1][0] {
                return Err(format!("{name} points must have increasing x, point {} has x {x}", i + 1));
            }
        }
        Ok(())
    }

    /// True when the curve leaves values as they are (`neutral_y_is_x`: a custom curve on the
    /// diagonal; otherwise a "vs" curve at 0).
    pub fn is_neutral(&self, neutral_y_is_x: bool) -> bool {
        self.points.iter().all(|[x, y]| if neutral_y_is_x { y == x } else { *y == 0.0 })
    }

    /// The curve's value at `x` (f64, for baking). No points: `x` (custom) or 0; one point: a
    /// straight line through it with slope 1 (custom) or 0.
    pub fn evaluate(&self, x: f64, periodic: bool, neutral_y_is_x: bool) -> f64 {
        let slope = if neutral_y_is_x { 1.0 } else { 0.0 };
        let mut pts: Vec<(f64, f64)> = self.points.iter().map(|p| (f64::from(p[0]), f64::from(p[1]))).collect();
        match pts.len() {
            0 => return slope * x,
            1 => return pts[0].1 + slope * (x - pts[0].0),
            _ => {}
        }
        if periodic {
            // Two wrapped copies each side make the tangents at the seam those of a closed loop.
            let n = pts.len();
            let before = [(pts[(n + n - 2) % n].0 - 1.0, pts[(n + n - 2) % n].1), (pts[n - 1].0 - 1.0, pts[n - 1].1)];
            let after = [(pts[0].0 + 1.0, pts[0].1), (pts[1 % n].0 + 1.0, pts[1 % n].1)];
            pts.splice(0..0, before);
            pts.extend(after);
        }
        monotone_cubic(&pts, x)
    }

    /// The curve baked into [`TABLE_SIZE`] entries: over 0..1 inclusive, or over 0..1 exclusive for
    /// `periodic` curves (entry i at x = i / size; the table wraps).
    pub fn bake(&self, periodic: bool, neutral_y_is_x: bool) -> Vec<f32> {
        let step = if periodic { TABLE_SIZE } else { TABLE_SIZE - 1 } as f64;
        (0..TABLE_SIZE).map(|i| self.evaluate(i as f64 / step, periodic, neutral_y_is_x) as f32).collect()
    }
}

/// Fritsch–Carlson tangents, then the cubic Hermite segment holding `x`; straight lines with the end
/// tangents outside the points.
fn monotone_cubic(pts: &[(f64, f64)], x: f64) -> f64 {
    let n = pts.len();
    let secant: Vec<f64> = pts.windows(2).map(|w| (w[1].1 - w[0].1) / (w[1].0 - w[0].0)).collect();
    let mut m = vec![0.0; n];
    m[0] = secant[0];
    m[n - 1] = secant[n - 2];
    for k in 1..n - 1 {
        m[k] = if secant[k - 1] * secant[k] <= 0.0 { 0.0 } else { (secant[k - 1] + secant[k]) / 2.0 };
    }
    for k in 0..n - 1 {
        if secant[k] == 0.0 {
            m[k] = 0.0;
            m[k + 1] = 0.0;
            continue;
        }
        let (a, b) = (m[k] / secant[k], m[k + 1] / secant[k]);
        let norm = a * a + b * b;
        if norm > 9.0 {
            let tau = 3.0 / norm.sqrt();
            m[k] = tau * a * secant[k];
            m[k + 1] = tau * b * secant[k];
        }
    }
    if x <= pts[0].0 {
        return pts[0].1 + m[0] * (x - pts[0].0);
    }
    if x >= pts[n - 1].0 {
        return pts[n - 1].1 + m[n - 1] * (x - pts[n - 1].0);
    }
    let k = pts.partition_point(|p| p.0 <= x) - 1;
    let h = pts[k + 1].0 - pts[k].0;
    let t = (x - pts[k].0) / h;
    let (t2, t3) = (t * t, t * t * t);
    (2.0 * t3 - 3.0 * t2 + 1.0) * pts[k].1
        + (t3 - 2.0 * t2 + t) * h * m[k]
        + (-2.0 * t3 + 3.0 * t2) * pts[k + 1].1
        + (t3 - t2) * h * m[k + 1]
}

/// Every curve of a curves node. Custom curves map a value to a value (neutral: the diagonal); the
/// "vs" curves give an amount (neutral 0): hue-vs-hue a hue rotation in turns, the others a
/// saturation or luma change, gain = 1 + value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Curves {
    /// Applied to R, G and B alike, before the channel curves.
    pub master: Curve,
    /// Red channel curve.
    pub red: Curve,
    /// Green channel curve.
    pub green: Curve,
    /// Blue channel curve.
    pub blue: Curve,
    /// Hue rotation (turns, ±0.5 = ±180°) by input hue.
    pub hue_vs_hue: Curve,
    /// Saturation change (gain 1 + value) by input hue.
    pub hue_vs_saturation: Curve,
    /// Luma change (gain 1 + value × saturation, so greys stay) by input hue.
    pub hue_vs_luma: Curve,
    /// Saturation change by input luma (0..1; beyond it the ends hold).
    pub luma_vs_saturation: Curve,
    /// Saturation change by input saturation.
    pub saturation_vs_saturation: Curve,
}

impl Default for Curves {
    fn default() -> Self {
        Self {
            master: Curve::identity(),
            red: Curve::identity(),
            green: Curve::identity(),
            blue: Curve::identity(),
            hue_vs_hue: Curve::flat(),
            hue_vs_saturation: Curve::flat(),
            hue_vs_luma: Curve::flat(),
            luma_vs_saturation: Curve::flat(),
            saturation_vs_saturation: Curve::flat(),
        }
    }
}

/// Which curve: its index in the tables and its bit in [`CurvesUniform::flags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveKind {
    /// Master.
    Master = 0,
    /// Red.
    Red,
    /// Green.
    Green,
    /// Blue.
    Blue,
    /// Hue vs hue.
    HueVsHue,
    /// Hue vs saturation.
    HueVsSaturation,
    /// Hue vs luma.
    HueVsLuma,
    /// Luma vs saturation.
    LumaVsSaturation,
    /// Saturation vs saturation.
    SaturationVsSaturation,
}

impl CurveKind {
    /// Every curve, in table order.
    pub const ALL: [CurveKind; 9] = [
        Self::Master,
        Self::Red,
        Self::Green,
        Self::Blue,
        Self::HueVsHue,
        Self::HueVsSaturation,
        Self::HueVsLuma,
        Self::LumaVsSaturation,
        Self::SaturationVsSaturation,
    ];

    /// The name in grade files and messages.
    pub fn name(self) -> &'static str {
        [
            "master",
            "red",
            "green",
            "blue",
            "hue_vs_hue",
            "hue_vs_saturation",
            "hue_vs_luma",
            "luma_vs_saturation",
            "saturation_vs_saturation",
        ][self as usize]
    }

    /// Custom curves map value to value; the others give an amount around 0.
    pub fn is_custom(self) -> bool {
        (self as usize) < 4
    }

    /// Hue curves wrap around.
    pub fn is_periodic(self) -> bool {
        matches!(self, Self::HueVsHue | Self::HueVsSaturation | Self::HueVsLuma)
    }

    /// The values an editor shows for this curve: 0..1 for custom curves, ±0.5 turns of hue rotation,
    /// ±1 (no saturation or luma to double) for the others.
    pub fn value_range(self) -> (f32, f32) {
        match self {
            _ if self.is_custom() => (0.0, 1.0),
            Self::HueVsHue => (-0.5, 0.5),
            _ => (-1.0, 1.0),
        }
    }

    /// The curve a reset returns to: the diagonal or flat at 0.
    pub fn neutral(self) -> Curve {
        if self.is_custom() { Curve::identity() } else { Curve::flat() }
    }
}

impl Curves {
    /// The curve of `kind`.
    pub fn curve(&self, kind: CurveKind) -> &Curve {
        [
            &self.master,
            &self.red,
            &self.green,
            &self.blue,
            &self.hue_vs_hue,
            &self.hue_vs_saturation,
            &self.hue_vs_luma,
            &self.luma_vs_saturation,
            &self.saturation_vs_saturation,
        ][kind as usize]
    }

    /// The curve of `kind`, to edit.
    pub fn curve_mut(&mut self, kind: CurveKind) -> &mut Curve {
        match kind {
            CurveKind::Master => &mut self.master,
            CurveKind::Red => &mut self.red,
            CurveKind::Green => &mut self.green,
            CurveKind::Blue => &mut self.blue,
            CurveKind::HueVsHue => &mut self.hue_vs_hue,
            CurveKind::HueVsSaturation => &mut self.hue_vs_saturation,
            CurveKind::HueVsLuma => &mut self.hue_vs_luma,
            CurveKind::LumaVsSaturation => &mut self.luma_vs_saturation,
            CurveKind::SaturationVsSaturation => &mut self.saturation_vs_saturation,
        }
    }

    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        CurveKind::ALL.iter().try_for_each(|k| self.curve(*k).validate(k.name(), k.is_periodic()))
    }

    /// Bit per curve that changes anything (bit = [`CurveKind`] index).
    fn active(&self) -> u32 {
        CurveKind::ALL
            .iter()
            .filter(|k| !self.curve(**k).is_neutral(k.is_custom()))
            .fold(0, |bits, k| bits | (1 << *k as u32))
    }

    /// True when no curve changes anything.
    pub fn is_neutral(&self) -> bool {
        self.active() == 0
    }

    /// The parameters the shader and the CPU twin read.
    pub fn uniform(&self) -> CurvesUniform {
        let l = LUMA_WEIGHTS;
        CurvesUniform { flags: self.active(), _pad0: 0, _pad1: 0, _pad2: 0, luma: [l[0], l[1], l[2], 0.0] }
    }

    /// Every curve baked, in [`CurveKind`] order: 9 × [`TABLE_SIZE`] values (the storage buffer).
    pub fn tables(&self) -> Vec<f32> {
        CurveKind::ALL.iter().flat_map(|k| self.curve(*k).bake(k.is_periodic(), k.is_custom())).collect()
    }
}

impl Pointwise for Curves {
    const NAME: &'static str = "curves";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/curves.wgsl");
    const STRUCT: &'static str = "Curves";
    const TABLES: bool = true;
    type Uniform = CurvesUniform;
    type Data = ();

    fn validate(&self) -> Result<(), String> {
        Curves::validate(self)
    }

    fn is_neutral(&self) -> bool {
        Curves::is_neutral(self)
    }

    fn load(&self) -> Result<(), InterchangeError> {
        Ok(())
    }

    fn uniform(&self, _: &(), _: &OpContext) -> CurvesUniform {
        Curves::uniform(self)
    }

    fn tables(&self, _: &()) -> Vec<f32> {
        Curves::tables(self)
    }

    fn cpu(u: &CurvesUniform, rgb: [f32; 3], site: &Site) -> [f32; 3] {
        apply_pixel(u, site.tables, rgb)
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Curves", Curves::default()))
    }

    fn example(_: &Path) -> Self {
        Curves {
            master: Curve { points: vec![[0.0, 0.02], [0.3, 0.25], [0.7, 0.78], [1.0, 1.0]] },
            red: Curve { points: vec![[0.0, 0.0], [0.5, 0.55], [1.0, 1.0]] },
            blue: Curve { points: vec![[0.0, 0.03], [1.0, 0.95]] },
            hue_vs_hue: Curve { points: vec![[0.1, 0.05], [0.6, -0.03]] },
            hue_vs_saturation: Curve { points: vec![[0.0, 0.2], [0.5, -0.3]] },
            hue_vs_luma: Curve { points: vec![[0.3, 0.1], [0.8, -0.1]] },
            luma_vs_saturation: Curve { points: vec![[0.0, -0.3], [1.0, 0.2]] },
            saturation_vs_saturation: Curve { points: vec![[0.0, 0.1], [1.0, -0.2]] },
            ..Curves::default()
        }
    }
}

crate::gpu_struct! {
    /// Curves parameters, laid out as `struct Curves` in `shaders/ops/curves.wgsl`.
    pub struct CurvesUniform {
        /// One bit per curve that is not neutral (bit = [`CurveKind`] index).
        pub flags: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
        /// Luma weights (w unused).
        pub luma: [f32; 4],
    }
}

/// A table read with linear interpolation over 0..1, continued as a straight line beyond.
fn table_linear(t: &[f32], x: f32) -> f32 {
    let last = (TABLE_SIZE - 1) as f32;
    let pos = x * last;
    if pos <= 0.0 {
        return t[0] + (t[1] - t[0]) * pos;
    }
    if pos >= last {
        return t[TABLE_SIZE - 1] + (t[TABLE_SIZE - 1] - t[TABLE_SIZE - 2]) * (pos - last);
    }
    let i = (pos.floor() as usize).min(TABLE_SIZE - 2);
    let f = pos - i as f32;
    t[i] + (t[i + 1] - t[i]) * f
}

/// A hue table read with linear interpolation, wrapping around.
fn table_periodic(t: &[f32], h: f32) -> f32 {
    let pos = fract(h) * TABLE_SIZE as f32;
    let i = (pos.floor() as usize).min(TABLE_SIZE - 1);
    let f = pos - i as f32;
    let j = (i + 1) % TABLE_SIZE;
    t[i] + (t[j] - t[i]) * f
}

/// CPU twin of `curves.wgsl` for one RGB value at full strength; `tables` from [`Curves::tables`].
pub fn apply_pixel(u: &CurvesUniform, tables: &[f32], input: [f32; 3]) -> [f32; 3] {
    let on = |k: CurveKind| u.flags & (1 << k as u32) != 0;
    let table = |k: CurveKind| &tables[k as usize * TABLE_SIZE..(k as usize + 1) * TABLE_SIZE];
    let mut rgb = input;
    if on(CurveKind::Master) {
        rgb = rgb.map(|v| table_linear(table(CurveKind::Master), v));
    }
    for (c, k) in [CurveKind::Red, CurveKind::Green, CurveKind::Blue].into_iter().enumerate() {
        if on(k) {
            rgb[c] = table_linear(table(k), rgb[c]);
        }
    }
    if u.flags >> 4 != 0 {
        // Every "vs" curve reads the hue and saturation after the custom curves.
        let [h, s] = hue_saturation(rgb);
        if on(CurveKind::HueVsHue) {
            let hi = rgb[0].max(rgb[1].max(rgb[2]));
            let lo = rgb[0].min(rgb[1].min(rgb[2]));
            rgb = from_hue(h + table_periodic(table(CurveKind::HueVsHue), h), hi, lo);
        }
        let mut gain = 1.0f32;
        if on(CurveKind::HueVsSaturation) {
            gain *= (1.0 + table_periodic(table(CurveKind::HueVsSaturation), h)).max(0.0);
        }
        if on(CurveKind::LumaVsSaturation) {
            let l = luma(rgb).clamp(0.0, 1.0);
            gain *= (1.0 + table_linear(table(CurveKind::LumaVsSaturation), l)).max(0.0);
        }
        if on(CurveKind::SaturationVsSaturation) {
            gain *= (1.0 + table_linear(table(CurveKind::SaturationVsSaturation), s)).max(0.0);
        }
        if gain != 1.0 {
            let l = luma(rgb);
            rgb = rgb.map(|v| l + (v - l) * gain);
        }
        if on(CurveKind::HueVsLuma) {
            let g = (1.0 + table_periodic(table(CurveKind::HueVsLuma), h) * s).max(0.0);
            rgb = rgb.map(|v| v * g);
        }
    }
    rgb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spline_passes_through_points_and_never_overshoots() {
        let c = Curve { points: vec![[0.0, 0.0], [0.2, 0.5], [0.25, 0.52], [1.0, 1.0]] };
        for p in &c.points {
            assert!((c.evaluate(f64::from(p[0]), false, true) - f64::from(p[1])).abs() < 1e-9);
        }
        let table = c.bake(false, true);
        assert!(table.windows(2).all(|w| w[1] >= w[0]), "monotone points give a monotone curve");
        // Straight continuation beyond the ends: values above 1 are not clipped.
        let u = Curves { master: c.clone(), ..Curves::default() }.uniform();
        let tables = Curves { master: c, ..Curves::default() }.tables();
        let above = apply_pixel(&u, &tables, [2.0, 1.5, 1.0]);
        assert!(above[0] > above[1] && above[1] > above[2] && above[0] > 1.5, "{above:?}");
    }

    #[test]
    fn identity_and_neutral_curves_change_nothing() {
        assert!(Curves::default().is_neutral());
        let c = Curves { master: Curve { points: vec![[0.0, 0.0], [0.3, 0.3], [1.0, 1.0]] }, ..Curves::default() };
        assert!(c.is_neutral());
        let u = c.uniform();
        assert_eq!(apply_pixel(&u, &c.tables(), [0.1, 2.0, -0.3]), [0.1, 2.0, -0.3]);
    }

    #[test]
    fn hue_curves_wrap_around() {
        let c = Curve { points: vec![[0.1, 0.2], [0.9, -0.2]] };
        let a = c.evaluate(0.999_999, true, false);
        let b = c.evaluate(0.0, true, false);
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        let t = c.bake(true, false);
        assert!((t[0] - t[TABLE_SIZE - 1]).abs() < 0.01);
        assert!(c.validate("h", true).is_ok());
        assert!(Curve { points: vec![[1.0, 0.0]] }.validate("h", true).is_err());
        assert!(Curve { points: vec![[0.5, 0.0], [0.5, 1.0]] }.validate("c", false).is_err());
    }

    #[test]
    fn saturation_curve_desaturates_and_hue_curve_rotates() {
        let sat =
            Curves { saturation_vs_saturation: Curve { points: vec![[0.0, -1.0], [1.0, -1.0]] }, ..Curves::default() };
        let out = apply_pixel(&sat.uniform(), &sat.tables(), [0.8, 0.4, 0.2]);
        assert!((out[0] - out[1]).abs() < 1e-6 && (out[1] - out[2]).abs() < 1e-6, "{out:?}");
        let rot = Curves { hue_vs_hue: Curve { points: vec![[0.0, 1.0 / 3.0]] }, ..Curves::default() };
        let out = apply_pixel(&rot.uniform(), &rot.tables(), [0.9, 0.1, 0.1]);
        assert!((out[1] - 0.9).abs() < 1e-5 && (out[0] - 0.1).abs() < 1e-5, "red turns green: {out:?}");
    }
}
