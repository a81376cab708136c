//! Device previews: the graded picture as each target display would show it, on the app's SDR
//! screen. A preview is a real colour pipeline: the shot's grade rendered to the device's signal
//! (a PQ master, BT.1886 for an SDR TV, sRGB-encoded Display P3 for a phone), then this op, which
//! turns that signal into the light the device emits (a 600-nit HDR TV first tone-maps the 1000-nit
//! master with the BT.2390 EETF, [`crate::color::eetf`]), converts it to Rec.709 primaries and shows
//! it through one screen mapping shared by every device ([`SCREEN_NITS`]: a curve from 0 to the
//! master's 1000 nits, then sRGB), so previews side by side compare as the devices do: a brighter
//! device looks brighter.
//!
//! A view, never part of a grade the colorist saves: the workspace appends it to the viewer's grade
//! when a device is picked (not offered in the node menu).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{OpContext, Pointwise, Site};
use crate::color::eetf::{Eetf, nits_of_pq};
use crate::color::space::ColorSpace;
use crate::color::spaces::{self, Cat};
use crate::color::transfer::{srgb_decode, srgb_encode};
use crate::interchange::InterchangeError;

mod ocio;
pub use ocio::{DeviceOcio, ocio_display_view};

/// Name of the shader file (`shaders/ops/device_preview.wgsl`).
pub const SHADER: &str = "device_preview";

/// A target display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Device {
    /// The 1000-nit PQ master (Rec.2020 container): the mastering monitor itself.
    PqMaster,
    /// A 600-nit HDR TV shown the 1000-nit master, tone-mapped with the BT.2390 EETF.
    HdrTv600,
    /// An SDR Rec.709 TV: BT.1886, 100 nits.
    SdrTv,
    /// A phone or laptop: Display P3 primaries, sRGB encoding, SDR white at 100 nits.
    Phone,
}

/// Peak of the PQ master the HDR devices are sent.
pub const MASTER_NITS: f32 = 1000.0;
/// Peak of the HDR TV.
pub const TV_NITS: f32 = 600.0;
/// Black of the HDR TV (an LCD's, lifted by the EETF).
pub const TV_BLACK_NITS: f32 = 0.05;
/// SDR reference white (BT.1886 / sRGB devices).
pub const SDR_WHITE_NITS: f32 = 100.0;
/// The light that is the app's screen's white: the master's peak. Every device's light reaches the
/// screen through one curve, `y = x / (1 + x (1 - 1/W))` with `x` in units of SDR white (100 nits)
/// and `W` = 10: 1000 nits is the screen's white, 100 nits 53 %, 18 nits 15 %, and a 600-nit TV's
/// peak 94 %, so brighter light always looks brighter (no clip, no flat top).
pub const SCREEN_NITS: f32 = 1000.0;

impl Device {
    /// Every device, in the order the viewer offers them.
    pub const ALL: [Device; 4] = [Self::PqMaster, Self::HdrTv600, Self::SdrTv, Self::Phone];

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::PqMaster => "PQ master, 1000 nits",
            Self::HdrTv600 => "HDR TV, 600 nits (BT.2390 EETF)",
            Self::SdrTv => "SDR TV, Rec.709 BT.1886, 100 nits",
            Self::Phone => "Phone / laptop, Display P3",
        }
    }

    /// The signal the device is sent: the colour space the grade renders to for it.
    pub fn signal_space(self) -> ColorSpace {
        let name = match self {
            Self::PqMaster | Self::HdrTv600 => "rec2100-pq",
            Self::SdrTv => "rec709-display",
            Self::Phone => "display-p3",
        };
        name.parse().expect("a built-in space")
    }

    /// The peak the grade's rendering aims at for this device's signal (PQ: the master's).
    pub fn render_peak(self) -> Option<u16> {
        matches!(self, Self::PqMaster | Self::HdrTv600).then_some(MASTER_NITS as u16)
    }
}

/// The device preview stage's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicePreview {
    /// The device shown.
    pub device: Device,
}

