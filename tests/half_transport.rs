//! Half-float transport, exactly: a half-float EXR decodes to its samples untouched, uploads as
//! `rgba16float` and the grade reads every one of the 65536 half values as its exact float; working
//! pixels rounded to half on the GPU (`shaders/view/to_half.wgsl`) are bit for bit what IEEE 754's
//! round-to-nearest-even gives (the `half` crate's `f16::from_f32`) on every half, every tie between
//! two halves and its neighbours, the overflow and subnormal edges, NaN and infinities, and a million
//! random floats; and a batch render of half EXRs through the half path writes the same files as the
//! float path.

mod common;

use cinegrade::batch::{FrameJob, HalfTransport, Profile, Workers, render_frames_profiled, render_frames_with};
use cinegrade::gpu::{GpuFrame, HalfReadback, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, DecodedFrame, ExrDepth, Frame, FrameSource, HalfFrame, SaveOptions};
use cinegrade::ops::blur::Blur;
use cinegrade::ops::primaries::Primaries;
use half::f16;

/// Every half bit pattern once in each channel (in three orders), alpha 1: 256 x 256.
fn every_half() -> HalfFrame {
    let pixels = (0..=u16::MAX)
        .map(|i| [f16::from_bits(i), f16::from_bits(i ^ 0x5555), f16::from_bits(u16::MAX - i), f16::ONE])
        .collect();
    HalfFrame { width: 256, height: 256, pixels }
}

/// Same bits, or both NaN (a GPU may quiet a NaN or change its payload).
fn same_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn same_f16(a: f16, b: f16) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn a_half_exr_decodes_to_its_samples_and_writes_them_back_unchanged() {
    let dir = common::temp_dir("half-exr");
    let frame = every_half();
    for alpha in [false, true] {
        let path = dir.join(format!("every_half_{alpha}.exr"));
        let options = SaveOptions { alpha, overwrite: true, ..SaveOptions::default() };
        media::save_half(&frame, &path, &options).unwrap();
        let decoded = FrameSource::File(path.clone()).decode_with(Vec::new(), Some(Vec::new())).unwrap();
        let DecodedFrame::Half { frame: back, info } = decoded else { panic!("a half EXR decodes as half") };
        assert_eq!(info.channels.len(), if alpha { 4 } else { 3 });
        for (got, want) in back.bits().iter().zip(frame.bits()) {
            let want = if alpha { want } else { [want[0], want[1], want[2], f16::ONE.to_bits()] };
            assert_eq!(*got, want, "alpha {alpha}: samples as written, NaN payloads included");
        }
        // The float path writes the very same file from the widened samples, NaN aside: widening a
        // signalling NaN and rounding it back quiets it, where the half path keeps it as it was.
        let no_nan = HalfFrame {
            pixels: frame.pixels.iter().map(|p| p.map(|v| if v.is_nan() { f16::ZERO } else { v })).collect(),
            ..frame.clone()
        };
        let (direct, widened) = (dir.join(format!("direct_{alpha}.exr")), dir.join(format!("widened_{alpha}.exr")));
        media::save_half(&no_nan, &direct, &options).unwrap();
        media::save(&no_nan.to_frame(), &widened, &options).unwrap();
        assert!(std::fs::read(&direct).unwrap() == std::fs::read(&widened).unwrap(), "alpha {alpha}: same bytes");
        // And the float decode of the file is the exact widening.
        let floats = media::load(&path).unwrap().frame;
        let want = back.to_frame();
        assert!(floats.pixels.iter().flatten().zip(want.pixels.iter().flatten()).all(|(a, b)| same_f32(*a, *b)));
    }
    // A float EXR is no half frame: it decodes as working floats.
    let float = dir.join("float.exr");
    let options = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    media::save(&frame.to_frame(), &float, &options).unwrap();
    let decoded = FrameSource::File(float).decode_with(Vec::new(), Some(Vec::new())).unwrap();
    assert!(matches!(decoded, DecodedFrame::Image(_)), "float samples stay float");
}

