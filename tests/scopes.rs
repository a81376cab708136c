//! GPU scopes against their CPU reference, exactly (integer counts), on real frames; sanity checks
//! against known values (colour bars, ramps, clipping); and the rendered images.

mod common;

use cinegrade::gpu::{GpuContext, GpuFrame, executor};
use cinegrade::grade::Grade;
use cinegrade::media::{self, Frame};
use cinegrade::ops::primaries::Primaries;
use cinegrade::scopes::quantize::{LEVEL_MAX, LEVEL_MIN, LEVELS};
use cinegrade::scopes::vectorscope::{self, BAR_COLOURS};
use cinegrade::scopes::{
    CountScale, LumaWeights, ScopeCounts, ScopeEngine, ScopeKind, ScopeSettings, WaveformMode, WaveformScale,
    counts_cpu,
};

fn load(name: &str) -> Frame {
    media::load(&common::data(&format!("frames/{name}"))).unwrap_or_else(|e| panic!("{name}: {e}")).frame
}

/// Runs every scope of `frame` on the GPU and reads the counts back.
fn gpu_counts(ctx: &GpuContext, frame: &Frame, settings: &ScopeSettings) -> ScopeCounts {
    let source = GpuFrame::upload(ctx, frame).expect("upload");
    let mut engine = ScopeEngine::new(ctx).expect("scope pipelines");
    engine.run(ctx, &source, settings, &ScopeKind::ALL).expect("scopes");
    engine.read_counts(ctx).expect("read counts")
}

/// Asserts GPU and CPU bins are identical, naming the first differing bin.
fn assert_exact(gpu: &ScopeCounts, cpu: &ScopeCounts, what: &str) {
    let pairs: Vec<(&str, &Vec<u32>, &Vec<u32>)> = {
        let (gw, cw) = (gpu.waveform.as_ref().unwrap(), cpu.waveform.as_ref().unwrap());
        let (gh, ch) = (gpu.histogram.as_ref().unwrap(), cpu.histogram.as_ref().unwrap());
        let (gv, cv) = (gpu.vectorscope.as_ref().unwrap(), cpu.vectorscope.as_ref().unwrap());
        let names = ["red", "green", "blue", "luma"];
        let mut v: Vec<_> = (0..4).map(|i| (names[i], gw.channels()[i], cw.channels()[i])).collect();
        v.extend((0..4).map(|i| (names[i], gh.channels()[i], ch.channels()[i])));
        v.push(("vectorscope", &gv.counts, &cv.counts));
        v
    };
    for (i, (name, g, c)) in pairs.iter().enumerate() {
        let scope = if i < 4 {
            "waveform"
        } else if i < 8 {
            "histogram"
        } else {
            "vectorscope"
        };
        assert_eq!(g.len(), c.len(), "{what}: {scope} {name} length");
        if let Some(k) = (0..g.len()).find(|k| g[*k] != c[*k]) {
            panic!("{what}: {scope} {name} bin {k}: gpu {} cpu {}", g[k], c[k]);
        }
    }
    assert_eq!(gpu, cpu, "{what}");
}

fn settings_variants() -> [ScopeSettings; 3] {
    [
        ScopeSettings::default(),
        ScopeSettings {
            luma: LumaWeights::Rec2020,
            waveform_columns: 333,
            vectorscope_size: 256,
            vectorscope_zoom: 4,
            ..ScopeSettings::default()
        },
        ScopeSettings {
            waveform_columns: 2048,
            vectorscope_size: 1024,
            vectorscope_zoom: 16,
            ..ScopeSettings::default()
        },
    ]
}

