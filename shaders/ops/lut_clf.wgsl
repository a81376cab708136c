// A CLF process list run per pixel from the pass's `tables` buffer: the program
// `interchange::clf_program::compile` writes, evaluated as `clf_program::run` (its CPU twin) does,
// operator for operator and in the same order of arithmetic. Imported by the LUT op
// (shaders/ops/lut.wgsl), whose pass declares `tables: array<f32>` and whose `lattice_coord`,
// `Coord`, `lerp` and `blend4` the 3D tables here share.
//
// Words: [op count], then per op [code, n] and n parameter words. Whole numbers (counts, codes,
// sizes, flags, styles) are held as f32 values, exact below 2^24.

const CLF_MATRIX: u32 = 1u;
const CLF_LUT1D: u32 = 2u;
const CLF_LUT3D: u32 = 3u;
const CLF_RANGE: u32 = 4u;
const CLF_LOG: u32 = 5u;
const CLF_EXPONENT: u32 = 6u;
const CLF_CDL: u32 = 7u;

const CLF_LOG_LOG: u32 = 0u;
const CLF_LOG_ANTILOG: u32 = 1u;
const CLF_LOG_LIN_TO_LOG: u32 = 2u;
const CLF_LOG_LOG_TO_LIN: u32 = 3u;
const CLF_LOG_CAMERA_LIN_TO_LOG: u32 = 4u;
const CLF_LOG_CAMERA_LOG_TO_LIN: u32 = 5u;

const CLF_EXP_BASIC: u32 = 0u;
const CLF_EXP_BASIC_MIRROR: u32 = 1u;
const CLF_EXP_BASIC_PASS_THRU: u32 = 2u;
const CLF_EXP_MONCURVE_FWD: u32 = 3u;
const CLF_EXP_MONCURVE_REV: u32 = 4u;
const CLF_EXP_MONCURVE_MIRROR_FWD: u32 = 5u;
const CLF_EXP_MONCURVE_MIRROR_REV: u32 = 6u;

// The smallest normal f32 (`f32::MIN_POSITIVE`): logarithms of less read it.
const CLF_MIN_POSITIVE: f32 = 1.17549435e-38;

fn clf_word(at: u32) -> u32 {
    return u32(tables[at]);
}

fn clf_lerpf(a: f32, b: f32, t: f32) -> f32 {
    return (b - a) * t + a;
}

// x^e, exactly x for e = 1 and 0 for x = 0 (exp2(log2) gives neither): the twin's `power`.
fn clf_pow(x: f32, e: f32) -> f32 {
    if e == 1.0 {
        return x;
    }
    return select(0.0, pow(x, e), x > 0.0);
}

fn clf_matrix(p: u32, v: vec3<f32>) -> vec3<f32> {
    var out: vec3<f32>;
    for (var r = 0u; r < 3u; r++) {
        let m = p + 4u * r;
        out[r] = tables[m] * v.x + tables[m + 1u] * v.y + tables[m + 2u] * v.z + tables[m + 3u];
    }
    return out;
}

// The value of a half float's magnitude bits (below 0x7c00), exactly: `half_magnitude` in the twin.
fn clf_half_magnitude(h: u32) -> f32 {
    if h < 0x400u {
        return f32(h) * 5.9604645e-8;
    }
    return bitcast<f32>((((h >> 10u) + 112u) << 23u) | ((h & 0x3ffu) << 13u));
}

// The two halves around x (bit patterns, sign included) and where x lies between them: the twin's
// `half_edges`, in integer arithmetic on the bit patterns.
struct HalfEdges {
    a: u32,
    b: u32,
    f: f32,
}

fn clf_half_edges(x: f32) -> HalfEdges {
    let u = bitcast<u32>(x);
    let sign = (u >> 16u) & 0x8000u;
    let mag = u & 0x7fffffffu;
    if mag >= 0x477fe000u {
        let at = sign | 0x7bffu;
        return HalfEdges(at, at, 0.0);
    }
    let e = i32(mag >> 23u) - 127;
    let m = (mag & 0x7fffffu) | 0x800000u;
    var a = 0u;
    if e >= -14 {
        a = (u32(e + 15) << 10u) | ((mag & 0x7fffffu) >> 13u);
    } else if e >= -24 {
        a = m >> u32(-e - 1);
    }
    let b = a + 1u;
    let fa = clf_half_magnitude(a);
    let fb = clf_half_magnitude(b);
    return HalfEdges(sign | a, sign | b, (bitcast<f32>(mag) - fa) / (fb - fa));
}

fn clf_lut1d(p: u32, v: vec3<f32>) -> vec3<f32> {
    let n = clf_word(p);
    let half_domain = clf_word(p + 1u) == 1u;
    let entries = p + 2u;
    var out: vec3<f32>;
    for (var c = 0u; c < 3u; c++) {
        if half_domain {
            let k = clf_half_edges(v[c]);
            out[c] = clf_lerpf(tables[entries + 3u * k.b + c], tables[entries + 3u * k.a + c], 1.0 - k.f);
        } else {
            let last = f32(n - 1u);
            let x = last * v[c];
            let idx = select(0.0, min(x, last), x > 0.0);
            let lo = u32(floor(idx));
            let hi = u32(ceil(idx));
            out[c] = clf_lerpf(tables[entries + 3u * hi + c], tables[entries + 3u * lo + c], f32(hi) - idx);
        }
    }
    return out;
}