crate::gpu_struct! {
    /// Laid out as `struct DevicePreview` in `shaders/ops/device_preview.wgsl`.
    pub struct DevicePreviewUniform {
        pub matrix: [[f32; 4]; 3],
        pub device: [f32; 4],
        pub screen: [f32; 4],
        pub signal: u32,
        pub device_eetf: u32,
        pub sdr_white: f32,
        pub screen_nits: f32,
    }
}

fn constants(e: &Eetf) -> [f32; 4] {
    [e.source_black, e.source_peak, e.min_lum, e.max_lum]
}

impl DevicePreview {
    /// The numbers the shader and the twin read.
    pub fn uniform(&self) -> DevicePreviewUniform {
        let gamut = self.device.signal_space();
        let m = spaces::rgb_to_rgb_matrix(gamut.gamut(), &spaces::REC709, Cat::Bradford);
        let white = SCREEN_NITS / SDR_WHITE_NITS;
        let tv = Eetf::new(0.0, MASTER_NITS, TV_BLACK_NITS, TV_NITS);
        DevicePreviewUniform {
            matrix: [0, 1, 2].map(|r| [m[r][0], m[r][1], m[r][2], 0.0]),
            device: constants(&tv),
            screen: [1.0 - 1.0 / white, 1.0 / SDR_WHITE_NITS, 0.0, 0.0],
            signal: match self.device {
                Device::PqMaster | Device::HdrTv600 => 0,
                Device::SdrTv => 1,
                Device::Phone => 2,
            },
            device_eetf: u32::from(self.device == Device::HdrTv600),
            sdr_white: SDR_WHITE_NITS,
            screen_nits: SCREEN_NITS,
        }
    }
}

fn eetf_of(k: [f32; 4], code: f32) -> f32 {
    let e = Eetf { source_black: k[0], source_peak: k[1], min_lum: k[2], max_lum: k[3], knee: 1.5 * k[3] - 0.5 };
    e.apply(code)
}

fn device_nits(u: &DevicePreviewUniform, v: f32) -> f32 {
    match u.signal {
        0 => {
            let mut code = v.max(0.0);
            if u.device_eetf != 0 {
                code = eetf_of(u.device, code);
            }
            nits_of_pq(code)
        }
        1 => u.sdr_white * v.max(0.0).powf(2.4),
        _ => u.sdr_white * srgb_decode(v.max(0.0)),
    }
}

fn screen(u: &DevicePreviewUniform, nits: f32) -> f32 {
    let x = nits.max(0.0) * u.screen[1];
    srgb_encode(x / (1.0 + x * u.screen[0]))
}

/// CPU twin of `device_preview_node`.
pub fn apply_pixel(u: &DevicePreviewUniform, rgb: [f32; 3]) -> [f32; 3] {
    let light = rgb.map(|v| device_nits(u, v));
    let dot = |r: usize| u.matrix[r][0] * light[0] + u.matrix[r][1] * light[1] + u.matrix[r][2] * light[2];
    [dot(0), dot(1), dot(2)].map(|n| screen(u, n))
}

/// What the screen shows for `nits` of Rec.709 light (the shared screen mapping), for tests and
/// the README's figures.
pub fn screen_value(nits: f32) -> f32 {
    screen(&DevicePreview { device: Device::SdrTv }.uniform(), nits)
}

/// Nits the HDR TV emits for a master's PQ code.
pub fn tv_nits(code: f32) -> f32 {
    nits_of_pq(Eetf::new(0.0, MASTER_NITS, TV_BLACK_NITS, TV_NITS).apply(code))
}

impl Pointwise for DevicePreview {
    const NAME: &'static str = "device-preview";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../../shaders/ops/device_preview.wgsl");
    const STRUCT: &'static str = "DevicePreview";
    type Uniform = DevicePreviewUniform;
    type Data = ();

    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    fn is_neutral(&self) -> bool {
        false
    }

    fn load(&self) -> Result<(), InterchangeError> {
        Ok(())
    }

    fn uniform(&self, _: &(), _: &OpContext) -> DevicePreviewUniform {
        DevicePreview::uniform(self)
    }

    fn cpu(u: &DevicePreviewUniform, rgb: [f32; 3], _: &Site) -> [f32; 3] {
        apply_pixel(u, rgb)
    }

    fn example(_: &Path) -> Self {
        DevicePreview { device: Device::HdrTv600 }
    }
}