#[test]
fn gpu_counts_equal_cpu_exactly_on_real_frames() {
    let Some(ctx) = common::gpu() else { return };
    // A photograph, a JPEG with saturated colours, float frames with values far outside 0..1, and
    // every half-float value including NaN and infinities.
    for name in ["chelsea.png", "rocket.jpg", "TestImages_WideFloatRange.exr", "TestImages_AllHalfValues.exr"] {
        let frame = load(name);
        for (i, settings) in settings_variants().iter().enumerate() {
            let gpu = gpu_counts(&ctx, &frame, settings);
            let cpu = counts_cpu(&frame, settings);
            assert_exact(&gpu, &cpu, &format!("{name} settings #{i}"));
        }
        // With the waveform the histogram is summed from its bins; alone it has its own
        // (workgroup-privatised) accumulation, which must agree as exactly.
        let settings = ScopeSettings::default();
        let source = GpuFrame::upload(&ctx, &frame).unwrap();
        let mut engine = ScopeEngine::new(&ctx).unwrap();
        engine.run(&ctx, &source, &settings, &[ScopeKind::Histogram]).unwrap();
        let alone = engine.read_counts(&ctx).unwrap();
        assert!(alone.waveform.is_none() && alone.vectorscope.is_none());
        assert!(alone.histogram == counts_cpu(&frame, &settings).histogram, "{name}: histogram alone");
    }
}

#[test]
fn gpu_counts_equal_cpu_exactly_after_a_grade() {
    let Some(ctx) = common::gpu() else { return };
    let frame = load("rocket.jpg");
    let grade = Grade::with_primaries(Primaries {
        exposure: 0.7,
        temperature: 4200.0,
        contrast: 1.3,
        saturation: 1.6,
        ..Primaries::default()
    });
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let graded = executor::apply_grade(&ctx, &grade, &source).unwrap();
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    let settings = ScopeSettings::default();
    engine.run(&ctx, &graded, &settings, &ScopeKind::ALL).unwrap();
    let gpu = engine.read_counts(&ctx).unwrap();
    let cpu = counts_cpu(&graded.download(&ctx).unwrap(), &settings);
    assert_exact(&gpu, &cpu, "graded rocket");
    // The grade pushes highlights past 1.0: they must show in the headroom, not vanish.
    let h = cpu.histogram.unwrap();
    assert!(h.red[(1024 - LEVEL_MIN) as usize..].iter().sum::<u32>() > 0);
}

#[test]
fn engine_is_reused_across_frames_and_sizes() {
    let Some(ctx) = common::gpu() else { return };
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    let settings = ScopeSettings::default();
    let a = load("chelsea.png");
    let b = load("rocket.jpg");
    for frame in [&a, &b, &a] {
        let gpu = GpuFrame::upload(&ctx, frame).unwrap();
        engine.run(&ctx, &gpu, &settings, &ScopeKind::ALL).unwrap();
        assert_exact(&engine.read_counts(&ctx).unwrap(), &counts_cpu(frame, &settings), "reused engine");
    }
    let generation = engine.generation();
    let bigger = ScopeSettings { image_width: 300, image_height: 200, waveform_columns: 100, ..settings };
    let gpu = GpuFrame::upload(&ctx, &b).unwrap();
    engine.run(&ctx, &gpu, &bigger, &ScopeKind::ALL).unwrap();
    assert_ne!(engine.generation(), generation, "images reallocated");
    assert_eq!(engine.image(ScopeKind::Histogram).unwrap().width, 300);
    assert_exact(&engine.read_counts(&ctx).unwrap(), &counts_cpu(&b, &bigger), "resized");
    // Only the histogram: the other counts are not reported.
    engine.run(&ctx, &gpu, &bigger, &[ScopeKind::Histogram]).unwrap();
    let only = engine.read_counts(&ctx).unwrap();
    assert!(only.histogram.is_some() && only.waveform.is_none() && only.vectorscope.is_none());
}

/// SMPTE EG 1-style bars: seven vertical bars, white then Yl, Cy, G, Mg, R, B at `amplitude`.
fn bars(amplitude: f32) -> Frame {
    let colours: [[f32; 3]; 7] = [
        [1.0, 1.0, 1.0],
        [1.0, 1.0, 0.0],
        [0.0, 1.0, 1.0],
        [0.0, 1.0, 0.0],
        [1.0, 0.0, 1.0],
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0],
    ];
    Frame::from_fn(70, 10, |x, _| {
        let c = colours[(x / 10) as usize];
        [c[0] * amplitude, c[1] * amplitude, c[2] * amplitude, 1.0]
    })
}