fn clf_node(nodes: u32, n: u32, r: u32, g: u32, b: u32) -> vec3<f32> {
    let at = nodes + 3u * (r + n * (g + n * b));
    return vec3<f32>(tables[at], tables[at + 1u], tables[at + 2u]);
}

fn clf_lut3d(p: u32, v: vec3<f32>) -> vec3<f32> {
    let n = clf_word(p);
    let tetrahedral = clf_word(p + 1u) == 1u;
    let t = p + 2u;
    let last = n - 1u;
    let r = lattice_coord(v.r, 0.0, 1.0, last);
    let g = lattice_coord(v.g, 0.0, 1.0, last);
    let b = lattice_coord(v.b, 0.0, 1.0, last);
    if !tetrahedral {
        let lo_b = lerp(lerp(clf_node(t, n, r.lo, g.lo, b.lo), clf_node(t, n, r.hi, g.lo, b.lo), r.f), lerp(clf_node(t, n, r.lo, g.hi, b.lo), clf_node(t, n, r.hi, g.hi, b.lo), r.f), g.f);
        let hi_b = lerp(lerp(clf_node(t, n, r.lo, g.lo, b.hi), clf_node(t, n, r.hi, g.lo, b.hi), r.f), lerp(clf_node(t, n, r.lo, g.hi, b.hi), clf_node(t, n, r.hi, g.hi, b.hi), r.f), g.f);
        return lerp(lo_b, hi_b, b.f);
    }
    // The six tetrahedra as `tetrahedral` in lut.wgsl picks them, without branches.
    let r_max = r.f >= g.f && r.f >= b.f;
    let g_max = !r_max && g.f >= b.f;
    let b_max = !r_max && !g_max;
    let b_min = b.f <= r.f && b.f <= g.f;
    let g_min = !b_min && g.f <= r.f;
    let r_min = !b_min && !g_min;
    let x1 = max(r.f, max(g.f, b.f));
    let x2 = max(min(r.f, g.f), min(max(r.f, g.f), b.f));
    let x3 = min(r.f, min(g.f, b.f));
    let c000 = clf_node(t, n, r.lo, g.lo, b.lo);
    let c111 = clf_node(t, n, r.hi, g.hi, b.hi);
    let first = clf_node(t, n, select(r.lo, r.hi, r_max), select(g.lo, g.hi, g_max), select(b.lo, b.hi, b_max));
    let second = clf_node(t, n, select(r.hi, r.lo, r_min), select(g.hi, g.lo, g_min), select(b.hi, b.lo, b_min));
    return blend4(vec4<f32>(1.0 - x1, x1 - x2, x2 - x3, x3), c000, first, second, c111);
}

fn clf_range(p: u32, v: vec3<f32>) -> vec3<f32> {
    let flags = clf_word(p + 4u);
    var y = v * tables[p] + tables[p + 1u];
    if (flags & 1u) != 0u {
        y = max(y, vec3<f32>(tables[p + 2u]));
    }
    if (flags & 2u) != 0u {
        y = min(y, vec3<f32>(tables[p + 3u]));
    }
    return y;
}

fn clf_log_channel(style: u32, k: u32, x: f32) -> f32 {
    let k0 = tables[k];
    let k1 = tables[k + 1u];
    let k2 = tables[k + 2u];
    let k3 = tables[k + 3u];
    switch style {
        case CLF_LOG_LOG: {
            return log2(max(x, CLF_MIN_POSITIVE)) * k0;
        }
        case CLF_LOG_ANTILOG: {
            return exp2(x * k0);
        }
        case CLF_LOG_LIN_TO_LOG: {
            return log2(max(x * k0 + k1, CLF_MIN_POSITIVE)) * k2 + k3;
        }
        case CLF_LOG_LOG_TO_LIN: {
            return (exp2((x + k0) * k1) + k2) * k3;
        }
        case CLF_LOG_CAMERA_LIN_TO_LOG: {
            if x < tables[k + 4u] {
                return tables[k + 5u] * x + tables[k + 6u];
            }
            return log2(max(x * k0 + k1, CLF_MIN_POSITIVE)) * k2 + k3;
        }
        case CLF_LOG_CAMERA_LOG_TO_LIN: {
            if x < tables[k + 4u] {
                return tables[k + 5u] * (x + tables[k + 6u]);
            }
            return (exp2((x + k0) * k1) + k2) * k3;
        }
        default: {
            return x;
        }
    }
}

fn clf_log(p: u32, v: vec3<f32>) -> vec3<f32> {
    let style = clf_word(p);
    return vec3<f32>(clf_log_channel(style, p + 1u, v.x), clf_log_channel(style, p + 9u, v.y), clf_log_channel(style, p + 17u, v.z));
}

