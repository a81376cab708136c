//! Primaries: exposure, white balance, ASC CDL, lift/gamma/gain/offset, contrast/pivot and saturation,
//! in that order, all in one pointwise stage (`shaders/ops/primaries.wgsl`).
//!
//! Exposure and white balance are linear-light operations, so they act in linear light whatever the
//! working space: in a log (or display-encoded) working space the stage decodes the working space's
//! transfer function, applies the exposure gain and the Bradford adaptation in the working gamut's
//! linear RGB, and re-encodes. The CDL, lift/gamma/gain/offset, contrast/pivot and saturation act on
//! working-space values, as in Resolve's ACEScct (offset +0.057 in ACEScct is one stop).
//!
//! The colorist-facing parameters ([`Primaries`]) are turned once into the derived numbers the shader
//! reads ([`PrimariesUniform`]); the CPU twin ([`apply_pixel`]) reads the very same numbers, so a
//! GPU-vs-CPU test checks the shader's arithmetic and nothing else.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::color_transform::curve_wgsl;
use super::{OpContext, Pointwise, Site};
use crate::color::cdl::{ASC_LUMA_WEIGHTS, Cdl, CdlStyle};
use crate::color::space::ColorSpace;
use crate::color::transfer::Transfer;
use crate::color::white_balance::{NEUTRAL_TEMPERATURE, white_balance_in};
use crate::interchange::InterchangeError;

/// Name of the shader file (`shaders/ops/primaries.wgsl`) that executes this op.
pub const SHADER: &str = "primaries";

/// Smallest gamma accepted; the exponent 1/gamma grows without bound below it.
pub const MIN_GAMMA: f32 = 1e-3;

/// A colour wheel: one value per channel and a master that acts on all three.
///
/// Lift and offset wheels are additive (neutral 0; effective = channel + master); gamma and gain wheels
/// are multiplicative (neutral 1; effective = channel × master).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wheel {
    /// Red, green, blue.
    pub rgb: [f32; 3],
    /// Master control for all three channels.
    pub master: f32,
}

impl Wheel {
    /// A neutral additive wheel (lift, offset).
    pub const fn additive() -> Self {
        Self { rgb: [0.0; 3], master: 0.0 }
    }

    /// A neutral multiplicative wheel (gamma, gain).
    pub const fn multiplicative() -> Self {
        Self { rgb: [1.0; 3], master: 1.0 }
    }

    /// Hue angles (degrees, counter-clockwise from the right) where a wheel's puck pushes red, green
    /// and blue: 120° apart, close to where the Rec.709 vectorscope draws them (R 104°, G 224°, B 344°).
    pub const CHANNEL_ANGLES: [f32; 3] = [104.0, 224.0, 344.0];

    /// The wheel's colour balance as a puck position: the zero-mean part of the channels projected on
    /// the channel directions (the part all three share belongs to the master).
    pub fn balance(&self) -> [f32; 2] {
        let mean = self.rgb.iter().sum::<f32>() / 3.0;
        let (mut x, mut y) = (0.0, 0.0);
        for (v, angle) in self.rgb.iter().zip(Self::CHANNEL_ANGLES) {
            let d = v - mean;
            let a = angle.to_radians();
            x += d * a.cos();
            y += d * a.sin();
        }
        [x * 2.0 / 3.0, y * 2.0 / 3.0]
    }

    /// Sets the channels from a puck position (the inverse of [`Wheel::balance`]); the shared part of
    /// the channels stays at `neutral`, so the balance never changes overall level.
    pub fn set_balance(&mut self, balance: [f32; 2], neutral: f32) {
        for (v, angle) in self.rgb.iter_mut().zip(Self::CHANNEL_ANGLES) {
            let a = angle.to_radians();
            *v = neutral + balance[0] * a.cos() + balance[1] * a.sin();
        }
    }

    fn added(&self) -> [f32; 3] {
        self.rgb.map(|v| v + self.master)
    }

    fn multiplied(&self) -> [f32; 3] {
        self.rgb.map(|v| v * self.master)
    }
}