#[test]
fn colour_bars_land_on_their_vectorscope_targets() {
    for luma in [LumaWeights::Rec709, LumaWeights::Rec2020] {
        for zoom in [1, 2] {
            for amplitude in [0.75f32, 1.0] {
                let settings = ScopeSettings { luma, vectorscope_zoom: zoom, ..ScopeSettings::default() };
                let v = counts_cpu(&bars(amplitude), &settings).vectorscope.unwrap();
                let size = settings.vectorscope_size;
                let targets = vectorscope::bar_targets(luma, f64::from(amplitude));
                for ((name, _), target) in BAR_COLOURS.iter().zip(targets) {
                    let [u, w] = vectorscope::position(target, zoom);
                    let half = f64::from(size) / 2.0;
                    // The bin the target falls in, from the f64 formula; targets beyond the zoomed
                    // grid are counted on its edge.
                    let edge = |t: f64| (half + t * half).floor().clamp(0.0, f64::from(size - 1));
                    let (col, row) = (edge(u), edge(w));
                    let found = (-1..=1).any(|dy: i32| {
                        (-1..=1).any(|dx: i32| {
                            let (c, r) = (col as i32 + dx, row as i32 + dy);
                            (0..size as i32).contains(&c)
                                && (0..size as i32).contains(&r)
                                && v.count(c as u32, r as u32) == 100
                        })
                    });
                    assert!(found, "{luma:?} zoom {zoom} {amplitude} {name}: target bin ({col}, {row}) empty");
                }
                // White is neutral: the centre.
                assert_eq!(v.count(size / 2, size / 2), 100);
            }
        }
    }
    // And the GPU agrees: a pure 75 % red frame lands on the 75 % red target.
    let Some(ctx) = common::gpu() else { return };
    let settings = ScopeSettings::default();
    let red = Frame::filled(64, 32, [0.75, 0.0, 0.0, 1.0]);
    let v = gpu_counts(&ctx, &red, &settings).vectorscope.unwrap();
    let [u, w] = vectorscope::position(vectorscope::bar_targets(LumaWeights::Rec709, 0.75)[0], 1);
    let half = f64::from(settings.vectorscope_size) / 2.0;
    let (col, row) = ((half + u * half) as u32, (half + w * half) as u32);
    assert_eq!(v.counts.iter().filter(|c| **c != 0).count(), 1);
    let (c, r) = (0..settings.vectorscope_size * settings.vectorscope_size)
        .map(|i| (i % settings.vectorscope_size, i / settings.vectorscope_size))
        .find(|(c, r)| v.count(*c, *r) != 0)
        .unwrap();
    assert_eq!(v.count(c, r), 64 * 32);
    assert!(c.abs_diff(col) <= 1 && r.abs_diff(row) <= 1, "({c},{r}) vs ({col},{row})");
    // Upper left of centre, at about 103°.
    let angle = (f64::from(r) - half + 0.5).atan2(f64::from(c) - half + 0.5).to_degrees();
    assert!((angle - 103.0).abs() < 1.0, "{angle}");
}

#[test]
fn grey_ramp_gives_a_diagonal_waveform_and_a_centred_vectorscope() {
    let settings = ScopeSettings { waveform_columns: 256, ..ScopeSettings::default() };
    // One column group per 4 pixels, grey from 0 to 1 across.
    let ramp = Frame::from_fn(1024, 8, |x, _| {
        let v = x as f32 / 1023.0;
        [v, v, v, 1.0]
    });
    let cpu = counts_cpu(&ramp, &settings);
    let w = cpu.waveform.as_ref().unwrap();
    for column in 0..256u32 {
        // Every sample of the column sits within its 4-code span of the diagonal, in every channel.
        for ch in 0..4 {
            let lo = column as i32 * 4;
            let in_span: u32 = (lo..lo + 4).map(|l| w.count(ch, column, l)).sum();
            assert_eq!(in_span, 32, "column {column} channel {ch}");
        }
    }
    let v = cpu.vectorscope.as_ref().unwrap();
    assert_eq!(v.count(256, 256), 1024 * 8, "greys have no chroma");
    if let Some(ctx) = common::gpu() {
        assert_exact(&gpu_counts(&ctx, &ramp, &settings), &cpu, "ramp");
    }
}

