// Curves: master and RGB custom curves, then hue-vs-hue, hue-vs-saturation, luma-vs-saturation,
// saturation-vs-saturation and hue-vs-luma, from baked tables (src/ops/curves.rs `Curves::tables`).
// CPU reference: src/ops/curves.rs `apply_pixel`, which reads the same uniform and tables.

const TABLE_SIZE: u32 = 1024u;
const MASTER: u32 = 0u;
const HUE_VS_HUE: u32 = 4u;
const HUE_VS_SATURATION: u32 = 5u;
const HUE_VS_LUMA: u32 = 6u;
const LUMA_VS_SATURATION: u32 = 7u;
const SATURATION_VS_SATURATION: u32 = 8u;

struct Curves {
    flags: u32,
    mix: f32,
    _pad0: u32,
    _pad1: u32,
    luma: vec4<f32>,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> p: Curves;
@group(0) @binding(3) var<storage, read> tables: array<f32>;

fn on(curve: u32) -> bool {
    return (p.flags & (1u << curve)) != 0u;
}

fn entry(curve: u32, i: u32) -> f32 {
    return tables[curve * TABLE_SIZE + i];
}

// Linear interpolation over 0..1, a straight line beyond (`table_linear` in curves.rs).
fn table_linear(curve: u32, x: f32) -> f32 {
    let last = f32(TABLE_SIZE - 1u);
    let pos = x * last;
    if (pos <= 0.0) {
        return entry(curve, 0u) + (entry(curve, 1u) - entry(curve, 0u)) * pos;
    }
    if (pos >= last) {
        let a = entry(curve, TABLE_SIZE - 2u);
        let b = entry(curve, TABLE_SIZE - 1u);
        return b + (b - a) * (pos - last);
    }
    let i = min(u32(floor(pos)), TABLE_SIZE - 2u);
    let f = pos - f32(i);
    return entry(curve, i) + (entry(curve, i + 1u) - entry(curve, i)) * f;
}

// Linear interpolation around the hue circle (`table_periodic` in curves.rs).
fn table_periodic(curve: u32, h: f32) -> f32 {
    let pos = fract(h) * f32(TABLE_SIZE);
    let i = min(u32(floor(pos)), TABLE_SIZE - 1u);
    let f = pos - f32(i);
    let j = (i + 1u) % TABLE_SIZE;
    return entry(curve, i) + (entry(curve, j) - entry(curve, i)) * f;
}

fn curves(input: vec3<f32>) -> vec3<f32> {
    var rgb = input;
    if (on(MASTER)) {
        rgb = vec3<f32>(table_linear(MASTER, rgb.r), table_linear(MASTER, rgb.g), table_linear(MASTER, rgb.b));
    }
    for (var c = 0u; c < 3u; c++) {
        if (on(1u + c)) {
            rgb[c] = table_linear(1u + c, rgb[c]);
        }
    }
    if ((p.flags >> 4u) != 0u) {
        let hs = hue_saturation(rgb);
        let h = hs.x;
        let s = hs.y;
        if (on(HUE_VS_HUE)) {
            let hi = max(rgb.r, max(rgb.g, rgb.b));
            let lo = min(rgb.r, min(rgb.g, rgb.b));
            rgb = from_hue(h + table_periodic(HUE_VS_HUE, h), hi, lo);
        }
        var gain = 1.0;
        if (on(HUE_VS_SATURATION)) {
            gain *= max(1.0 + table_periodic(HUE_VS_SATURATION, h), 0.0);
        }
        if (on(LUMA_VS_SATURATION)) {
            let l = clamp(dot(rgb, p.luma.xyz), 0.0, 1.0);
            gain *= max(1.0 + table_linear(LUMA_VS_SATURATION, l), 0.0);
        }
        if (on(SATURATION_VS_SATURATION)) {
            gain *= max(1.0 + table_linear(SATURATION_VS_SATURATION, s), 0.0);
        }
        if (gain != 1.0) {
            let l = dot(rgb, p.luma.xyz);
            rgb = vec3<f32>(l) + (rgb - vec3<f32>(l)) * gain;
        }
        if (on(HUE_VS_LUMA)) {
            rgb *= max(1.0 + table_periodic(HUE_VS_LUMA, h) * s, 0.0);
        }
    }
    return rgb;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    var rgb = curves(px.rgb);
    if (p.mix < 1.0) {
        rgb = px.rgb * (1.0 - p.mix) + rgb * p.mix;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}
