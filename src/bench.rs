//! `cinegrade bench`: what a grade costs on the present adapter, against the memory-bandwidth floor.
//!
//! On a 3840x2160 frame of half-float values (as a camera log EXR holds them) in rgba32float working
//! frames, it measures a plain copy pass (one read and one write per pixel: the floor every pointwise
//! pass sits on), the full grade (log input transform, primaries, a 33-point 3D LUT, display output)
//! fused into one pass and node by node, the four scopes, blur, glow and a keyed node (the spatial
//! passes, in the line-pass variant the adapter picks), and edit-to-viewer latency (a parameter
//! changes; the viewer's graded and display textures, and then the scopes, are ready). Each figure is
//! a time and a ratio to the copy pass.
//!
//! Throughput figures record `batch` passes in one submission and divide, so they measure the GPU
//! rather than one submission's overhead; the median of `runs` samples is reported. Where the adapter
//! has timestamp queries, throughput figures also carry the GPU's own time for the batch (timestamps
//! written before and after it in the same command buffer), beside the wall clock. Latency figures
//! are one edit each, submission and wait included, as the colorist feels them. The spatial passes,
//! slow on a software adapter, are sampled one pass a submission, and their ratios are to a copy
//! pass measured the same way (its own row).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::color::space::ColorSpace;
use crate::gpu::graph::{self, FuseLimits};
use crate::gpu::viewer::Viewer;
use crate::gpu::{GpuContext, GpuError, GpuFrame, executor, runner};
use crate::grade::pipeline::Pipeline;
use crate::grade::{Grade, Node, Op};
use crate::media::Frame;
use crate::ops::lut::Lut;
use crate::ops::primaries::{Primaries, Wheel};
use crate::scopes::{ScopeEngine, ScopeError, ScopeKind, ScopeSettings};

/// Points per axis of the benchmark's 3D LUT.
pub const LUT_SIZE: usize = 33;

/// What to measure on.
#[derive(Clone, Copy, Debug)]
pub struct BenchOptions {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Samples per figure (the median is reported).
    pub runs: usize,
    /// Passes recorded per submission for throughput figures.
    pub batch: usize,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self { width: 3840, height: 2160, runs: 7, batch: 4 }
    }
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// GPU work failed.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// The scopes failed.
    #[error(transparent)]
    Scopes(#[from] ScopeError),
    /// The temporary LUT could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Nonsense options.
    #[error("{0}")]
    Options(String),
}

/// One measured figure.
#[derive(Clone, Debug)]
pub struct Figure {
    /// What was measured, in a few words.
    pub name: String,
    /// Median time.
    pub time: Duration,
    /// Ratio of `time` to the copy pass.
    pub ratio: f64,
    /// The ratio the issue aims for, when there is one.
    pub aim: Option<f64>,
    /// Median GPU time from timestamp queries (throughput figures on adapters that have them).
    pub gpu: Option<Duration>,
}

/// Everything one run measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// The adapter, backend and driver.
    pub adapter: String,
    /// Frame size.
    pub size: (u32, u32),
    /// The figures, copy pass first.
    pub figures: Vec<Figure>,
    /// Whether the adapter gave GPU timestamps.
    pub timestamps: bool,
    /// The blur line-pass variant the adapter ran.
    pub line_passes: crate::gpu::SpatialPasses,
}

impl Report {
    /// The figure called `name`.
    pub fn figure(&self, name: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.name == name)
    }

    /// A table for a terminal or BENCHMARKS.md.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "adapter: {}\nframe: {}x{} half-float values in rgba32float working frames; blur line passes: {:?}\n\n",
            self.adapter, self.size.0, self.size.1, self.line_passes
        );
        out.push_str(&format!("{:<48} {:>10} {:>12} {:>9}  {}\n", "", "time", "GPU time", "x copy", "aim"));
        for f in &self.figures {
            let aim = match f.aim {
                Some(aim) if f.ratio <= aim => format!("<= {aim:.1} met"),
                Some(aim) => format!("<= {aim:.1} MISSED"),
                None => String::new(),
            };
            let gpu = f.gpu.map_or_else(|| "-".to_string(), |g| format!("{:.2} ms", g.as_secs_f64() * 1e3));
            out.push_str(&format!(
                "{:<48} {:>7.2} ms {:>12} {:>9.2}  {aim}\n",
                f.name,
                f.time.as_secs_f64() * 1e3,
                gpu,
                f.ratio
            ));
        }
        if !self.timestamps {
            out.push_str(
                "\n(no GPU times: this adapter has no timestamp queries inside command encoders, or is a CPU adapter whose timestamps do not bracket its compute threads' work)\n",
            );
        }
        out
    }
}

