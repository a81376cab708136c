//! A key's qualifier matte, packed four pixels to a texel, and its blur.
//!
//! The qualifier matte is one number a pixel. Held one to a texel of an `rgba32float` frame, as
//! the picture is, the matte blur (the matte denoise) would sum four channels where one carries the
//! matte, and run four threads where one does: on a software adapter that blur was two thirds of a
//! keyed node's time. So the qualifier writes texel (t, y) with the mattes of pixels 4t..4t+3 of row
//! y in its four channels (an image `ceil(width / 4)` wide; past the frame's right edge, the edge
//! pixel's matte), the blur runs on that, and the key mix reads pixel x from channel x % 4 of texel
//! x / 4.
//!
//! The blur is the same Gaussian as every other (`ops::gaussian`, edges clamped), so an unpacked
//! blurred matte is [`gaussian::apply`] of the unpacked matte to float rounding (tested here on the
//! CPU; the GPU against these twins in tests/gpu_vs_cpu_nodes.rs). Passes:
//! - `shaders/ops/key_matte_rows.wgsl`: a thread blurs a texel's four pixels at once, each texel it
//!   reads weighted for all four by a table ([`MatteBlurUniform`]); the frame's width is in the
//!   uniform, since the packed texture is padded;
//! - `shaders/ops/key_matte_columns.wgsl`: a thread blurs four rows of a texel column (sixteen
//!   pixels) from the same taps, with the same table.

use super::{QualifierUniform, qualifier_pixel};
use crate::gpu::graph::{CpuPass, Dispatch, Img, PassGraph, Program};
use crate::media::Frame;
use crate::ops::gaussian::{self, GaussianUniform};

/// Name of the row pass (`shaders/ops/key_matte_rows.wgsl`).
pub const ROWS_SHADER: &str = "key_matte_rows";

/// Name of the column pass (`shaders/ops/key_matte_columns.wgsl`).
pub const COLUMNS_SHADER: &str = "key_matte_columns";

/// Width of the packed matte of a frame `width` pixels wide.
pub fn packed_width(width: u32) -> u32 {
    width.div_ceil(4)
}

/// Pixel (x, y)'s matte in a packed matte.
pub fn sample(packed: &Frame, x: u32, y: u32) -> f32 {
    packed.pixel(x / 4, y)[(x % 4) as usize]
}

/// The packed matte as a grey frame `width` pixels wide (alpha 1).
pub fn unpack(packed: &Frame, width: u32) -> Frame {
    Frame::from_fn(width, packed.height, |x, y| {
        let m = sample(packed, x, y);
        [m, m, m, 1.0]
    })
}

/// A packed matte of a `width` × `height` frame from each pixel's matte, the edge pixel's repeated
/// past the right edge.
fn packed_from(width: u32, height: u32, matte: impl Fn(u32, u32) -> f32) -> Frame {
    let last = width.saturating_sub(1);
    Frame::from_fn(packed_width(width), height, |t, y| std::array::from_fn(|c| matte((4 * t + c as u32).min(last), y)))
}

/// A grey matte (its red channel) packed four pixels to a texel: what the qualifier pass writes
/// from a frame.
pub fn pack(matte: &Frame) -> Frame {
    packed_from(matte.width, matte.height, |x, y| matte.pixel(x, y)[0])
}

/// CPU twin of `key_qualifier.wgsl`: the packed qualifier matte of `frame`.
pub fn qualify_packed(u: &QualifierUniform, frame: &Frame) -> Frame {
    packed_from(frame.width, frame.height, |x, y| {
        let p = frame.pixel(x, y);
        qualifier_pixel(u, [p[0], p[1], p[2]])
    })
}

/// Farthest the taps reach, in texels (rows) or blocks of four rows (columns) either side:
/// `MAX_REACH` in shaders/lib/matte_common.wgsl.
const MAX_REACH: u32 = gaussian::MAX_RADIUS.div_ceil(4);

/// Entries of a pass's weight table: four lanes of each texel or row from `-MAX_REACH` to
/// `MAX_REACH`.
const TABLE_ENTRIES: usize = 4 * (2 * MAX_REACH as usize + 1);

