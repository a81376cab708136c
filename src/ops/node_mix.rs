//! The mixer nodes' pass (`shaders/ops/node_mix.wgsl`) and its CPU twin: one input at a time folded
//! into what is mixed so far (see `grade::graph` for what the mixers mean).

use crate::gpu::graph::CpuPass;
use crate::gpu::layout::GpuStruct;
use crate::grade::Composite;

use super::Kernel;

/// Name of the mixing shader.
pub const SHADER: &str = "node_mix";

/// The pass and its CPU twin.
pub const KERNELS: &[Kernel] = &[Kernel {
    name: SHADER,
    wgsl: include_str!("../../shaders/ops/node_mix.wgsl"),
    cpu: |pass: &CpuPass| {
        let u: NodeMixUniform = pass.uniform(0);
        let [a, b, c] = [pass.inputs[0], pass.inputs[1], pass.inputs[2]];
        vec![pass.map(|x, y| mix_pixel(&u, a.pixel(x, y), b.pixel(x, y), c.pixel(x, y)))]
    },
    uniform: Some(("NodeMix", NodeMixUniform::LAYOUT)),
}];

crate::gpu_struct! {
    /// One mixing step, laid out as `struct NodeMix` in `shaders/ops/node_mix.wgsl`.
    pub struct NodeMixUniform {
        /// 0 parallel; layers: 1 normal, 2 add, 3 multiply, 4 screen.
        pub mode: u32,
        /// The layer's strength.
        pub alpha: f32,
        /// 1 when the third input is the layer's matte.
        pub use_matte: u32,
        /// Padding.
        pub _pad: u32,
    }
}

impl NodeMixUniform {
    /// A parallel step: `a + b − c`.
    pub fn parallel() -> Self {
        Self { mode: 0, alpha: 1.0, use_matte: 0, _pad: 0 }
    }

    /// A layer step: `b` over `a` by `composite` at `alpha` (times the matte in the third input when
    /// `matte`).
    pub fn layer(composite: Composite, alpha: f32, matte: bool) -> Self {
        let mode = match composite {
            Composite::Normal => 1,
            Composite::Add => 2,
            Composite::Multiply => 3,
            Composite::Screen => 4,
        };
        Self { mode, alpha, use_matte: u32::from(matte), _pad: 0 }
    }
}

/// CPU twin of `node_mix.wgsl` for one pixel.
pub fn mix_pixel(u: &NodeMixUniform, a: [f32; 4], b: [f32; 4], c: [f32; 4]) -> [f32; 4] {
    if u.mode == 0 {
        return [a[0] + b[0] - c[0], a[1] + b[1] - c[1], a[2] + b[2] - c[2], a[3]];
    }
    let over = |k: usize| match u.mode {
        2 => a[k] + b[k],
        3 => a[k] * b[k],
        4 => 1.0 - (1.0 - a[k]) * (1.0 - b[k]),
        _ => b[k],
    };
    let alpha = u.alpha * if u.use_matte != 0 { c[0] } else { 1.0 };
    let rgb = [0, 1, 2].map(|k| if alpha < 1.0 { a[k] * (1.0 - alpha) + over(k) * alpha } else { over(k) });
    [rgb[0], rgb[1], rgb[2], a[3]]
}
