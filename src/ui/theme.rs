//! A dark, quiet theme for a grading suite: neutral greys only, so nothing near the picture tints how
//! it is judged.

use egui::{Color32, Context, Stroke, Visuals};

/// Background behind the picture: neutral dark grey.
pub const VIEWER_BACKGROUND: Color32 = Color32::from_gray(22);
/// Panel background.
pub const PANEL: Color32 = Color32::from_gray(30);
/// Muted text.
pub const MUTED: Color32 = Color32::from_gray(140);
/// The one accent colour, used sparingly for selection.
pub const ACCENT: Color32 = Color32::from_rgb(200, 160, 90);
/// Error messages.
pub const ERROR: Color32 = Color32::from_rgb(230, 110, 100);

/// Installs the theme.
pub fn apply(ctx: &Context) {
    let mut visuals = Visuals::dark();
    visuals.panel_fill = PANEL;
    visuals.window_fill = Color32::from_gray(34);
    visuals.extreme_bg_color = Color32::from_gray(18);
    visuals.faint_bg_color = Color32::from_gray(36);
    visuals.selection.bg_fill = Color32::from_gray(70);
    visuals.selection.stroke = Stroke::new(1.0, ACCENT);
    visuals.hyperlink_color = ACCENT;
    visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, Color32::from_gray(45));
    ctx.set_visuals(visuals);
    // Panel edges grabbed from 6 px either side, not egui's 2 to 3: a near miss must not pan the viewer.
    ctx.global_style_mut(|style| style.interaction.resize_grab_radius_side = 6.0);
}
