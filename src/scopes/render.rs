//! The render step: turns bins into `rgba8unorm` images on the GPU (`shaders/scope_render_*.wgsl`),
//! and, for the CLI only, captions and tiles the read-back images on the CPU.
//!
//! Images are sRGB-encoded display values with opaque alpha, which is what egui-wgpu expects of a
//! native texture: the app registers [`super::ScopeImage::view`] and draws it as is.
//! Intensity: `1 − exp(−k · count / reference)`, where `reference` is the count an even spread would
//! give the pixel, so sparse samples stay visible and dense ones saturate gently, like phosphor.

use super::quantize::LEVELS;
use super::vectorscope::{SKIN_TONE_DEGREES, bar_targets};
use super::{CountScale, ScopeKind, ScopeSettings, WaveformMode, WaveformScale, legend};

crate::gpu_struct! {
/// Render parameters, laid out exactly as `struct RenderParams` in `shaders/lib/scope_common.wgsl`.
pub struct RenderUniform {
    /// Image width and height.
    pub image_size: [u32; 2],
    /// Waveform: 0 luma, 1 RGB overlay, 2 parade. Histogram: 0 linear, 1 log.
    pub mode: u32,
    /// Graticule: 0 IRE, 1 10-bit code values.
    pub scale: u32,
    /// Waveform (columns, levels); vectorscope (size, size); histogram (levels, 1).
    pub bins_size: [u32; 2],
    /// Pixels in the frame.
    pub samples: u32,
    /// Vectorscope zoom.
    pub zoom: f32,
    /// Trace brightness k (settings' intensity times a per-scope constant).
    pub intensity: f32,
    /// Skin-tone line in radians counter-clockwise from +Cb.
    pub skin_angle: f32,
    /// Padding.
    pub _pad0: u32,
    /// Padding.
    pub _pad1: u32,
    /// Kr, Kg, Kb as fractions, w unused.
    pub luma: [f32; 4],
    /// Colour-bar targets R, Mg, B, Cy, G, Yl: (Cb, Cr) at 100 % in xy, at 75 % in zw.
    pub targets: [[f32; 4]; 6],
}
}

impl RenderUniform {
    /// The parameters of `kind`'s image for a `width` × `height` frame.
    pub fn new(kind: ScopeKind, settings: &ScopeSettings, width: u32, height: u32) -> Self {
        let columns = settings.columns_for(width);
        let (mode, bins_size) = match kind {
            ScopeKind::Waveform => (
                match settings.waveform_mode {
                    WaveformMode::Luma => 0,
                    WaveformMode::Rgb => 1,
                },
                [columns, LEVELS],
            ),
            ScopeKind::Parade => (2, [columns, LEVELS]),
            ScopeKind::Vectorscope => (0, [settings.vectorscope_size; 2]),
            ScopeKind::Histogram => (
                match settings.histogram_scale {
                    CountScale::Linear => 0,
                    CountScale::Log => 1,
                },
                [LEVELS, 1],
            ),
        };
        let full = bar_targets(settings.luma, 1.0);
        let bars75 = bar_targets(settings.luma, 0.75);
        let targets = std::array::from_fn(|i| [full[i][0], full[i][1], bars75[i][0], bars75[i][1]].map(|v| v as f32));
        let [kr, kg, kb] = settings.luma.fractions().map(|v| v as f32);
        // Chosen by eye on real frames: a waveform trace is spread over its column, a vectorscope's
        // reference is already scaled in the shader.
        let k = match kind {
            ScopeKind::Waveform | ScopeKind::Parade => 0.6,
            _ => 1.0,
        };
        Self {
            image_size: [settings.image_width, settings.image_height],
            mode,
            scale: match settings.waveform_scale {
                WaveformScale::Ire => 0,
                WaveformScale::CodeValues10Bit => 1,
            },
            bins_size,
            samples: width * height,
            zoom: settings.vectorscope_zoom as f32,
            intensity: settings.intensity * k,
            skin_angle: SKIN_TONE_DEGREES.to_radians() as f32,
            _pad0: 0,
            _pad1: 0,
            luma: [kr, kg, kb, 0.0],
            targets,
        }
    }
}

