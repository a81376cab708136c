//! The full grade (LogC3 input, primaries, a 33-point 3D LUT, Rec.709 output) on a 3840x2160 frame,
//! fused and node by node, against a plain copy pass on the same adapter; and edit-to-viewer latency.
//!
//! Run: `cargo bench --bench grade`. `cinegrade bench` prints the same figures as a table with ratios
//! (see BENCHMARKS.md); this is the criterion view of them, for tracking changes over time.

use cinegrade::bench::{test_frame, test_grade, write_test_lut};
use cinegrade::gpu::graph::{self, FuseLimits};
use cinegrade::gpu::viewer::Viewer;
use cinegrade::gpu::{GpuContext, GpuFrame, executor, runner};
use criterion::{Criterion, criterion_group, criterion_main};

const WIDTH: u32 = 3840;
const HEIGHT: u32 = 2160;

fn bench(c: &mut Criterion) {
    let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe works)");
    eprintln!("adapter: {}", ctx.describe());
    let lut = std::env::temp_dir().join("cinegrade-bench-criterion.cube");
    write_test_lut(&lut).expect("write the test LUT");
    let frame = test_frame(WIDTH, HEIGHT);
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let out = GpuFrame::new(&ctx, WIDTH, HEIGHT).unwrap();
    let grade = test_grade(&lut, 0.25);
    let one_stage = FuseLimits { max_stages: 1, max_lattices: 1 };
    let one_by_one = graph::record(&grade, WIDTH, HEIGHT, 0, one_stage).unwrap();
    let submit = |record: &dyn Fn(&mut wgpu::CommandEncoder)| {
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        record(&mut encoder);
        ctx.queue.submit([encoder.finish()]);
        ctx.wait().unwrap();
    };

    let mut group = c.benchmark_group("4k");
    group.sample_size(10);
    group.bench_function("copy", |b| b.iter(|| submit(&|e| executor::encode_copy(&ctx, e, &source, &out).unwrap())));
    group.bench_function("grade_fused", |b| {
        b.iter(|| submit(&|e| executor::encode_grade(&ctx, e, &grade, 0, &source, &out).unwrap()))
    });
    group.bench_function("grade_one_pass_per_node", |b| {
        b.iter(|| submit(&|e| runner::encode(&ctx, e, &one_by_one, &source, &out).unwrap()))
    });
    let viewer = Viewer::new(&ctx, &frame).unwrap();
    viewer.show_only(&[]);
    let mut exposure = 0.0;
    group.bench_function("edit_to_viewer", |b| {
        b.iter(|| {
            exposure = if exposure > 0.5 { -0.5 } else { exposure + 0.05 };
            viewer.render(&ctx, &test_grade(&lut, exposure), 0).unwrap();
            ctx.wait().unwrap();
        })
    });
    group.finish();
    let _ = std::fs::remove_file(&lut);
}

criterion_group!(benches, bench);
criterion_main!(benches);
