//! Exact binning shared by every scope, mirrored line for line by `shaders/scope_common.wgsl`.
//!
//! GPU and CPU must agree on every integer count, yet GPUs may fuse `a * b + c` into one FMA, reorder
//! dot products and flush denormals. So floating point is used for exactly one step per channel, and that
//! step is exact whatever the hardware does:
//!
//! 1. Non-finite samples are caught by their bits (WGSL lets a compiler assume there are no NaNs):
//!    NaN reads as 0, +/-infinity as +/-[`Q_LIMIT`].
//! 2. `q = floor(clamp(v, -16, 16) * 4096 + 0.5)`: scaling by a power of two is exact, so the add is the
//!    only rounding, and a fused multiply-add rounds the same exact sum the same way. That is a 12-bit
//!    internal code (4096 steps per unit of display code value), four times finer than a 10-bit scope.
//! 3. Luma and colour difference are integer sums with integer weights ×10000 (ITU-R BT.709 and BT.2020
//!    give them to four decimals), and every bin index is integer arithmetic with floor division.

/// Internal code steps per unit of display-encoded value (2^12, so the scaling is exact).
pub const Q_SCALE: i32 = 4096;
/// Channels are clamped to ±16 before luma and chroma (far beyond any scope's range, but it keeps
/// the integer sums below 2^31).
pub const Q_LIMIT: i32 = 16 * Q_SCALE;
/// Luma weights are integers scaled by this (they sum to it exactly).
pub const WEIGHT_SCALE: i32 = 10000;

/// Lowest level of the waveform and histogram, in full-range 10-bit code values: about −7 % (sub-black
/// footroom, as a broadcast waveform shows down to −7 %). Anything lower is counted here.
pub const LEVEL_MIN: i32 = -72;
/// Highest level, about 109 % (super-white headroom); anything higher is counted here.
pub const LEVEL_MAX: i32 = 1119;
/// Number of levels (bins) of the waveform and the histogram, [`LEVEL_MIN`]..=[`LEVEL_MAX`].
pub const LEVELS: u32 = (LEVEL_MAX - LEVEL_MIN + 1) as u32;

/// The 12-bit internal code of one display-encoded sample (step 2 above).
pub fn quantize(v: f32) -> i32 {
    let limit = (Q_LIMIT / Q_SCALE) as f32;
    let v = if v.is_nan() { 0.0 } else { v.clamp(-limit, limit) };
    // The product is exact (power of two), so this is a single rounding, fused or not.
    (v * Q_SCALE as f32 + 0.5).floor() as i32
}

/// `floor(a / b)` for `b > 0` (Rust's and WGSL's `/` truncate towards zero).
pub fn floor_div(a: i32, b: i32) -> i32 {
    let q = a / b;
    if a % b != 0 && a < 0 { q - 1 } else { q }
}

/// Full-range 10-bit code value (`round(1023 · q / 4096)`), clamped to the scope range
/// [`LEVEL_MIN`]..=[`LEVEL_MAX`] so that clipped samples land in the end bins.
pub fn level(q: i32) -> i32 {
    ((q * 1023 + 2048) >> 12).clamp(LEVEL_MIN, LEVEL_MAX)
}

/// Index of a level in a bins array (0 = [`LEVEL_MIN`]).
pub fn level_index(q: i32) -> u32 {
    (level(q) - LEVEL_MIN) as u32
}

/// Luma as an exact weighted sum, in units of 1/(4096 · 10000): `Kr·R' + Kg·G' + Kb·B'`
/// (ITU-R BT.709 item 3.2, BT.2020 table 4).
pub fn luma_sum(q: [i32; 3], weights: [i32; 3]) -> i32 {
    weights[0] * q[0] + weights[1] * q[1] + weights[2] * q[2]
}

/// Luma rounded back to the internal 12-bit code.
pub fn luma_q(sum: i32) -> i32 {
    floor_div(sum + WEIGHT_SCALE / 2, WEIGHT_SCALE)
}

/// Colour difference ×8192: `Cb = (B' − Y') / (2 (1 − Kb))` for `channel` = B, `Cr` likewise with R
/// (ITU-R BT.709 item 3.3), clamped to ±1 (±8192), far outside the vectorscope at any zoom.
///
/// `10000·q − sum` is `(B' − Y')` in units of 1/(4096·10000), and dividing it by `10000 − Kb` leaves
/// `(B' − Y') / (1 − Kb)` in units of 1/4096, i.e. `Cb` in units of 1/8192.
pub fn chroma_fp(q_channel: i32, sum: i32, weight: i32) -> i32 {
    floor_div(WEIGHT_SCALE * q_channel - sum, WEIGHT_SCALE - weight).clamp(-8192, 8192)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantize_rounds_half_up_and_catches_non_finite() {
        assert_eq!(quantize(0.0), 0);
        assert_eq!(quantize(1.0), 4096);
        assert_eq!(quantize(0.5 / 4096.0), 1);
        assert_eq!(quantize(-0.5 / 4096.0), 0);
        assert_eq!(quantize(f32::NAN), 0);
        assert_eq!(quantize(f32::INFINITY), Q_LIMIT);
        assert_eq!(quantize(f32::NEG_INFINITY), -Q_LIMIT);
        assert_eq!(quantize(1e30), Q_LIMIT);
    }

    #[test]
    fn levels_are_full_range_ten_bit_with_head_and_footroom() {
        assert_eq!(level(quantize(0.0)), 0);
        assert_eq!(level(quantize(1.0)), 1023);
        assert_eq!(level(quantize(0.5)), 512);
        assert_eq!(level(quantize(-1.0)), LEVEL_MIN);
        assert_eq!(level(quantize(2.0)), LEVEL_MAX);
        assert_eq!(level(quantize(-0.07)), -72);
        assert_eq!(LEVELS, 1192);
    }

    #[test]
    fn floor_div_floors_negatives() {
        assert_eq!(floor_div(-1, 4), -1);
        assert_eq!(floor_div(-4, 4), -1);
        assert_eq!(floor_div(-5, 4), -2);
        assert_eq!(floor_div(5, 4), 1);
    }

    #[test]
    fn integer_sums_stay_below_i32_limits() {
        let w = [2126, 7152, 722];
        let extreme = luma_sum([Q_LIMIT; 3], w);
        assert_eq!(extreme, Q_LIMIT * WEIGHT_SCALE);
        // The widest colour difference: one channel at +limit, the others at −limit.
        let s = luma_sum([-Q_LIMIT, -Q_LIMIT, Q_LIMIT], w);
        assert!(i64::from(WEIGHT_SCALE) * i64::from(Q_LIMIT) - i64::from(s) < i64::from(i32::MAX));
        assert_eq!(chroma_fp(Q_LIMIT, s, w[2]), 8192);
    }
}
