// Working pixels (rgba32float) to IEEE 754 half floats, packed two per u32 (R | G << 16, B | A << 16)
// row-major into a storage buffer that is copied back as a half-float frame. The rounding is
// written out on the bits, to nearest with ties to even, exactly as IEEE 754 (and the `half`
// crate's f16::from_f32, this pass's CPU twin) round: a storage texture's or pack2x16float's
// rounding is left to the implementation. Finite values past 65504 (from 65520 up) become
// infinite, NaN stays NaN (quiet, keeping its top payload bits), subnormal halves are kept.

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;

fn to_half(v: f32) -> u32 {
    let x = bitcast<u32>(v);
    let sign = (x >> 16u) & 0x8000u;
    let e = (x >> 23u) & 0xffu;
    let m = x & 0x7fffffu;
    if (e == 0xffu) {
        if (m != 0u) {
            return sign | 0x7e00u | (m >> 13u);
        }
        return sign | 0x7c00u;
    }
    // The half's biased exponent.
    let he = i32(e) - 112;
    if (he >= 31) {
        return sign | 0x7c00u;
    }
    if (he <= 0) {
        // Subnormal half (or zero): the 24-bit significand in units of 2^-24, rounded.
        if (he < -10) {
            return sign;
        }
        let significand = m | 0x800000u;
        let shift = u32(14 - he);
        let h = significand >> shift;
        let rest = significand & ((1u << shift) - 1u);
        let halfway = 1u << (shift - 1u);
        let up = rest > halfway || (rest == halfway && (h & 1u) == 1u);
        return sign | (h + select(0u, 1u, up));
    }
    let h = (u32(he) << 10u) | (m >> 13u);
    let rest = m & 0x1fffu;
    let up = rest > 0x1000u || (rest == 0x1000u && (h & 1u) == 1u);
    // A carry out of the significand steps the exponent, up to infinity: still correct.
    return sign | (h + select(0u, 1u, up));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = textureLoad(src, vec2<i32>(id.xy), 0);
    let i = (id.y * size.x + id.x) * 2u;
    dst[i] = to_half(p.r) | (to_half(p.g) << 16u);
    dst[i + 1u] = to_half(p.b) | (to_half(p.a) << 16u);
}
