//! The blur line pass has two variants, picked per adapter by measurement: tiled in workgroup
//! memory, and reading every tap from the texture. Both run here on the same device, for every
//! op built on the Gaussian line pass (blur, sharpen, glow, grain), and must match the CPU reference
//! within the spatial tolerance and each other exactly (same sums in the same order). A keyed node's
//! matte softening has passes of its own (`ops::key::matte`, one variant); it runs here too, the
//! same under both settings.

mod common;

use cinegrade::gpu::{GpuContext, GpuFrame, SpatialPasses, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::blur::Blur;
use cinegrade::ops::glow::Glow;
use cinegrade::ops::grain::Grain;
use cinegrade::ops::key::{Key, Qualifier, Range};
use cinegrade::ops::primaries::Primaries;
use cinegrade::ops::sharpen::Sharpen;

/// As tests/gpu_vs_cpu_nodes.rs: sums of up to 385 taps in f32.
const SPATIAL: f32 = 2e-5;

fn context(shared: &GpuContext, spatial: SpatialPasses) -> GpuContext {
    let mut ctx = GpuContext::from_device(shared.adapter_info.clone(), shared.device.clone(), shared.queue.clone());
    ctx.spatial = spatial;
    ctx
}

#[test]
fn both_blur_variants_match_the_cpu_reference_and_each_other() {
    let Some(shared) = common::gpu() else { return };
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame.crop(100, 30, 301, 157);
    let frame = Frame::from_fn(photo.width, photo.height, |x, y| photo.pixel(x, y));
    let mut keyed = Node::new(Op::Primaries(Primaries { saturation: 1.4, ..Primaries::default() }));
    let q = Qualifier {
        luma: Range { enabled: true, low: 0.3, high: 0.7, softness: 0.1 },
        blur: 20.0,
        ..Qualifier::default()
    };
    keyed.key = Some(Key { qualifier: Some(q), ..Key::default() });
    let grades = [
        ("blur 4", vec![Node::new(Op::Blur(Blur { radius: 4.0 }))]),
        ("blur 90 (several passes)", vec![Node::new(Op::Blur(Blur { radius: 90.0 }))]),
        ("sharpen", vec![Node::new(Op::Sharpen(Sharpen { radius: 12.0, amount: 1.5, threshold: 0.0 }))]),
        ("glow", vec![Node::new(Op::Glow(Glow { threshold: 0.4, amount: 0.6, radius: 40.0, ..Glow::default() }))]),
        ("grain", vec![Node::new(Op::Grain(Grain { amount: 0.05, size: 3.0, ..Grain::default() }))]),
        ("keyed, matte blurred", vec![keyed]),
    ];
    let (tiled, direct) = (context(&shared, SpatialPasses::Tiled), context(&shared, SpatialPasses::Direct));
    for (name, nodes) in grades {
        let grade = Grade { nodes, ..Grade::default() };
        let run = |ctx: &GpuContext| {
            let source = GpuFrame::upload(ctx, &frame).unwrap();
            executor::apply_grade_frame(ctx, &grade, 7, &source).unwrap().download(ctx).unwrap()
        };
        let (a, b) = (run(&tiled), run(&direct));
        let cpu = cinegrade::gpu::cpu::apply_grade(&grade, 7, &frame).unwrap();
        assert!(cpu.pixels != frame.pixels, "{name}: the grade changes the picture");
        common::assert_close(&a.pixels, &cpu.pixels, SPATIAL, &format!("{name}, tiled"));
        common::assert_close(&b.pixels, &cpu.pixels, SPATIAL, &format!("{name}, direct"));
        assert!(a.pixels == b.pixels, "{name}: the two variants differ");
    }
}

/// By measurement GPUs run the tiled pass and llvmpipe the direct one (see
/// `SpatialPasses::for_adapter`).
#[test]
fn every_adapter_runs_the_variant_measured_faster_there() {
    let Some(ctx) = common::gpu() else { return };
    if std::env::var_os("CINEGRADE_SPATIAL").is_some() {
        return;
    }
    let info = |device_type| wgpu::AdapterInfo { device_type, ..ctx.adapter_info.clone() };
    for t in [wgpu::DeviceType::DiscreteGpu, wgpu::DeviceType::IntegratedGpu, wgpu::DeviceType::VirtualGpu] {
        assert_eq!(SpatialPasses::for_adapter(&info(t)), SpatialPasses::Tiled, "{t:?}");
    }
    assert_eq!(SpatialPasses::for_adapter(&info(wgpu::DeviceType::Cpu)), SpatialPasses::Direct);
    assert_eq!(ctx.spatial, SpatialPasses::for_adapter(&ctx.adapter_info));
}
