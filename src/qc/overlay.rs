//! QC overlays: what the viewer paints over the graded picture (and `render --overlay` burns into a
//! still) so the colorist sees where a delivery check fails: the legal-range warning (pixels outside
//! the profile's levels), the gamut warning (pixels outside a target gamut inside the output's
//! container), each solid or as a zebra, and false colour by IRE (SDR: the signal's luma in percent)
//! or by nits (PQ: the light each pixel asks of the display), with a legend.
//!
//! The pass is `shaders/qc/qc_overlay.wgsl`; [`apply_pixel`] is its CPU twin, reading the same
//! uniform. The checks are the measures' own (src/qc/analysis.rs): the same limits, the same gamut
//! matrix and tolerance, so what is painted is what the report counts.

use crate::color::space::ColorSpace;
use crate::color::spaces::{self, Cat, Chromaticities};
use crate::color::transfer::Transfer;
use crate::gpu::pipelines::bind_group;
use crate::gpu::runner::workgroups;
use crate::gpu::{GpuContext, GpuError, GpuFrame};
use crate::media::Frame;

/// Name of the pass (`shaders/qc/qc_overlay.wgsl`).
pub const SHADER: &str = "qc_overlay";

/// How a warning is painted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Every flagged pixel in the warning colour.
    #[default]
    Solid,
    /// Diagonal stripes of the warning colour over the picture (the picture shows between them).
    Zebra,
}

/// What the overlay shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Overlay {
    /// Pixels with a channel outside `low..=high` (display-encoded values; 0 = black, 1 = white):
    /// red above, blue below.
    Levels {
        /// Lowest legal value (EBU R103: -0.05).
        low: f32,
        /// Highest legal value (EBU R103: 1.05).
        high: f32,
        /// Solid or zebra.
        style: Style,
    },
    /// Pixels outside `target` inside the output's container `space` (e.g. P3-D65 inside Rec.2020
    /// PQ), in magenta.
    Gamut {
        /// The output's colour space (its transfer is decoded, its primaries are the container).
        space: ColorSpace,
        /// The gamut the picture must stay in.
        target: &'static Chromaticities,
        /// Solid or zebra.
        style: Style,
    },
    /// False colour by the [`Palette`]'s bands.
    FalseColor(Palette),
}

/// A false-colour scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// SDR: the signal's luma (BT.709 weights) in percent, 0 % black to 100 % white.
    Ire,
    /// HDR: the PQ light each pixel asks of the display, luminance in nits (BT.2020 weights).
    Nits,
}

/// One band of a false-colour scale: values below `upper` (and at or above the band before's).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// Upper edge (exclusive), in the palette's unit; the last band has none.
    pub upper: Option<f32>,
    /// Its colour; `None`: the picture's own luma, in grey.
    pub colour: Option<[f32; 3]>,
    /// What it marks, for the legend.
    pub label: &'static str,
}

const fn band(upper: f32, colour: Option<[f32; 3]>, label: &'static str) -> Band {
    Band { upper: Some(upper), colour, label }
}

/// BT.709 luma weights (SDR signals).
pub const LUMA_709: [f32; 3] = [0.2126, 0.7152, 0.0722];
/// BT.2020 luma weights (Rec.2020 outputs, PQ light).
pub const LUMA_2020: [f32; 3] = [0.2627, 0.6780, 0.0593];

const IRE_BANDS: &[Band] = &[
    band(0.0, Some([0.55, 0.0, 0.65]), "below 0 %"),
    band(2.0, Some([0.1, 0.15, 0.95]), "0-2 % crushed"),
    band(10.0, Some([0.0, 0.45, 0.55]), "2-10 % deep shadow"),
    band(38.0, None, "10-38 %"),
    band(46.0, Some([0.15, 0.75, 0.2]), "38-46 % mid grey"),
    band(55.0, None, "46-55 %"),
    band(65.0, Some([0.95, 0.55, 0.65]), "55-65 % skin"),
    band(90.0, None, "65-90 %"),
    band(100.0, Some([0.95, 0.9, 0.1]), "90-100 % near clip"),
    Band { upper: None, colour: Some([0.95, 0.1, 0.1]), label: "over 100 %" },
];

const NITS_BANDS: &[Band] = &[
    band(0.1, Some([0.3, 0.1, 0.6]), "below 0.1 nits"),
    band(1.0, Some([0.1, 0.3, 0.9]), "0.1-1 nits"),
    band(100.0, None, "1-100 nits (SDR range)"),
    band(203.0, Some([0.2, 0.75, 0.3]), "100-203 nits (to HDR reference white)"),
    band(400.0, Some([0.9, 0.85, 0.2]), "203-400 nits"),
    band(1000.0, Some([0.95, 0.55, 0.1]), "400-1000 nits"),
    band(4000.0, Some([0.9, 0.1, 0.1]), "1000-4000 nits"),
    Band { upper: None, colour: Some([0.9, 0.2, 0.9]), label: "over 4000 nits" },
];