#[test]
fn totals_equal_pixel_count_and_clipped_values_are_counted_at_the_ends() {
    // Sub-blacks, super-whites, far out values and non-finite samples.
    let values = [-0.5f32, -0.08, 0.0, 0.5, 1.0, 1.1, 7.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN];
    let frame = Frame::from_fn(values.len() as u32, 3, |x, y| {
        let v = values[x as usize];
        match y {
            0 => [v, v, v, 1.0],
            1 => [v, 0.5, 0.5, 1.0],
            _ => [0.5, 0.5, v, 1.0],
        }
    });
    let settings = ScopeSettings::default();
    let cpu = counts_cpu(&frame, &settings);
    let h = cpu.histogram.as_ref().unwrap();
    let pixels = frame.pixels.len() as u32;
    for (ch, bins) in h.channels().iter().enumerate() {
        assert_eq!(bins.iter().sum::<u32>(), pixels, "histogram channel {ch}");
    }
    let w = cpu.waveform.as_ref().unwrap();
    for (ch, bins) in w.channels().iter().enumerate() {
        assert_eq!(bins.iter().sum::<u32>(), pixels, "waveform channel {ch}");
    }
    let v = cpu.vectorscope.as_ref().unwrap();
    assert_eq!(v.counts.iter().sum::<u32>(), pixels, "vectorscope");
    // Red row 0 and 1: -0.5, -0.08 and -inf clip to the bottom bin; 1.1, 7 and +inf to the top;
    // NaN reads as 0.
    assert_eq!(h.count(0, LEVEL_MIN), 6);
    assert_eq!(h.count(0, LEVEL_MAX), 6);
    assert_eq!(h.count(0, 1023), 2, "1.0 is code 1023");
    assert_eq!(h.count(0, 0), 4, "0.0 and NaN");
    assert_eq!(h.count(2, LEVEL_MAX), 3 + 3, "blue: row 0 and 2 clip high");
    assert_eq!(h.levels, LEVELS);
    if let Some(ctx) = common::gpu() {
        assert_exact(&gpu_counts(&ctx, &frame, &settings), &cpu, "clipped");
    }
}

/// The waveform's intensity curve, `1 − exp(−k · count / reference)` screened over the background
/// (src/scopes/render.rs), checked by two identities that need none of the shader's filtering:
/// - it depends on k · count only: a frame with half its samples at a level, drawn at twice the
///   intensity, shows that level exactly as the full frame does at the base intensity;
/// - it saturates exponentially: with the background b read off the image, the trace t =
///   1 − (1 − out) / (1 − b) at 2k is 1 − (1 − t)² of the trace at k (a linear curve would give 2t,
///   a clip would give 1). The bound, 0.02, is the 8-bit image's rounding carried through both
///   readings; measured 0.002.
#[test]
fn the_waveform_trace_follows_its_exponential_intensity_curve() {
    let Some(ctx) = common::gpu() else { return };
    let (w, h) = (256u32, 216u32);
    // 0.4 is code 409, between the 25 and 50 IRE graticule lines (codes 256 and 512).
    let full = Frame::from_fn(w, h, |_, _| [0.4, 0.4, 0.4, 1.0]);
    let half = Frame::from_fn(w, h, |_, y| if y < h / 2 { [0.4, 0.4, 0.4, 1.0] } else { [0.05, 0.05, 0.05, 1.0] });
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    let mut draw = |frame: &Frame, intensity: f32| {
        let settings = ScopeSettings { waveform_mode: WaveformMode::Luma, intensity, ..ScopeSettings::default() };
        let source = GpuFrame::upload(&ctx, frame).unwrap();
        engine.run(&ctx, &source, &settings, &[ScopeKind::Waveform]).unwrap();
        engine.read_image(&ctx, ScopeKind::Waveform).unwrap()
    };
    let elsewhere = draw(&Frame::from_fn(w, h, |_, _| [0.9, 0.9, 0.9, 1.0]), 0.005);
    let background = f64::from(elsewhere.get_pixel(400, 2)[1]) / 255.0;
    assert!((background - 0.058).abs() < 0.003, "background green {background}");
    let trace = |img: &image::RgbaImage, x: u32, y: u32| {
        1.0 - (1.0 - f64::from(img.get_pixel(x, y)[1]) / 255.0) / (1.0 - background)
    };
    let mut checked = 0;
    for k in [0.002f32, 0.005] {
        // Rows where the level of 0.4 is drawn: lit in its image, not in that of a frame at 0.9.
        let base = draw(&full, k);
        let lit: Vec<u32> = (0..432).filter(|&y| trace(&base, 400, y) > trace(&elsewhere, 400, y) + 0.05).collect();
        assert!(!lit.is_empty() && lit.len() < 12, "k {k}: the level is drawn on a few rows: {lit:?}");

        let halved = draw(&half, 2.0 * k);
        for &y in &lit {
            for x in [10, 200, 400, 700] {
                assert_eq!(
                    halved.get_pixel(x, y),
                    base.get_pixel(x, y),
                    "k {k}, row {y}, column {x}: half the samples at 2k"
                );
            }
        }

        let doubled = draw(&full, 2.0 * k);
        for &y in &lit {
            let t1 = trace(&base, 400, y);
            if !(0.25..0.8).contains(&t1) {
                continue;
            }
            let t2 = trace(&doubled, 400, y);
            let want = 1.0 - (1.0 - t1).powi(2);
            assert!((t2 - want).abs() < 0.02, "k {k}, row {y}: trace {t1:.3} at k, {t2:.3} at 2k, want {want:.3}");
            checked += 1;
        }
    }
    assert!(checked >= 2, "rows with a trace between 0.25 and 0.8: {checked}");
}

