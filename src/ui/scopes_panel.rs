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

/// Draws the scopes panel: `images` are the scopes' egui textures, where registered.
pub fn show(ui: &mut egui::Ui, scopes: &mut Scopes, images: &[(ScopeKind, Option<egui::TextureId>)]) {
    let before = scopes.settings;
    let kinds_before = scopes.kinds.clone();
    ui.horizontal(|ui| {
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
        for zoom in [1, 2, 4] {
            ui.selectable_value(&mut s.vectorscope_zoom, zoom, format!("{zoom}×"));
        }
        ui.separator();
        ui.selectable_value(&mut s.histogram_scale, CountScale::Linear, "Lin");
        ui.selectable_value(&mut s.histogram_scale, CountScale::Log, "Log");
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
    let count = scopes.kinds.len() as f32;
    let (w, h) = (scopes.settings.image_width as f32, scopes.settings.image_height as f32);
    ui.horizontal(|ui| {
        for kind in scopes.kinds.clone() {
            // Vectorscope images are square; the others keep the settings' aspect.
            let aspect = if kind == ScopeKind::Vectorscope { 1.0 } else { w / h };
            let height = (available.y - 22.0).max(40.0);
            let width = (height * aspect).min(available.x / count - 8.0).max(40.0);
            let size = egui::vec2(width, width / aspect);
            ui.vertical(|ui| {
                match images.iter().find(|(k, _)| *k == kind).and_then(|(_, id)| *id) {
                    Some(id) => {
                        ui.add(egui::Image::new((id, size)));
                    }
                    None => {
                        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                        ui.painter().rect_filled(rect, 2.0, egui::Color32::from_gray(14));
                    }
                }
                ui.label(egui::RichText::new(scopes.settings.legend(kind)).small().color(theme::MUTED));
            });
        }
    });
}
