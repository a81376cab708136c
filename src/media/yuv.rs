//! Planar Y'CbCr frames as video codecs decode them, at their own bit depth, and their conversion to
//! working R'G'B': the CPU twin of `shaders/view/yuv_to_rgb.wgsl` (same formula, f32).
//!
//! Limited ("video", "tv") range at `n` bits puts black at `16·2^(n-8)`, white at `235·2^(n-8)` and
//! chroma's zero at `128·2^(n-8)` with an excursion of `224·2^(n-8)`; full range spans `0..2^n-1`
//! with chroma's zero at `2^(n-1)`. The matrix is the stream's (BT.601, BT.709 or BT.2020
//! non-constant luminance): `R = Y + 2(1-Kr)·Cr`, `B = Y + 2(1-Kb)·Cb`, `G = (Y - Kr·R - Kb·B)/Kg`.
//! Subsampled chroma is interpolated linearly with the siting H.264, HEVC, ProRes and DNxHR use
//! ("left"): horizontally co-sited with the even luma samples, vertically (4:2:0) between lines.
//! Nothing is clamped: super-whites and sub-blacks stay, as in the stream.

use super::Frame;

/// The Y'CbCr matrix of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YuvMatrix {
    /// ITU-R BT.601 (SD).
    Bt601,
    /// ITU-R BT.709 (HD).
    Bt709,
    /// ITU-R BT.2020 non-constant luminance (UHD, HDR).
    Bt2020,
}

impl YuvMatrix {
    /// (Kr, Kb).
    pub fn coefficients(self) -> (f32, f32) {
        match self {
            Self::Bt601 => (0.299, 0.114),
            Self::Bt709 => (0.2126, 0.0722),
            Self::Bt2020 => (0.2627, 0.0593),
        }
    }

    /// Name as `cinegrade info` shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bt601 => "BT.601",
            Self::Bt709 => "BT.709",
            Self::Bt2020 => "BT.2020 NCL",
        }
    }
}

/// Code range of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YuvRange {
    /// Limited ("video", "tv", "legal") range.
    Limited,
    /// Full ("pc", "data") range.
    Full,
}

/// A decoded planar frame: Y, Cb, Cr and optionally alpha, each sample an integer code.
#[derive(Clone, Debug, PartialEq)]
pub struct YuvFrame {
    /// Luma width.
    pub width: u32,
    /// Luma height.
    pub height: u32,
    /// log2 of the horizontal chroma subsampling (1 for 4:2:2 and 4:2:0).
    pub chroma_shift_x: u8,
    /// log2 of the vertical chroma subsampling (1 for 4:2:0).
    pub chroma_shift_y: u8,
    /// Bits per sample (8 to 16).
    pub bits: u8,
    /// The matrix.
    pub matrix: YuvMatrix,
    /// The range.
    pub range: YuvRange,
    /// Luma, `width × height`.
    pub y: Vec<u16>,
    /// Cb, `chroma_width × chroma_height`.
    pub cb: Vec<u16>,
    /// Cr.
    pub cr: Vec<u16>,
    /// Alpha (full range), `width × height`, when the stream has it.
    pub alpha: Option<Vec<u16>>,
}

/// The constants the conversion needs, shared by the CPU twin and the shader's uniform.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YuvConstants {
    /// Code of black (luma offset).
    pub y_offset: f32,
    /// Codes from black to white.
    pub y_scale: f32,
    /// Code of zero chroma.
    pub c_offset: f32,
    /// Codes of the chroma excursion (-0.5..0.5 spans it).
    pub c_scale: f32,
    /// Largest code (alpha's white).
    pub max: f32,
    /// (Kr, Kb).
    pub kr: f32,
    /// Kb.
    pub kb: f32,
}

impl YuvFrame {
    /// Chroma plane width.
    pub fn chroma_width(&self) -> u32 {
        self.width.div_ceil(1 << self.chroma_shift_x)
    }

    /// Chroma plane height.
    pub fn chroma_height(&self) -> u32 {
        self.height.div_ceil(1 << self.chroma_shift_y)
    }

    /// The range and matrix constants at this frame's depth.
    pub fn constants(&self) -> YuvConstants {
        let step = f32::from(1u16 << (self.bits - 8));
        let max = ((1u32 << self.bits) - 1) as f32;
        let (y_offset, y_scale, c_offset, c_scale) = match self.range {
            YuvRange::Limited => (16.0 * step, 219.0 * step, 128.0 * step, 224.0 * step),
            YuvRange::Full => (0.0, max, (1u32 << (self.bits - 1)) as f32, max),
        };
        let (kr, kb) = self.matrix.coefficients();
        YuvConstants { y_offset, y_scale, c_offset, c_scale, max, kr, kb }
    }

