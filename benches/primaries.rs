//! The primaries pass on a 3840x2160 rgba32float frame against a plain copy pass on the same adapter.
//!
//! Run: `cargo bench --bench primaries`. Besides criterion's per-pass times it prints the ratio
//! primaries / copy, the figure BENCHMARKS.md records (the copy pass is the memory-bandwidth floor).

use std::time::{Duration, Instant};

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::media::Frame;
use cinegrade::ops::primaries::{Primaries, Wheel};
use criterion::{Criterion, criterion_group, criterion_main};

const WIDTH: u32 = 3840;
const HEIGHT: u32 = 2160;

struct Setup {
    ctx: GpuContext,
    source: GpuFrame,
    target: GpuFrame,
    uniform: Vec<u8>,
}

fn setup() -> Setup {
    let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe works)");
    let frame = Frame::from_fn(WIDTH, HEIGHT, |x, y| {
        let (u, v) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        [u * 2.0, v, (u + v) * 0.5, 1.0]
    });
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let target = GpuFrame::new(&ctx, WIDTH, HEIGHT).unwrap();
    let p = Primaries {
        exposure: 0.3,
        temperature: 5200.0,
        lift: Wheel { rgb: [0.01, 0.0, 0.02], master: 0.0 },
        gamma: Wheel { rgb: [1.0, 1.05, 1.0], master: 0.95 },
        contrast: 1.2,
        saturation: 1.1,
        ..Primaries::default()
    };
    let uniform = bytemuck::bytes_of(&p.uniform(1.0)).to_vec();
    eprintln!("adapter: {}", ctx.describe());
    Setup { ctx, source, target, uniform }
}

fn run_pass(s: &Setup, shader: &'static str) {
    let mut encoder = s.ctx.device.create_command_encoder(&Default::default());
    executor::encode_image_op(&s.ctx, &mut encoder, shader, &s.uniform, &s.source, &s.target).unwrap();
    s.ctx.queue.submit([encoder.finish()]);
    s.ctx.wait().unwrap();
}

fn median_time(s: &Setup, shader: &'static str, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            run_pass(s, shader);
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn bench(c: &mut Criterion) {
    let s = setup();
    run_pass(&s, "copy");
    run_pass(&s, "primaries");
    let mut group = c.benchmark_group("4k_rgba32f");
    group.sample_size(10);
    group.bench_function("copy", |b| b.iter(|| run_pass(&s, "copy")));
    group.bench_function("primaries", |b| b.iter(|| run_pass(&s, "primaries")));
    group.finish();
    let copy = median_time(&s, "copy", 9);
    let primaries = median_time(&s, "primaries", 9);
    println!(
        "primaries {:.2} ms, copy {:.2} ms, ratio primaries/copy = {:.2} ({})",
        primaries.as_secs_f64() * 1e3,
        copy.as_secs_f64() * 1e3,
        primaries.as_secs_f64() / copy.as_secs_f64(),
        s.ctx.adapter_info.name
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
