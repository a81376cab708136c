//! The colour appearance model of the ACES 2.0 Output Transform: CAM16-derived JMh under fixed
//! viewing conditions, and its parameters for a set of primaries.

use super::*;

pub(super) fn compress_cone(rc: f32) -> f32 {
    let f = pow(rc, 0.42);
    f / (CAM_NL_OFFSET + f)
}

pub(super) fn expand_cone(ra: f32) -> f32 {
    let ra = ra.min(0.99);
    pow(CAM_NL_OFFSET * ra / (1.0 - ra), 1.0 / 0.42)
}

pub(super) fn compress_cone_signed(v: f32) -> f32 {
    compress_cone(v.abs()).copysign(v)
}

pub(super) fn expand_cone_signed(v: f32) -> f32 {
    expand_cone(v.abs()).copysign(v)
}

/// A block's view: every reader takes the block and an offset, as the shader does.
#[derive(Clone, Copy)]
pub(super) struct Jmh<'a>(pub(super) &'a [f32]);

impl Jmh<'_> {
    pub(super) fn m(&self, off: usize) -> &[f32] {
        &self.0[off..off + 9]
    }

    pub(super) fn achromatic_to_j(&self, a: f32) -> f32 {
        J_SCALE * pow(a, self.0[JMH_CZ])
    }

    pub(super) fn j_to_achromatic(&self, j: f32) -> f32 {
        pow(j * (1.0 / J_SCALE), self.0[JMH_INV_CZ])
    }

    pub(super) fn a_to_y(&self, a: f32) -> f32 {
        expand_cone(self.0[JMH_A_W_J] * a) / self.0[JMH_F_L_N]
    }

    pub(super) fn j_to_y(&self, abs_j: f32) -> f32 {
        self.a_to_y(self.j_to_achromatic(abs_j))
    }

    pub(super) fn y_to_j(&self, abs_y: f32) -> f32 {
        let ra = compress_cone(abs_y * self.0[JMH_F_L_N]);
        self.achromatic_to_j(ra * self.0[JMH_INV_A_W_J])
    }

    pub(super) fn rgb_to_aab(&self, rgb: [f32; 3]) -> [f32; 3] {
        let m = mul_v(rgb, self.m(JMH_RGB_TO_CAM));
        mul_v(m.map(compress_cone_signed), self.m(JMH_CONE_TO_AAB))
    }

    pub(super) fn aab_to_jmh(&self, aab: [f32; 3]) -> [f32; 3] {
        if aab[0].is_nan() || aab[0] <= 0.0 {
            return [0.0; 3];
        }
        let j = self.achromatic_to_j(aab[0]);
        let m = (aab[1] * aab[1] + aab[2] * aab[2]).sqrt();
        [j, m, from_radians(aab[2].atan2(aab[1]))]
    }

    pub(super) fn rgb_to_jmh(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.aab_to_jmh(self.rgb_to_aab(rgb))
    }

    pub(super) fn jmh_to_aab(&self, jmh: [f32; 3], cos_h: f32, sin_h: f32) -> [f32; 3] {
        [self.j_to_achromatic(jmh[0]), jmh[1] * cos_h, jmh[1] * sin_h]
    }

    pub(super) fn aab_to_rgb(&self, aab: [f32; 3]) -> [f32; 3] {
        let a = mul_v(aab, self.m(JMH_AAB_TO_CONE));
        mul_v(a.map(expand_cone_signed), self.m(JMH_CAM_TO_RGB))
    }

    pub(super) fn jmh_to_rgb(&self, jmh: [f32; 3]) -> [f32; 3] {
        let h = to_radians(jmh[2]);
        self.aab_to_rgb(self.jmh_to_aab(jmh, h.cos(), h.sin()))
    }
}

/// 0.59 · (1.48 + √(Y_b / 100)): the model's c·z exponent.
pub(super) fn model_gamma() -> f32 {
    SURROUND[1] * (1.48 + (Y_B / REFERENCE_LUMINANCE).sqrt())
}

/// The JMh parameters for RGB in `prims` (41 words).
pub(super) fn jmh_params(prims: &Chromaticities) -> Vec<f32> {
    let base_cone_to_aab: M33 = [2.0, 1.0, 1.0 / 20.0, 1.0, -12.0 / 11.0, 1.0 / 11.0, 1.0 / 9.0, 1.0 / 9.0, -2.0 / 9.0];
    let cam16_from_xyz = xyz_to_rgb(&CAM16);
    let to_xyz = rgb_to_xyz(prims);
    let xyz_w = mul_v([REFERENCE_LUMINANCE; 3], &to_xyz);
    let y_w = xyz_w[1];
    let rgb_w = mul_v(xyz_w, &cam16_from_xyz);

    let k = 1.0 / (5.0 * L_A + 1.0);
    let k4 = k * k * k * k;
    let f_l = 0.2 * k4 * (5.0 * L_A) + 0.1 * (1.0 - k4).powf(2.0) * (5.0 * L_A).powf(1.0 / 3.0);
    let f_l_n = f_l / REFERENCE_LUMINANCE;
    let cz = model_gamma();

    let d_rgb = [0, 1, 2].map(|i| f_l_n * y_w / rgb_w[i]);
    let rgb_aw = [0, 1, 2].map(|i| compress_cone_signed(d_rgb[i] * rgb_w[i]));
    let cone_to_aab = mul_m(&diag([CAM_NL_SCALE; 3]), &base_cone_to_aab);
    let a_w = cone_to_aab[0] * rgb_aw[0] + cone_to_aab[1] * rgb_aw[1] + cone_to_aab[2] * rgb_aw[2];
    let a_w_j = compress_cone(f_l);

    let rgb_to_cam16 = mul_m(&mul_m(&cam16_from_xyz, &to_xyz), &diag([REFERENCE_LUMINANCE; 3]));
    let rgb_to_cam16_c = mul_m(&diag(d_rgb), &rgb_to_cam16);
    let cam16_c_to_rgb = invert(&rgb_to_cam16_c);
    let s = 43.0 * SURROUND[2];
    let c = &cone_to_aab;
    let cone_response_to_aab: M33 =
        [c[0] / a_w, c[1] / a_w, c[2] / a_w, c[3] * s, c[4] * s, c[5] * s, c[6] * s, c[7] * s, c[8] * s];
    let aab_to_cone = invert(&cone_response_to_aab);

    let mut p = Vec::with_capacity(JMH_SIZE);
    p.extend(rgb_to_cam16_c);
    p.extend(cam16_c_to_rgb);
    p.extend(cone_response_to_aab);
    p.extend(aab_to_cone);
    p.extend([f_l_n, cz, 1.0 / cz, a_w_j, 1.0 / a_w_j]);
    p
}