#[test]
fn every_half_value_uploads_as_its_exact_float() {
    let Some(ctx) = common::gpu() else { return };
    let frame = every_half();
    let source = GpuFrame::upload_half(&ctx, &frame).unwrap();
    assert!(source.is_half());
    let want = frame.to_frame();
    // A half source takes half frames only.
    assert!(matches!(source.write(&ctx, &want), Err(cinegrade::gpu::GpuError::FormatMismatch)));
    // Read back as it is, and through a grade with nothing to do (the copy pass widens it into a
    // working frame).
    let direct = source.download(&ctx).unwrap();
    let copied = executor::apply_grade(&ctx, &Grade::default(), &source).unwrap().download(&ctx).unwrap();
    for (name, got) in [("readback", &direct), ("copy", &copied)] {
        for (i, (g, w)) in got.pixels.iter().zip(&want.pixels).enumerate() {
            assert!((0..4).all(|c| same_f32(g[c], w[c])), "{name}: pixel {i}: {g:?} against {w:?}");
        }
    }
    // A grade reads a half source exactly as it reads the widened frame uploaded as floats.
    let grade = Grade {
        nodes: vec![
            Node::new(Op::Primaries(Primaries { exposure: 0.5, saturation: 1.2, ..Primaries::default() })),
            Node::new(Op::Blur(Blur { radius: 2.0 })),
        ],
        ..Grade::default()
    };
    // Finite values only: a blur spreads infinities and NaN, which compare as NaN anyway.
    let finite = HalfFrame {
        pixels: frame.pixels.iter().map(|p| p.map(|v| if v.is_finite() { v } else { f16::ZERO })).collect(),
        ..frame
    };
    let half = executor::apply_grade(&ctx, &grade, &GpuFrame::upload_half(&ctx, &finite).unwrap()).unwrap();
    let float = executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &finite.to_frame()).unwrap()).unwrap();
    let (half, float) = (half.download(&ctx).unwrap(), float.download(&ctx).unwrap());
    assert!(half.pixels.iter().flatten().zip(float.pixels.iter().flatten()).all(|(a, b)| same_f32(*a, *b)));
}

/// Floats that probe every rounding case of float → half.
fn rounding_cases() -> Vec<f32> {
    let mut v = Vec::new();
    let halves: Vec<f32> = (0..=u16::MAX).map(|b| f16::from_bits(b).to_f32()).filter(|x| x.is_finite()).collect();
    v.extend(&halves);
    // Midpoints between consecutive halves of the same sign (exact in f32: ties), and the floats
    // just either side of each.
    let mut sorted = halves.clone();
    sorted.sort_by(f32::total_cmp);
    sorted.dedup_by(|a, b| a.to_bits() == b.to_bits());
    for w in sorted.windows(2) {
        if w[0].is_sign_negative() != w[1].is_sign_negative() {
            continue;
        }
        let mid = (f64::from(w[0]) + f64::from(w[1])) / 2.0;
        let mid = mid as f32;
        v.extend([mid, f32::from_bits(mid.to_bits() + 1), f32::from_bits(mid.to_bits() - 1)]);
    }
    // Past the largest half (65504): 65519.996 stays, 65520 (the tie) and up are infinite; tiny
    // values below half the smallest subnormal (2^-25) go to zero, exactly 2^-25 (a tie) to zero,
    // just above to the smallest subnormal.
    for x in [65504.0f32, 65519.0, 65519.996, 65520.0, 65521.0, 1e5, 3.4e38, 2.0f32.powi(-25), 2.0f32.powi(-26), 1e-30]
    {
        v.extend([x, -x, f32::from_bits(x.to_bits() + 1), f32::from_bits(x.to_bits() - 1)]);
    }
    v.extend([0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, f32::MIN_POSITIVE, 1e-45]);
    // A million random bit patterns (a fixed LCG), every exponent and sign.
    let mut state = 0x2545_f491u32;
    for _ in 0..1_000_000 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        v.push(f32::from_bits(state));
    }
    v
}

#[test]
fn rounding_to_half_on_the_gpu_is_ieee_nearest_even() {
    let Some(ctx) = common::gpu() else { return };
    let values = rounding_cases();
    let width = 1024u32;
    let height = (values.len() as u32).div_ceil(4 * width);
    let frame = Frame::from_fn(width, height, |x, y| {
        let i = 4 * (y * width + x) as usize;
        [0, 1, 2, 3].map(|c| values.get(i + c).copied().unwrap_or(0.5))
    });
    let gpu = HalfReadback::download(&ctx, &GpuFrame::upload(&ctx, &frame).unwrap()).unwrap();
    assert_eq!((gpu.width, gpu.height), (width, height));
    let mut checked = 0;
    for (g, f) in gpu.pixels.iter().zip(&frame.pixels) {
        for c in 0..4 {
            let want = f16::from_f32(f[c]);
            assert!(
                same_f16(g[c], want),
                "{:e} ({:#010x}): GPU {:#06x}, IEEE {:#06x}",
                f[c],
                f[c].to_bits(),
                g[c].to_bits(),
                want.to_bits()
            );
            checked += 1;
        }
    }
    assert!(checked > 1_200_000, "{checked}");
}

