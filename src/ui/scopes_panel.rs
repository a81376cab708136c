//! The scopes panel: the GPU scope images (waveform, parade, vectorscope, histogram) side by side,
//! choosable, with their settings; they update whenever the picture changes.

use super::theme;
use crate::scopes::{CountScale, ScopeKind, WaveformMode, WaveformScale};
use crate::workspace::Scopes;

fn label(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Waveform => "Waveform",
        ScopeKind::Parade => "Parade",
        ScopeKind::Vectorscope => "Vectorscope",
        ScopeKind::Histogram => "Histogram",
    }
}

/// Height of a scope's legend line under its image.
const LEGEND: f32 = 16.0;
/// Gap between scopes.
const GAP: f32 = 8.0;

/// Draws the scopes panel: `images` are the scopes' egui textures, where registered. The panel's
/// content always fills the panel (so it keeps the height the colorist gave it: content smaller than
/// the panel would let it shrink a little every frame), and the images are sized together to fit
/// both its width and its height. `reading` names what the scopes read when it is not the grade's
/// output (a device preview), under every scope.
pub fn show(
    ui: &mut egui::Ui,
    scopes: &mut Scopes,
    images: &[(ScopeKind, Option<egui::TextureId>)],
    reading: Option<&str>,
) {
    ui.set_min_size(ui.available_size());
    let before = scopes.settings;
    let kinds_before = scopes.kinds.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Scopes").strong());
        for kind in ScopeKind::ALL {
            let mut on = scopes.kinds.contains(&kind);
            if ui.toggle_value(&mut on, label(kind)).changed() {
                if on {
                    scopes.kinds.push(kind);
                    scopes.kinds.sort_by_key(|k| ScopeKind::ALL.iter().position(|a| a == k));
                } else {
                    scopes.kinds.retain(|k| *k != kind);
                }
            }
        }
        ui.separator();
        let s = &mut scopes.settings;
        ui.selectable_value(&mut s.waveform_mode, WaveformMode::Luma, "Luma");
        ui.selectable_value(&mut s.waveform_mode, WaveformMode::Rgb, "RGB");
        ui.separator();
        ui.selectable_value(&mut s.waveform_scale, WaveformScale::Ire, "IRE");
        ui.selectable_value(&mut s.waveform_scale, WaveformScale::CodeValues10Bit, "10-bit");
        ui.separator();
        for zoom in [1, 2, 4, 8, 16] {
            ui.selectable_value(&mut s.vectorscope_zoom, zoom, format!("{zoom}×")).on_hover_text("Vectorscope zoom");
        }
        ui.separator();
        ui.selectable_value(&mut s.histogram_scale, CountScale::Linear, "Lin")
            .on_hover_text("Histogram: linear counts");
        ui.selectable_value(&mut s.histogram_scale, CountScale::Log, "Log").on_hover_text("Histogram: log counts");
        ui.separator();
        ui.label(egui::RichText::new(format!("{} weights", s.luma.name())).small().color(theme::MUTED))
            .on_hover_text("Scopes read the display-encoded graded frame with the output space's luma weights");
    });
    if scopes.settings != before || scopes.kinds != kinds_before {
        scopes.invalidate();
    }
    if scopes.kinds.is_empty() {
        ui.label(egui::RichText::new("Choose a scope above.").color(theme::MUTED));
        return;
    }
    let available = ui.available_size();
    let (w, h) = (scopes.settings.image_width as f32, scopes.settings.image_height as f32);
    // Vectorscopes are shown square (the centre of their image), the others at the image's aspect;
    // one height for all, the largest that fits the panel's height and, side by side, its width.
    let aspect = |kind: ScopeKind| if kind == ScopeKind::Vectorscope { 1.0 } else { w / h };
    let total_aspect: f32 = scopes.kinds.iter().map(|k| aspect(*k)).sum();
    let gaps = GAP * scopes.kinds.len() as f32;
    let height = (available.y - LEGEND - 4.0).min((available.x - gaps) / total_aspect).max(24.0);
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = GAP;
        for kind in scopes.kinds.clone() {
            let size = egui::vec2(height * aspect(kind), height);
            ui.vertical(|ui| {
                ui.set_width(size.x);
                let rect = match images.iter().find(|(k, _)| *k == kind).and_then(|(_, id)| *id) {
                    Some(id) => {
                        let uv = if kind == ScopeKind::Vectorscope {
                            // The circle fills the middle square of a landscape image.
                            let half = 0.5 * h / w;
                            egui::Rect::from_min_max(egui::pos2(0.5 - half, 0.0), egui::pos2(0.5 + half, 1.0))
                        } else {
                            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
                        };
                        ui.add(egui::Image::new((id, size)).uv(uv)).rect
                    }
                    None => {
                        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                        ui.painter().rect_filled(rect, 2.0, egui::Color32::from_gray(14));
                        rect
                    }
                };
                let legend = match reading {
                    Some(what) => format!("{} · reads {what}", scopes.settings.legend(kind)),
                    None => scopes.settings.legend(kind),
                };
                let color = if reading.is_some() { theme::ACCENT } else { theme::MUTED };
                ui.add(egui::Label::new(egui::RichText::new(legend).small().color(color)).truncate());
                // Placed over the image last, so they do not move the legend.
                if matches!(kind, ScopeKind::Waveform | ScopeKind::Parade) {
                    let settings = scopes.settings;
                    graticule_labels(ui, rect, &settings);
                }
            });
        }
    });
}

/// The waveform's level labels (IRE or 10-bit code values) beside its graticule lines.
fn graticule_labels(ui: &mut egui::Ui, rect: egui::Rect, settings: &crate::scopes::ScopeSettings) {
    let rows = settings.image_height;
    for (row, text) in crate::scopes::render::graticule_rows(settings.waveform_scale, rows) {
        let y = rect.top() + (row as f32 + 0.5) / rows as f32 * rect.height();
        let at = egui::Rect::from_min_size(egui::pos2(rect.left() + 3.0, y - 12.0), egui::vec2(32.0, 12.0));
        let text = egui::RichText::new(text)
            .size(10.0)
            .color(theme::MUTED)
            .background_color(egui::Color32::from_black_alpha(170));
        ui.put(at, egui::Label::new(text).selectable(false));
    }
}
