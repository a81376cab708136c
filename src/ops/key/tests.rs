use super::*;

#[test]
fn a_qualifier_from_samples_spans_them() {
    use crate::ops::hsl::from_hue;
    // Oranges around hue 0.08, saturation 0.5..0.8, brightness varying.
    let samples: Vec<[f32; 3]> = (0..100)
        .map(|i| {
            let t = i as f32 / 99.0;
            let (h, s, v) = (0.06 + 0.04 * t, 0.5 + 0.3 * (1.0 - t), 0.4 + 0.4 * t);
            from_hue(h, v, v * (1.0 - s))
        })
        .collect();
    let q = Qualifier::from_samples(&samples).unwrap();
    assert!(q.hue.enabled && (q.hue.center - 0.08).abs() < 0.005 && (q.hue.width - 0.04).abs() < 0.005, "{:?}", q.hue);
    assert!((q.saturation.low - 0.5).abs() < 0.02 && (q.saturation.high - 0.8).abs() < 0.02, "{:?}", q.saturation);
    assert!(q.luma.enabled && q.luma.low < q.luma.high);
    // Reds on both sides of hue 0 give an arc across it, not the rest of the circle.
    let reds: Vec<[f32; 3]> = [0.97f32, 0.99, 0.01, 0.03].iter().map(|h| from_hue(*h, 0.8, 0.2)).collect();
    let q = Qualifier::from_samples(&reds).unwrap();
    assert!(q.hue.center < 0.01 || q.hue.center > 0.99, "{:?}", q.hue);
    assert!((q.hue.width - 0.06).abs() < 0.005, "{:?}", q.hue);
    // Greys: no hue, the luma span.
    let q = Qualifier::from_samples(&[[0.2; 3], [0.3; 3], [0.25; 3]]).unwrap();
    assert!(!q.hue.enabled);
    assert!((q.luma.low - 0.2).abs() < 1e-6 && (q.luma.high - 0.3).abs() < 1e-6);
    assert_eq!(Qualifier::from_samples(&[]), None);
    assert_eq!(Qualifier::from_samples(&[[f32::NAN; 3]]), None);
}

#[test]
fn qualifier_selects_its_hue_softly_and_cleans() {
    let q =
        Qualifier { hue: HueRange { enabled: true, center: 0.0, width: 0.1, softness: 0.05 }, ..Default::default() };
    let u = q.uniform();
    assert_eq!(qualifier_pixel(&u, [0.9, 0.1, 0.1]), 1.0, "red is in");
    assert_eq!(qualifier_pixel(&u, [0.9, 0.1, 0.2]), 1.0, "slightly magenta red wraps around to in");
    assert_eq!(qualifier_pixel(&u, [0.1, 0.9, 0.1]), 0.0, "green is out");
    let edge = qualifier_pixel(&u, [0.9, 0.46, 0.1]); // hue ≈ 0.075: in the soft edge
    assert!(edge > 0.0 && edge < 1.0, "{edge}");
    let clean = Qualifier { clean_black: 0.5, ..q }.uniform();
    assert!(qualifier_pixel(&clean, [0.9, 0.46, 0.1]) < edge);
}

#[test]
fn windows_select_inside_and_soften_across_the_edge() {
    let hard = Window { softness_inside: 0.0, softness_outside: 0.0, ..Window::default() };
    let key = Key { windows: vec![hard.clone()], ..Key::default() };
    let u = key.uniform(1.0, 200, 100);
    assert_eq!(matte(&u, 0.0, 100, 50), 1.0, "centre");
    assert_eq!(matte(&u, 0.0, 0, 0), 0.0, "corner");
    // A circle of diameter 0.6 frame heights is 60 pixels wide on a 100-pixel-high frame.
    assert_eq!(matte(&u, 0.0, 100 + 28, 50), 1.0);
    assert_eq!(matte(&u, 0.0, 100 + 31, 50), 0.0);
    let rect = Window { shape: Shape::Rectangle, rotation: 45.0, ..Window::default() };
    let u = Key { windows: vec![rect], invert: true, ..Key::default() }.uniform(1.0, 100, 100);
    assert_eq!(matte(&u, 0.0, 50, 50), 0.0, "inverted centre");
    let poly = Window {
        shape: Shape::Polygon,
        center: [0.5, 0.5],
        size: [1.0, 1.0],
        points: vec![[-0.4, -0.4], [0.4, -0.4], [0.0, 0.4]],
        ..hard.clone()
    };
    let u = Key { windows: vec![poly], ..Key::default() }.uniform(1.0, 100, 100);
    assert_eq!(matte(&u, 0.0, 50, 40), 1.0);
    assert_eq!(matte(&u, 0.0, 10, 80), 0.0);
    let grad = Window { shape: Shape::Gradient, ..hard.clone() };
    let u = Key { windows: vec![grad], ..Key::default() }.uniform(1.0, 100, 100);
    assert_eq!((matte(&u, 0.0, 70, 10), matte(&u, 0.0, 30, 10)), (1.0, 0.0), "rotation 0 selects the right");
}