/// Share of pixels brighter than the background in `image`.
fn lit_share(image: &image::RgbaImage) -> f64 {
    let lit = image.pixels().filter(|p| p[0].max(p[1]).max(p[2]) > 40).count();
    lit as f64 / (image.width() * image.height()) as f64
}

#[test]
fn rendered_images_show_traces_and_graticule() {
    let Some(ctx) = common::gpu() else { return };
    let frame = load("chelsea.png");
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    for settings in [
        ScopeSettings::default(),
        ScopeSettings {
            waveform_mode: WaveformMode::Rgb,
            waveform_scale: WaveformScale::CodeValues10Bit,
            histogram_scale: CountScale::Log,
            vectorscope_zoom: 2,
            ..ScopeSettings::default()
        },
    ] {
        engine.run(&ctx, &source, &settings, &ScopeKind::ALL).unwrap();
        for kind in ScopeKind::ALL {
            let image = engine.read_image(&ctx, kind).unwrap();
            assert_eq!(image.dimensions(), (768, 432));
            let share = lit_share(&image);
            assert!(share > 0.01 && share < 0.9, "{kind:?}: {share} of the image is lit");
            assert!(image.pixels().all(|p| p[3] == 255), "opaque");
            // A dark background, as a scope should have.
            assert!(image.get_pixel(0, 0)[1] < 40 || kind == ScopeKind::Histogram);
        }
        let wave = engine.read_image(&ctx, ScopeKind::Waveform).unwrap();
        let parade = engine.read_image(&ctx, ScopeKind::Parade).unwrap();
        if settings.waveform_mode == WaveformMode::Rgb {
            // RGB overlay: colours other than grey appear.
            assert!(wave.pixels().any(|p| p[0] > 120 && p[2] < 80));
        }
        // The parade's panels carry their channel's colour.
        let reds = parade.enumerate_pixels().filter(|(x, _, p)| *x < 256 && p[0] > 150 && p[1] < 120).count();
        let blues = parade.enumerate_pixels().filter(|(x, _, p)| *x > 512 && p[2] > 150 && p[0] < 120).count();
        assert!(reds > 100 && blues > 100, "parade colours {reds} {blues}");
    }
}