    /// Checks that every plane has the samples its dimensions ask for.
    pub fn check(&self) -> Result<(), String> {
        let luma = self.width as usize * self.height as usize;
        let chroma = self.chroma_width() as usize * self.chroma_height() as usize;
        let ok = self.y.len() == luma
            && self.cb.len() == chroma
            && self.cr.len() == chroma
            && self.alpha.as_ref().is_none_or(|a| a.len() == luma)
            && (8..=16).contains(&self.bits)
            && self.chroma_shift_x <= 1
            && self.chroma_shift_y <= 1;
        if ok { Ok(()) } else { Err(format!("inconsistent {}x{} {}-bit planes", self.width, self.height, self.bits)) }
    }

    /// Chroma sample of `plane` at luma position (x, y), interpolated with the "left" siting.
    fn chroma(&self, plane: &[u16], x: u32, y: u32) -> f32 {
        let (cw, ch) = (self.chroma_width(), self.chroma_height());
        let at = |cx: u32, cy: u32| f32::from(plane[(cy.min(ch - 1) * cw + cx.min(cw - 1)) as usize]);
        // Horizontal: even columns sit on a chroma sample, odd ones halfway to the next.
        let row = |cy: u32| {
            if self.chroma_shift_x == 0 {
                at(x, cy)
            } else {
                let cx = x >> 1;
                if x & 1 == 0 { at(cx, cy) } else { 0.5 * (at(cx, cy) + at(cx + 1, cy)) }
            }
        };
        if self.chroma_shift_y == 0 {
            return row(y);
        }
        // Vertical: chroma lies between lines 2k and 2k+1, so each line is 3/4 its own chroma row
        // and 1/4 the neighbouring one (the edge row repeats).
        let cy = y >> 1;
        let other = if y & 1 == 0 { cy.saturating_sub(1) } else { cy + 1 };
        0.75 * row(cy) + 0.25 * row(other)
    }

    /// Working R'G'B'A (the CPU twin of the GPU pass).
    pub fn to_frame(&self) -> Frame {
        let k = self.constants();
        let kg = 1.0 - k.kr - k.kb;
        Frame::from_fn(self.width, self.height, |x, y| {
            let i = (y * self.width + x) as usize;
            let luma = (f32::from(self.y[i]) - k.y_offset) / k.y_scale;
            let cb = (self.chroma(&self.cb, x, y) - k.c_offset) / k.c_scale;
            let cr = (self.chroma(&self.cr, x, y) - k.c_offset) / k.c_scale;
            let r = luma + 2.0 * (1.0 - k.kr) * cr;
            let b = luma + 2.0 * (1.0 - k.kb) * cb;
            let g = (luma - k.kr * r - k.kb * b) / kg;
            let a = self.alpha.as_ref().map_or(1.0, |a| f32::from(a[i]) / k.max);
            [r, g, b, a]
        })
    }
}