#[test]
fn bad_keys_are_refused() {
    let w = |f: fn(&mut Window)| {
        let mut w = Window::default();
        f(&mut w);
        Key { windows: vec![w], ..Key::default() }.validate()
    };
    assert!(w(|w| w.softness_inside = -0.1).is_err());
    assert!(w(|w| w.softness_outside = -0.1).is_err());
    assert!(w(|w| w.size = [0.0, 0.3]).is_err());
    assert!(w(|w| w.shape = Shape::Polygon).is_err());
    let q = |f: fn(&mut Qualifier)| {
        let mut q = Qualifier::default();
        f(&mut q);
        Key { qualifier: Some(q), ..Key::default() }.validate()
    };
    assert!(q(|q| q.blur = -1.0).is_err());
    assert!(q(|q| q.clean_black = 0.6).is_ok());
    assert!(q(|q| (q.clean_black, q.clean_white) = (0.6, 0.5)).is_err());
    assert!(q(|q| q.luma = Range { enabled: true, low: 0.8, high: 0.2, softness: 0.1 }).is_err());
    // Each of the hue's two conditions alone is enough to refuse it.
    assert!(q(|q| q.hue.width = 1.5).is_err(), "hue width past 1, softness fine");
    assert!(q(|q| q.hue.softness = -0.1).is_err(), "hue width fine, softness negative");
    assert!(q(|q| (q.hue.width, q.hue.softness) = (1.0, 0.0)).is_ok());
    assert!(Key { windows: vec![Window::default(); 9], ..Key::default() }.validate().is_err());
}

#[test]
fn a_four_point_bezier_circle_is_a_circle_within_a_thousandth_of_its_radius() {
    let aspect = 1.0;
    let w = Window::new_for(Shape::Bezier, aspect);
    let outline = w.outline(aspect);
    assert_eq!(outline.len(), MAX_SHAPE_POINTS);
    let c = [w.center[0] * aspect, w.center[1]];
    let r = 0.15;
    let radius = |p: [f32; 2]| ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt();
    for (i, p) in outline.iter().enumerate() {
        // Every corner and every chord's midpoint (where a flattened curve is farthest in).
        let q = outline[(i + 1) % outline.len()];
        for point in [*p, [(p[0] + q[0]) * 0.5, (p[1] + q[1]) * 0.5]] {
            let e = (radius(point) - r).abs() / r;
            assert!(e < 1e-3, "{point:?}: {e} of the radius off");
        }
    }
    // Scaled and turned with the window: twice as wide, a quarter turn, it is tall.
    let turned = Window { size: [2.0, 1.0], rotation: 90.0, ..w };
    let o = turned.outline(aspect);
    let (ys, xs): (Vec<f32>, Vec<f32>) = o.iter().map(|p| (p[1], p[0])).unzip();
    let span = |v: &[f32]| v.iter().cloned().fold(f32::MIN, f32::max) - v.iter().cloned().fold(f32::MAX, f32::min);
    assert!((span(&ys) - 0.6).abs() < 1e-3 && (span(&xs) - 0.3).abs() < 1e-3, "{} {}", span(&xs), span(&ys));
}

#[test]
fn pipeline_constants_name_exactly_what_the_key_uses() {
    use super::{mix_constants, qualifier_constants};
    let hue = HueRange { enabled: true, ..HueRange::default() };
    let luma = Range { enabled: true, ..Range::default() };
    let q = Qualifier { hue, luma, ..Qualifier::default() };
    assert_eq!(qualifier_constants(&q.uniform()), [("QUALIFY_RANGES", 0b101)]);
    let windows = [Shape::Rectangle, Shape::Bezier].map(|shape| Window { shape, ..Window::default() });
    let key = Key { qualifier: Some(q), windows: windows.to_vec(), ..Key::default() };
    assert_eq!(mix_constants(&key.uniform(1.0, 64, 32)), [("KEY_SHAPES", 0b1010), ("KEY_QUALIFIER", PACKED_MATTE)]);
    let plain = KeyMixUniform::plain(0.5, 32);
    assert_eq!(mix_constants(&plain), [("KEY_SHAPES", 0), ("KEY_QUALIFIER", NO_QUALIFIER)]);
}
