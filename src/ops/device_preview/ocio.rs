//! Device previews in a project managed by an OpenColorIO config: each device's signal is rendered
//! through one of the config's displays and views, so the preview shows the show's own output
//! transforms (ACES 2.0's 1000-nit HDR rendering for the PQ master, its SDR rendering for the TV),
//! not Cinegrade's. The preview stage after it is the same as without a config: it reads the signal
//! as the device's ([`Device::signal_space`]), so the display must send that signal.
//!
//! Which display: the one the project names for the device ([`DeviceOcio`]), else the first of the
//! config's displays whose name says the device's signal and whose colour space does not declare
//! another kind of encoding (see [`Device::ocio_display_names`]). Which view: the one named for the
//! device, else the shot's view where that display has it and it renders for the device's light,
//! else the display's first view that names the device's peak (1000 nits for the HDR devices, 100
//! for the SDR ones), preferring the device's gamut, else the display's default view where it
//! fits. A view whose name gives another peak is refused, even when named (a 100-nit SDR rendering read as a 1000-nit PQ master would
//! preview a picture no device shows).

use serde::{Deserialize, Serialize};

use super::Device;
use crate::color::ocio::OcioConfig;

/// The display and view of the project's config a device previews through, as the colorist
/// chose them (either left `None` is found in the config).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceOcio {
    /// The display (`None`: the config's display for the device's signal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// The view (`None`: the display's view for the device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
}

impl DeviceOcio {
    /// True when nothing is chosen (found in the config).
    pub fn is_unset(&self) -> bool {
        self.display.is_none() && self.view.is_none()
    }
}

/// What the device's signal is, in words, for messages.
fn signal_words(device: Device) -> &'static str {
    match device {
        Device::PqMaster | Device::HdrTv600 => "Rec.2100 PQ (Rec.2020 primaries)",
        Device::SdrTv => "Rec.709 BT.1886",
        Device::Phone => "Display P3 with the sRGB curve",
    }
}

/// `s` lower-cased with spaces, dots, dashes and underscores removed ("Rec.2100-PQ" -> "rec2100pq").
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Device {
    /// True when a display named `name` sends this device's signal: Rec.2100 PQ (or ST 2084 in a
    /// Rec.2020 container) for the PQ master and the HDR TV, BT.1886 Rec.709 for the SDR TV,
    /// Display P3 (not its HDR variant) for the phone.
    pub fn ocio_display_names(self, name: &str) -> bool {
        let n = squash(name);
        match self {
            Device::PqMaster | Device::HdrTv600 => {
                n.contains("2100pq") || (n.contains("st2084") && n.contains("2020")) || n.contains("bt2100pq")
            }
            Device::SdrTv => n.contains("1886") && n.contains("709"),
            Device::Phone => n.contains("displayp3") && !n.contains("hdr"),
        }
    }

    /// The encoding a display colour space for this device declares (OpenColorIO's
    /// `encoding:`); a display declaring another one is not this device's.
    fn ocio_encoding(self) -> &'static str {
        match self {
            Device::PqMaster | Device::HdrTv600 => "hdr-video",
            Device::SdrTv | Device::Phone => "sdr-video",
        }
    }

    /// The peak, in nits, the device's signal is rendered for.
    fn render_nits(self) -> u32 {
        match self {
            Device::PqMaster | Device::HdrTv600 => super::MASTER_NITS as u32,
            Device::SdrTv | Device::Phone => super::SDR_WHITE_NITS as u32,
        }
    }

    /// Words of a view name that say it renders for this device's gamut.
    fn gamut_words(self) -> &'static [&'static str] {
        match self {
            Device::PqMaster | Device::HdrTv600 => &["p3d65", "p3"],
            Device::SdrTv => &["rec709", "bt709"],
            Device::Phone => &["p3d65", "p3"],
        }
    }
}

/// The peak a view's name gives ("ACES 2.0 - HDR 1000 nits (P3 D65)" -> 1000), if it gives one.
fn named_nits(view: &str) -> Option<u32> {
    let words: Vec<&str> = view.split(|c: char| c.is_whitespace() || c == '(' || c == ')').collect();
    words.windows(2).find_map(|w| {
        let unit = w[1].to_lowercase();
        (unit == "nits" || unit == "nit").then(|| w[0].parse().ok()).flatten()
    })
}

/// True when a view is found for this device: its name gives the device's peak, or gives none and
/// says HDR exactly when the device is (a view the colorist names is only refused when its name
/// gives another peak).
fn view_fits(device: Device, view: &str) -> bool {
    let hdr_word = squash(view).contains("hdr");
    match named_nits(view) {
        Some(n) => n == device.render_nits(),
        None => hdr_word == (device.render_nits() > 100),
    }
}

fn is_data(config: &OcioConfig, display: &str, view: &str) -> bool {
    let space = config.view_color_space(display, view);
    config.encoding(&space).is_some_and(|e| e == "data") || space.eq_ignore_ascii_case("raw")
}

