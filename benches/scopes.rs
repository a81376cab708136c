//! All four scopes (accumulation + render) on a 3840x2160 rgba32float frame against a plain copy pass
//! of that frame on the same adapter.
//!
//! Run: `cargo bench --bench scopes`. Besides criterion's times it prints the ratio scopes / copy, the
//! figure BENCHMARKS.md records (the copy pass is the memory-bandwidth floor), and each scope alone.

use std::time::{Duration, Instant};

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::media::Frame;
use cinegrade::scopes::{ScopeEngine, ScopeKind, ScopeSettings};
use criterion::{Criterion, criterion_group, criterion_main};

const WIDTH: u32 = 3840;
const HEIGHT: u32 = 2160;

struct Setup {
    ctx: GpuContext,
    source: GpuFrame,
    target: GpuFrame,
    engine: ScopeEngine,
    settings: ScopeSettings,
}

fn setup() -> Setup {
    let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe works)");
    // Smooth gradients with some saturated colour and a little out-of-range signal, like a graded
    // picture: the samples spread over many bins instead of piling onto one.
    let frame = Frame::from_fn(WIDTH, HEIGHT, |x, y| {
        let (u, v) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        let wave = (u * 37.0).sin() * 0.1;
        [u * 1.1 - 0.02, v + wave, (1.0 - u) * v, 1.0]
    });
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let target = GpuFrame::new(&ctx, WIDTH, HEIGHT).unwrap();
    let engine = ScopeEngine::new(&ctx).expect("scope pipelines");
    eprintln!("adapter: {}", ctx.describe());
    Setup { ctx, source, target, engine, settings: ScopeSettings::default() }
}

fn run_copy(s: &Setup) {
    let mut encoder = s.ctx.device.create_command_encoder(&Default::default());
    executor::encode_copy(&s.ctx, &mut encoder, &s.source, &s.target).unwrap();
    s.ctx.queue.submit([encoder.finish()]);
    s.ctx.wait().unwrap();
}

fn run_scopes(s: &mut Setup, kinds: &[ScopeKind]) {
    s.engine.run(&s.ctx, &s.source, &s.settings, kinds).unwrap();
    s.ctx.wait().unwrap();
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn bench(c: &mut Criterion) {
    let mut s = setup();
    run_copy(&s);
    run_scopes(&mut s, &ScopeKind::ALL);
    let mut group = c.benchmark_group("4k_rgba32f");
    group.sample_size(10);
    group.bench_function("copy", |b| b.iter(|| run_copy(&s)));
    group.bench_function("scopes_all", |b| b.iter(|| run_scopes(&mut s, &ScopeKind::ALL)));
    group.finish();
    let copy = median(9, || run_copy(&s));
    let all = median(9, || run_scopes(&mut s, &ScopeKind::ALL));
    println!(
        "scopes (all four) {:.2} ms, copy {:.2} ms, ratio scopes/copy = {:.2} ({})",
        ms(all),
        ms(copy),
        all.as_secs_f64() / copy.as_secs_f64(),
        s.ctx.adapter_info.name
    );
    // Each scope alone (waveform and parade share one accumulation).
    for kind in ScopeKind::ALL {
        let t = median(5, || run_scopes(&mut s, &[kind]));
        println!("  {:<11} {:.2} ms, ratio to copy = {:.2}", kind.name(), ms(t), t.as_secs_f64() / copy.as_secs_f64());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
