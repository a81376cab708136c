//! The CPU runner of the pass graph: every pass run by its shader's CPU twin, reading the same
//! images, uniforms, tables and lattices the GPU binds (as `vello_shaders/src/cpu` runs its stages).
//! It is the CPU reference of a whole grade; slow, and there so every shader can be held to it.

use std::sync::Arc;

use super::graph::{CpuPass, FuseLimits, Pass, PassGraph, Program, SOURCE, STAGE_HEADER, StageKey};
use crate::grade::Grade;
use crate::interchange::{InterchangeError, Lut3d};
use crate::media::Frame;
use crate::ops::{self, Site, blend};

/// Why the CPU runner could not run a graph.
#[derive(Debug, thiserror::Error)]
pub enum CpuError {
    /// A file a node names could not be read.
    #[error(transparent)]
    File(#[from] InterchangeError),
    /// A pass names a shader without a CPU twin (a bug: every kernel has one).
    #[error("no CPU twin for shader {0}")]
    NoTwin(String),
    /// The frame is not the graph's size.
    #[error("the frame is {0}x{1}, the graph {2}x{3}")]
    Size(u32, u32, u32, u32),
}

/// Runs `graph` on `source`; returns the output image.
pub fn run(graph: &PassGraph, source: &Frame) -> Result<Frame, CpuError> {
    if (source.width, source.height) != (graph.width, graph.height) {
        return Err(CpuError::Size(source.width, source.height, graph.width, graph.height));
    }
    let mut images: Vec<Option<Arc<Frame>>> = vec![None; graph.images() as usize];
    images[SOURCE.0 as usize] = Some(Arc::new(source.clone()));
    for pass in &graph.passes {
        let inputs: Vec<Arc<Frame>> = pass
            .inputs
            .iter()
            .map(|i| images[i.0 as usize].clone().ok_or_else(|| CpuError::NoTwin(format!("image {} unwritten", i.0))))
            .collect::<Result<_, _>>()?;
        let outputs = run_pass(graph, pass, &inputs)?;
        for (img, frame) in pass.outputs.iter().zip(outputs) {
            images[img.0 as usize] = Some(Arc::new(frame));
        }
    }
    let out = images[graph.output.0 as usize].take().unwrap_or_else(|| Arc::new(source.clone()));
    Ok(Arc::try_unwrap(out).unwrap_or_else(|shared| (*shared).clone()))
}

fn run_pass(graph: &PassGraph, pass: &Pass, inputs: &[Arc<Frame>]) -> Result<Vec<Frame>, CpuError> {
    let (width, height) = graph.pass_size(pass);
    let cpu = CpuPass {
        width,
        height,
        inputs: inputs.iter().map(|f| f.as_ref()).collect(),
        uniforms: &pass.uniforms,
        tables: &pass.tables,
        lattices: &pass.lattices,
    };
    match &pass.program {
        Program::Shader(name) | Program::Overridden(name, _) => {
            let kernel = ops::kernel(name).ok_or_else(|| CpuError::NoTwin(name.to_string()))?;
            Ok((kernel.cpu)(&cpu))
        }
        // The display a FusedDisplay pass writes as well is the screen's quantisation, not a twin's.
        Program::Fused(stages) | Program::FusedDisplay(stages) => Ok(vec![fused(&cpu, stages)?]),
        Program::FusedKeyed(stages, _) => {
            // The stages' twin, then the key's (`key_mix`'s) on the input and the corrected colour.
            let corrected = fused(&cpu, stages)?;
            let mix = CpuPass {
                width,
                height,
                inputs: vec![inputs[0].as_ref(), &corrected, inputs[1].as_ref()],
                uniforms: &pass.uniforms[stages.len()..],
                tables: &[],
                lattices: &[],
            };
            let kernel = ops::kernel(ops::key::MIX_SHADER).ok_or_else(|| CpuError::NoTwin("key_mix".into()))?;
            Ok((kernel.cpu)(&mix))
        }
    }
}

/// One stage of a fused pass as its twin reads it.
struct Stage<'a> {
    entry: &'static ops::PointwiseEntry,
    mix: f32,
    uniform: &'a [u8],
    tables: &'a [f32],
    lattice: Option<&'a Lut3d>,
}

/// The twin of a generated pass: every stage's CPU twin in order, each blended by its mix.
fn fused(pass: &CpuPass, keys: &[StageKey]) -> Result<Frame, CpuError> {
    let mut lattices = pass.lattices.iter();
    let mut stages = Vec::with_capacity(keys.len());
    for (key, bytes) in keys.iter().zip(pass.uniforms) {
        let entry = ops::pointwise(key.shader).ok_or_else(|| CpuError::NoTwin(key.shader.to_string()))?;
        let word = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let offset = (word(4) as usize).min(pass.tables.len());
        stages.push(Stage {
            entry,
            mix: f32::from_bits(word(0)),
            uniform: &bytes[STAGE_HEADER..],
            tables: &pass.tables[offset..],
            lattice: if entry.lattice { lattices.next().map(|l| l.as_ref()) } else { None },
        });
    }
    let source = pass.inputs[0];
    Ok(pass.map(|x, y| {
        let px = source.pixel(x, y);
        let mut rgb = [px[0], px[1], px[2]];
        for s in &stages {
            let site = Site { pos: [x, y], tables: s.tables, lattice: s.lattice };
            rgb = blend(rgb, (s.entry.cpu)(s.uniform, rgb, &site), s.mix);
        }
        [rgb[0], rgb[1], rgb[2], px[3]]
    }))
}

/// The CPU reference of `grade` on frame `frame_number`: its pass graph (as the GPU records it, with
/// WebGPU's default limits) run by the CPU twins.
pub fn apply_grade(grade: &Grade, frame_number: u32, frame: &Frame) -> Result<Frame, CpuError> {
    let graph = super::graph::record(grade, frame.width, frame.height, frame_number, FuseLimits::default())?;
    run(&graph, frame)
}
