//! Building an ACES 2.0 transform's block: the reach and display gamut corners, the hue table, the
//! display cusps and upper hull gammas, tabulated once per (peak, limiting primaries).

use super::*;

/// The unit cube's corners in hue order: R, Y, G, C, B, M.
pub(super) fn cube_corner(i: usize) -> [f32; 3] {
    [((i + 1) % 6 < 3), ((i + 5) % 6 < 3), ((i + 3) % 6 < 3)].map(f32::from)
}

/// Six corners rotated so the lowest hue is at 1, with wrapped copies at 0 and 7.
pub(super) fn cycle<T: Copy>(items: [T; 6], hues: [f32; 6]) -> ([T; 8], [f32; 8]) {
    let mut min = 0;
    for i in 0..6 {
        if hues[i] < hues[min] {
            min = i;
        }
    }
    let mut out = [items[0]; 8];
    let mut h = [0.0; 8];
    for i in 0..6 {
        out[i + 1] = items[(i + min) % 6];
        h[i + 1] = hues[(i + min) % 6];
    }
    (out[0], out[7]) = (out[6], out[1]);
    (h[0], h[7]) = (h[6] - HUE_LIMIT, h[1] + HUE_LIMIT);
    (out, h)
}

/// The reach gamut's (AP1) corners at J = limit J max, found through the achromatic response.
pub(super) fn reach_corners(reach: Jmh, limit_j: f32, maximum: f32) -> [[f32; 3]; 8] {
    let limit_a = reach.j_to_achromatic(limit_j);
    let jmh: [[f32; 3]; 6] = [0, 1, 2, 3, 4, 5].map(|i| {
        let v = cube_corner(i);
        let (mut lower, mut upper) = (0.0f32, maximum);
        while upper - lower > 1e-3 {
            let test = (lower + upper) / 2.0;
            let a = reach.rgb_to_aab(v.map(|c| c * test))[0];
            if a < limit_a {
                lower = test;
            } else {
                upper = test;
            }
            if a == limit_a {
                break;
            }
        }
        reach.rgb_to_jmh(v.map(|c| c * upper))
    });
    let (mut out, hues) = cycle(jmh, jmh.map(|c| c[2]));
    for (o, h) in out.iter_mut().zip(hues) {
        o[2] = h;
    }
    out
}

/// The display gamut's corners at the peak: RGB and JMh.
pub(super) fn display_corners(display: Jmh, peak: f32) -> ([[f32; 3]; 8], [[f32; 3]; 8]) {
    let rgb = [0, 1, 2, 3, 4, 5].map(|i| cube_corner(i).map(|c| c * (peak / REFERENCE_LUMINANCE)));
    let jmh = rgb.map(|c| display.rgb_to_jmh(c));
    let (rgb_c, _) = cycle(rgb, jmh.map(|c| c[2]));
    let (mut jmh_c, hues) = cycle(jmh, jmh.map(|c| c[2]));
    for (o, h) in jmh_c.iter_mut().zip(hues) {
        o[2] = h;
    }
    (rgb_c, jmh_c)
}