impl Palette {
    /// The palette for an output: nits for PQ, IRE otherwise.
    pub fn for_space(space: Option<ColorSpace>) -> Self {
        if space.is_some_and(|s| s.transfer() == Transfer::Pq) { Self::Nits } else { Self::Ire }
    }

    /// Its bands, lowest first (the legend).
    pub fn bands(self) -> &'static [Band] {
        match self {
            Self::Ire => IRE_BANDS,
            Self::Nits => NITS_BANDS,
        }
    }

    /// The unit its edges are in.
    pub fn unit(self) -> &'static str {
        match self {
            Self::Ire => "IRE (% of the signal)",
            Self::Nits => "nits",
        }
    }
}

/// Warning colours: above the range and outside the gamut, below the range.
pub const OVER: [f32; 3] = [1.0, 0.0, 0.0];
/// Below the legal range.
pub const UNDER: [f32; 3] = [0.0, 0.35, 1.0];
/// Outside the target gamut.
pub const OUT_OF_GAMUT: [f32; 3] = [1.0, 0.0, 1.0];

crate::gpu_struct! {
    /// The uniform of `qc_overlay.wgsl` (`struct Overlay`).
    pub struct OverlayUniform {
        pub kind: u32,
        pub zebra: u32,
        pub transfer: u32,
        pub nits: u32,
        pub low: f32,
        pub high: f32,
        pub tolerance: f32,
        pub bands: u32,
        pub luma: [f32; 4],
        pub matrix: [[f32; 4]; 3],
        pub under: [f32; 4],
        pub over: [f32; 4],
        pub edges: [f32; 16],
        pub colors: [[f32; 4]; 16],
    }
}

/// The gamut check's tolerance: as the measures' (a float matrix of exact primaries leaves values of
/// the order of 1e-6 around 0).
pub const GAMUT_TOLERANCE: f32 = 1e-4;

impl Overlay {
    /// The numbers the pass and its twin read.
    pub fn uniform(&self) -> OverlayUniform {
        let pad = |v: [f32; 3]| [v[0], v[1], v[2], 0.0];
        let mut u = OverlayUniform {
            kind: 0,
            zebra: 0,
            transfer: Transfer::Linear.id(),
            nits: 0,
            low: 0.0,
            high: 1.0,
            tolerance: GAMUT_TOLERANCE,
            bands: 0,
            luma: pad(LUMA_709),
            matrix: [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]],
            under: pad(UNDER),
            over: pad(OVER),
            edges: [0.0; 16],
            colors: [[0.0; 4]; 16],
        };
        match *self {
            Overlay::Levels { low, high, style } => {
                (u.kind, u.low, u.high, u.zebra) = (1, low, high, u32::from(style == Style::Zebra));
            }
            Overlay::Gamut { space, target, style } => {
                let m = spaces::rgb_to_rgb_matrix(space.gamut(), target, Cat::Bradford);
                u.kind = 2;
                u.zebra = u32::from(style == Style::Zebra);
                u.transfer = space.transfer().id();
                u.matrix = [0, 1, 2].map(|r| [m[r][0], m[r][1], m[r][2], 0.0]);
                u.over = pad(OUT_OF_GAMUT);
            }
            Overlay::FalseColor(palette) => {
                let bands = palette.bands();
                u.kind = 3;
                u.nits = u32::from(palette == Palette::Nits);
                u.luma = pad(if palette == Palette::Nits { LUMA_2020 } else { LUMA_709 });
                u.bands = bands.len() as u32;
                for (i, b) in bands.iter().enumerate() {
                    u.edges[i] = b.upper.unwrap_or(f32::MAX);
                    u.colors[i] = b.colour.map_or([0.0; 4], |c| [c[0], c[1], c[2], 1.0]);
                }
            }
        }
        u
    }
}

/// One line of an overlay's legend: a swatch (8-bit sRGB, `None`: the picture in grey) and what it
/// marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegendEntry {
    /// The swatch.
    pub colour: Option<[u8; 3]>,
    /// What it marks.
    pub label: String,
}

fn gamut_name(c: &Chromaticities) -> &'static str {
    if *c == spaces::REC709 {
        "Rec.709"
    } else if *c == spaces::P3_D65 {
        "P3-D65"
    } else if *c == spaces::REC2020 {
        "Rec.2020"
    } else {
        "the target gamut"
    }
}

