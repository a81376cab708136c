//! LUT node: a `.cube` file (1D, 3D, or a Resolve 1D shaper + 3D) applied per pixel in one pass,
//! `shaders/lut.wgsl`. The 3D table is a 3D rgba32float texture read with `textureLoad` and
//! interpolated by hand (tetrahedral or trilinear, exactly as `interchange::Lut3d`); the 1D table is
//! a storage buffer. The grade keeps only the file's path; the GPU side (`gpu::lut`) loads it and
//! keeps the uploaded tables until the file changes.
//!
//! CPU reference: [`apply_pixel`], i.e. `CubeFile::apply` (checked against OpenColorIO 2.6 in
//! `interchange::cube_tests`) blended by the node's mix.

use std::path::{Path, PathBuf};

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::blend;
use crate::interchange::{CubeFile, InterchangeError, Interpolation, read_cube};

/// Name of the shader (`shaders/lut.wgsl`) that executes this op.
pub const SHADER: &str = "lut";

/// Shader id of tetrahedral interpolation (`INTERP_TETRAHEDRAL` in `lut.wgsl`).
pub const INTERP_TETRAHEDRAL: u32 = 0;
/// Shader id of trilinear interpolation (`INTERP_TRILINEAR` in `lut.wgsl`).
pub const INTERP_TRILINEAR: u32 = 1;

/// A LUT node's parameters: which file, and how its 3D table is interpolated.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lut {
    /// The `.cube` file. In a grade file a relative path is relative to the grade file's folder
    /// (resolved by `Grade::load`); elsewhere, to the working directory.
    pub path: PathBuf,
    /// 3D interpolation (default tetrahedral); 1D tables are always linear.
    #[serde(default)]
    pub interpolation: Interpolation,
}

impl Lut {
    /// A LUT node for `path` with tetrahedral interpolation.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), interpolation: Interpolation::Tetrahedral }
    }

    /// Problems a colorist must fix before this can render (without touching the file).
    pub fn validate(&self) -> Result<(), String> {
        if self.path.as_os_str().is_empty() {
            return Err("the LUT path is empty".into());
        }
        Ok(())
    }

    /// Makes a relative path relative to `base` (the grade file's folder); absolute paths stay.
    pub fn resolve(&mut self, base: &Path) {
        if self.path.is_relative() {
            self.path = base.join(&self.path);
        }
    }

    /// Reads and parses the file (errors name the file and line).
    pub fn load(&self) -> Result<CubeFile, InterchangeError> {
        read_cube(&self.path)
    }
}

/// The interpolation's shader id.
pub fn interpolation_id(interp: Interpolation) -> u32 {
    match interp {
        Interpolation::Tetrahedral => INTERP_TETRAHEDRAL,
        Interpolation::Trilinear => INTERP_TRILINEAR,
    }
}

/// Laid out exactly as `struct Lut` in `shaders/lut.wgsl`. A size of 0 means "no such table".
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct LutUniform {
    /// Input mapped to the 1D table's first entry, per channel (w unused).
    pub domain_min_1d: [f32; 4],
    /// Input mapped to the 1D table's last entry.
    pub domain_max_1d: [f32; 4],
    /// Input mapped to the 3D lattice's first node.
    pub domain_min_3d: [f32; 4],
    /// Input mapped to the 3D lattice's last node.
    pub domain_max_3d: [f32; 4],
    /// Entries in the 1D table (0: none).
    pub size_1d: u32,
    /// Points per axis of the 3D table (0: none).
    pub size_3d: u32,
    /// [`INTERP_TETRAHEDRAL`] or [`INTERP_TRILINEAR`].
    pub interpolation: u32,
    /// Node mix: 0 = input, 1 = fully applied.
    pub mix: f32,
    /// Index of this node's first 1D entry in the pass's shaper buffer (several LUT nodes may share
    /// one pass); set by the executor.
    pub shaper_offset: u32,
    /// Padding.
    pub _pad: [u32; 3],
}

fn pad(v: [f32; 3]) -> [f32; 4] {
    [v[0], v[1], v[2], 0.0]
}

