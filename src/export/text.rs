//! Text drawn into exported frames (burn-ins, contact sheet captions) with `ab_glyph`, in the Hack
//! font egui already ships (`epaint_default_fonts`), so no font is bundled twice. Drawing happens on the
//! float frame after grading, never on the working frame the grade reads.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};

use crate::media::Frame;

fn font() -> FontRef<'static> {
    FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR).expect("egui's bundled Hack font parses")
}

/// Blends `color` over `p` by `a`; NaN and infinite samples under a caption become 0 first, so the
/// caption stays readable over them.
fn blend(p: &mut [f32; 4], color: [f32; 3], a: f32) {
    for ch in 0..3 {
        let under = if p[ch].is_finite() { p[ch] } else { 0.0 };
        p[ch] = under * (1.0 - a) + color[ch] * a;
    }
}

/// Width in pixels of `text` at `size` pixels.
pub fn text_width(text: &str, size: f32) -> f32 {
    let font = font();
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Draws `text` with its top-left corner at (`x`, `y`), `size` pixels tall, blending `color` over the
/// frame by glyph coverage. Pixels outside the frame are skipped; alpha is left as it is.
pub fn draw_text(frame: &mut Frame, text: &str, x: f32, y: f32, size: f32, color: [f32; 3]) {
    let font = font();
    let scale = PxScale::from(size);
    let scaled = font.as_scaled(scale);
    let baseline = y + scaled.ascent();
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);
        let Some(outlined) = font.outline_glyph(glyph) else { continue };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= i64::from(frame.width) || py >= i64::from(frame.height) {
                return;
            }
            let a = coverage.clamp(0.0, 1.0);
            let p = &mut frame.pixels[py as usize * frame.width as usize + px as usize];
            blend(p, color, a);
        });
    }
}

/// Darkens the rectangle (`x`, `y`, `w`, `h`) towards `color` by `opacity` (a caption band).
pub fn fill_rect(frame: &mut Frame, x: u32, y: u32, w: u32, h: u32, color: [f32; 3], opacity: f32) {
    let (x1, y1) = ((x + w).min(frame.width), (y + h).min(frame.height));
    for py in y.min(frame.height)..y1 {
        for px in x.min(frame.width)..x1 {
            blend(&mut frame.pixels[py as usize * frame.width as usize + px as usize], color, opacity);
        }
    }
}

/// Text that fits in `max_width` pixels at `size`: cut with an ellipsis when too long.
pub fn fit_text(text: &str, size: f32, max_width: f32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "…";
        if text_width(&candidate, size) <= max_width {
            return candidate;
        }
    }
    String::new()
}

/// Burns a review caption into the bottom of `frame`: a dark band with `left` and `right` texts in
/// white. Text height is 1/30 of the frame height (at least 10 pixels).
pub fn burn_in(frame: &mut Frame, left: &str, right: &str) {
    let size = (frame.height as f32 / 30.0).max(10.0);
    let pad = (size * 0.4).round();
    let band = (size + 2.0 * pad).round() as u32;
    let top = frame.height.saturating_sub(band);
    fill_rect(frame, 0, top, frame.width, band, [0.0; 3], 0.6);
    let width = frame.width as f32;
    let right_width = text_width(right, size).min(width / 2.0);
    let right = fit_text(right, size, width / 2.0 - pad);
    let left = fit_text(left, size, width - right_width - 3.0 * pad);
    draw_text(frame, &left, pad, top as f32 + pad, size, [1.0; 3]);
    let x = width - pad - text_width(&right, size);
    draw_text(frame, &right, x, top as f32 + pad, size, [1.0; 3]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_where_asked_and_only_there() {
        let mut f = Frame::filled(200, 40, [0.0, 0.0, 0.0, 0.5]);
        draw_text(&mut f, "Hg 1001", 10.0, 5.0, 20.0, [1.0, 0.5, 0.25]);
        let lit: Vec<(u32, u32)> =
            (0..40).flat_map(|y| (0..200).map(move |x| (x, y))).filter(|&(x, y)| f.pixel(x, y)[0] > 0.0).collect();
        assert!(lit.len() > 100, "{} pixels lit", lit.len());
        let (min_x, max_x) = (lit.iter().map(|p| p.0).min().unwrap(), lit.iter().map(|p| p.0).max().unwrap());
        assert!(min_x >= 10 && (max_x as f32) <= 10.0 + text_width("Hg 1001", 20.0) + 1.0, "{min_x}..{max_x}");
        assert!(lit.iter().all(|&(_, y)| (5..=30).contains(&y)));
        // Colour blended by coverage; alpha untouched.
        let p = f.pixel(lit[lit.len() / 2].0, lit[lit.len() / 2].1);
        assert!((p[1] - p[0] * 0.5).abs() < 1e-6 && p[3] == 0.5, "{p:?}");
    }

    #[test]
    fn long_text_is_cut_to_fit() {
        let t = fit_text("a very long shot name that will not fit", 12.0, 60.0);
        assert!(t.ends_with('…') && text_width(&t, 12.0) <= 60.0, "{t}");
        assert_eq!(fit_text("ok", 12.0, 60.0), "ok");
    }

    #[test]
    fn burn_in_darkens_the_bottom_band_and_leaves_the_picture_above() {
        let mut f = Frame::filled(320, 180, [0.8; 4]);
        burn_in(&mut f, "010 rocket · v2", "For review · 1001");
        assert_eq!(f.pixel(160, 10), [0.8; 4]);
        let bottom: Vec<f32> = (0..320).map(|x| f.pixel(x, 176)[0]).collect();
        assert!(bottom.iter().any(|v| (*v - 0.32).abs() < 1e-5), "band darkened");
        let band_rows = 150..180;
        assert!(band_rows.clone().any(|y| (0..320).any(|x| f.pixel(x, y)[0] > 0.9)), "white text in band");
    }
}
