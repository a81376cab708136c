//! The CPU twin of the GPU executor: a node's op at its mix, its key, and a whole grade applied to a
//! [`Frame`] exactly as `gpu::executor` and `gpu::nodes` record them (the same uniforms, the same
//! passes, the same order). Slow; it exists so every shader can be held to it.

use super::key::{self, KeyMixUniform};
use super::{color_transform, curves, gaussian, lut, primaries, vignette};
use crate::grade::{Grade, Node, Op};
use crate::media::Frame;

fn pointwise(frame: &Frame, f: impl Fn([f32; 4], u32, u32) -> [f32; 4]) -> Frame {
    Frame::from_fn(frame.width, frame.height, |x, y| f(frame.pixel(x, y), x, y))
}

fn rgb(f: impl Fn([f32; 3]) -> [f32; 3]) -> impl Fn([f32; 4], u32, u32) -> [f32; 4] {
    move |p, _, _| {
        let o = f([p[0], p[1], p[2]]);
        [o[0], o[1], o[2], p[3]]
    }
}

/// `node`'s op applied to `frame` at the node's mix, its key aside (`executor::encode_op`).
pub fn apply_op(node: &Node, frame_number: u32, frame: &Frame) -> Frame {
    let mix = node.mix;
    let blend = |blurred: &Frame| {
        let u = KeyMixUniform::plain(mix, frame.height);
        pointwise(frame, |p, x, y| key::mix_pixel(&u, p, blurred.pixel(x, y), 1.0, x, y))
    };
    match &node.op {
        Op::Primaries(p) => {
            let u = p.uniform(mix);
            pointwise(frame, rgb(|v| primaries::apply_pixel(&u, v)))
        }
        Op::ColorTransform(t) => {
            let u = t.uniform(mix);
            pointwise(frame, rgb(|v| color_transform::apply_pixel(&u, v)))
        }
        // A LUT that cannot be read fails grade validation long before this; pass through rather
        // than panic if it vanished since.
        Op::Lut(l) => match l.load() {
            Ok(cube) => pointwise(frame, rgb(|v| lut::apply_pixel(&cube, l.interpolation, mix, v))),
            Err(_) => frame.clone(),
        },
        Op::Curves(c) if c.is_neutral() => frame.clone(),
        Op::Curves(c) => {
            let (u, tables) = (c.uniform(mix), c.tables());
            pointwise(frame, rgb(|v| curves::apply_pixel(&u, &tables, v)))
        }
        Op::Vignette(v) if v.is_neutral() => frame.clone(),
        Op::Vignette(v) => {
            let u = v.uniform(frame.width, frame.height, mix);
            pointwise(frame, |p, x, y| vignette::apply_pixel(&u, p, x, y))
        }
        Op::Blur(b) => {
            let passes = b.passes(frame.width);
            if passes.is_empty() {
                frame.clone()
            } else if mix >= 1.0 {
                gaussian::apply(&passes, frame)
            } else {
                blend(&gaussian::apply(&passes, frame))
            }
        }
        Op::Sharpen(s) if s.is_neutral(frame.width) => frame.clone(),
        Op::Sharpen(s) => s.apply(frame, mix),
        Op::Denoise(d) if d.is_neutral() => frame.clone(),
        Op::Denoise(d) => d.apply(frame, mix),
        Op::Glow(g) if g.is_neutral() => frame.clone(),
        Op::Glow(g) => g.apply(frame, mix),
        Op::Grain(g) if g.is_neutral() => frame.clone(),
        Op::Grain(g) => g.apply(frame, frame_number, mix),
    }
}

/// `node` applied to `frame`: through its key when it has an active one (`nodes::encode_node`).
pub fn apply_node(node: &Node, frame_number: u32, frame: &Frame) -> Frame {
    let Some(k) = node.key.as_ref().filter(|k| k.is_active()) else {
        return apply_op(node, frame_number, frame);
    };
    let full = Node { mix: 1.0, key: None, ..node.clone() };
    let corrected = apply_op(&full, frame_number, frame);
    let matte = k.qualifier.map(|q| {
        let u = q.uniform();
        let raw = pointwise(frame, rgb(|v| [key::qualifier_pixel(&u, v); 3])).pixels;
        let raw = Frame { pixels: raw.into_iter().map(|p| [p[0], p[1], p[2], 1.0]).collect(), ..*frame };
        gaussian::apply(&q.blur_passes(frame.width), &raw)
    });
    let u = k.uniform(node.mix, frame.width, frame.height);
    pointwise(frame, |p, x, y| {
        let q = matte.as_ref().map_or(0.0, |m| m.pixel(x, y)[0]);
        key::mix_pixel(&u, p, corrected.pixel(x, y), q, x, y)
    })
}

/// Every active node of `grade` applied to `frame` in order (`executor::encode_grade_frame`).
pub fn apply_grade(grade: &Grade, frame_number: u32, frame: &Frame) -> Frame {
    grade.active_nodes().fold(frame.clone(), |f, node| apply_node(node, frame_number, &f))
}