/// Reach M per degree at J = limit J max: the largest M whose AP1 RGB has no negative component.
pub(super) fn reach_table(reach: Jmh, limit_j_max: f32) -> Vec<f32> {
    let mut table = vec![0.0f32; TABLE_SIZE];
    for i in 0..360 {
        let hue = i as f32;
        let outside = |m: f32| reach.jmh_to_rgb([limit_j_max, m, hue]).iter().any(|v| *v < 0.0);
        let (mut low, mut high) = (0.0f32, 50.0f32);
        let mut out = false;
        while !out && high < 1300.0 {
            out = outside(high);
            if !out {
                low = high;
                high += 50.0;
            }
        }
        while high - low > 1e-2 {
            let mid = (high + low) / 2.0;
            if outside(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        table[i + FIRST_NOMINAL] = high;
    }
    table[0] = table[LAST_NOMINAL];
    table[UPPER_WRAP] = table[FIRST_NOMINAL];
    table[UPPER_WRAP + 1] = table[FIRST_NOMINAL + 1];
    table
}

/// The unique hues of both corner sets, merged in order.
pub(super) fn sorted_corner_hues(reach: &[[f32; 3]; 8], display: &[[f32; 3]; 8]) -> Vec<f32> {
    let (mut r, mut d) = (1, 1);
    let mut out = Vec::with_capacity(12);
    while r < 7 || d < 7 {
        let (rh, dh) = (reach[r][2], display[d][2]);
        if rh == dh {
            out.push(rh);
            r += 1;
            d += 1;
        } else if rh < dh {
            out.push(rh);
            r += 1;
        } else {
            out.push(dh);
            d += 1;
        }
    }
    out
}

/// A hue table as uniform as possible with every corner hue on an entry.
pub(super) fn hue_table(sorted: &[f32]) -> Vec<f32> {
    let mut counts = vec![0usize; sorted.len()];
    let mut last = usize::MAX;
    let mut min_index = if sorted[0] == 0.0 { 0 } else { 1 };
    for k in 0..sorted.len() {
        let mut nominal = ((sorted[k].round().max(0.0) as usize).max(min_index)).min(359);
        if last == nominal {
            // Two hues on one entry: move the previous one down if there is room, else this one up.
            if k > 1 && counts[k - 2] != counts[k - 1].wrapping_sub(1) {
                counts[k - 1] -= 1;
            } else {
                nominal += 1;
            }
        }
        counts[k] = nominal.min(359);
        last = nominal;
        min_index = nominal;
    }
    let mut table = vec![0.0f32; TABLE_SIZE];
    let mut fill = |samples: usize, lower: f32, upper: f32, base: usize| {
        let delta = (upper - lower) / samples as f32;
        for i in 0..samples {
            if let Some(slot) = table.get_mut(base + i) {
                *slot = lower + i as f32 * delta;
            }
        }
    };
    let mut total = 0;
    fill(counts[0], 0.0, sorted[0], total + 1);
    total += counts[0];
    for k in 1..sorted.len() {
        let samples = counts[k].saturating_sub(counts[k - 1]);
        fill(samples, sorted[k - 1], sorted[k], total + 1);
        total += samples;
    }
    fill(360usize.saturating_sub(total), sorted[sorted.len() - 1], HUE_LIMIT, total + 1);
    table[0] = table[LAST_NOMINAL] - HUE_LIMIT;
    table[UPPER_WRAP] = table[FIRST_NOMINAL] + HUE_LIMIT;
    table[UPPER_WRAP + 1] = table[FIRST_NOMINAL + 1] + HUE_LIMIT;
    table
}

/// The display's cusp (J, M) at `hue`: a bisection along the gamut edge between two corners.
pub(super) fn display_cusp(
    hue: f32,
    rgb: &[[f32; 3]; 8],
    jmh: &[[f32; 3]; 8],
    display: Jmh,
    previous: &mut (usize, f32),
) -> [f32; 2] {
    let upper = (1..8).find(|&i| jmh[i][2] > hue).unwrap_or(1);
    let lower = upper - 1;
    if jmh[lower][2] == hue {
        return [jmh[lower][0], jmh[lower][1]];
    }
    let lerp3 = |t: f32| [0, 1, 2].map(|c| lerpf(rgb[lower][c], rgb[upper][c], t));
    let mut lo = if upper == previous.0 { previous.1 } else { 0.0 };
    let mut hi = 1.0f32;
    while hi - lo > 1e-7 {
        let t = (lo + hi) / 2.0;
        let h = display.rgb_to_jmh(lerp3(t))[2];
        if h < jmh[lower][2] {
            hi = t;
        } else if h >= jmh[upper][2] || h <= hue {
            lo = t;
        } else {
            hi = t;
        }
    }
    let t = (lo + hi) / 2.0;
    let s = display.rgb_to_jmh(lerp3(t));
    *previous = (upper, t);
    [s[0], s[1]]
}

/// Whether an upper hull gamma keeps the boundary outside the display gamut at five test points.
#[allow(clippy::too_many_arguments)]
pub(super) fn gamma_fits(
    cusp: [f32; 2],
    hue: f32,
    gamma_top_inv: f32,
    peak: f32,
    limit: f32,
    mid_j: f32,
    focus_dist: f32,
    gamma_bottom_inv: f32,
    display: Jmh,
) -> bool {
    let threshold = lerpf(cusp[0], limit, FOCUS_GAIN_BLEND);
    let fj = focus_j(cusp[0], mid_j, limit);
    [0.01f32, 0.1, 0.5, 0.8, 0.99].iter().all(|&pos| {
        let test_j = lerpf(cusp[0], limit, pos);
        let gain = focus_gain(test_j, threshold, limit, focus_dist);
        let j_source = solve_j_intersect(test_j, cusp[1], fj, limit, gain);
        let slope = compression_vector_slope(j_source, fj, limit, gain);
        let j_cusp = solve_j_intersect(cusp[0], cusp[1], fj, limit, gain);
        let m = gamut_boundary_m(cusp, limit, gamma_top_inv, gamma_bottom_inv, j_source, slope, j_cusp);
        let rgb = display.jmh_to_rgb([j_source + slope * m, m, hue]);
        rgb.iter().any(|v| *v > peak / REFERENCE_LUMINANCE)
    })
}

/// The ACES 2.0 Output Transform for one peak luminance and one set of limiting primaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Aces2 {
    /// The block the shader and [`forward`] / [`inverse`] read ([`BLOCK_SIZE`] words).
    pub block: Vec<f32>,
}

impl Aces2 {
    /// Builds the tables for `peak` nits (100 for SDR; 108 (as 225) to 4000 for HDR) and the display
    /// gamut `limiting`. Takes a few milliseconds: see [`shared`] for a cached one.
    pub fn new(peak: f32, limiting: &Chromaticities) -> Aces2 {
        let jmh_in = jmh_params(&spaces::ACES_AP0);
        let jmh_out = jmh_params(limiting);
        let jmh_reach = jmh_params(&spaces::ACES_AP1);
        let (jin, jout, jreach) = (Jmh(&jmh_in), Jmh(&jmh_out), Jmh(&jmh_reach));
        let tone = tone_params(peak);
        let limit_j_max = jin.y_to_j(peak);
        let model_gamma_inv = 1.0 / model_gamma();
        let log_peak = tone[T_LOG_PEAK];

        let compr = CHROMA_COMPRESS + (CHROMA_COMPRESS * CHROMA_COMPRESS_FACT) * log_peak;
        let sat = (CHROMA_EXPAND - (CHROMA_EXPAND * CHROMA_EXPAND_FACT) * log_peak).max(0.2);
        let sat_thr = CHROMA_EXPAND_THR / peak;
        let chroma_scale = (0.03379 * peak).powf(0.30596) - 0.45135;

        let mid_j = jin.y_to_j(tone[T_C_T] * REFERENCE_LUMINANCE);
        let focus_dist = FOCUS_DISTANCE + FOCUS_DISTANCE * FOCUS_DISTANCE_SCALING * log_peak;
        let gamma_bottom_inv = 1.0 / (1.14 + 0.07 * log_peak);

        let reach = reach_table(jreach, limit_j_max);
        let reach_c = reach_corners(jreach, limit_j_max, tone[T_FORWARD_LIMIT]);
        let (display_rgb, display_jmh) = display_corners(jout, peak);
        let hues = hue_table(&sorted_corner_hues(&reach_c, &display_jmh));

        let mut cusp = vec![0.0f32; 3 * TABLE_SIZE];
        let mut previous = (0usize, 0.0f32);
        for i in FIRST_NOMINAL..UPPER_WRAP {
            let jm = display_cusp(hues[i], &display_rgb, &display_jmh, jout, &mut previous);
            cusp[3 * i] = jm[0];
            cusp[3 * i + 1] = jm[1] * (1.0 + SMOOTH_M * SMOOTH_CUSPS);
        }
        for (dst, src) in [(0, LAST_NOMINAL), (UPPER_WRAP, FIRST_NOMINAL), (UPPER_WRAP + 1, FIRST_NOMINAL + 1)] {
            cusp[3 * dst] = cusp[3 * src];
            cusp[3 * dst + 1] = cusp[3 * src + 1];
        }

        // How far entries sit from their nominal (uniform) position bounds the per-pixel search.
        let mut range = [0i32, 1i32];
        for (i, h) in hues.iter().enumerate().take(UPPER_WRAP).skip(FIRST_NOMINAL) {
            let nominal = FIRST_NOMINAL as i32 + *h as i32;
            let delta = i as i32 - nominal;
            range = [range[0].min(delta), range[1].max(delta + 1)];
        }

        // The upper hull gamma per entry: the smallest that keeps the test points outside.
        for i in FIRST_NOMINAL..UPPER_WRAP {
            let c = [cusp[3 * i], cusp[3 * i + 1]];
            let fits = |gamma: f32| {
                gamma_fits(c, hues[i], 1.0 / gamma, peak, limit_j_max, mid_j, focus_dist, gamma_bottom_inv, jout)
            };
            let (mut low, mut high) = (0.0f32, 0.4f32);
            let mut found = false;
            while !found && high < 5.0 {
                found = fits(high);
                if !found {
                    low = high;
                    high += 0.4;
                }
            }
            while high - low > 1e-5 {
                let test = (high + low) / 2.0;
                if fits(test) {
                    high = test;
                } else {
                    low = test;
                }
            }
            cusp[3 * i + 2] = 1.0 / high;
        }
        for (dst, src) in [(0, LAST_NOMINAL), (UPPER_WRAP, FIRST_NOMINAL), (UPPER_WRAP + 1, FIRST_NOMINAL + 1)] {
            cusp[3 * dst + 2] = cusp[3 * src + 2];
        }

        let ap1_upper = 8.0 * (128.0 + 768.0 * ((peak / 100.0).ln() / (10000.0f32 / 100.0).ln()));
        let ap0_to_ap1 = m33(&spaces::rgb_to_rgb_matrix_f64(&spaces::ACES_AP0, &spaces::ACES_AP1, Cat::None));
        let ap1_to_ap0 = m33(&spaces::rgb_to_rgb_matrix_f64(&spaces::ACES_AP1, &spaces::ACES_AP0, Cat::None));

        let mut block = Vec::with_capacity(BLOCK_SIZE);
        block.extend(&jmh_in);
        block.extend(&jmh_out);
        block.extend(tone);
        block.extend([limit_j_max, model_gamma_inv]);
        block.extend([sat, sat_thr, compr, chroma_scale]);
        block.extend([mid_j, focus_dist, gamma_bottom_inv, range[0] as f32, range[1] as f32]);
        block.extend([ap1_upper, peak / REFERENCE_LUMINANCE]);
        block.extend(ap0_to_ap1);
        block.extend(ap1_to_ap0);
        block.extend(&reach);
        block.extend(&hues);
        block.extend(&cusp);
        debug_assert_eq!(block.len(), BLOCK_SIZE);
        Aces2 { block }
    }

    /// ACES2065-1 → display-linear limiting RGB (see [`forward`]).
    pub fn forward(&self, aces: [f32; 3]) -> [f32; 3] {
        forward(&self.block, aces)
    }

    /// Display-linear limiting RGB → ACES2065-1 (see [`inverse`]).
    pub fn inverse(&self, rgb: [f32; 3]) -> [f32; 3] {
        inverse(&self.block, rgb)
    }
}

/// The transform for (`peak`, `limiting`), built once per process and shared.
pub fn shared(peak: f32, limiting: &Chromaticities) -> Arc<Aces2> {
    type Key = (u32, [u64; 8]);
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Aces2>>>> = OnceLock::new();
    let c = limiting;
    let key = (
        peak.to_bits(),
        [c.red[0], c.red[1], c.green[0], c.green[1], c.blue[0], c.blue[1], c.white[0], c.white[1]].map(f64::to_bits),
    );
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(key).or_insert_with(|| Arc::new(Aces2::new(peak, limiting))).clone()
}