fn to_8bit(c: [f32; 3]) -> [u8; 3] {
    c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
}

impl Overlay {
    /// The legend the viewer draws: a title and its entries.
    pub fn legend(&self) -> (String, Vec<LegendEntry>) {
        let entry = |c: [f32; 3], label: String| LegendEntry { colour: Some(to_8bit(c)), label };
        match *self {
            Overlay::Levels { low, high, .. } => (
                "Legal range".into(),
                vec![
                    entry(OVER, format!("above {:.0} %", high * 100.0)),
                    entry(UNDER, format!("below {:.0} %", low * 100.0)),
                ],
            ),
            Overlay::Gamut { space, target, .. } => (
                format!("Gamut in {}", space.name()),
                vec![entry(OUT_OF_GAMUT, format!("outside {}", gamut_name(target)))],
            ),
            Overlay::FalseColor(palette) => (
                format!("False colour, {}", palette.unit()),
                palette
                    .bands()
                    .iter()
                    .rev()
                    .map(|b| LegendEntry { colour: b.colour.map(to_8bit), label: b.label.to_string() })
                    .collect(),
            ),
        }
    }
}

fn stripe(x: u32, y: u32) -> bool {
    ((x + y) / 4).is_multiple_of(2)
}

fn dot3(a: [f32; 3], b: [f32; 4]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// CPU twin of `qc_overlay.wgsl` for the pixel at (x, y).
pub fn apply_pixel(u: &OverlayUniform, rgb: [f32; 3], x: u32, y: u32) -> [f32; 3] {
    let paint = |colour: [f32; 4]| {
        if u.zebra != 0 && !stripe(x, y) { rgb } else { [colour[0], colour[1], colour[2]] }
    };
    match u.kind {
        1 => {
            let below = rgb[0].min(rgb[1].min(rgb[2])) < u.low;
            let above = rgb[0].max(rgb[1].max(rgb[2])) > u.high;
            if above {
                paint(u.over)
            } else if below {
                paint(u.under)
            } else {
                rgb
            }
        }
        2 => {
            let transfer = Transfer::from_id(u.transfer).unwrap_or(Transfer::Linear);
            let linear = transfer.decode(rgb);
            let t = [0, 1, 2].map(|r| dot3(linear, u.matrix[r]));
            if t[0].min(t[1].min(t[2])) < -u.tolerance { paint(u.over) } else { rgb }
        }
        3 => {
            let luma = dot3(rgb, u.luma);
            let value = if u.nits != 0 {
                let pq = |v: f32| crate::color::transfer::pq_decode(v.max(0.0));
                dot3([pq(rgb[0]), pq(rgb[1]), pq(rgb[2])], u.luma) * 100.0
            } else {
                luma * 100.0
            };
            let last = u.bands.saturating_sub(1) as usize;
            let band = (0..last).find(|&i| value < u.edges[i]).unwrap_or(last);
            let c = u.colors[band];
            if c[3] > 0.0 { [c[0], c[1], c[2]] } else { [luma.clamp(0.0, 1.0); 3] }
        }
        _ => rgb,
    }
}

/// The overlay of a whole frame on the CPU (alpha kept).
pub fn apply_cpu(overlay: &Overlay, frame: &Frame) -> Frame {
    let u = overlay.uniform();
    let pixels = frame
        .pixels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = ((i as u32) % frame.width, (i as u32) / frame.width);
            let o = apply_pixel(&u, [p[0], p[1], p[2]], x, y);
            [o[0], o[1], o[2], p[3]]
        })
        .collect();
    Frame { width: frame.width, height: frame.height, pixels }
}

/// Paints `overlay` over `src` into `dst` (same size) on the GPU.
pub fn encode(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    overlay: &Overlay,
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    use wgpu::util::DeviceExt;
    if (src.width, src.height) != (dst.width, dst.height) {
        return Err(GpuError::SizeMismatch);
    }
    let pipeline = ctx.pipelines.shader(&ctx.device, SHADER)?;
    let uniform = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("overlay uniform"),
        contents: bytemuck::bytes_of(&overlay.uniform()),
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let group =
        bind_group(&ctx.device, &pipeline, SHADER, &[&src.view], &[&dst.view], &[], &[uniform.as_entire_binding()])?;
    let groups = workgroups(crate::gpu::graph::Dispatch::Pixels, pipeline.reflection.workgroup, src.width, src.height);
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("qc overlay"), timestamp_writes: None });
    pass.set_pipeline(&pipeline.pipeline);
    pass.set_bind_group(0, &group, &[]);
    pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
    Ok(())
}

