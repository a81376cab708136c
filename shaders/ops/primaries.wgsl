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

// The steps after the balance, on the working space's encoded values, in order. Fused passes call
// only those whose controls are set (`Primaries::specialised_wgsl` in src/ops/primaries.rs); each
// skipped one would return its input bit for bit.
fn primaries_cdl_slope_offset(p: Primaries, rgb: vec3<f32>) -> vec3<f32> {
    return rgb * p.slope.xyz + p.cdl_offset.xyz;
}

fn primaries_cdl_clamp(rgb: vec3<f32>) -> vec3<f32> {
    return clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
}

fn primaries_cdl_power(p: Primaries, rgb: vec3<f32>) -> vec3<f32> {
    return pow_positive(rgb, p.power.xyz);
}

fn primaries_cdl_saturation(p: Primaries, rgb: vec3<f32>) -> vec3<f32> {
    return saturate_around_luma(rgb, p.luma.xyz, p.cdl_saturation);
}

fn primaries_lift_gain(p: Primaries, rgb: vec3<f32>) -> vec3<f32> {
    return p.lift.xyz + rgb * (p.gain.xyz - p.lift.xyz);
}

fn primaries_gamma(p: Primaries, rgb: vec3<f32>) -> vec3<f32> {
    return pow_positive(rgb, p.inv_gamma.xyz);
}

// Offset, contrast around the pivot, saturation.
fn primaries_finish(p: Primaries, input: vec3<f32>) -> vec3<f32> {
    var rgb = input + p.offset.xyz;
    rgb = rgb * p.contrast + vec3<f32>(p.pivot * (1.0 - p.contrast));
    return saturate_around_luma(rgb, p.luma.xyz, p.saturation);
}

// Everything after the balance: CDL, lift/gamma/gain/offset, contrast/pivot, saturation.
fn primaries_corrections(p: Primaries, input: vec3<f32>) -> vec3<f32> {
    var rgb = primaries_cdl_slope_offset(p, input);
    if (p.cdl_clamp != 0u) {
        rgb = primaries_cdl_clamp(rgb);
    }
    rgb = primaries_cdl_power(p, rgb);
    rgb = primaries_cdl_saturation(p, rgb);
    if (p.cdl_clamp != 0u) {
        rgb = primaries_cdl_clamp(rgb);
    }
    rgb = primaries_gamma(p, primaries_lift_gain(p, rgb));
    return primaries_finish(p, rgb);
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
