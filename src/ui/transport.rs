//! The transport row under the viewer for a sequence shot: play/pause, reverse, the frame and range,
//! the frame rate, the achieved rate and dropped frames while playing, and the loop toggle.

use super::theme;
use crate::playback::Direction;
use crate::workspace::Workspace;

/// Draws the transport row (only shown while a sequence is selected); it drives the workspace's
/// playback.
pub fn show(ui: &mut egui::Ui, app: &mut Workspace) {
    let Some(player) = app.player() else { return };
    let (playing, range, looping) = (player.playing(), player.range(), player.looping());
    let shown = player.shown().unwrap_or(range.first);
    let fps = app.session.selected.and_then(|r| app.session.project.shot(r)).map_or(24.0, |s| s.frame_rate);
    let stats = app.playback_stats();
    ui.horizontal(|ui| {
        if ui.button("Reverse").on_hover_text("Play backwards (J)").clicked() {
            app.play(Direction::Reverse);
        }
        let label = if playing.is_some() { "Pause" } else { "Play" };
        if ui.button(label).on_hover_text("Play / pause (Space); stop (K); forwards (L)").clicked() {
            app.toggle_play();
        }
        ui.label(egui::RichText::new(format!("frame {shown}  ({}-{})", range.first, range.last)).monospace());
        let mut new_looping = looping;
        if ui.checkbox(&mut new_looping, "Loop").changed() {
            app.set_looping(new_looping);
        }
        ui.separator();
        ui.label("Frame rate");
        // A drag is one undo step: the value being dragged lives in egui's memory until released.
        let dragging = ui.scope_id().with("frame rate drag");
        let mut new_fps = ui.data(|d| d.get_temp::<f64>(dragging)).unwrap_or(fps);
        let response = ui.add(
            egui::DragValue::new(&mut new_fps)
                .range(1.0..=crate::project::MAX_FRAME_RATE)
                .speed(0.1)
                .max_decimals(3)
                .suffix(" fps"),
        );
        if response.dragged() {
            ui.data_mut(|d| d.insert_temp(dragging, new_fps));
        } else {
            ui.data_mut(|d| d.remove::<f64>(dragging));
            if new_fps != fps && (response.changed() || response.drag_stopped()) {
                app.set_frame_rate(new_fps);
            }
        }
        if let (Some(_), Some(stats)) = (playing, stats) {
            ui.separator();
            let text = format!("playing {:.1} fps, {} dropped", stats.fps, stats.dropped);
            let color = if stats.fps + 0.5 < fps { theme::ACCENT } else { theme::MUTED };
            ui.label(egui::RichText::new(text).color(color)).on_hover_text(format!(
                "cache: {} frames, {:.2} GiB; {} hits, {} misses",
                stats.cache.frames,
                stats.cache.used_bytes as f64 / f64::from(1u32 << 30),
                stats.cache.hits,
                stats.cache.misses
            ));
        }
    });
}