/// `src` with `overlay` painted over it, as a new frame on the GPU.
pub fn apply_gpu(ctx: &GpuContext, overlay: &Overlay, src: &GpuFrame) -> Result<GpuFrame, GpuError> {
    let dst = GpuFrame::new(ctx, src.width, src.height)?;
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encode(ctx, &mut encoder, overlay, src, &dst)?;
    ctx.queue.submit([encoder.finish()]);
    Ok(dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palettes_fit_the_uniform_and_rise() {
        for p in [Palette::Ire, Palette::Nits] {
            let bands = p.bands();
            assert!(bands.len() <= 16);
            let edges: Vec<f32> = bands.iter().filter_map(|b| b.upper).collect();
            assert_eq!(edges.len(), bands.len() - 1, "only the last band is open");
            assert!(edges.windows(2).all(|w| w[0] < w[1]), "{edges:?}");
        }
    }

    /// Values computed by hand from the band table: 18 % grey encoded in BT.709 gamma is about
    /// 40.9 % (1.099 * 0.18^0.45 - 0.099), green; 1.08 is over 100 %, red; 0.6 of full white skin.
    #[test]
    fn false_colour_bands_by_hand() {
        let u = Overlay::FalseColor(Palette::Ire).uniform();
        let grey = 1.099 * 0.18f32.powf(0.45) - 0.099;
        assert_eq!(apply_pixel(&u, [grey; 3], 0, 0), [0.15, 0.75, 0.2]);
        assert_eq!(apply_pixel(&u, [1.08; 3], 0, 0), [0.95, 0.1, 0.1]);
        assert_eq!(apply_pixel(&u, [0.6; 3], 0, 0), [0.95, 0.55, 0.65]);
        assert_eq!(apply_pixel(&u, [-0.01; 3], 0, 0), [0.55, 0.0, 0.65]);
        // A grey band keeps the picture's luma.
        let l = 0.2126 * 0.3 + 0.7152 * 0.2 + 0.0722 * 0.1;
        assert_eq!(apply_pixel(&u, [0.3, 0.2, 0.1], 0, 0), [l; 3]);
        // PQ: 100 nits is code 0.508 (ST 2084), 1000 nits 0.752: just above each is the next band.
        let n = Overlay::FalseColor(Palette::Nits).uniform();
        assert_eq!(apply_pixel(&n, [0.52; 3], 0, 0), [0.2, 0.75, 0.3], "about 110 nits");
        assert_eq!(apply_pixel(&n, [0.76; 3], 0, 0), [0.9, 0.1, 0.1], "about 1070 nits");
        assert_eq!(apply_pixel(&n, [0.74; 3], 0, 0), [0.95, 0.55, 0.1], "about 900 nits");
    }

    #[test]
    fn levels_and_zebra() {
        let solid = Overlay::Levels { low: -0.05, high: 1.05, style: Style::Solid }.uniform();
        assert_eq!(apply_pixel(&solid, [0.5, 1.06, 0.5], 3, 9), OVER);
        assert_eq!(apply_pixel(&solid, [0.5, -0.06, 0.5], 3, 9), UNDER);
        assert_eq!(apply_pixel(&solid, [1.05, -0.05, 0.5], 3, 9), [1.05, -0.05, 0.5], "the limits are legal");
        let zebra = Overlay::Levels { low: -0.05, high: 1.05, style: Style::Zebra }.uniform();
        // Stripes of 4 pixels along x + y: (0,0)..(3,0) painted, (4,0)..(7,0) not.
        assert_eq!(apply_pixel(&zebra, [1.2; 3], 0, 0), OVER);
        assert_eq!(apply_pixel(&zebra, [1.2; 3], 2, 1), OVER);
        assert_eq!(apply_pixel(&zebra, [1.2; 3], 4, 0), [1.2; 3]);
        assert_eq!(apply_pixel(&zebra, [1.2; 3], 5, 3), OVER, "x + y = 8: the third stripe");
    }

    /// Rec.2020 primaries' pure green is outside P3-D65, P3's own green is not (PQ container).
    #[test]
    fn gamut_warning_inside_a_wider_container() {
        let space: ColorSpace = "rec2100-pq".parse().unwrap();
        let u = Overlay::Gamut { space, target: &spaces::P3_D65, style: Style::Solid }.uniform();
        let code = Transfer::Pq.encode([0.0, 1.0, 0.0]);
        assert_eq!(apply_pixel(&u, code, 0, 0), OUT_OF_GAMUT);
        let m = spaces::rgb_to_rgb_matrix(&spaces::P3_D65, &spaces::REC2020, Cat::Bradford);
        let p3_green = [m[0][1], m[1][1], m[2][1]];
        let code = Transfer::Pq.encode(p3_green);
        assert_eq!(apply_pixel(&u, code, 0, 0), code);
    }
}
