//! The working frame: RGBA 32-bit float, linear in memory, never clamped; and the half-float frame a
//! half-float file holds, which goes to and from the GPU as it is (no f32 copy on the CPU).

use half::f16;

/// An RGBA float frame in working values (as decoded; colour spaces are converted by the grade).
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major pixels, top row first.
    pub pixels: Vec<[f32; 4]>,
}

impl Frame {
    /// A frame filled with one value.
    pub fn filled(width: u32, height: u32, value: [f32; 4]) -> Self {
        Self { width, height, pixels: vec![value; width as usize * height as usize] }
    }

    /// Builds a frame from a function of (x, y).
    pub fn from_fn(width: u32, height: u32, f: impl Fn(u32, u32) -> [f32; 4]) -> Self {
        let pixels = (0..height).flat_map(|y| (0..width).map(move |x| (x, y))).map(|(x, y)| f(x, y)).collect();
        Self { width, height, pixels }
    }

    /// The pixel at (x, y).
    pub fn pixel(&self, x: u32, y: u32) -> [f32; 4] {
        self.pixels[y as usize * self.width as usize + x as usize]
    }

    /// A copy of the rectangle at (x, y) of size w × h, clipped to the frame.
    pub fn crop(&self, x: u32, y: u32, w: u32, h: u32) -> Frame {
        let w = w.min(self.width.saturating_sub(x));
        let h = h.min(self.height.saturating_sub(y));
        Frame::from_fn(w, h, |cx, cy| self.pixel(x + cx, y + cy))
    }

    /// Per-channel (minimum, maximum) over finite values, and the count of NaN/infinite samples.
    pub fn value_range(&self) -> ([f32; 4], [f32; 4], usize) {
        let mut lo = [f32::INFINITY; 4];
        let mut hi = [f32::NEG_INFINITY; 4];
        let mut non_finite = 0;
        for px in &self.pixels {
            for c in 0..4 {
                let v = px[c];
                if v.is_finite() {
                    lo[c] = lo[c].min(v);
                    hi[c] = hi[c].max(v);
                } else {
                    non_finite += 1;
                }
            }
        }
        (lo, hi, non_finite)
    }

    /// The bilinear sample at continuous position (x, y), pixel centres at whole numbers + 0.5, edges
    /// extended (test pictures moved by a sub-pixel amount).
    pub fn sample_bilinear(&self, x: f32, y: f32) -> [f32; 4] {
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (fx - x0, fy - y0);
        let at = |x: f32, y: f32| {
            let x = (x as i64).clamp(0, self.width as i64 - 1) as u32;
            let y = (y as i64).clamp(0, self.height as i64 - 1) as u32;
            self.pixel(x, y)
        };
        let (a, b, c, d) = (at(x0, y0), at(x0 + 1.0, y0), at(x0, y0 + 1.0), at(x0 + 1.0, y0 + 1.0));
        [0, 1, 2, 3].map(|k| (a[k] * (1.0 - tx) + b[k] * tx) * (1.0 - ty) + (c[k] * (1.0 - tx) + d[k] * tx) * ty)
    }

    /// A box-filtered reduction to at most `max_width` pixels wide (thumbnails), keeping the aspect.
    pub fn downscale(&self, max_width: u32) -> Frame {
        if self.width <= max_width {
            return self.clone();
        }
        let w = max_width.max(1);
        let h = ((self.height as u64 * w as u64) / self.width as u64).max(1) as u32;
        Frame::from_fn(w, h, |x, y| {
            let (x0, x1) = (x * self.width / w, ((x + 1) * self.width / w).max(x * self.width / w + 1));
            let (y0, y1) = (y * self.height / h, ((y + 1) * self.height / h).max(y * self.height / h + 1));
            let mut sum = [0.0f32; 4];
            for sy in y0..y1 {
                for sx in x0..x1 {
                    let p = self.pixel(sx, sy);
                    for c in 0..4 {
                        sum[c] += p[c];
                    }
                }
            }
            let n = ((x1 - x0) * (y1 - y0)) as f32;
            sum.map(|v| v / n)
        })
    }

    /// Display-referred 8-bit RGBA for a screen or a thumbnail: clamps to 0..1 and rounds.
    pub fn to_rgba8(&self) -> Vec<u8> {
        self.pixels
            .iter()
            .flat_map(|p| [p[0], p[1], p[2], 1.0].map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bilinear_samples_hit_pixel_centres_blend_between_and_extend_the_edges() {
        let f = super::Frame::from_fn(2, 2, |x, y| [x as f32, y as f32, (x + 2 * y) as f32, 1.0]);
        assert_eq!(f.sample_bilinear(0.5, 0.5), f.pixel(0, 0));
        assert_eq!(f.sample_bilinear(1.5, 1.5), f.pixel(1, 1));
        assert_eq!(f.sample_bilinear(1.0, 0.5), [0.5, 0.0, 0.5, 1.0]);
        assert_eq!(f.sample_bilinear(1.0, 1.0), [0.5, 0.5, 1.5, 1.0]);
        assert_eq!(f.sample_bilinear(-3.0, 9.0), f.pixel(0, 1), "beyond the edge: the edge pixel");
    }

    use super::*;

    #[test]
    fn downscale_averages_boxes_and_keeps_aspect() {
        let f = Frame::from_fn(8, 4, |x, _| [x as f32, 0.0, 0.0, 1.0]);
        let d = f.downscale(4);
        assert_eq!((d.width, d.height), (4, 2));
        assert_eq!(d.pixel(0, 0)[0], 0.5);
        assert_eq!(d.pixel(3, 1)[0], 6.5);
        assert_eq!(Frame::filled(2, 2, [2.0, -1.0, 0.5, 1.0]).to_rgba8()[..4], [255, 0, 128, 255]);
    }
}

/// An RGBA half-float frame exactly as a half-float EXR stores it: decoded without widening, uploaded
/// as `rgba16float` (`GpuFrame::upload_half`) and read back as half (`gpu::HalfReadback`).
#[derive(Clone, Debug, PartialEq)]
pub struct HalfFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major pixels, top row first.
    pub pixels: Vec<[f16; 4]>,
}

impl HalfFrame {
    /// The frame as working floats (exact: every half is a float).
    pub fn to_frame(&self) -> Frame {
        Frame {
            width: self.width,
            height: self.height,
            pixels: self.pixels.iter().map(|p| p.map(f16::to_f32)).collect(),
        }
    }

    /// `frame` rounded to half, to nearest even (IEEE 754; values past 65504 become infinite).
    pub fn from_frame(frame: &Frame) -> HalfFrame {
        let pixels = frame.pixels.iter().map(|p| p.map(f16::from_f32)).collect();
        HalfFrame { width: frame.width, height: frame.height, pixels }
    }

    /// The samples' bits, for exact comparisons (NaN payloads included).
    pub fn bits(&self) -> Vec<[u16; 4]> {
        self.pixels.iter().map(|p| p.map(f16::to_bits)).collect()
    }
}