#[test]
fn graticule_lines_sit_on_their_levels() {
    let Some(ctx) = common::gpu() else { return };
    // A black frame: no trace except at 0, so the graticule stands alone.
    let black = Frame::filled(64, 64, [0.0, 0.0, 0.0, 1.0]);
    let source = GpuFrame::upload(&ctx, &black).unwrap();
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    let settings = ScopeSettings { image_height: LEVELS, ..ScopeSettings::default() };
    engine.run(&ctx, &source, &settings, &ScopeKind::ALL).unwrap();
    let wave = engine.read_image(&ctx, ScopeKind::Waveform).unwrap();
    // With one row per level, level L is row LEVEL_MAX - L.
    let row = |level: i32| (LEVEL_MAX - level) as u32;
    for level in [256, 512, 767, 1023] {
        let p = wave.get_pixel(400, row(level));
        assert!(p[0] > 60 && p[0] == p[2], "graticule at level {level}: {p:?}");
        let p = wave.get_pixel(400, row(level) - 3);
        assert!(p[0] < 30, "background near level {level}: {p:?}");
    }
    // The trace: everything at level 0, bright.
    assert!(wave.get_pixel(400, row(0))[1] > 200);
    // The vectorscope of black: a bright dot in the centre, the graticule circle around it.
    let scope = engine.read_image(&ctx, ScopeKind::Vectorscope).unwrap();
    let (cx, cy) = (scope.width() / 2, scope.height() / 2);
    let centre = (cy - 1..=cy + 1)
        .flat_map(|y| (cx - 1..=cx + 1).map(move |x| (x, y)))
        .map(|(x, y)| scope.get_pixel(x, y)[1])
        .max();
    assert!(centre > Some(150), "{centre:?}");
    let radius = 0.5 * 16.0 / 9.0 * f64::from(scope.width().min(scope.height())) / 2.0;
    let on_circle = (0..8).filter(|i| {
        let a = f64::from(*i) * std::f64::consts::FRAC_PI_4 + 0.3;
        let (x, y) = (f64::from(cx) + radius * a.cos(), f64::from(cy) - radius * a.sin());
        (-1..=1).any(|d| scope.get_pixel((x as i32 + d) as u32, y as u32)[0] > 60)
    });
    assert!(on_circle.count() >= 7, "graticule circle");
}

#[test]
fn bad_settings_are_errors_not_panics() {
    let frame = Frame::filled(4, 4, [0.5; 4]);
    for bad in [
        ScopeSettings { vectorscope_zoom: 3, ..ScopeSettings::default() },
        ScopeSettings { waveform_columns: 0, ..ScopeSettings::default() },
        ScopeSettings { intensity: f32::NAN, ..ScopeSettings::default() },
        ScopeSettings { image_width: 100_000, ..ScopeSettings::default() },
    ] {
        assert!(bad.validate().is_err());
        let Some(ctx) = common::gpu() else { continue };
        let gpu = GpuFrame::upload(&ctx, &frame).unwrap();
        let mut engine = ScopeEngine::new(&ctx).unwrap();
        assert!(engine.run(&ctx, &gpu, &bad, &ScopeKind::ALL).is_err());
        assert!(engine.read_image(&ctx, ScopeKind::Waveform).is_err());
    }
}

#[test]
fn settings_round_trip_through_json() {
    let s = ScopeSettings {
        luma: LumaWeights::Rec2020,
        waveform_scale: WaveformScale::CodeValues10Bit,
        histogram_scale: CountScale::Log,
        ..ScopeSettings::default()
    };
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains("\"rec2020\"") && text.contains("\"code-values-10-bit\""), "{text}");
    assert_eq!(serde_json::from_str::<ScopeSettings>(&text).unwrap(), s);
    assert!(serde_json::from_str::<ScopeSettings>("{\"nonsense\": 1}").is_err());
    assert_eq!(serde_json::from_str::<ScopeSettings>("{}").unwrap(), ScopeSettings::default());
}

#[test]
fn each_scope_alone_counts_what_it_counts_with_the_others() {
    let Some(ctx) = common::gpu() else { return };
    let frame = load("chelsea.png").crop(30, 20, 141, 77);
    let settings = ScopeSettings::default();
    let cpu = cinegrade::scopes::counts_cpu(&frame, &settings);
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let mut engine = ScopeEngine::new(&ctx).unwrap();
    // The waveform and vectorscope share one pass over the frame; each asked for alone fills only its
    // own bins, exactly.
    engine.run(&ctx, &source, &settings, &[ScopeKind::Vectorscope]).unwrap();
    let alone = engine.read_counts(&ctx).unwrap();
    assert_eq!(alone.vectorscope, cpu.vectorscope);
    assert!(alone.waveform.is_none() && alone.histogram.is_none());
    engine.run(&ctx, &source, &settings, &[ScopeKind::Parade]).unwrap();
    let alone = engine.read_counts(&ctx).unwrap();
    assert_eq!(alone.waveform, cpu.waveform);
    assert!(alone.vectorscope.is_none());
}
