//! The controls of a node's op beyond primaries: the op's parameter schema drawn with generic widgets
//! (`crate::ops::Param`: every value, range and neutral comes from the op), the curve editor for
//! curves, and the node stack's add / move / duplicate buttons (the add menu is the op registry's).
//! This file only lays out widgets and reports what changed in `what` (the undo step's name).

use crate::grade::{Node, Op};

pub use super::key_controls::show_key;

/// Draws the controls of `op` (primaries, colour transforms and LUTs have the grade panel's own).
/// Sets `what` when a value changes.
pub fn show(ui: &mut egui::Ui, op: &mut Op, what: &mut Option<&'static str>) {
    if let Op::Curves(c) = op {
        super::curve_editor::curves(ui, c, what);
        return;
    }
    if let Op::OcioTransform(t) = op {
        // The config's names, as the grade file gives them (edited there or on the command line).
        ui.label(format!("OCIO config: {}", t.config.display()));
        ui.label(t.conversion());
        return;
    }
    for (i, p) in op.params().iter().enumerate() {
        if let Some(value) = super::widgets::param(ui, p) {
            op.set_param(i, value);
            *what = Some(p.label);
        }
    }
}

/// The node stack's buttons: add any op after the selected node, move it up or down, duplicate it.
/// `selected` follows the node it names. Moving a node that is wired in the node graph is refused
/// (it is rewired there instead).
pub fn stack_buttons(
    ui: &mut egui::Ui,
    grade: &mut crate::grade::Grade,
    selected: &mut usize,
    what: &mut Option<&'static str>,
) {
    ui.horizontal(|ui| {
        ui.menu_button("+ Node", |ui| {
            for (name, op) in Op::menu() {
                if ui.button(name).clicked() {
                    let at = if grade.nodes.is_empty() { 0 } else { (*selected).min(grade.nodes.len() - 1) + 1 };
                    grade.insert_node(at, Node::new(op));
                    *selected = at;
                    *what = Some("Add node");
                    ui.close();
                }
            }
        });
        if grade.nodes.is_empty() {
            return;
        }
        let i = (*selected).min(grade.nodes.len() - 1);
        // A node wired in the node graph moves by rewiring there, not here.
        let movable = |at: usize| grade.clone().swap_nodes(at);
        let (can_up, can_down) = (i > 0 && movable(i - 1), movable(i));
        let hint = |ok: bool, text: &'static str| if ok { text } else { "Wired in the node graph: rewire it there" };
        if ui.add_enabled(can_up, egui::Button::new("Up")).on_hover_text(hint(can_up, "Move node up")).clicked() {
            grade.swap_nodes(i - 1);
            *selected = i - 1;
            *what = Some("Move node");
        }
        if ui.add_enabled(can_down, egui::Button::new("Down")).on_hover_text(hint(can_down, "Move node down")).clicked()
        {
            grade.swap_nodes(i);
            *selected = i + 1;
            *what = Some("Move node");
        }
        if ui.button("Duplicate").clicked() {
            let copy = grade.nodes[i].clone();
            grade.insert_node(i + 1, copy);
            *selected = i + 1;
            *what = Some("Duplicate node");
        }
    });
}

#[cfg(test)]
mod tests {
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::ops::blur::Blur;
    use crate::ops::curves::Curves;
    use crate::ops::glow::{self, Glow};
    use crate::ops::key::{HueRange, Key, Qualifier, Range, Shape, Window};
    use crate::ops::primaries::Primaries;
    use crate::ops::sharpen::Sharpen;

    struct State {
        op: Op,
        key: Option<Key>,
        what: Option<&'static str>,
    }

