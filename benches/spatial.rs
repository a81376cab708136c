//! Each enhancement pass (and curves and a keyed node, for scale) on a 3840x2160 rgba32float frame
//! against a plain copy pass on the same adapter.
//!
//! Run: `cargo bench --bench spatial`. Besides criterion's report it prints, per op, the median of the
//! iterations criterion timed and the ratio op / copy that BENCHMARKS.md records (the copy pass is the
//! memory-bandwidth floor). The parameters are typical grading values at the 1920 reference width, so
//! radii double at 4K; on a software adapter (llvmpipe) one iteration of the wider passes takes seconds.

use std::time::{Duration, Instant};

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::blur::Blur;
use cinegrade::ops::curves::{Curve, Curves};
use cinegrade::ops::denoise::Denoise;
use cinegrade::ops::glow::Glow;
use cinegrade::ops::grain::Grain;
use cinegrade::ops::key::{HueRange, Key, Qualifier, Window};
use cinegrade::ops::primaries::Primaries;
use cinegrade::ops::sharpen::Sharpen;
use cinegrade::ops::vignette::Vignette;
use criterion::{Criterion, criterion_group, criterion_main};

const WIDTH: u32 = 3840;
const HEIGHT: u32 = 2160;

struct Setup {
    ctx: GpuContext,
    source: GpuFrame,
    target: GpuFrame,
}

fn setup() -> Setup {
    let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe works)");
    let frame = Frame::from_fn(WIDTH, HEIGHT, |x, y| {
        let (u, v) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        let n = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 97) as f32 / 970.0;
        [u * 2.0 + n, v + n, (u + v) * 0.5 - n, 1.0]
    });
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let target = GpuFrame::new(&ctx, WIDTH, HEIGHT).unwrap();
    eprintln!("adapter: {}", ctx.describe());
    Setup { ctx, source, target }
}

/// The nodes timed, by name: every spatial pass, then pointwise ones for comparison.
fn nodes() -> Vec<(&'static str, Node)> {
    let keyed = {
        let mut n = Node::new(Op::Primaries(Primaries { exposure: 0.5, ..Primaries::default() }));
        n.key = Some(Key {
            qualifier: Some(Qualifier {
                hue: HueRange { enabled: true, ..HueRange::default() },
                blur: 4.0,
                ..Default::default()
            }),
            windows: vec![Window::default()],
            ..Key::default()
        });
        n
    };
    vec![
        ("blur r4", Node::new(Op::Blur(Blur { radius: 4.0 }))),
        ("sharpen", Node::new(Op::Sharpen(Sharpen { radius: 1.5, amount: 1.0, threshold: 0.005 }))),
        ("denoise", Node::new(Op::Denoise(Denoise { radius: 3.0, luma: 0.02, chroma: 0.04 }))),
        ("glow r10", Node::new(Op::Glow(Glow { amount: 0.5, radius: 10.0, ..Glow::default() }))),
        ("grain", Node::new(Op::Grain(Grain { amount: 0.03, size: 1.5, ..Grain::default() }))),
        ("vignette", Node::new(Op::Vignette(Vignette { amount: 0.4, ..Vignette::default() }))),
        (
            "curves",
            Node::new(Op::Curves(Curves {
                master: Curve { points: vec![[0.0, 0.0], [0.3, 0.25], [0.7, 0.8], [1.0, 1.0]] },
                hue_vs_saturation: Curve { points: vec![[0.1, 0.3], [0.6, -0.3]] },
                ..Curves::default()
            })),
        ),
        ("keyed primaries", keyed),
    ]
}

fn run_copy(s: &Setup) {
    let mut encoder = s.ctx.device.create_command_encoder(&Default::default());
    executor::encode_copy(&s.ctx, &mut encoder, &s.source, &s.target).unwrap();
    s.ctx.queue.submit([encoder.finish()]);
    s.ctx.wait().unwrap();
}

fn run_node(s: &Setup, node: &Node) {
    let mut encoder = s.ctx.device.create_command_encoder(&Default::default());
    let grade = Grade { nodes: vec![node.clone()], ..Grade::default() };
    executor::encode_grade(&s.ctx, &mut encoder, &grade, 0, &s.source, &s.target).unwrap();
    s.ctx.queue.submit([encoder.finish()]);
    s.ctx.wait().unwrap();
}

/// Times every iteration criterion asks for, keeping each one for the median.
fn timed(b: &mut criterion::Bencher, samples: &mut Vec<Duration>, mut f: impl FnMut()) {
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let t = Instant::now();
            f();
            let d = t.elapsed();
            samples.push(d);
            total += d;
        }
        total
    });
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn bench(c: &mut Criterion) {
    let s = setup();
    let nodes = nodes();
    let mut group = c.benchmark_group("4k_rgba32f");
    group.sample_size(10).warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_secs(1));
    let mut copy = Vec::new();
    group.bench_function("copy", |b| timed(b, &mut copy, || run_copy(&s)));
    let mut times = Vec::new();
    for (name, node) in &nodes {
        let mut samples = Vec::new();
        group.bench_function(*name, |b| timed(b, &mut samples, || run_node(&s, node)));
        times.push((*name, median(samples)));
    }
    group.finish();
    let copy = median(copy);
    println!("copy {:.2} ms ({})", copy.as_secs_f64() * 1e3, s.ctx.describe());
    for (name, t) in times {
        let ratio = t.as_secs_f64() / copy.as_secs_f64();
        println!("{name:>16} {:10.2} ms  ratio {name}/copy = {ratio:.1}", t.as_secs_f64() * 1e3);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