/// Figure names, as printed.
pub mod names {
    /// The copy pass.
    pub const COPY: &str = "copy pass (bandwidth floor)";
    /// The copy pass measured as the spatial figures are, one pass a submission: their base.
    pub const COPY_SINGLE: &str = "copy pass, one a submission (base below)";
    /// The full grade in one fused pass.
    pub const GRADE: &str = "full grade, fused";
    /// The full grade, one pass per node.
    pub const GRADE_UNFUSED: &str = "full grade, one pass per node";
    /// The four scopes of the graded frame.
    pub const SCOPES: &str = "4 scopes (waveform, parade, vector, histogram)";
    /// Grade and scopes together.
    pub const GRADE_AND_SCOPES: &str = "full grade + 4 scopes";
    /// Edit to viewer.
    pub const EDIT: &str = "edit -> viewer (latency)";
    /// Edit to viewer through the proxy of a 1920-wide viewer.
    pub const EDIT_PROXY: &str = "edit -> viewer, proxy for 1920 wide (latency)";
    /// Edit to viewer and scopes.
    pub const EDIT_SCOPES: &str = "edit -> viewer + 4 scopes (latency)";
    /// Every QC measure of one graded frame (levels, gamut, PQ light, black, flash light, the
    /// difference from the frame before), counters read back.
    pub const QC: &str = "QC measures of a frame (with readback)";
    /// The stuck-pixel search's per-frame pass.
    pub const QC_STUCK: &str = "QC stuck-pixel range pass";
    /// A blur of radius 4 (at the 1920 reference width).
    pub const BLUR: &str = "blur, radius 4";
    /// A glow of radius 10.
    pub const GLOW: &str = "glow, radius 10";
    /// Primaries keyed by a hue qualifier with a softened matte and a window.
    pub const KEYED: &str = "keyed primaries (qualifier, matte blur 4, window)";
}

/// A 3840x2160-style test picture: smooth gradients, fine detail and saturated patches, as ARRI
/// LogC3 code values rounded to half floats (what a log EXR plate holds).
pub fn test_frame(width: u32, height: u32) -> Frame {
    Frame::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
        let detail = ((x as f32 * 0.37).sin() * (y as f32 * 0.23).cos()) * 0.03;
        let rgb = [0.15 + 0.6 * u + detail, 0.2 + 0.5 * v - detail, 0.35 + 0.3 * (1.0 - u) * v];
        let h = |c: f32| half::f16::from_f32(c).to_f32();
        [h(rgb[0]), h(rgb[1]), h(rgb[2]), 1.0]
    })
}

/// Writes a 33-point 3D LUT (a film-like contrast and warmth in a log working space) to `path`.
pub fn write_test_lut(path: &Path) -> Result<(), BenchError> {
    let n = LUT_SIZE;
    let mut text = format!("TITLE \"cinegrade bench\"\nLUT_3D_SIZE {n}\n");
    let curve = |x: f32| {
        let t = x.clamp(0.0, 1.0);
        0.5 + (t - 0.5) * (1.15 - 0.3 * (t - 0.5).abs())
    };
    for b in 0..n {
        for g in 0..n {
            for r in 0..n {
                let [r, g, b] = [r, g, b].map(|i| i as f32 / (n - 1) as f32);
                text.push_str(&format!("{:.6} {:.6} {:.6}\n", curve(r) * 1.02, curve(g), curve(b) * 0.97));
            }
        }
    }
    std::fs::write(path, text).map_err(|source| BenchError::Io { path: path.to_path_buf(), source })
}