    fn harness(op: Op) -> Harness<'static, State> {
        let state = State { op, key: None, what: None };
        Harness::builder().with_size([420.0, 900.0]).build_ui_state(
            |ui, s: &mut State| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    show(ui, &mut s.op, &mut s.what);
                    show_key(ui, &mut s.key, &mut s.what, 16.0 / 9.0);
                });
            },
            state,
        )
    }

    #[test]
    fn pass_sliders_edit_the_op() {
        let mut h = harness(Op::Sharpen(Sharpen::default()));
        h.get_by_role_and_label(Role::Slider, "Sharpen amount").set_value_accesskit(0.75);
        h.run_steps(2);
        assert_eq!(h.state().op, Op::Sharpen(Sharpen { amount: 0.75, ..Sharpen::default() }));
        assert_eq!(h.state().what, Some("Sharpen amount"));
        let mut h = harness(Op::Glow(Glow::default()));
        h.get_by_label("Halation").click();
        h.run_steps(2);
        let Op::Glow(g) = h.state().op else { panic!() };
        assert_eq!(g.tint, glow::HALATION_TINT);
    }

    #[test]
    fn clicking_the_curve_adds_a_point_and_dragging_moves_it() {
        let mut h = harness(Op::Curves(Curves::default()));
        h.run_steps(2);
        // The plot (320 x 240) sits under the combo box; click its middle, on the diagonal.
        let combo = h.get_by_label("Curve").rect();
        let centre = egui::pos2(combo.left() + 160.0, combo.bottom() + 124.0);
        let press = |h: &mut Harness<'static, State>, at: egui::Pos2| {
            h.hover_at(at);
            h.run_steps(1);
            h.drag_at(at);
            h.run_steps(1);
        };
        press(&mut h, centre);
        h.drop_at(centre);
        h.run_steps(2);
        let Op::Curves(c) = h.state().op.clone() else { panic!() };
        assert_eq!(c.master.points.len(), 3, "{:?}", c.master.points);
        assert_eq!(h.state().what, Some("Add curve point"));
        let added = c.master.points[1];
        assert!((added[0] - 0.5).abs() < 0.05 && (added[1] - 0.5).abs() < 0.05, "{added:?}");
        // Drag the new point up: the mids brighten.
        press(&mut h, centre);
        for dy in [10.0, 20.0, 30.0] {
            h.hover_at(centre - egui::vec2(0.0, dy));
            h.run_steps(1);
        }
        h.drop_at(centre - egui::vec2(0.0, 30.0));
        h.run_steps(2);
        let Op::Curves(c) = &h.state().op else { panic!() };
        assert_eq!(c.master.points.len(), 3, "{:?}", c.master.points);
        assert!(c.master.points[1][1] > added[1] + 0.08, "{:?}", c.master.points);
        assert_eq!(h.state().what, Some("Curve point"));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn key_controls_build_a_valid_key_and_drop_an_empty_one() {
        let mut h = harness(Op::Blur(Blur::default()));
        h.get_by_label("HSL qualifier").click();
        h.run_steps(2);
        assert!(h.state().key.as_ref().is_some_and(|k| k.qualifier.is_some()));
        h.get_by_role_and_label(Role::Slider, "Matte blur").set_value_accesskit(4.0);
        h.get_by_label("Invert key").click();
        h.run_steps(2);
        let k = h.state().key.clone().unwrap();
        assert!(k.invert && k.qualifier.unwrap().blur == 4.0 && k.validate().is_ok());
        h.get_by_label("Invert key").click();
        h.get_by_label("HSL qualifier").click();
        h.run_steps(2);
        assert_eq!(h.state().key, None, "an empty key is no key");
    }

    #[test]
    fn stack_buttons_add_move_and_duplicate() {
        type Stack = (crate::grade::Grade, usize, Option<&'static str>);
        let grade =
            crate::grade::Grade { nodes: vec![Node::new(Op::Primaries(Primaries::default()))], ..Default::default() };
        let stack: Stack = (grade, 0, None);
        let mut h = Harness::builder()
            .with_size([420.0, 400.0])
            .build_ui_state(|ui, s: &mut Stack| stack_buttons(ui, &mut s.0, &mut s.1, &mut s.2), stack);
        h.get_by_label("+ Node").click();
        h.run_steps(2);
        h.get_by_label("Film grain").click();
        h.run_steps(2);
        let names = |h: &Harness<'static, Stack>| h.state().0.nodes.iter().map(|n| n.op.name()).collect::<Vec<_>>();
        assert_eq!((names(&h), h.state().1, h.state().2), (vec!["primaries", "grain"], 1, Some("Add node")));
        h.get_by_label("Up").click();
        h.run_steps(2);
        assert_eq!((names(&h), h.state().1), (vec!["grain", "primaries"], 0));
        h.get_by_label("Duplicate").click();
        h.run_steps(2);
        assert_eq!((names(&h), h.state().1), (vec!["grain", "grain", "primaries"], 1));
        // Every op the menu offers starts valid (and neutral, bar primaries' defaults).
        assert!(Op::menu().into_iter().all(|(_, op)| {
            let grade = crate::grade::Grade { nodes: vec![Node::new(op)], ..Default::default() };
            grade.validate(std::path::Path::new("new")).is_ok()
        }));
    }

    #[test]
    fn every_control_draws() {
        for (name, op) in Op::menu() {
            let mut h = harness(op);
            h.state_mut().key = Some(Key {
                qualifier: Some(Qualifier {
                    saturation: Range { enabled: true, ..Range::default() },
                    luma: Range { enabled: true, ..Range::default() },
                    hue: HueRange { enabled: true, ..HueRange::default() },
                    ..Qualifier::default()
                }),
                windows: [Shape::Ellipse, Shape::Rectangle, Shape::Gradient, Shape::Polygon, Shape::Bezier]
                    .map(Window::new)
                    .to_vec(),
                ..Key::default()
            });
            h.run_steps(2);
            assert_eq!(h.state().what, None, "{name}: drawing changes nothing");
        }
        let mut h = harness(Op::Curves(Curves::default()));
        h.get_by_label("Curve").click();
        h.run_steps(2);
        h.get_by_label("Hue vs Sat").click();
        h.run_steps(2);
        h.get_by_label("Reset curve");
        assert_eq!(h.state().what, None);
    }
}
