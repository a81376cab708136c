// Waveform / parade accumulation: one atomic count per channel (R, G, B, luma) per pixel into
// bins[channel][column group][level]. CPU reference: src/scopes/waveform.rs `counts_cpu`.

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= p.frame_size.x || id.y >= p.frame_size.y) {
        return;
    }
    let q = quantize3(textureLoad(frame, vec2<i32>(id.xy), 0).rgb);
    let column = id.x * p.waveform_columns / p.frame_size.x;
    let plane = p.waveform_columns * LEVELS;
    let base = column * LEVELS;
    atomicAdd(&bins[base + level_index(q.x)], 1u);
    atomicAdd(&bins[plane + base + level_index(q.y)], 1u);
    atomicAdd(&bins[2u * plane + base + level_index(q.z)], 1u);
    atomicAdd(&bins[3u * plane + base + level_index(luma_q(luma_sum(q, p.luma)))], 1u);
}