/// Primary correction parameters as the colorist sets them. Every field defaults to neutral.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Primaries {
    /// Exposure in stops: a gain of 2^exposure.
    pub exposure: f32,
    /// Colour temperature of the light the shot was lit by, in kelvin (6500 = neutral).
    pub temperature: f32,
    /// Green/magenta of that light in thousandths of Duv (positive = greener light, corrected to magenta).
    pub tint: f32,
    /// ASC CDL slope/offset/power/saturation.
    pub cdl: Cdl,
    /// Whether the CDL clamps as ASC v1.2 does or keeps out-of-range values.
    pub cdl_style: CdlStyle,
    /// Lift: moves black, white stays (additive, neutral 0).
    #[serde(default = "Wheel::additive")]
    pub lift: Wheel,
    /// Gamma: bends the mids, 1/gamma power (multiplicative, neutral 1).
    #[serde(default = "Wheel::multiplicative")]
    pub gamma: Wheel,
    /// Gain: moves white, black stays (multiplicative, neutral 1).
    #[serde(default = "Wheel::multiplicative")]
    pub gain: Wheel,
    /// Offset: shifts everything (additive, neutral 0).
    #[serde(default = "Wheel::additive")]
    pub offset: Wheel,
    /// Contrast around the pivot (neutral 1).
    pub contrast: f32,
    /// Value that contrast leaves in place.
    pub pivot: f32,
    /// Saturation around Rec.709 luma (neutral 1; 0 gives monochrome).
    pub saturation: f32,
}

/// Default contrast pivot: mid grey (18%) in ACEScct/DaVinci-style log working spaces, as Resolve uses.
pub const DEFAULT_PIVOT: f32 = 0.435;

impl Default for Primaries {
    fn default() -> Self {
        Self {
            exposure: 0.0,
            temperature: NEUTRAL_TEMPERATURE,
            tint: 0.0,
            cdl: Cdl::default(),
            cdl_style: CdlStyle::NoClamp,
            lift: Wheel::additive(),
            gamma: Wheel::multiplicative(),
            gain: Wheel::multiplicative(),
            offset: Wheel::additive(),
            contrast: 1.0,
            pivot: DEFAULT_PIVOT,
            saturation: 1.0,
        }
    }
}

impl Primaries {
    /// Problems a colorist must fix before this can render (each names the field).
    pub fn validate(&self) -> Result<(), String> {
        let gamma = self.gamma.multiplied();
        if gamma.iter().any(|g| *g < MIN_GAMMA) {
            return Err(format!("gamma must be at least {MIN_GAMMA} per channel, got {gamma:?}"));
        }
        if self.cdl.power.iter().any(|p| *p <= 0.0) {
            return Err(format!("cdl power must be above 0, got {:?}", self.cdl.power));
        }
        if self.cdl.slope.iter().any(|s| *s < 0.0) {
            return Err(format!("cdl slope must not be negative, got {:?}", self.cdl.slope));
        }
        if !(1000.0..=15000.0).contains(&self.temperature) {
            return Err(format!("temperature must be 1000-15000 K, got {}", self.temperature));
        }
        Ok(())
    }

    /// The numbers the shader and the CPU twin read, for a node whose values are linear Rec.709 (or
    /// unknown: nothing converted).
    pub fn uniform(&self) -> PrimariesUniform {
        self.uniform_in(None)
    }

    /// The numbers the shader and the CPU twin read, for a node working in `working` (exposure and
    /// white balance then act on its linear light, in its gamut).
    pub fn uniform_in(&self, working: Option<ColorSpace>) -> PrimariesUniform {
        let gain = 2f32.powf(self.exposure);
        let wb = white_balance_in(self.temperature, self.tint, working);
        let identity = gain == 1.0 && wb == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        // Nothing to do in linear light: no decode and re-encode (which would not be bit-exact).
        let transfer = if identity { Transfer::Linear } else { working.map_or(Transfer::Linear, |s| s.transfer()) };
        let row = |r: [f32; 3]| [r[0] * gain, r[1] * gain, r[2] * gain, 0.0];
        let pad = |v: [f32; 3]| [v[0], v[1], v[2], 0.0];
        PrimariesUniform {
            matrix: [row(wb[0]), row(wb[1]), row(wb[2])],
            slope: pad(self.cdl.slope),
            cdl_offset: pad(self.cdl.offset),
            power: pad(self.cdl.power),
            lift: pad(self.lift.added()),
            gain: pad(self.gain.multiplied()),
            inv_gamma: pad(self.gamma.multiplied().map(|g| 1.0 / g.max(MIN_GAMMA))),
            offset: pad(self.offset.added()),
            luma: pad(ASC_LUMA_WEIGHTS),
            cdl_saturation: self.cdl.saturation,
            contrast: self.contrast,
            pivot: self.pivot,
            saturation: self.saturation,
            cdl_clamp: u32::from(self.cdl_style == CdlStyle::Asc),
            linear_transfer: transfer.id(),
            _pad1: 0,
            _pad2: 0,
        }
    }
}

impl Pointwise for Primaries {
    const NAME: &'static str = "primaries";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/primaries.wgsl");
    const STRUCT: &'static str = "Primaries";
    type Uniform = PrimariesUniform;
    type Data = ();

    fn validate(&self) -> Result<(), String> {
        Primaries::validate(self)
    }

    fn is_neutral(&self) -> bool {
        *self == Primaries::default()
    }

    fn load(&self) -> Result<(), InterchangeError> {
        Ok(())
    }

