// Device preview: what a target display emits for the signal it is sent, shown on the app's SDR
// screen. The signal (PQ, BT.1886 or sRGB, in the device's primaries) becomes the device's light in
// nits (a 600-nit TV first applies the BT.2390 EETF from the 1000-nit master); that light is
// converted to Rec.709 primaries and shown through one screen mapping shared by every device: a
// curve from 0 to the master's 1000 nits (src/ops/device_preview.rs SCREEN_NITS), then sRGB. CPU twin:
// src/ops/device_preview.rs `apply_pixel`.

#import common
#import color

struct DevicePreview {
    // Rows of the device primaries -> Rec.709 matrix.
    matrix: array<vec4<f32>, 3>,
    // The device's EETF (when `device_eetf`): source black and peak (PQ codes), minLum, maxLum.
    device: vec4<f32>,
    // The screen curve: c, 1 / SDR white nits.
    screen: vec4<f32>,
    // 0 PQ, 1 BT.1886 (gamma 2.4), 2 sRGB.
    signal: u32,
    device_eetf: u32,
    // Peak nits of an SDR device's white.
    sdr_white: f32,
    screen_nits: f32,
}

// BT.2390 EETF of one PQ code, constants (black, peak, minLum, maxLum) as src/color/eetf.rs derives.
fn bt2390(k: vec4<f32>, code: f32) -> f32 {
    let range = k.y - k.x;
    let e1 = clamp((code - k.x) / range, 0.0, 1.0);
    let ks = 1.5 * k.w - 0.5;
    var e2 = e1;
    if (e1 >= ks) {
        let t = (e1 - ks) / (1.0 - ks);
        let t2 = t * t;
        let t3 = t2 * t;
        e2 = (2.0 * t3 - 3.0 * t2 + 1.0) * ks + (t3 - 2.0 * t2 + t) * (1.0 - ks) + (-2.0 * t3 + 3.0 * t2) * k.w;
    }
    let d = 1.0 - e2;
    let e3 = e2 + k.z * (d * d * d * d);
    return e3 * range + k.x;
}

fn device_nits(p: DevicePreview, v: f32) -> f32 {
    if (p.signal == 0u) {
        var code = max(v, 0.0);
        if (p.device_eetf != 0u) {
            code = bt2390(p.device, code);
        }
        return pq_decode(code) * 100.0;
    }
    if (p.signal == 1u) {
        return p.sdr_white * pow(max(v, 0.0), 2.4);
    }
    return p.sdr_white * srgb_decode(max(v, 0.0));
}

// x in units of SDR white; y = x / (1 + x c), c = 1 - 1/W, W the screen white's multiple of it.
fn screen(p: DevicePreview, nits: f32) -> f32 {
    let x = max(nits, 0.0) * p.screen.y;
    return srgb_encode(x / (1.0 + x * p.screen.x));
}

fn device_preview_node(p: DevicePreview, input: vec3<f32>, site: Site) -> vec3<f32> {
    let light = vec3<f32>(device_nits(p, input.x), device_nits(p, input.y), device_nits(p, input.z));
    let l709 = vec3<f32>(dot(p.matrix[0].xyz, light), dot(p.matrix[1].xyz, light), dot(p.matrix[2].xyz, light));
    return vec3<f32>(screen(p, l709.x), screen(p, l709.y), screen(p, l709.z));
}
