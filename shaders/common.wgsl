// Shared by every op shader: prepended to each op's source when its pipeline is built.

// x^e for positive x; zero and negatives pass through unchanged (no clamping). Mirrors
// `pow_positive` in src/ops/primaries.rs.
// An exponent of exactly 1 returns x bit for bit (GPU pow is exp2(log2) and would not).
fn pow_positive(x: vec3<f32>, e: vec3<f32>) -> vec3<f32> {
    let raised = select(pow(max(x, vec3<f32>(1e-30)), e), x, e == vec3<f32>(1.0));
    return select(x, raised, x > vec3<f32>(0.0));
}

// Saturation around a weighted luma, written as a blend so that amount 1 is exact.
fn saturate_around_luma(rgb: vec3<f32>, weights: vec3<f32>, amount: f32) -> vec3<f32> {
    let luma = dot(rgb, weights);
    return rgb * amount + vec3<f32>(luma * (1.0 - amount));
}

// A node's input blended with its output; mix 1 returns the output bit for bit. Mirrors `blend` in
// src/ops/mod.rs (WGSL's mix() may be a + t (b - a), not exact at t = 1).
fn blend(input: vec3<f32>, output: vec3<f32>, amount: f32) -> vec3<f32> {
    if (amount >= 1.0) {
        return output;
    }
    return input * (1.0 - amount) + output * amount;
}
