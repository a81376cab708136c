// Primaries: exposure + white balance, ASC CDL v1.2, lift/gamma/gain/offset, contrast/pivot, saturation.
// CPU reference: src/ops/primaries.rs `apply_pixel`, which reads the same uniform.

struct Primaries {
    matrix_r: vec4<f32>,
    matrix_g: vec4<f32>,
    matrix_b: vec4<f32>,
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
    mix: f32,
    _pad0: u32,
    _pad1: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> p: Primaries;

fn primaries(input: vec3<f32>) -> vec3<f32> {
    var rgb = vec3<f32>(dot(input, p.matrix_r.xyz), dot(input, p.matrix_g.xyz), dot(input, p.matrix_b.xyz));
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

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let graded = primaries(px.rgb);
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(mix(px.rgb, graded, vec3<f32>(p.mix)), px.a));
}