impl YuvFrame {
    /// Encodes working R'G'B'A (display-encoded values) as planar Y'CbCr codes: the quantisation of a
    /// movie export. Chroma is filtered to its siting before subsampling (horizontally [1/4, 1/2, 1/4]
    /// centred on the even columns, vertically the mean of each pair of lines); codes round to
    /// nearest and clip to the code range, as any integer encoding must.
    pub fn from_frame(
        frame: &Frame,
        bits: u8,
        shift: (u8, u8),
        matrix: YuvMatrix,
        range: YuvRange,
        alpha: bool,
    ) -> Self {
        let mut out = YuvFrame {
            width: frame.width,
            height: frame.height,
            chroma_shift_x: shift.0,
            chroma_shift_y: shift.1,
            bits,
            matrix,
            range,
            y: Vec::new(),
            cb: Vec::new(),
            cr: Vec::new(),
            alpha: None,
        };
        let k = out.constants();
        let quantize = |v: f32| v.round().clamp(0.0, k.max) as u16;
        let kg = 1.0 - k.kr - k.kb;
        let (w, h) = (frame.width as usize, frame.height as usize);
        // Full-resolution Cb, Cr (as -0.5..0.5), then filtered down.
        let mut cb = Vec::with_capacity(w * h);
        let mut cr = Vec::with_capacity(w * h);
        for p in &frame.pixels {
            let luma = k.kr * p[0] + kg * p[1] + k.kb * p[2];
            out.y.push(quantize(k.y_offset + luma * k.y_scale));
            cb.push((p[2] - luma) / (2.0 * (1.0 - k.kb)));
            cr.push((p[0] - luma) / (2.0 * (1.0 - k.kr)));
        }
        let (cw, ch) = (out.chroma_width() as usize, out.chroma_height() as usize);
        let at = |plane: &[f32], x: isize, y: usize| plane[y.min(h - 1) * w + x.clamp(0, w as isize - 1) as usize];
        let sample = |plane: &[f32], cx: usize, cy: usize| {
            let row = |y: usize| {
                if shift.0 == 0 {
                    at(plane, cx as isize, y)
                } else {
                    let x = 2 * cx as isize;
                    0.25 * at(plane, x - 1, y) + 0.5 * at(plane, x, y) + 0.25 * at(plane, x + 1, y)
                }
            };
            if shift.1 == 0 { row(cy) } else { 0.5 * (row(2 * cy) + row(2 * cy + 1)) }
        };
        for cy in 0..ch {
            for cx in 0..cw {
                out.cb.push(quantize(k.c_offset + sample(&cb, cx, cy) * k.c_scale));
                out.cr.push(quantize(k.c_offset + sample(&cr, cx, cy) * k.c_scale));
            }
        }
        if alpha {
            out.alpha = Some(frame.pixels.iter().map(|p| quantize(p[3] * k.max)).collect());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(bits: u8, range: YuvRange, matrix: YuvMatrix, y: u16, cb: u16, cr: u16) -> YuvFrame {
        YuvFrame {
            width: 4,
            height: 2,
            chroma_shift_x: 1,
            chroma_shift_y: 1,
            bits,
            matrix,
            range,
            y: vec![y; 8],
            cb: vec![cb; 2],
            cr: vec![cr; 2],
            alpha: None,
        }
    }

    #[test]
    fn limited_and_full_range_black_and_white_are_exact() {
        for (bits, black, white, zero) in [(8, 16, 235, 128), (10, 64, 940, 512), (12, 256, 3760, 2048)] {
            let f = flat(bits, YuvRange::Limited, YuvMatrix::Bt709, black, zero, zero).to_frame();
            assert_eq!(f.pixel(3, 1), [0.0, 0.0, 0.0, 1.0]);
            let f = flat(bits, YuvRange::Limited, YuvMatrix::Bt709, white, zero, zero).to_frame();
            assert!(f.pixel(0, 0).iter().all(|v| (v - 1.0).abs() < 1e-6), "{:?}", f.pixel(0, 0));
        }
        let f = flat(10, YuvRange::Full, YuvMatrix::Bt2020, 1023, 512, 512).to_frame();
        assert!(f.pixel(1, 1)[..3].iter().all(|v| (v - 1.0).abs() < 1e-6));
        // Sub-black stays below zero: nothing is clamped.
        assert!(flat(10, YuvRange::Limited, YuvMatrix::Bt709, 4, 512, 512).to_frame().pixel(0, 0)[0] < 0.0);
    }

    #[test]
    fn encoding_then_decoding_gives_back_the_picture() {
        // A smooth ramp: chroma filtering loses nothing a subsampled format can hold.
        let frame = Frame::from_fn(16, 8, |x, y| [x as f32 / 15.0, y as f32 / 7.0, 0.5, 1.0]);
        for (bits, shift) in [(10, (1, 0)), (8, (1, 1)), (12, (0, 0))] {
            let yuv = YuvFrame::from_frame(&frame, bits, shift, YuvMatrix::Bt709, YuvRange::Limited, false);
            yuv.check().unwrap();
            let back = yuv.to_frame();
            let step = 1.0 / f32::from(1u16 << (bits - 8)) / 219.0;
            // Two pixels inside the border: the encoder's filter repeats the edge sample, and the
            // decoder interpolates the next pixel from it.
            for (x, y) in (2..14).flat_map(|x| (2..6).map(move |y| (x, y))) {
                let (a, b) = (back.pixel(x, y), frame.pixel(x, y));
                for c in 0..3 {
                    assert!((a[c] - b[c]).abs() <= 3.0 * step, "{bits}-bit {shift:?} at {x},{y}: {a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn pure_red_in_each_matrix_by_hand() {
        // Rec.709 red (1, 0, 0): Y = Kr, Cb = -Kr/(2(1-Kb)), Cr = 0.5 (ITU-R BT.709 table 3).
        for m in [YuvMatrix::Bt601, YuvMatrix::Bt709, YuvMatrix::Bt2020] {
            let (kr, kb) = m.coefficients();
            let code = |v: f32, off: f32, scale: f32| (off + v * scale * 4.0).round() as u16;
            let y = code(kr, 64.0, 219.0);
            let cb = code(-kr / (2.0 * (1.0 - kb)), 512.0, 224.0);
            let cr = code(0.5, 512.0, 224.0);
            let p = flat(10, YuvRange::Limited, m, y, cb, cr).to_frame().pixel(0, 0);
            for (got, want) in p[..3].iter().zip([1.0, 0.0, 0.0]) {
                assert!((got - want).abs() < 2.5e-3, "{m:?}: {p:?}");
            }
        }
    }
}
