//! The working frame: RGBA 32-bit float, linear in memory, never clamped.

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
        Self {
            width,
            height,
            pixels: vec![value; width as usize * height as usize],
        }
    }

    /// Builds a frame from a function of (x, y).
    pub fn from_fn(width: u32, height: u32, f: impl Fn(u32, u32) -> [f32; 4]) -> Self {
        let pixels = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        Self {
            width,
            height,
            pixels,
        }
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
}
