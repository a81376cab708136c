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

fn primaries(p: Primaries, input: vec3<f32>) -> vec3<f32> {
    var rgb = input;
    if (p.linear_transfer != TRANSFER_LINEAR) {
        rgb = transfer_decode(p.linear_transfer, rgb);
    }
    rgb = vec3<f32>(dot(rgb, p.matrix[0].xyz), dot(rgb, p.matrix[1].xyz), dot(rgb, p.matrix[2].xyz));
    if (p.linear_transfer != TRANSFER_LINEAR) {
        rgb = transfer_encode(p.linear_transfer, rgb);
    }
    rgb = rgb * p.slope.xyz + p.cdl_offset.xyz;
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

// The stage: the correction at full strength (the executor blends it by the node's mix).
fn primaries_node(p: Primaries, input: vec3<f32>, site: Site) -> vec3<f32> {
    return primaries(p, input);
}
