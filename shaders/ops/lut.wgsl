// LUT node: a .cube file's 1D table (linear) then its 3D table (tetrahedral or trilinear), or a CLF
// file's process list (`run_clf_program`, shaders/ops/lut_clf.wgsl) from the stage's tables.
// CPU twin: src/ops/lut.rs `Lut::cpu` (its 1D table as here, its 3D table by `Lut3d::apply` in
// src/interchange/cube.rs), which this mirrors operation for operation (domain mapping, clamping, the
// six tetrahedra, lerp order).

#import common
#import lut_clf

const INTERP_TETRAHEDRAL: u32 = 0u;
const INTERP_TRILINEAR: u32 = 1u;

struct Lut {
    domain_min_1d: vec4<f32>,
    domain_max_1d: vec4<f32>,
    domain_min_3d: vec4<f32>,
    domain_max_3d: vec4<f32>,
    size_1d: u32,
    size_3d: u32,
    interpolation: u32,
    // 1: the stage's tables hold a CLF program (`interchange::clf_program`), and the sizes are 0.
    program: u32,
}

// The pass that includes this library declares `tables: array<f32>` (read-only storage), where this
// stage's 1D table starts at `site.tables` (four floats an entry), and passes the stage's lattice
// (`texture_3d<f32>`) to `lut_node`.

// Lattice coordinates of x: low index, high index, fraction (`lattice_coord` in cube.rs): the
// domain maps linearly onto 0..last and inputs outside it clamp to the ends, as OpenColorIO does.
struct Coord {
    lo: u32,
    hi: u32,
    f: f32,
}

fn lattice_coord(x: f32, lo: f32, hi: f32, last: u32) -> Coord {
    let last_f = f32(last);
    let idx = clamp((x - lo) / (hi - lo) * last_f, 0.0, last_f);
    // A NaN input gives index 0, as Rust's saturating `as usize`: converting NaN to an integer is
    // undefined on GPUs, and an undefined index can read outside the lattice.
    let in_range = idx >= 0.0 && idx <= last_f;
    let l = select(0u, min(u32(floor(idx)), last), in_range);
    return Coord(l, min(l + 1u, last), idx - f32(l));
}

fn lerp(a: vec3<f32>, b: vec3<f32>, t: f32) -> vec3<f32> {
    return a + t * (b - a);
}

fn apply_1d(p: Lut, base: u32, rgb: vec3<f32>) -> vec3<f32> {
    let last = p.size_1d - 1u;
    var out = rgb;
    for (var c = 0u; c < 3u; c++) {
        let k = lattice_coord(rgb[c], p.domain_min_1d[c], p.domain_max_1d[c], last);
        let a = tables[base + 4u * k.lo + c];
        let b = tables[base + 4u * k.hi + c];
        out[c] = a + k.f * (b - a);
    }
    return out;
}

fn node(lattice: texture_3d<f32>, r: u32, g: u32, b: u32) -> vec3<f32> {
    return textureLoad(lattice, vec3<u32>(r, g, b), 0).rgb;
}

fn blend4(w: vec4<f32>, a: vec3<f32>, b: vec3<f32>, c: vec3<f32>, d: vec3<f32>) -> vec3<f32> {
    return w.x * a + w.y * b + w.z * c + w.w * d;
}