crate::gpu_struct! {
    /// One blur pass along a packed matte's rows or columns, laid out as `struct MatteBlur` in
    /// `shaders/ops/key_matte_rows.wgsl` and `key_matte_columns.wgsl`.
    pub struct MatteBlurUniform {
        /// Frame width in pixels (the packed texture is padded to a multiple of four).
        pub width: u32,
        /// Texels the taps reach on either side.
        pub reach: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// `weights[4 (q + reach) + d][c]`: the Gaussian's tap `4q + d - c` (0 beyond its radius).
        /// Rows: the weight of lane d of the texel q away for output lane c; columns: of the row
        /// `4q + d` away from a thread's first for its output row c.
        pub weights: [[f32; 4]; TABLE_ENTRIES],
    }
}

impl MatteBlurUniform {
    /// The pass of Gaussian line pass `u` on a frame `width` pixels wide.
    pub fn new(u: &GaussianUniform, width: u32) -> Self {
        let radius = u.radius.min(gaussian::MAX_RADIUS) as i64;
        let reach = (radius + 3) / 4;
        let mut weights = [[0.0f32; 4]; TABLE_ENTRIES];
        for q in -reach..=reach {
            for d in 0..4i64 {
                for c in 0..4i64 {
                    let tap = (4 * q + d - c).abs();
                    if tap <= radius {
                        weights[(4 * (q + reach) + d) as usize][c as usize] = u.weight(tap as u32);
                    }
                }
            }
        }
        Self { width, reach: reach as u32, _pad0: 0, _pad1: 0, weights }
    }
}

/// CPU twin of `key_matte_rows.wgsl`: one blur pass along the rows of a packed matte, the sums in
/// the shader's order.
pub fn blur_rows(u: &MatteBlurUniform, packed: &Frame) -> Frame {
    let last = i64::from(u.width.max(1)) - 1;
    let reach = i64::from(u.reach.min(MAX_REACH));
    let at = |x: i64, y: u32| sample(packed, x.clamp(0, last) as u32, y);
    Frame::from_fn(packed.width, packed.height, |t, y| {
        let mut sum = [0.0f32; 4];
        for q in -reach..=reach {
            let base = 4 * (i64::from(t) + q);
            let w = &u.weights[(4 * (q + reach)) as usize..];
            for (d, lanes) in w[..4].iter().enumerate() {
                let a = at(base + d as i64, y);
                for (s, w) in sum.iter_mut().zip(lanes) {
                    *s += a * w;
                }
            }
        }
        sum
    })
}

/// CPU twin of `key_matte_columns.wgsl`: one blur pass along the columns of a packed matte (every
/// channel), the sums in the shader's order (a thread's four rows from the same taps).
pub fn blur_columns(u: &MatteBlurUniform, packed: &Frame) -> Frame {
    let last = i64::from(packed.height) - 1;
    let reach = i64::from(u.reach.min(MAX_REACH));
    Frame::from_fn(packed.width, packed.height, |t, y| {
        let (first, o) = (i64::from(y / 4 * 4), (y % 4) as usize);
        let mut sum = [0.0f32; 4];
        for (j, w) in u.weights[..(4 * (2 * reach + 1)) as usize].iter().enumerate() {
            let a = packed.pixel(t, (first - 4 * reach + j as i64).clamp(0, last) as u32);
            for c in 0..4 {
                sum[c] += a[c] * w[o];
            }
        }
        sum
    })
}

/// The row or column pass's CPU twin as the CPU runner calls it.
pub fn cpu_rows(pass: &CpuPass) -> Vec<Frame> {
    vec![blur_rows(&pass.uniform(0), pass.inputs[0])]
}

/// See [`cpu_rows`].
pub fn cpu_columns(pass: &CpuPass) -> Vec<Frame> {
    vec![blur_columns(&pass.uniform(0), pass.inputs[0])]
}

