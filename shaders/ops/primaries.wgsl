// Primaries: exposure + white balance, ASC CDL v1.2, lift/gamma/gain/offset, contrast/pivot, saturation.
// CPU twin: src/ops/primaries.rs `Primaries::cpu`, which reads the same uniform.
// A library: fused passes (src/gpu/fused.rs) call `primaries_node` with their own uniform binding.

#import common
#import color

struct Primaries {
    matrix: array<vec4<f32>, 3>,
    slope: vec4<f32>,
    cdl_offset: vec4<f32>,
    power: vec4<f32>,
    lift: vec4<f32>,
    gain: vec4<f32>,
    inv_gamma: vec4<f32>,
    offset: vec4<f32>,
    luma: vec4<f32>,
    cdl_saturation: f32,
    contrast: f32,
    pivot: f32,
    saturation: f32,
    cdl_clamp: u32,
    // The working space's transfer (TRANSFER_* in color.wgsl): exposure and white balance act on its
    // linear light.
    linear_transfer: u32,
    _pad1: u32,
    _pad2: u32,
}

// Exposure and white balance: one 3x3 matrix on the working space's linear light.
fn primaries_balance(p: Primaries, linear: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(dot(linear, p.matrix[0].xyz), dot(linear, p.matrix[1].xyz), dot(linear, p.matrix[2].xyz));
}

// Everything after the balance, on the working space's encoded values: CDL, lift/gamma/gain/offset,
// contrast/pivot, saturation.
fn primaries_corrections(p: Primaries, input: vec3<f32>) -> vec3<f32> {
    var rgb = input * p.slope.xyz + p.cdl_offset.xyz;
    if (p.cdl_clamp != 0u) {
        rgb = clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
    }
    rgb = pow_positive(rgb, p.power.xyz);
    rgb = saturate_around_luma(rgb, p.luma.xyz, p.cdl_saturation);
    if (p.cdl_clamp != 0u) {
        rgb = clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
    }
    rgb = p.lift.xyz + rgb * (p.gain.xyz - p.lift.xyz);
    rgb = pow_positive(rgb, p.inv_gamma.xyz) + p.offset.xyz;
    rgb = rgb * p.contrast + vec3<f32>(p.pivot * (1.0 - p.contrast));
    return saturate_around_luma(rgb, p.luma.xyz, p.saturation);
}

// The generic form, for any working space's transfer. Fused passes call the two halves with the
// working space's own curve written out (`Primaries::specialised_wgsl` in src/ops/primaries.rs).
fn primaries(p: Primaries, input: vec3<f32>) -> vec3<f32> {
    var rgb = input;
    if (p.linear_transfer != TRANSFER_LINEAR) {
        rgb = transfer_decode(p.linear_transfer, rgb);
    }
    rgb = primaries_balance(p, rgb);
    if (p.linear_transfer != TRANSFER_LINEAR) {
        rgb = transfer_encode(p.linear_transfer, rgb);
    }
    return primaries_corrections(p, rgb);
}

// The stage: the correction at full strength (the executor blends it by the node's mix).
fn primaries_node(p: Primaries, input: vec3<f32>, site: Site) -> vec3<f32> {
    return primaries(p, input);
}
