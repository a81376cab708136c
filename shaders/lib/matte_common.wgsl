// What the packed matte's two blur passes share (shaders/ops/key_matte_rows.wgsl and
// key_matte_columns.wgsl): the uniform, a Gaussian's taps laid out for four outputs at once
// (`weights[4 (q + reach) + d][c]` = the tap 4q + d - c), and its widest reach.
// CPU side: src/ops/key/matte.rs `MatteBlurUniform`.

const MAX_REACH: u32 = 48u; // (MAX_RADIUS + 3) / 4

struct MatteBlur {
    width: u32,
    reach: u32,
    _pad0: u32,
    _pad1: u32,
    weights: array<vec4<f32>, 388>,
}