/// The benchmark grade: LogC3 in, ACEScct working, a primaries node at `exposure`, the LUT, Rec.709 out.
pub fn test_grade(lut: &Path, exposure: f32) -> Grade {
    let look = Primaries {
        exposure,
        temperature: 5600.0,
        lift: Wheel { rgb: [0.005, 0.0, -0.005], master: 0.0 },
        gamma: Wheel { rgb: [1.0, 1.0, 1.0], master: 0.97 },
        contrast: 1.1,
        saturation: 1.05,
        ..Primaries::default()
    };
    let pipeline = Pipeline {
        input: Some(ColorSpace::ArriLogC3Ei800),
        output: Some(ColorSpace::Rec709Display),
        lut: Some(Lut::new(lut)),
        ..Pipeline::default()
    };
    pipeline.build(&Grade { nodes: vec![Node::new(Op::Primaries(look))], ..Grade::default() })
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Two GPU timestamps around a batch of passes, resolved and read back.
struct Stopwatch {
    set: wgpu::QuerySet,
    resolved: wgpu::Buffer,
    readback: wgpu::Buffer,
    period_ns: f32,
}

impl Stopwatch {
    /// A stopwatch where the device has timestamp queries inside encoders and they bracket the
    /// work. Not on CPU adapters: llvmpipe writes a timestamp when its command thread reaches it,
    /// not when its compute threads finish the dispatches before it (measured: 0.07 ms for a glow
    /// whose wall time was 8.6 s, while single-dispatch passes matched the wall clock), so its
    /// "GPU times" would mislead. `CINEGRADE_BENCH_TIMESTAMPS=1` uses them anyway (the tests do, on
    /// the passes where they hold).
    fn new(ctx: &GpuContext) -> Option<Self> {
        let wanted = wgpu::Features::TIMESTAMP_QUERY | wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS;
        let forced = std::env::var_os("CINEGRADE_BENCH_TIMESTAMPS").is_some();
        let cpu = ctx.adapter_info.device_type == wgpu::DeviceType::Cpu;
        if !ctx.device.features().contains(wanted) || (cpu && !forced) {
            return None;
        }
        let set = ctx.device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("bench timestamps"),
            ty: wgpu::QueryType::Timestamp,
            count: 2,
        });
        let buffer = |usage| {
            ctx.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("bench timestamps"),
                size: 16,
                usage,
                mapped_at_creation: false,
            })
        };
        Some(Self {
            set,
            resolved: buffer(wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC),
            readback: buffer(wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST),
            period_ns: ctx.queue.get_timestamp_period(),
        })
    }

    /// The closing timestamp and its resolve, at the end of `encoder`.
    fn finish(&self, encoder: &mut wgpu::CommandEncoder) {
        encoder.write_timestamp(&self.set, 1);
        encoder.resolve_query_set(&self.set, 0..2, &self.resolved, 0);
        encoder.copy_buffer_to_buffer(&self.resolved, 0, &self.readback, 0, 16);
    }

    /// The time between the two timestamps of the last submission (after it finished).
    fn read(&self, ctx: &GpuContext) -> Result<Duration, BenchError> {
        ctx.map_buffer(&self.readback, wgpu::MapMode::Read, None)?;
        let ticks: [u64; 2] = {
            let view = self.readback.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
            bytemuck::pod_read_unaligned(&view[..16])
        };
        self.readback.unmap();
        let ns = ticks[1].saturating_sub(ticks[0]) as f64 * f64::from(self.period_ns);
        Ok(Duration::from_nanos(ns as u64))
    }
}

/// Median over `runs` samples of `f`'s time divided by `per`.
fn measure(runs: usize, per: usize, mut f: impl FnMut() -> Result<(), BenchError>) -> Result<Duration, BenchError> {
    f()?; // warm up: pipelines, bind groups, first-touch allocations
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        samples.push(start.elapsed() / per as u32);
    }
    Ok(median(samples))
}

/// Runs every measurement on `ctx`.
pub fn run(ctx: &GpuContext, opts: &BenchOptions) -> Result<Report, BenchError> {
    if opts.runs == 0 || opts.batch == 0 || opts.width == 0 || opts.height == 0 {
        return Err(BenchError::Options("size, runs and batch must be at least 1".into()));
    }
    let lut_path = std::env::temp_dir().join(format!("cinegrade-bench-{}.cube", std::process::id()));
    write_test_lut(&lut_path)?;
    let result = run_with_lut(ctx, opts, &lut_path);
    let _ = std::fs::remove_file(&lut_path);
    result
}