#[test]
fn half_transport_is_on_for_gpus_and_off_for_cpu_adapters_unless_asked() {
    let Some(ctx) = common::gpu() else { return };
    let info = |device_type| wgpu::AdapterInfo { device_type, ..ctx.adapter_info.clone() };
    for (t, want) in
        [(wgpu::DeviceType::DiscreteGpu, true), (wgpu::DeviceType::IntegratedGpu, true), (wgpu::DeviceType::Cpu, false)]
    {
        assert_eq!(HalfTransport::Auto.on_for(&info(t)), want, "{t:?}");
        assert!(HalfTransport::On.on_for(&info(t)) && !HalfTransport::Off.on_for(&info(t)));
    }
}

#[test]
fn a_batch_render_through_the_half_path_writes_what_the_float_path_writes() {
    let Some(ctx) = common::gpu() else { return };
    let dir = common::temp_dir("half-batch");
    // Half EXR sources (a photograph's values scaled past 1, and negative ones), and a PNG among them:
    // half in and out, PNG in and half out.
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame;
    let mut jobs = Vec::new();
    for i in 0..3u32 {
        let scaled = Frame {
            pixels: photo.pixels.iter().map(|p| [p[0] * (1.0 + i as f32) - 0.05, p[1] * 3.0, p[2], 1.0]).collect(),
            ..photo.clone()
        };
        let path = dir.join(format!("src.{}.exr", 1001 + i));
        media::save(&scaled, &path, &SaveOptions::default()).unwrap();
        jobs.push((1001 + i, FrameSource::File(path)));
    }
    jobs.push((1004, FrameSource::File(common::data("frames/chelsea.png"))));
    let grade = Grade {
        nodes: vec![
            Node::new(Op::Primaries(Primaries {
                exposure: 0.3,
                contrast: 1.2,
                saturation: 0.9,
                ..Primaries::default()
            })),
            Node::new(Op::Blur(Blur { radius: 1.5 })),
        ],
        ..Grade::default()
    };
    let mut outputs = Vec::new();
    for half in [true, false] {
        let jobs: Vec<FrameJob> = jobs
            .iter()
            .map(|(frame, input)| FrameJob {
                frame: *frame,
                input: input.clone(),
                output: dir.join(format!("out_{half}.{frame}.exr")),
            })
            .collect();
        let workers =
            Workers { decoders: 2, encoders: 2, half: if half { HalfTransport::On } else { HalfTransport::Off } };
        let profile = Profile::default();
        render_frames_profiled(&ctx, &grade, &jobs, SaveOptions::default(), workers, &|_| {}, &profile).unwrap();
        // Three half EXRs went up as half (the PNG as floats), and every output came back as half.
        assert_eq!(profile.half_frames(), if half { (3, 4) } else { (0, 0) });
        outputs.push(jobs.iter().map(|j| std::fs::read(&j.output).unwrap()).collect::<Vec<_>>());
    }
    for (i, (half, float)) in outputs[0].iter().zip(&outputs[1]).enumerate() {
        assert!(half == float, "frame {}: the half path's file differs from the float path's", 1001 + i);
    }
    // Float outputs from half sources: the grade's floats, as the float path gives them.
    let jobs: Vec<FrameJob> = jobs
        .iter()
        .map(|(frame, input)| FrameJob {
            frame: *frame,
            input: input.clone(),
            output: dir.join(format!("float.{frame}.exr")),
        })
        .collect();
    let save = SaveOptions { exr_depth: ExrDepth::Float, ..SaveOptions::default() };
    render_frames_with(
        &ctx,
        &grade,
        &jobs,
        save,
        Workers { decoders: 1, encoders: 1, half: HalfTransport::On },
        &|_| {},
    )
    .unwrap();
    for (job, half_file) in jobs.iter().zip(&outputs[0]) {
        let float = media::load(&job.output).unwrap().frame;
        let alone =
            executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &job.input.load().unwrap().frame).unwrap())
                .unwrap()
                .download(&ctx)
                .unwrap();
        assert_eq!(float, alone, "frame {}", job.frame);
        assert!(!half_file.is_empty());
    }
}