    fn uniform(&self, _: &(), cx: &OpContext) -> PrimariesUniform {
        self.uniform_in(cx.working_space)
    }

    fn cpu(u: &PrimariesUniform, rgb: [f32; 3], _: &Site) -> [f32; 3] {
        apply_pixel(u, rgb)
    }

    /// The working space's transfer, and which steps after the balance do anything ([`STEP_CLAMP`],
    /// [`STEP_POWER`], [`STEP_GAMMA`]): a skipped step returns its input bit for bit, and on a
    /// software adapter a branch on a uniform costs both sides, so the code is left out.
    fn specialise(u: &PrimariesUniform) -> Option<[u32; 4]> {
        let unit = |v: &[f32; 4]| v[..3] == [1.0; 3];
        let steps = (if u.cdl_clamp != 0 { STEP_CLAMP } else { 0 })
            | (if unit(&u.power) { 0 } else { STEP_POWER })
            | (if unit(&u.inv_gamma) { 0 } else { STEP_GAMMA });
        Some([u.linear_transfer, steps, 0, 0])
    }

    /// `primaries` (primaries.wgsl) with the working space's curve written out (no switch over
    /// every transfer per channel and pixel, none at all when it is linear), and only the steps
    /// the controls use.
    fn specialised_wgsl([transfer, steps, ..]: [u32; 4], i: usize) -> String {
        let p = format!("p{i}");
        // The balance on the working space's linear light, bound once: the curve's code names its
        // argument once per channel.
        let linear = curve_wgsl(transfer, "decode", "rgb");
        let balanced = curve_wgsl(transfer, "encode", &format!("b{i}"));
        let mut out = format!("    let b{i} = primaries_balance({p}, {linear});\n");
        out.push_str(&format!("    var c{i} = primaries_cdl_slope_offset({p}, {balanced});\n"));
        let clamp = format!("    c{i} = primaries_cdl_clamp(c{i});\n");
        if steps & STEP_CLAMP != 0 {
            out.push_str(&clamp);
        }
        if steps & STEP_POWER != 0 {
            out.push_str(&format!("    c{i} = primaries_cdl_power({p}, c{i});\n"));
        }
        out.push_str(&format!("    c{i} = primaries_cdl_saturation({p}, c{i});\n"));
        if steps & STEP_CLAMP != 0 {
            out.push_str(&clamp);
        }
        out.push_str(&format!("    c{i} = primaries_lift_gain({p}, c{i});\n"));
        if steps & STEP_GAMMA != 0 {
            out.push_str(&format!("    c{i} = primaries_gamma({p}, c{i});\n"));
        }
        out.push_str(&format!("    let o{i} = primaries_finish({p}, c{i});\n"));
        out
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Primaries", Primaries::default()))
    }

    fn example(_: &Path) -> Self {
        Primaries {
            exposure: 0.4,
            temperature: 5200.0,
            tint: 3.0,
            cdl: Cdl { slope: [1.1, 1.0, 0.9], offset: [0.01, 0.0, -0.01], power: [1.0, 1.1, 0.95], saturation: 0.9 },
            lift: Wheel { rgb: [0.01, 0.0, -0.01], master: 0.005 },
            gamma: Wheel { rgb: [1.05, 1.0, 0.95], master: 1.02 },
            gain: Wheel { rgb: [1.0, 1.05, 1.1], master: 0.97 },
            offset: Wheel { rgb: [0.0, 0.01, 0.0], master: -0.01 },
            contrast: 1.2,
            saturation: 1.3,
            ..Primaries::default()
        }
    }
}

/// Specialisation bit: the ASC CDL clamps (`cdl_style` Asc).
pub const STEP_CLAMP: u32 = 1;
/// Specialisation bit: a CDL power is not 1.
pub const STEP_POWER: u32 = 2;
/// Specialisation bit: a gamma is not 1.
pub const STEP_GAMMA: u32 = 4;

crate::gpu_struct! {
    /// Derived primaries parameters, laid out exactly as `struct Primaries` in
    /// `shaders/ops/primaries.wgsl`.
    pub struct PrimariesUniform {
        /// Exposure × white balance in the working gamut's linear RGB, rows of a 3x3 matrix (w unused).
        pub matrix: [[f32; 4]; 3],
        /// CDL slope.
        pub slope: [f32; 4],
        /// CDL offset.
        pub cdl_offset: [f32; 4],
        /// CDL power.
        pub power: [f32; 4],
        /// Effective lift per channel.
        pub lift: [f32; 4],
        /// Effective gain per channel.
        pub gain: [f32; 4],
        /// 1 / effective gamma per channel.
        pub inv_gamma: [f32; 4],
        /// Effective offset per channel.
        pub offset: [f32; 4],
        /// Luma weights for both saturation operators.
        pub luma: [f32; 4],
        /// CDL saturation.
        pub cdl_saturation: f32,
        /// Contrast.
        pub contrast: f32,
        /// Contrast pivot.
        pub pivot: f32,
        /// Saturation.
        pub saturation: f32,
        /// 1 when the CDL clamps (ASC v1.2 style).
        pub cdl_clamp: u32,
        /// [`Transfer::id`] of the working space, decoded before the matrix and re-encoded after it
        /// (linear: the matrix acts on the values as they are).
        pub linear_transfer: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
    }
}