fn run_with_lut(ctx: &GpuContext, opts: &BenchOptions, lut: &Path) -> Result<Report, BenchError> {
    let (w, h) = (opts.width, opts.height);
    let frame = test_frame(w, h);
    let source = GpuFrame::upload(ctx, &frame)?;
    let out = GpuFrame::new(ctx, w, h)?;
    let grade = test_grade(lut, 0.25);
    let settings = ScopeSettings::default();
    let mut scopes = ScopeEngine::new(ctx)?;
    let all = [ScopeKind::Waveform, ScopeKind::Parade, ScopeKind::Vectorscope, ScopeKind::Histogram];

    let stopwatch = Stopwatch::new(ctx);
    // Wall-clock median, and the GPU's own median where it has timestamps.
    let sampled =
        |runs: usize, batch: usize, record: &mut dyn FnMut(&mut wgpu::CommandEncoder) -> Result<(), BenchError>| {
            let mut gpu = Vec::new();
            let wall = measure(runs, batch, || {
                let mut encoder = ctx.device.create_command_encoder(&Default::default());
                if let Some(s) = &stopwatch {
                    encoder.write_timestamp(&s.set, 0);
                }
                for _ in 0..batch {
                    record(&mut encoder)?;
                }
                if let Some(s) = &stopwatch {
                    s.finish(&mut encoder);
                }
                ctx.queue.submit([encoder.finish()]);
                ctx.wait()?;
                if let Some(s) = &stopwatch {
                    gpu.push(s.read(ctx)? / batch as u32);
                }
                Ok(())
            })?;
            // The first sample is the warm-up's.
            let gpu = (gpu.len() > 1).then(|| median(gpu[1..].to_vec()));
            Ok::<_, BenchError>((wall, gpu))
        };
    let batched = |record: &mut dyn FnMut(&mut wgpu::CommandEncoder) -> Result<(), BenchError>| {
        sampled(opts.runs, opts.batch, record)
    };
    let (copy, copy_gpu) = batched(&mut |e| Ok(executor::encode_copy(ctx, e, &source, &out)?))?;
    let fused = batched(&mut |e| Ok(executor::encode_grade(ctx, e, &grade, 0, &source, &out)?))?;
    // One pass per node: runs of at most one stage.
    let one_stage = FuseLimits { max_stages: 1, max_lattices: 1 };
    let unfused_graph = graph::record(&grade, w, h, 0, one_stage).map_err(GpuError::from)?;
    let unfused = batched(&mut |e| Ok(runner::encode(ctx, e, &unfused_graph, &source, &out)?))?;
    // Where the grade's time goes: each node alone, as a pass of its own.
    let mut nodes = Vec::new();
    for node in grade.active_nodes() {
        let alone = Grade { nodes: vec![node.clone()], ..grade.clone() };
        let alone = graph::record(&alone, w, h, 0, one_stage).map_err(GpuError::from)?;
        let time = batched(&mut |e| Ok(runner::encode(ctx, e, &alone, &source, &out)?))?;
        let label = if node.label.is_empty() { node.op.name() } else { node.label.as_str() };
        nodes.push((format!("  one node alone: {label}"), time));
    }
    let scopes_time = batched(&mut |e| Ok(scopes.encode_kinds(ctx, e, &out, &settings, &all)?))?;
    let both = batched(&mut |e| {
        executor::encode_grade(ctx, e, &grade, 0, &source, &out)?;
        Ok(scopes.encode_kinds(ctx, e, &out, &settings, &all)?)
    })?;

    // Spatial passes, one pass graph each (the line pass variant this adapter picks).
    let keyed = {
        use crate::ops::key::{HueRange, Key, Qualifier, Window};
        let mut n = Node::new(Op::Primaries(Primaries { exposure: 0.5, ..Primaries::default() }));
        let hue = HueRange { enabled: true, ..HueRange::default() };
        let qualifier = Qualifier { hue, blur: 4.0, ..Qualifier::default() };
        n.key = Some(Key { qualifier: Some(qualifier), windows: vec![Window::default()], ..Key::default() });
        n
    };
    let spatial_nodes = [
        (names::BLUR, Node::new(Op::Blur(crate::ops::blur::Blur { radius: 4.0 })), 20.0),
        (
            names::GLOW,
            Node::new(Op::Glow(crate::ops::glow::Glow { amount: 0.5, radius: 10.0, ..Default::default() })),
            40.0,
        ),
        (names::KEYED, keyed, 10.0),
    ];
    // Their base: the copy measured the same way (a submission and its wait cost a software
    // adapter tens of milliseconds that a batch of four spreads).
    let copy_single = sampled(opts.runs.min(3), 1, &mut |e| Ok(executor::encode_copy(ctx, e, &source, &out)?))?;
    let mut spatial = Vec::new();
    for (name, node, aim) in spatial_nodes {
        let g = graph::record(&Grade { nodes: vec![node], ..Grade::default() }, w, h, 0, executor::limits(ctx))
            .map_err(GpuError::from)?;
        // Slow passes on a software adapter: three samples of one pass each.
        let time = sampled(opts.runs.min(3), 1, &mut |e| Ok(runner::encode(ctx, e, &g, &source, &out)?))?;
        spatial.push((name, time, aim));
    }

    // Latency: the viewer the app uses; every edit moves the exposure, as a drag on a wheel does.
    let viewer = Viewer::new(ctx, &frame)?;
    // As the app shows it: the graded picture, no difference view.
    viewer.show_only(&[]);
    let mut exposure = 0.0;
    let mut next_grade = || {
        exposure = if exposure > 0.5 { -0.5 } else { exposure + 0.05 };
        test_grade(lut, exposure)
    };
    let edit = measure(opts.runs, 1, || {
        viewer.render(ctx, &next_grade(), 0)?;
        Ok(ctx.wait()?)
    })?;
    // The same edit while it is dragged: the viewer grades the source decimated for a 1920-pixel
    // viewer (when the source is wider than that).
    let factor = crate::gpu::proxy::factor_for(w, 1920);
    let edit_proxy = if factor >= 2 {
        let mut proxied = Viewer::new(ctx, &frame)?;
        Some(measure(opts.runs, 1, || {
            proxied.render_proxy(ctx, &next_grade(), 0, factor)?;
            Ok(ctx.wait()?)
        })?)
    } else {
        None
    };
    let edit_scopes = measure(opts.runs, 1, || {
        viewer.render(ctx, &next_grade(), 0)?;
        scopes.run(ctx, viewer.graded(), &settings, &all)?;
        Ok(ctx.wait()?)
    })?;

    // QC: what `cinegrade qc` runs on each graded frame (as PQ output, with a gamut check).
    let pq: ColorSpace = "rec2100-pq".parse().expect("a built-in space");
    let qc_settings =
        crate::qc::run::settings(&crate::qc::QcProfile::ebu_r103(), Some(pq), Some(&crate::color::spaces::P3_D65))
            .map_err(BenchError::Options)?;
    let qc = measure(opts.runs, 1, || {
        crate::qc::analysis::measure_gpu(ctx, &out, Some(&source), &qc_settings, 0)?;
        Ok(())
    })?;
    let mut stuck = crate::qc::pixels::StuckTracker::new(ctx, w, h)?;
    stuck.add(ctx, &out)?;
    let qc_stuck = measure(opts.runs, 1, || {
        stuck.add(ctx, &source)?;
        Ok(ctx.wait()?)
    })?;

    let ratio = |t: Duration| t.as_secs_f64() / copy.as_secs_f64();
    let figure = |name: &str, time, aim| Figure { name: name.to_string(), time, ratio: ratio(time), aim, gpu: None };
    let timed = |name: &str, (time, gpu): (Duration, Option<Duration>), aim| Figure { gpu, ..figure(name, time, aim) };
    let mut figures = vec![
        timed(names::COPY, (copy, copy_gpu), None),
        timed(names::GRADE, fused, Some(2.0)),
        timed(names::GRADE_UNFUSED, unfused, None),
    ];
    figures.extend(nodes.into_iter().map(|(name, time)| timed(&name, time, None)));
    Ok(Report {
        adapter: ctx.describe(),
        size: (w, h),
        timestamps: stopwatch.is_some(),
        line_passes: ctx.spatial,
        figures: [
            figures,
            vec![
                timed(names::SCOPES, scopes_time, Some(2.0)),
                timed(names::GRADE_AND_SCOPES, both, Some(4.0)),
                figure(names::EDIT, edit, None),
            ],
            edit_proxy.into_iter().map(|t| figure(names::EDIT_PROXY, t, None)).collect(),
            vec![
                figure(names::EDIT_SCOPES, edit_scopes, None),
                figure(names::QC, qc, None),
                figure(names::QC_STUCK, qc_stuck, None),
            ],
            vec![timed(names::COPY_SINGLE, copy_single, None)],
            spatial
                .into_iter()
                .map(|(name, time, aim)| {
                    let ratio = time.0.as_secs_f64() / copy_single.0.as_secs_f64();
                    Figure { ratio, ..timed(name, time, Some(aim)) }
                })
                .collect(),
        ]
        .concat(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_grade_is_one_fused_pass_of_four_nodes() {
        let lut = std::env::temp_dir().join(format!("cinegrade-bench-fused-{}.cube", std::process::id()));
        write_test_lut(&lut).unwrap();
        let graph = graph::record(&test_grade(&lut, 0.2), 64, 36, 0, FuseLimits::default()).unwrap();
        let _ = std::fs::remove_file(&lut);
        assert!(
            matches!(&graph.passes[..], [p] if matches!(&p.program, crate::gpu::graph::Program::Fused(s) if s.len() == 4)),
            "{:?}",
            graph.passes
        );
    }

    #[test]
    fn the_test_lut_is_a_33_point_cube() {
        let path = std::env::temp_dir().join(format!("cinegrade-bench-test-{}.cube", std::process::id()));
        write_test_lut(&path).unwrap();
        let cube = crate::interchange::read_cube(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(cube.lut3d.map(|l| l.size), Some(LUT_SIZE));
    }

    #[test]
    fn the_test_frame_holds_half_float_values() {
        let frame = test_frame(64, 36);
        assert!(frame.pixels.iter().flatten().all(|v| half::f16::from_f32(*v).to_f32() == *v));
    }
}
