// Histogram from the waveform bins: a histogram is the waveform's counts summed over its columns,
// so when both scopes run, this replaces a second accumulation over the frame (one thread per
// channel and level, summing `columns` integers: exact, and far cheaper than 4 atomics a pixel).

#import scope_common

@group(0) @binding(0) var<uniform> p: ScopeParams;
@group(0) @binding(1) var<storage, read> waveform: array<u32>;
@group(0) @binding(2) var<storage, read_write> histogram: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= 4u * LEVELS) {
        return;
    }
    let channel = id.x / LEVELS;
    let level = id.x % LEVELS;
    let columns = p.waveform_columns;
    var total = 0u;
    for (var c = 0u; c < columns; c++) {
        total += waveform[(channel * columns + c) * LEVELS + level];
    }
    histogram[id.x] = total;
}