fn dot3(a: [f32; 3], b: [f32; 4]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// `x^e` for positive `x`; zero and negative values pass through unchanged (no clamping).
fn pow_positive(x: f32, e: f32) -> f32 {
    if x > 0.0 && e != 1.0 { x.powf(e) } else { x }
}

fn saturate(rgb: [f32; 3], luma_weights: [f32; 4], amount: f32) -> [f32; 3] {
    // Written as a blend so that amount 1 returns the input bit for bit.
    let luma = dot3(rgb, luma_weights);
    rgb.map(|v| v * amount + luma * (1.0 - amount))
}

/// CPU twin of `primaries.wgsl` for one RGB value at full strength (alpha is never touched).
// Channel-indexed loops read several parameter arrays in step, as the shader's vector code does.
#[allow(clippy::needless_range_loop)]
pub fn apply_pixel(u: &PrimariesUniform, input: [f32; 3]) -> [f32; 3] {
    // 1. Exposure and white balance, one 3x3 matrix in the working space's linear light.
    let transfer = Transfer::from_id(u.linear_transfer).unwrap_or(Transfer::Linear);
    let linear = if transfer == Transfer::Linear { input } else { transfer.decode(input) };
    let mut rgb = [dot3(linear, u.matrix[0]), dot3(linear, u.matrix[1]), dot3(linear, u.matrix[2])];
    if transfer != Transfer::Linear {
        rgb = transfer.encode(rgb);
    }
    // 2. ASC CDL v1.2: out = (in × slope + offset) ^ power, then saturation.
    for c in 0..3 {
        let mut v = rgb[c] * u.slope[c] + u.cdl_offset[c];
        if u.cdl_clamp != 0 {
            v = v.clamp(0.0, 1.0);
        }
        rgb[c] = pow_positive(v, u.power[c]);
    }
    rgb = saturate(rgb, u.luma, u.cdl_saturation);
    if u.cdl_clamp != 0 {
        rgb = rgb.map(|v| v.clamp(0.0, 1.0));
    }
    // 3. Lift/gamma/gain/offset: 0 maps to lift, 1 to gain, the mids bend by 1/gamma, offset shifts all.
    for c in 0..3 {
        let v = u.lift[c] + rgb[c] * (u.gain[c] - u.lift[c]);
        rgb[c] = pow_positive(v, u.inv_gamma[c]) + u.offset[c];
    }
    // 4. Contrast around the pivot (as a blend, exact at contrast 1), 5. saturation.
    rgb = rgb.map(|v| v * u.contrast + u.pivot * (1.0 - u.contrast));
    saturate(rgb, u.luma, u.saturation)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specialised code computes the balance once, whatever the working space's curve: a curve
    /// written per channel around the balance would compute it three times (llvmpipe does not fold
    /// the copies; it cost 18 % of a fused grade).
    #[test]
    fn the_specialised_code_balances_once() {
        for transfer in [Transfer::Linear, Transfer::Acescct, Transfer::LogC3] {
            let code = <Primaries as Pointwise>::specialised_wgsl([transfer.id(), STEP_GAMMA, 0, 0], 2);
            assert_eq!(code.matches("primaries_balance(").count(), 1, "{transfer:?}: {code}");
            assert_eq!(code.matches("_decode(").count(), if transfer == Transfer::Linear { 0 } else { 3 }, "{code}");
        }
    }

    #[test]
    fn wheel_balance_round_trips_and_keeps_level() {
        let mut w = Wheel::multiplicative();
        w.set_balance([0.1, -0.05], 1.0);
        let b = w.balance();
        assert!((b[0] - 0.1).abs() < 1e-6 && (b[1] + 0.05).abs() < 1e-6, "{b:?}");
        assert!((w.rgb.iter().sum::<f32>() / 3.0 - 1.0).abs() < 1e-6, "mean stays neutral: {:?}", w.rgb);
        // Pushing towards the red direction raises red most.
        let mut red = Wheel::additive();
        let a = Wheel::CHANNEL_ANGLES[0].to_radians();
        red.set_balance([0.1 * a.cos(), 0.1 * a.sin()], 0.0);
        assert!(red.rgb[0] > red.rgb[1] && red.rgb[0] > red.rgb[2], "{:?}", red.rgb);
    }
}