/// The display of `config` this device previews through: `chosen` when given (it must be one of
/// the config's displays), else found by name and encoding (see the module's text).
fn display_for(config: &OcioConfig, device: Device, chosen: Option<&str>) -> Result<String, String> {
    let displays = config.displays();
    let names = || displays.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>().join(", ");
    if let Some(d) = chosen {
        return match displays.iter().any(|(name, _)| name == d) {
            true => Ok(d.to_string()),
            false => Err(format!("{} has no display \"{d}\" (its displays: {})", config.source, names())),
        };
    }
    let encoding_fits = |display: &str, views: &[String]| {
        views.iter().filter(|v| !is_data(config, display, v)).all(|v| {
            let e = config.encoding(&config.view_color_space(display, v)).unwrap_or_default();
            e.is_empty() || e == device.ocio_encoding()
        })
    };
    displays
        .iter()
        .find(|(d, views)| device.ocio_display_names(d) && encoding_fits(d, views))
        .map(|(d, _)| d.clone())
        .ok_or_else(|| {
            format!(
                "the {} preview needs a display of {} that sends {}; none of its displays does ({}): choose one for the device in the Colour rows",
                device.label(),
                config.source,
                signal_words(device),
                names()
            )
        })
}

/// The display and view of `config` the device previews through: the colorist's choice
/// (`chosen`), else found (see the module's text); `shot_view` is the view the shot is graded
/// through, kept where the device's display has it and it fits the device. Returns
/// (display, view).
pub fn ocio_display_view(
    config: &OcioConfig,
    device: Device,
    chosen: Option<&DeviceOcio>,
    shot_view: Option<&str>,
) -> Result<(String, String), String> {
    let chosen = chosen.cloned().unwrap_or_default();
    let display = display_for(config, device, chosen.display.as_deref())?;
    let views: Vec<String> = config
        .displays()
        .into_iter()
        .find(|(d, _)| *d == display)
        .map(|(_, v)| v)
        .unwrap_or_default()
        .into_iter()
        .filter(|v| !is_data(config, &display, v))
        .collect();
    if let Some(v) = chosen.view {
        if !views.contains(&v) {
            return Err(format!(
                "display \"{display}\" of {} has no view \"{v}\" (its views: {})",
                config.source,
                views.join(", ")
            ));
        }
        if let Some(n) = named_nits(&v).filter(|n| *n != device.render_nits()) {
            return Err(format!(
                "view \"{v}\" renders for {n} nits, not for the {} ({} nits): choose a view for that light",
                device.label(),
                device.render_nits()
            ));
        }
        return Ok((display, v));
    }
    let fits: Vec<&String> = views.iter().filter(|v| view_fits(device, v)).collect();
    let pick = shot_view
        .and_then(|s| fits.iter().find(|v| v.as_str() == s))
        .or_else(|| {
            let named = || fits.iter().filter(|v| named_nits(v).is_some());
            named().find(|v| device.gamut_words().iter().any(|g| squash(v).contains(g))).or_else(|| named().next())
        })
        .or_else(|| {
            let default = config.default_view(&display);
            fits.iter().find(|v| **v == &default)
        })
        .or_else(|| fits.first());
    match pick {
        Some(v) => Ok((display, (*v).clone())),
        None => Err(format!(
            "display \"{display}\" of {} has no view that renders for the {} ({} nits; its views: {}): choose one in the Colour rows",
            config.source,
            device.label(),
            device.render_nits(),
            views.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_names_give_their_peak() {
        assert_eq!(named_nits("ACES 2.0 - HDR 1000 nits (P3 D65)"), Some(1000));
        assert_eq!(named_nits("ACES 2.0 - SDR 100 nits (Rec.709)"), Some(100));
        assert_eq!(named_nits("Un-tone-mapped"), None);
        assert!(view_fits(Device::PqMaster, "ACES 2.0 - HDR 1000 nits (Rec.2020)"));
        assert!(!view_fits(Device::PqMaster, "ACES 2.0 - HDR 4000 nits (P3 D65)"));
        assert!(!view_fits(Device::PqMaster, "ACES 2.0 - SDR 100 nits (Rec.709)"));
        assert!(!view_fits(Device::SdrTv, "Film (HDR)"));
        assert!(view_fits(Device::SdrTv, "Film"));
    }

    #[test]
    fn display_names_say_the_signal() {
        assert!(Device::PqMaster.ocio_display_names("Rec.2100-PQ - Display"));
        assert!(!Device::PqMaster.ocio_display_names("ST2084-P3-D65 - Display"));
        assert!(Device::SdrTv.ocio_display_names("Rec.1886 Rec.709 - Display"));
        assert!(!Device::SdrTv.ocio_display_names("Gamma 2.2 Rec.709 - Display"));
        assert!(Device::Phone.ocio_display_names("Display P3 - Display"));
        assert!(!Device::Phone.ocio_display_names("Display P3 HDR - Display"));
    }
}