// Kasson et al. 1995: the cube splits into six tetrahedra along its diagonal. The one holding the
// point steps from c000 along the axis of the largest fraction, then of the two largest, to c111,
// with weights (1 - x1, x1 - x2, x2 - x3, x3) for the fractions sorted x1 >= x2 >= x3: the numbers
// `Lut3d::apply_tetrahedral` computes in its six branches (on a tie the tied weight is 0, so the
// vertex picked does not matter). Written without branches: four lattice reads per pixel, and no
// divergence between neighbouring pixels in different tetrahedra.
fn tetrahedral(lattice: texture_3d<f32>, r: Coord, g: Coord, b: Coord) -> vec3<f32> {
    let fr = r.f;
    let fg = g.f;
    let fb = b.f;
    let r_max = fr >= fg && fr >= fb;
    let g_max = !r_max && fg >= fb;
    let b_max = !r_max && !g_max;
    let b_min = fb <= fr && fb <= fg;
    let g_min = !b_min && fg <= fr;
    let r_min = !b_min && !g_min;
    let x1 = max(fr, max(fg, fb));
    let x2 = max(min(fr, fg), min(max(fr, fg), fb));
    let x3 = min(fr, min(fg, fb));
    let c000 = node(lattice, r.lo, g.lo, b.lo);
    let c111 = node(lattice, r.hi, g.hi, b.hi);
    let first = node(lattice, select(r.lo, r.hi, r_max), select(g.lo, g.hi, g_max), select(b.lo, b.hi, b_max));
    let second = node(lattice, select(r.hi, r.lo, r_min), select(g.hi, g.lo, g_min), select(b.hi, b.lo, b_min));
    return blend4(vec4<f32>(1.0 - x1, x1 - x2, x2 - x3, x3), c000, first, second, c111);
}

fn trilinear(lattice: texture_3d<f32>, r: Coord, g: Coord, b: Coord) -> vec3<f32> {
    let lo_b = lerp(lerp(node(lattice, r.lo, g.lo, b.lo), node(lattice, r.hi, g.lo, b.lo), r.f), lerp(node(lattice, r.lo, g.hi, b.lo), node(lattice, r.hi, g.hi, b.lo), r.f), g.f);
    let hi_b = lerp(lerp(node(lattice, r.lo, g.lo, b.hi), node(lattice, r.hi, g.lo, b.hi), r.f), lerp(node(lattice, r.lo, g.hi, b.hi), node(lattice, r.hi, g.hi, b.hi), r.f), g.f);
    return lerp(lo_b, hi_b, b.f);
}

// The lattice coordinates of a pixel on the 3D table's three axes.
struct Coords3 {
    r: Coord,
    g: Coord,
    b: Coord,
}

fn coords_3d(p: Lut, rgb: vec3<f32>) -> Coords3 {
    let last = p.size_3d - 1u;
    return Coords3(
        lattice_coord(rgb.r, p.domain_min_3d.x, p.domain_max_3d.x, last),
        lattice_coord(rgb.g, p.domain_min_3d.y, p.domain_max_3d.y, last),
        lattice_coord(rgb.b, p.domain_min_3d.z, p.domain_max_3d.z, last),
    );
}

fn apply_3d_tetrahedral(p: Lut, lattice: texture_3d<f32>, rgb: vec3<f32>) -> vec3<f32> {
    let c = coords_3d(p, rgb);
    return tetrahedral(lattice, c.r, c.g, c.b);
}

fn apply_3d_trilinear(p: Lut, lattice: texture_3d<f32>, rgb: vec3<f32>) -> vec3<f32> {
    let c = coords_3d(p, rgb);
    return trilinear(lattice, c.r, c.g, c.b);
}

fn apply_3d(p: Lut, lattice: texture_3d<f32>, rgb: vec3<f32>) -> vec3<f32> {
    if p.interpolation == INTERP_TRILINEAR {
        return apply_3d_trilinear(p, lattice, rgb);
    }
    return apply_3d_tetrahedral(p, lattice, rgb);
}

// The stage: its 1D table, then its 3D table (or its CLF program), at full strength. Fused passes
// write out only the parts a LUT has (`Lut::specialised_wgsl` in src/ops/lut.rs): on llvmpipe the CLF
// interpreter costs a LUT its whole body even behind a branch no pixel takes.
fn lut_node(p: Lut, input: vec3<f32>, site: Site, lattice: texture_3d<f32>) -> vec3<f32> {
    if p.program != 0u {
        return run_clf_program(input, site.tables);
    }
    var rgb = input;
    if p.size_1d > 0u {
        rgb = apply_1d(p, site.tables, rgb);
    }
    if p.size_3d > 0u {
        rgb = apply_3d(p, lattice, rgb);
    }
    return rgb;
}