fn clf_moncurve_fwd(k: u32, x: f32) -> f32 {
    if x <= tables[k + 3u] {
        return x * tables[k + 4u];
    }
    return clf_pow(x * tables[k] + tables[k + 1u], tables[k + 2u]);
}

fn clf_moncurve_rev(k: u32, x: f32) -> f32 {
    if x <= tables[k + 3u] {
        return x * tables[k + 4u];
    }
    return clf_pow(x, tables[k + 2u]) * tables[k] - tables[k + 1u];
}

fn clf_exponent_channel(style: u32, k: u32, x: f32) -> f32 {
    let sign = select(1.0, -1.0, x < 0.0);
    switch style {
        case CLF_EXP_BASIC: {
            return clf_pow(max(x, 0.0), tables[k]);
        }
        case CLF_EXP_BASIC_MIRROR: {
            return sign * clf_pow(abs(x), tables[k]);
        }
        case CLF_EXP_BASIC_PASS_THRU: {
            return select(x, clf_pow(x, tables[k]), x > 0.0);
        }
        case CLF_EXP_MONCURVE_FWD: {
            return clf_moncurve_fwd(k, x);
        }
        case CLF_EXP_MONCURVE_REV: {
            return clf_moncurve_rev(k, x);
        }
        case CLF_EXP_MONCURVE_MIRROR_FWD: {
            return sign * clf_moncurve_fwd(k, abs(x));
        }
        case CLF_EXP_MONCURVE_MIRROR_REV: {
            return sign * clf_moncurve_rev(k, abs(x));
        }
        default: {
            return x;
        }
    }
}

fn clf_exponent(p: u32, v: vec3<f32>) -> vec3<f32> {
    let style = clf_word(p);
    return vec3<f32>(clf_exponent_channel(style, p + 1u, v.x), clf_exponent_channel(style, p + 6u, v.y), clf_exponent_channel(style, p + 11u, v.z));
}

fn clf_clamp01(v: vec3<f32>, clamp_on: bool) -> vec3<f32> {
    return select(v, select(vec3<f32>(0.0), min(v, vec3<f32>(1.0)), v > vec3<f32>(0.0)), clamp_on);
}

fn clf_cdl_pow(p: u32, v: vec3<f32>, clamp_on: bool) -> vec3<f32> {
    var out: vec3<f32>;
    for (var c = 0u; c < 3u; c++) {
        let x = v[c];
        let e = tables[p + 8u + c];
        if clamp_on {
            out[c] = clf_pow(select(0.0, min(x, 1.0), x > 0.0), e);
        } else {
            // Negatives pass; NaN (neither below nor above 0) becomes 0.
            out[c] = select(select(0.0, clf_pow(x, e), x >= 0.0), x, x < 0.0);
        }
    }
    return out;
}

fn clf_cdl(p: u32, v: vec3<f32>) -> vec3<f32> {
    let clamp_on = clf_word(p) == 1u;
    let reverse = clf_word(p + 1u) == 1u;
    let slope = vec3<f32>(tables[p + 2u], tables[p + 3u], tables[p + 4u]);
    let offset = vec3<f32>(tables[p + 5u], tables[p + 6u], tables[p + 7u]);
    let sat = tables[p + 11u];
    if reverse {
        var y = clf_clamp01(v, clamp_on);
        let luma = y.r * 0.2126 + y.g * 0.7152 + y.b * 0.0722;
        y = luma + sat * (y - luma);
        y = clf_cdl_pow(p, y, clamp_on);
        return clf_clamp01((y + offset) * slope, clamp_on);
    }
    var y = clf_cdl_pow(p, v * slope + offset, clamp_on);
    let luma = y.r * 0.2126 + y.g * 0.7152 + y.b * 0.0722;
    return clf_clamp01(luma + sat * (y - luma), clamp_on);
}

// One operator of the program: `code` with its parameters at `p`.
fn clf_op(code: u32, p: u32, v: vec3<f32>) -> vec3<f32> {
    switch code {
        case CLF_MATRIX: {
            return clf_matrix(p, v);
        }
        case CLF_LUT1D: {
            return clf_lut1d(p, v);
        }
        case CLF_LUT3D: {
            return clf_lut3d(p, v);
        }
        case CLF_RANGE: {
            return clf_range(p, v);
        }
        case CLF_LOG: {
            return clf_log(p, v);
        }
        case CLF_EXPONENT: {
            return clf_exponent(p, v);
        }
        case CLF_CDL: {
            return clf_cdl(p, v);
        }
        default: {
            return v;
        }
    }
}

// Runs the program starting at `base` in `tables` on one value.
fn run_clf_program(input: vec3<f32>, base: u32) -> vec3<f32> {
    var v = input;
    let count = clf_word(base);
    var pc = base + 1u;
    for (var i = 0u; i < count; i++) {
        let p = pc + 2u;
        v = clf_op(clf_word(pc), p, v);
        pc = p + clf_word(pc + 1u);
    }
    return v;
}
