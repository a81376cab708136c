//! The node graph under the node list: each node a box in the column of its distance from the
//! source, wires from outputs (right) to inputs (left). Click a box to edit that node; drag from a
//! box's output onto another box to wire it in (a mixer gains an input, a plain node's input is
//! replaced); buttons make the selected node parallel or layered with a new node, or add its outside
//! node. A mixer's mode and opacity are set here too. The wiring rules are `grade::graph`'s.

use egui::{Color32, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::theme;
use crate::grade::{Composite, Grade, Input, Mixer};

const BOX: egui::Vec2 = vec2(64.0, 24.0);
const GAP: egui::Vec2 = vec2(26.0, 8.0);

/// Draws the graph of `grade`, editing it; `selected` is the node the panel edits.
pub fn show(ui: &mut egui::Ui, grade: &mut Grade, selected: &mut usize, what: &mut Option<&'static str>) {
    ui.horizontal(|ui| {
        let i = (*selected).min(grade.nodes.len().saturating_sub(1));
        let has = !grade.nodes.is_empty();
        if ui
            .add_enabled(has, egui::Button::new("Parallel"))
            .on_hover_text("A new node beside the selected one, both from its input, mixed in parallel")
            .clicked()
            && let Some(n) = grade.add_beside(i, Mixer::Parallel)
        {
            *selected = n;
            *what = Some("add parallel node");
        }
        let layer = Mixer::Layer { composite: Composite::Normal, opacity: 1.0 };
        if ui
            .add_enabled(has, egui::Button::new("Layer"))
            .on_hover_text("A new node layered over the selected one (a later input wins where it is keyed)")
            .clicked()
            && let Some(n) = grade.add_beside(i, layer)
        {
            *selected = n;
            *what = Some("add layer node");
        }
        let keyed = grade.nodes.get(i).is_some_and(|n| n.key.is_some());
        if ui
            .add_enabled(keyed, egui::Button::new("Outside"))
            .on_hover_text("A node after the selected one, keyed by the inverse of its key")
            .clicked()
            && let Some(n) = grade.add_outside(i)
        {
            *selected = n;
            *what = Some("add outside node");
        }
    });
    if grade.nodes.is_empty() {
        return;
    }
    let layout = grade.layout();
    let columns = layout.iter().map(|(c, _)| *c).max().unwrap_or(0) + 1;
    let rows = layout.iter().map(|(_, r)| *r).max().unwrap_or(0) + 1;
    let size = vec2(columns as f32 * (BOX.x + GAP.x) + GAP.x, rows as f32 * (BOX.y + GAP.y) + GAP.y);
    egui::ScrollArea::horizontal().id_salt("node graph").show(ui, |ui| {
        let (rect, response) =
            ui.allocate_exact_size(size.max(vec2(ui.available_width(), 0.0)), Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Node graph canvas"));
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::VIEWER_BACKGROUND);
        let at =
            |col: usize, row: usize| rect.min + GAP + vec2(col as f32 * (BOX.x + GAP.x), row as f32 * (BOX.y + GAP.y));
        let source = Rect::from_min_size(at(0, 0), BOX);
        let boxes: Vec<Rect> = layout.iter().map(|(c, r)| Rect::from_min_size(at(*c, *r), BOX)).collect();
        let out_port = |r: &Rect| pos2(r.right(), r.center().y);
        let in_port = |r: &Rect, slot: usize, of: usize| {
            pos2(r.left(), r.top() + r.height() * (slot as f32 + 1.0) / (of as f32 + 1.0))
        };
        // Wires.
        for (i, node) in grade.nodes.iter().enumerate() {
            let inputs = node.inputs_at(i);
            for (slot, input) in inputs.iter().enumerate() {
                let from = match input {
                    Input::Source(_) => out_port(&source),
                    // (A grade's wiring is validated when read; a node past the list draws no wire.)
                    Input::Node(j) => match boxes.get(*j) {
                        Some(b) => out_port(b),
                        None => continue,
                    },
                };
                let to = in_port(&boxes[i], slot, inputs.len());
                let bend = vec2((to.x - from.x).abs().max(20.0) * 0.5, 0.0);
                let curve = egui::epaint::CubicBezierShape::from_points_stroke(
                    [from, from + bend, to - bend, to],
                    false,
                    Color32::TRANSPARENT,
                    Stroke::new(1.5, Color32::from_gray(150)),
                );
                painter.add(curve);
            }
            if let Some(from) = node.outside.and_then(|o| boxes.get(o)) {
                painter.extend(egui::Shape::dashed_line(
                    &[from.center_bottom(), boxes[i].center_bottom()],
                    Stroke::new(1.0, theme::ACCENT.gamma_multiply(0.6)),
                    4.0,
                    3.0,
                ));
            }
        }
        let font = egui::FontId::proportional(11.0);
        painter.rect(source, 3.0, theme::PANEL, Stroke::new(1.0, theme::MUTED), egui::StrokeKind::Inside);
        painter.text(source.center(), egui::Align2::CENTER_CENTER, "source", font.clone(), theme::MUTED);
        for (i, node) in grade.nodes.iter().enumerate() {
            let r = boxes[i];
            let is_selected = i == *selected;
            let stroke = Stroke::new(
                if is_selected { 2.0 } else { 1.0 },
                if is_selected { theme::ACCENT } else { theme::MUTED },
            );
            let fill = if node.enabled { theme::PANEL } else { Color32::from_gray(30) };
            painter.rect(r, 3.0, fill, stroke, egui::StrokeKind::Inside);
            let name = match node.mixer {
                Some(Mixer::Parallel) => "parallel".to_string(),
                Some(Mixer::Layer { .. }) => "layer".to_string(),
                None => format!("{:02}", i + 1),
            };
            painter.text(r.center(), egui::Align2::CENTER_CENTER, name, font.clone(), Color32::from_gray(220));
        }
        // Select with a click; wire with a drag from one box onto a later one.
        let hit = |p: Pos2| boxes.iter().position(|r| r.expand(2.0).contains(p));
        let drag_id = ui.scope_id().with("wire from");
        if response.drag_started()
            && let Some(p) = ui.input(|i| i.pointer.press_origin())
        {
            let from = if source.contains(p) { Some(Input::SOURCE) } else { hit(p).map(Input::Node) };
            ui.data_mut(|d| match from {
                Some(f) => {
                    d.insert_temp(drag_id, f);
                }
                None => d.remove::<Input>(drag_id),
            });
        }
        let wiring: Option<Input> = ui.data(|d| d.get_temp(drag_id));
        if let (Some(from), Some(p)) = (wiring, response.interact_pointer_pos())
            && response.dragged()
        {
            let start = match from {
                Input::Source(_) => out_port(&source),
                Input::Node(j) => out_port(&boxes[j]),
            };
            painter.line_segment([start, p], Stroke::new(1.5, theme::ACCENT));
        }
        if response.drag_stopped() {
            if let (Some(from), Some(to)) = (wiring, response.interact_pointer_pos().and_then(hit))
                && Input::Node(to) != from
            {
                // A mixer gains an input; a plain node's input is replaced.
                let slot = if grade.nodes[to].mixer.is_some() { grade.nodes[to].inputs_at(to).len() } else { 0 };
                if grade.connect(to, slot, from) {
                    *what = Some("wire node");
                }
            }
            ui.data_mut(|d| d.remove::<Input>(drag_id));
        } else if response.clicked()
            && let Some(i) = response.interact_pointer_pos().and_then(hit)
        {
            *selected = i;
        }
    });
    // The selected mixer's settings.
    let i = (*selected).min(grade.nodes.len() - 1);
    if let Some(Mixer::Layer { composite, opacity }) = grade.nodes[i].mixer.as_mut() {
        ui.horizontal(|ui| {
            ui.label("Layer");
            let before = *composite;
            egui::ComboBox::from_id_salt("composite").selected_text(format!("{composite:?}")).show_ui(ui, |ui| {
                for c in [Composite::Normal, Composite::Add, Composite::Multiply, Composite::Screen] {
                    ui.selectable_value(composite, c, format!("{c:?}"));
                }
            });
            if *composite != before {
                *what = Some("layer composite");
            }
            if ui.add(egui::Slider::new(opacity, 0.0..=1.0).text("opacity")).changed() {
                *what = Some("layer opacity");
            }
        });
    }
    if grade.nodes[i].mixer.is_some() && grade.nodes[i].inputs.len() > 2 && ui.small_button("Drop last input").clicked()
    {
        grade.nodes[i].inputs.pop();
        *what = Some("unwire node");
    }
}