/// Name of the render shader of `kind`.
pub fn shader(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Waveform | ScopeKind::Parade => "scope_render_waveform",
        ScopeKind::Vectorscope => "scope_render_vectorscope",
        ScopeKind::Histogram => "scope_render_histogram",
    }
}

/// Height of the caption strip [`captioned`] adds under an image.
pub const CAPTION_HEIGHT: u32 = 16;

/// A scope image with its legend (what it shows, which luma weights, which scale) written beneath,
/// the graticule values along the left edge (waveform, parade) and the target names (vectorscope).
pub fn captioned(image: &image::RgbaImage, kind: ScopeKind, settings: &ScopeSettings) -> image::RgbaImage {
    let (w, h) = image.dimensions();
    let mut out = image::RgbaImage::from_pixel(w, h + CAPTION_HEIGHT, image::Rgba([10, 10, 11, 255]));
    image::imageops::replace(&mut out, image, 0, 0);
    let grey = [150, 150, 150];
    legend::draw_text(&mut out, 6, h + 5, &settings.legend(kind), grey);
    if matches!(kind, ScopeKind::Waveform | ScopeKind::Parade) {
        for (row, label) in graticule_rows(settings.waveform_scale, h) {
            legend::draw_text(&mut out, 3, row.saturating_sub(8).max(1), &label, grey);
        }
    }
    if kind == ScopeKind::Vectorscope {
        label_targets(&mut out, w, h, settings);
    }
    out
}

/// The waveform's five graticule levels (0, 25, 50, 75, 100 IRE, or 0, 256, 512, 768, 1023 in 10-bit
/// code values) as (row of an image `h` rows high that the shader draws the level on, label).
pub fn graticule_rows(scale: WaveformScale, h: u32) -> Vec<(u32, String)> {
    (0..5u32)
        .map(|i| {
            let (code, label) = match scale {
                WaveformScale::Ire => ((i * 1023 + 2) / 4, (i * 25).to_string()),
                WaveformScale::CodeValues10Bit => ((i * 256).min(1023), (i * 256).min(1023).to_string()),
            };
            // Rows cover levels top-down.
            let index = (code as i32 - super::quantize::LEVEL_MIN) as u32;
            (h - 1 - (index * h / LEVELS).min(h - 1), label)
        })
        .collect()
}

/// Writes R, MG, B, CY, G, YL just outside the 100 % targets, as vectorscope graticules do.
fn label_targets(out: &mut image::RgbaImage, w: u32, h: u32, settings: &ScopeSettings) {
    let half = f64::from(w.min(h)) / 2.0;
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    let targets = bar_targets(settings.luma, 1.0);
    for ((name, _), target) in super::vectorscope::BAR_COLOURS.iter().zip(targets) {
        let [u, v] = super::vectorscope::position(target, settings.vectorscope_zoom);
        if u.abs() > 1.0 || v.abs() > 1.0 {
            continue; // zoomed past it
        }
        let r = (u * u + v * v).sqrt().max(1e-9);
        // Beyond the target, along the line from the centre.
        let (x, y) = (cx + (u + 0.09 * u / r) * half, cy - (v + 0.09 * v / r) * half);
        let text_w = legend::ADVANCE as f64 * name.len() as f64;
        // Kept inside the image (red's label would sit just above it at zoom 1).
        let x = (x - text_w / 2.0).clamp(1.0, f64::from(w) - text_w - 1.0);
        let y = (y - 3.5).clamp(1.0, f64::from(h) - 8.0);
        legend::draw_text(out, x as u32, y as u32, name, [150, 150, 150]);
    }
}

/// The four captioned images in a 2 × 2 tile: waveform | parade over vectorscope | histogram.
pub fn tile(images: &[image::RgbaImage; 4]) -> image::RgbaImage {
    let (w, h) = images[0].dimensions();
    let gap = 2;
    let mut out = image::RgbaImage::from_pixel(2 * w + gap, 2 * h + gap, image::Rgba([0, 0, 0, 255]));
    for (i, img) in images.iter().enumerate() {
        let (x, y) = ((i as u32 % 2) * (w + gap), (i as u32 / 2) * (h + gap));
        image::imageops::replace(&mut out, img, i64::from(x), i64::from(y));
    }
    out
}
