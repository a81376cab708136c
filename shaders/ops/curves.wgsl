// Curves: master and RGB custom curves, then hue-vs-hue, hue-vs-saturation, luma-vs-saturation,
// saturation-vs-saturation and hue-vs-luma, from baked tables (src/ops/curves.rs `Curves::tables`).
// CPU twin: src/ops/curves.rs `Curves::cpu`, which reads the same uniform and tables.

#import common

const TABLE_SIZE: u32 = 1024u;
const MASTER: u32 = 0u;
const HUE_VS_HUE: u32 = 4u;
const HUE_VS_SATURATION: u32 = 5u;
const HUE_VS_LUMA: u32 = 6u;
const LUMA_VS_SATURATION: u32 = 7u;
const SATURATION_VS_SATURATION: u32 = 8u;

struct Curves {
    flags: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
    luma: vec4<f32>,
}

// The pass that includes this library declares `tables: array<f32>` (read-only storage); this stage's
// 9 tables start at `site.tables` (a pass may hold several stages' tables).

fn curve_on(p: Curves, curve: u32) -> bool {
    return (p.flags & (1u << curve)) != 0u;
}

fn entry(base: u32, curve: u32, i: u32) -> f32 {
    return tables[base + curve * TABLE_SIZE + i];
}

// Linear interpolation over 0..1, a straight line beyond (`table_linear` in curves.rs).
fn table_linear(base: u32, curve: u32, x: f32) -> f32 {
    let last = f32(TABLE_SIZE - 1u);
    let pos = x * last;
    if (pos <= 0.0) {
        return entry(base, curve, 0u) + (entry(base, curve, 1u) - entry(base, curve, 0u)) * pos;
    }
    if (pos >= last) {
        let a = entry(base, curve, TABLE_SIZE - 2u);
        let b = entry(base, curve, TABLE_SIZE - 1u);
        return b + (b - a) * (pos - last);
    }
    let i = min(u32(floor(pos)), TABLE_SIZE - 2u);
    let f = pos - f32(i);
    return entry(base, curve, i) + (entry(base, curve, i + 1u) - entry(base, curve, i)) * f;
}

// Linear interpolation around the hue circle (`table_periodic` in curves.rs).
fn table_periodic(base: u32, curve: u32, h: f32) -> f32 {
    let pos = fract(h) * f32(TABLE_SIZE);
    let i = min(u32(floor(pos)), TABLE_SIZE - 1u);
    let f = pos - f32(i);
    let j = (i + 1u) % TABLE_SIZE;
    return entry(base, curve, i) + (entry(base, curve, j) - entry(base, curve, i)) * f;
}

fn curves(p: Curves, input: vec3<f32>, site: Site) -> vec3<f32> {
    var rgb = input;
    if (curve_on(p, MASTER)) {
        rgb = vec3<f32>(table_linear(site.tables, MASTER, rgb.r), table_linear(site.tables, MASTER, rgb.g), table_linear(site.tables, MASTER, rgb.b));
    }
    for (var c = 0u; c < 3u; c++) {
        if (curve_on(p, 1u + c)) {
            rgb[c] = table_linear(site.tables, 1u + c, rgb[c]);
        }
    }
    if ((p.flags >> 4u) != 0u) {
        let hs = hue_saturation(rgb);
        let h = hs.x;
        let s = hs.y;
        if (curve_on(p, HUE_VS_HUE)) {
            let hi = max(rgb.r, max(rgb.g, rgb.b));
            let lo = min(rgb.r, min(rgb.g, rgb.b));
            rgb = from_hue(h + table_periodic(site.tables, HUE_VS_HUE, h), hi, lo);
        }
        var gain = 1.0;
        if (curve_on(p, HUE_VS_SATURATION)) {
            gain *= max(1.0 + table_periodic(site.tables, HUE_VS_SATURATION, h), 0.0);
        }
        if (curve_on(p, LUMA_VS_SATURATION)) {
            let l = clamp(dot(rgb, p.luma.xyz), 0.0, 1.0);
            gain *= max(1.0 + table_linear(site.tables, LUMA_VS_SATURATION, l), 0.0);
        }
        if (curve_on(p, SATURATION_VS_SATURATION)) {
            gain *= max(1.0 + table_linear(site.tables, SATURATION_VS_SATURATION, s), 0.0);
        }
        if (gain != 1.0) {
            let l = dot(rgb, p.luma.xyz);
            rgb = vec3<f32>(l) + (rgb - vec3<f32>(l)) * gain;
        }
        if (curve_on(p, HUE_VS_LUMA)) {
            rgb *= max(1.0 + table_periodic(site.tables, HUE_VS_LUMA, h) * s, 0.0);
        }
    }
    return rgb;
}

// The stage at full strength.
fn curves_node(p: Curves, input: vec3<f32>, site: Site) -> vec3<f32> {
    return curves(p, input, site);
}