/// Records the packed qualifier matte of `input` (a `width`-pixel-wide frame of the graph) and its
/// blur by `passes` (the Gaussian's line passes, horizontal then vertical); returns the packed matte.
pub fn record(g: &mut PassGraph, input: Img, q: &QualifierUniform, passes: &[GaussianUniform]) -> Img {
    let size = (packed_width(g.width), g.height);
    let program = Program::Overridden(super::QUALIFIER_SHADER, super::qualifier_constants(q));
    let raw = g.pass_sized(program, &[input], bytemuck::bytes_of(q), Dispatch::Pixels, size);
    passes.iter().fold(raw, |img, u| {
        let (shader, dispatch) =
            if u.direction == 1 { (COLUMNS_SHADER, Dispatch::ColumnBlocks) } else { (ROWS_SHADER, Dispatch::Rows) };
        g.pass_sized(
            Program::Shader(shader),
            &[img],
            bytemuck::bytes_of(&MatteBlurUniform::new(u, g.width)),
            dispatch,
            size,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::gaussian;

    /// A matte with structure at every scale, 0..1, on a frame whose width is not a multiple of four.
    fn matte(width: u32, height: u32) -> Frame {
        Frame::from_fn(width, height, |x, y| {
            let v = ((x * 7 + y * 13) % 11) as f32 / 10.0;
            let m = if (x / 5 + y / 3) % 2 == 0 { v } else { 1.0 - v * 0.5 };
            [m, m, m, 1.0]
        })
    }

    /// The packed blur of `m` by `passes`, unpacked.
    fn packed_blur(m: &Frame, passes: &[GaussianUniform]) -> Frame {
        let packed = passes.iter().fold(pack(m), |p, u| {
            let b = MatteBlurUniform::new(u, m.width);
            if u.direction == 1 { blur_columns(&b, &p) } else { blur_rows(&b, &p) }
        });
        unpack(&packed, m.width)
    }

    #[test]
    fn packed_blur_is_the_gaussian_of_the_unpacked_matte() {
        // Radii from 1 tap to the widest pass; widths not multiples of four, and narrower than the
        // kernel (every tap clamped).
        for (width, sigma) in [(37, 2.5), (41, 0.35), (8, 3.0), (3, 1.5), (90, 20.0), (301, 64.0)] {
            let m = matte(width, 23);
            let passes = gaussian::passes(sigma);
            let want = gaussian::apply(&passes, &m);
            let got = packed_blur(&m, &passes);
            let worst = got.pixels.iter().zip(&want.pixels).map(|(a, b)| (a[0] - b[0]).abs()).fold(0.0, f32::max);
            // The same taps summed in another order: float rounding only (the matte is 0..1).
            assert!(worst < 1e-6, "width {width} σ {sigma}: {worst}");
        }
    }

    #[test]
    fn every_output_lane_gets_the_whole_kernel_once() {
        for sigma in [0.35, 2.5, 64.0] {
            let u = gaussian::passes(sigma)[0];
            let rows = MatteBlurUniform::new(&u, 100);
            let used = 4 * (2 * rows.reach as usize + 1);
            for c in 0..4 {
                let total: f32 = rows.weights[..used].iter().map(|w| w[c]).sum();
                assert!((total - 1.0).abs() < 1e-5, "σ {sigma} lane {c}: {total}");
                let taps = rows.weights[..used].iter().filter(|w| w[c] != 0.0).count();
                assert_eq!(taps, 2 * u.radius as usize + 1, "σ {sigma} lane {c}");
            }
            assert!(rows.weights[used..].iter().all(|w| *w == [0.0; 4]));
        }
    }

    #[test]
    fn packing_repeats_the_edge_pixel_and_round_trips() {
        let m = matte(10, 2);
        let p = pack(&m);
        assert_eq!((p.width, p.height), (3, 2));
        assert_eq!(p.pixel(2, 1), [m.pixel(8, 1)[0], m.pixel(9, 1)[0], m.pixel(9, 1)[0], m.pixel(9, 1)[0]]);
        assert_eq!(unpack(&p, 10).pixels, m.pixels);
    }

    #[test]
    fn the_packed_qualifier_is_the_qualifier_of_each_pixel() {
        let q = super::super::Qualifier {
            hue: super::super::HueRange { enabled: true, ..Default::default() },
            ..Default::default()
        };
        let u = q.uniform();
        let frame = Frame::from_fn(7, 3, |x, y| [x as f32 / 6.0, 0.2 + y as f32 * 0.3, 0.5, 1.0]);
        let p = qualify_packed(&u, &frame);
        for y in 0..3 {
            for x in 0..7 {
                let px = frame.pixel(x, y);
                assert_eq!(sample(&p, x, y), qualifier_pixel(&u, [px[0], px[1], px[2]]), "{x},{y}");
            }
        }
    }
}