impl LutUniform {
    /// The uniform for `cube` applied with `interp` at `mix`.
    pub fn new(cube: &CubeFile, interp: Interpolation, mix: f32) -> Self {
        let (size_1d, min_1d, max_1d) =
            cube.lut1d.as_ref().map_or((0, [0.0; 3], [1.0; 3]), |l| (l.table.len(), l.domain_min, l.domain_max));
        let (size_3d, min_3d, max_3d) =
            cube.lut3d.as_ref().map_or((0, [0.0; 3], [1.0; 3]), |l| (l.size, l.domain_min, l.domain_max));
        LutUniform {
            domain_min_1d: pad(min_1d),
            domain_max_1d: pad(max_1d),
            domain_min_3d: pad(min_3d),
            domain_max_3d: pad(max_3d),
            // Sizes are at most 65536 (1D) and 256 (3D): the parser refuses larger ones.
            size_1d: size_1d as u32,
            size_3d: size_3d as u32,
            interpolation: interpolation_id(interp),
            mix,
            shaper_offset: 0,
            _pad: [0; 3],
        }
    }
}

/// The 1D table as the shader's storage buffer reads it: one vec4 per entry (at least one entry,
/// since a binding may not be empty).
pub fn table_1d_texels(cube: &CubeFile) -> Vec<[f32; 4]> {
    match &cube.lut1d {
        Some(l) if !l.table.is_empty() => l.table.iter().map(|v| pad(*v)).collect(),
        _ => vec![[0.0; 4]],
    }
}

/// The 3D table as rgba32float texels in texture order (x = red fastest, then green, then blue:
/// the `.cube` row order), or `None` without a 3D table.
pub fn table_3d_texels(cube: &CubeFile) -> Option<(u32, Vec<[f32; 4]>)> {
    let l = cube.lut3d.as_ref()?;
    let entries = l.size.checked_pow(3)?;
    if l.table.len() != entries {
        return None;
    }
    Some((l.size as u32, l.table.iter().map(|v| pad(*v)).collect()))
}

/// CPU reference of `lut.wgsl` for one RGB value: `CubeFile::apply` blended by `mix`.
pub fn apply_pixel(cube: &CubeFile, interp: Interpolation, mix: f32, input: [f32; 3]) -> [f32; 3] {
    blend(input, cube.apply(input, interp), mix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::parse_cube;

    #[test]
    fn json_and_resolution() {
        let l: Lut = serde_json::from_str(r#"{"path": "looks/film.cube"}"#).unwrap();
        assert_eq!(l, Lut::new("looks/film.cube"));
        let json = serde_json::to_string(&Lut { interpolation: Interpolation::Trilinear, ..l.clone() }).unwrap();
        assert_eq!(json, r#"{"path":"looks/film.cube","interpolation":"trilinear"}"#);
        let mut relative = l.clone();
        relative.resolve(Path::new("/grades"));
        assert_eq!(relative.path, Path::new("/grades/looks/film.cube"));
        let mut absolute = Lut::new("/luts/a.cube");
        absolute.resolve(Path::new("/grades"));
        assert_eq!(absolute.path, Path::new("/luts/a.cube"));
        assert!(Lut::new("").validate().is_err());
    }

    #[test]
    fn uniform_and_tables_mirror_the_file() {
        let text = "LUT_1D_SIZE 2\nLUT_1D_INPUT_RANGE 0 2\nLUT_3D_SIZE 2\n\
                    0 0 0\n2 2 2\n\
                    0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n";
        let cube = parse_cube(text, "mem.cube").unwrap();
        let u = LutUniform::new(&cube, Interpolation::Trilinear, 0.5);
        assert_eq!((u.size_1d, u.size_3d, u.interpolation), (2, 2, 1));
        assert_eq!(u.domain_max_1d, [2.0, 2.0, 2.0, 0.0]);
        assert_eq!(u.domain_max_3d, [1.0, 1.0, 1.0, 0.0]);
        assert_eq!(table_1d_texels(&cube).len(), 2);
        let (n, texels) = table_3d_texels(&cube).unwrap();
        assert_eq!((n, texels[1]), (2, [1.0, 0.0, 0.0, 0.0]));
        assert_eq!(
            apply_pixel(&cube, Interpolation::Tetrahedral, 1.0, [0.5; 3]),
            cube.apply([0.5; 3], Interpolation::Tetrahedral)
        );
        let empty = CubeFile::default();
        assert_eq!(table_1d_texels(&empty), vec![[0.0; 4]]);
        assert!(table_3d_texels(&empty).is_none());
    }
}
