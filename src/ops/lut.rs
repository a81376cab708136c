//! LUT node: a `.cube` file (1D, 3D, or a Resolve 1D shaper + 3D) or a CLF process list applied per
//! pixel in one stage, `shaders/ops/lut.wgsl`. A `.cube` file's 3D table is a 3D rgba32float texture
//! (the stage's lattice) read with `textureLoad` and interpolated by hand (tetrahedral or trilinear,
//! exactly as `interchange::Lut3d`); its 1D table travels in the pass's `tables` buffer. A CLF file
//! travels whole in `tables` as the program `interchange::clf_program` compiles, which
//! `shaders/ops/lut_clf.wgsl` runs operator by operator (its LUTs interpolated as the file says). The
//! grade keeps only the file's path; the file is read once per version (cached by path, modification
//! time and length) and its lattice uploaded once per version (`gpu::lattice`).
//!
//! CPU twin: [`Lut::cpu`], the 1D table as the shader reads it and `Lut3d::apply`, or
//! `clf_program::run`; they are held to `CubeFile::apply` and to OpenColorIO 2.6 (in
//! `interchange::cube_tests` and tests/clf.rs).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{OpContext, Pointwise, Site};
use crate::interchange::cube::lattice_coord;
use crate::interchange::{CubeFile, InterchangeError, Interpolation, Lut3d, LutFile, clf_program, read_lut};

/// Name of the shader (`shaders/ops/lut.wgsl`) that executes this op.
pub const SHADER: &str = "lut";

/// Shader id of tetrahedral interpolation (`INTERP_TETRAHEDRAL` in `lut.wgsl`).
pub const INTERP_TETRAHEDRAL: u32 = 0;
/// Shader id of trilinear interpolation (`INTERP_TRILINEAR` in `lut.wgsl`).
pub const INTERP_TRILINEAR: u32 = 1;

/// A LUT node's parameters: which file, and how its 3D table is interpolated.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lut {
    /// The `.cube` or `.clf` file. In a grade file a relative path is relative to the grade file's folder
    /// (resolved by `Grade::load`); elsewhere, to the working directory.
    pub path: PathBuf,
    /// 3D interpolation of a `.cube` file (default tetrahedral); 1D tables are always linear, and a
    /// CLF file's 3D tables interpolate as the file says.
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

    /// Reads and parses the file, or takes it from the cache when it has not changed (errors name
    /// the file and line).
    pub fn load(&self) -> Result<Arc<LutData>, InterchangeError> {
        load_data(&self.path)
    }
}

/// The interpolation's shader id.
pub fn interpolation_id(interp: Interpolation) -> u32 {
    match interp {
        Interpolation::Tetrahedral => INTERP_TETRAHEDRAL,
        Interpolation::Trilinear => INTERP_TRILINEAR,
    }
}

crate::gpu_struct! {
    /// Laid out exactly as `struct Lut` in `shaders/ops/lut.wgsl`. A size of 0 means "no such table".
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
        /// 1: the stage's tables hold a CLF program and both sizes are 0.
        pub program: u32,
    }
}

fn pad(v: [f32; 3]) -> [f32; 4] {
    [v[0], v[1], v[2], 0.0]
}

impl LutUniform {
    /// The uniform for `cube` applied with `interp`.
    pub fn new(cube: &CubeFile, interp: Interpolation) -> Self {
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
            program: 0,
        }
    }

    /// The uniform of a stage that runs a CLF program from its tables.
    pub fn program() -> Self {
        LutUniform {
            domain_min_1d: [0.0; 4],
            domain_max_1d: [1.0, 1.0, 1.0, 0.0],
            domain_min_3d: [0.0; 4],
            domain_max_3d: [1.0, 1.0, 1.0, 0.0],
            size_1d: 0,
            size_3d: 0,
            interpolation: INTERP_TETRAHEDRAL,
            program: 1,
        }
    }
}

/// The 1D table as the shader's `tables` reads it: four floats per entry (at least one entry).
pub fn table_1d(cube: &CubeFile) -> Vec<f32> {
    match &cube.lut1d {
        Some(l) if !l.table.is_empty() => l.table.iter().flat_map(|v| pad(*v)).collect(),
        _ => vec![0.0; 4],
    }
}

/// A file's tables as the stage binds them, read once per version of the file.
#[derive(Debug)]
pub struct LutData {
    /// The parsed file.
    pub file: LutFile,
    /// The 3D lattice (a 1-point black one when the file has none, or is a CLF file; the uniform's
    /// size 3D is then 0).
    pub lattice: Arc<Lut3d>,
    /// The 1D table as the shader reads it, or the CLF program.
    pub tables: Vec<f32>,
}

/// The lattice of a stage without one.
fn no_lattice() -> Lut3d {
    Lut3d { size: 1, domain_min: [0.0; 3], domain_max: [1.0; 3], table: vec![[0.0; 3]] }
}

impl LutData {
    /// The tables of a parsed file of either format.
    pub fn of(file: LutFile, name: &str) -> Result<Self, InterchangeError> {
        match file {
            LutFile::Cube(cube) => Self::new(cube, name),
            LutFile::Clf(clf) => {
                let tables = clf_program::compile(&clf);
                Ok(Self { file: LutFile::Clf(clf), lattice: Arc::new(no_lattice()), tables })
            }
        }
    }

    /// The uniform of this file applied with `interp` (a `.cube` file's 3D interpolation).
    pub fn uniform(&self, interp: Interpolation) -> LutUniform {
        match &self.file {
            LutFile::Cube(cube) => LutUniform::new(cube, interp),
            LutFile::Clf(_) => LutUniform::program(),
        }
    }

    /// The tables of a parsed `.cube` file; a 3D table that does not hold size³ entries is refused.
    pub fn new(cube: CubeFile, name: &str) -> Result<Self, InterchangeError> {
        let lattice = match &cube.lut3d {
            Some(l) if l.size.checked_pow(3) == Some(l.table.len()) => l.clone(),
            Some(_) => {
                return Err(InterchangeError::Unwritable {
                    what: "3D LUT texture",
                    reason: format!("{name}: the 3D table does not hold size³ entries"),
                });
            }
            None => no_lattice(),
        };
        let tables = table_1d(&cube);
        Ok(Self { file: LutFile::Cube(cube), lattice: Arc::new(lattice), tables })
    }
}

/// Which version of a file a cache entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// Files read so far, by path, with the version they hold: re-rendering a grade (every edit in the
/// app) re-reads nothing, and an edited file is read again on the next render.
type FileCache = Mutex<HashMap<PathBuf, (FileStamp, Arc<LutData>)>>;

fn cache() -> &'static FileCache {
    static CACHE: std::sync::OnceLock<FileCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The tables of `path`, read on first use and whenever the file changed since.
pub fn load_data(path: &Path) -> Result<Arc<LutData>, InterchangeError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| InterchangeError::Io { file: name.clone(), source })?;
    let stamp = FileStamp { modified: meta.modified().ok(), len: meta.len() };
    let mut entries = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some((s, data)) = entries.get(path)
        && *s == stamp
    {
        return Ok(data.clone());
    }
    let data = Arc::new(LutData::of(read_lut(path)?, &name)?);
    // One entry per path: a newer version of the file replaces the older one.
    entries.insert(path.to_path_buf(), (stamp, data.clone()));
    Ok(data)
}

impl Pointwise for Lut {
    const NAME: &'static str = "lut";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/lut.wgsl");
    const STRUCT: &'static str = "Lut";
    const TABLES: bool = true;
    const LATTICE: bool = true;
    type Uniform = LutUniform;
    type Data = Arc<LutData>;

    fn validate(&self) -> Result<(), String> {
        Lut::validate(self)
    }

    fn is_neutral(&self) -> bool {
        false
    }

    fn load(&self) -> Result<Arc<LutData>, InterchangeError> {
        load_data(&self.path)
    }

    fn uniform(&self, data: &Arc<LutData>, _: &OpContext) -> LutUniform {
        data.uniform(self.interpolation)
    }

    fn tables(&self, data: &Arc<LutData>) -> Vec<f32> {
        data.tables.clone()
    }

    fn lattice(data: &Arc<LutData>) -> Option<Arc<Lut3d>> {
        Some(data.lattice.clone())
    }

    fn specialise(u: &LutUniform) -> Option<[u32; 4]> {
        Some([u.program, u32::from(u.size_1d > 0), u32::from(u.size_3d > 0), u.interpolation])
    }

    /// `lut_node` (lut.wgsl) with only the parts this LUT has: its CLF program, or its 1D table
    /// and its 3D table with the one interpolation it uses.
    fn specialised_wgsl([program, has_1d, has_3d, interpolation]: [u32; 4], i: usize) -> String {
        if program != 0 {
            return format!("    let o{i} = run_clf_program(rgb, site{i}.tables);\n");
        }
        let mut out = format!("    var v{i} = rgb;\n");
        if has_1d != 0 {
            out.push_str(&format!("    v{i} = apply_1d(p{i}, site{i}.tables, v{i});\n"));
        }
        if has_3d != 0 {
            let f = if interpolation == INTERP_TRILINEAR { "apply_3d_trilinear" } else { "apply_3d_tetrahedral" };
            out.push_str(&format!("    v{i} = {f}(p{i}, lattice{i}, v{i});\n"));
        }
        out.push_str(&format!("    let o{i} = v{i};\n"));
        out
    }

    /// The 1D table as `apply_1d` in the shader reads it (`Lut1d::apply`'s arithmetic), then the 3D
    /// table by `Lut3d::apply`; or the CLF program by `clf_program::run`.
    fn cpu(u: &LutUniform, rgb: [f32; 3], site: &Site) -> [f32; 3] {
        if u.program != 0 {
            return clf_program::run(site.tables, rgb);
        }
        let mut out = rgb;
        if u.size_1d > 0 {
            let last = u.size_1d as usize - 1;
            out = [0, 1, 2].map(|c| {
                let (lo, hi, t) = lattice_coord(rgb[c], u.domain_min_1d[c], u.domain_max_1d[c], last);
                let (a, b) = (site.tables[4 * lo + c], site.tables[4 * hi + c]);
                a + t * (b - a)
            });
        }
        match site.lattice {
            Some(lattice) if u.size_3d > 0 => {
                let interp =
                    if u.interpolation == INTERP_TRILINEAR { Interpolation::Trilinear } else { Interpolation::Tetrahedral };
                lattice.apply(out, interp)
            }
            _ => out,
        }
    }

    /// A Resolve-style file with a 1D shaper (a gentle curve over 0..2) and a 5-point 3D table that
    /// warms and desaturates, written into `scratch`.
    fn example(scratch: &Path) -> Self {
        let path = scratch.join("example_shaper_3d.cube");
        let mut text = String::from("LUT_1D_SIZE 9\nLUT_1D_INPUT_RANGE 0 2\nLUT_3D_SIZE 5\n");
        for i in 0..9 {
            let v = (i as f32 / 8.0).powf(0.8);
            text.push_str(&format!("{v} {v} {v}\n"));
        }
        for b in 0..5 {
            for g in 0..5 {
                for r in 0..5 {
                    let [r, g, b] = [r, g, b].map(|v| v as f32 / 4.0);
                    let l = 0.3 * r + 0.6 * g + 0.1 * b;
                    let mix = |v: f32, k: f32| (l + (v - l) * 0.8) * k;
                    text.push_str(&format!("{} {} {}\n", mix(r, 1.05), mix(g, 1.0), mix(b, 0.9)));
                }
            }
        }
        std::fs::write(&path, text).expect("write the example LUT");
        Lut::new(path)
    }
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
    fn uniform_and_tables_mirror_the_file_and_the_twin_is_cube_apply() {
        let text = "LUT_1D_SIZE 2\nLUT_1D_INPUT_RANGE 0 2\nLUT_3D_SIZE 2\n\
                    0 0 0\n2 2 2\n\
                    0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n";
        let cube = parse_cube(text, "mem.cube").unwrap();
        let u = LutUniform::new(&cube, Interpolation::Trilinear);
        assert_eq!((u.size_1d, u.size_3d, u.interpolation), (2, 2, 1));
        assert_eq!(u.domain_max_1d, [2.0, 2.0, 2.0, 0.0]);
        assert_eq!(u.domain_max_3d, [1.0, 1.0, 1.0, 0.0]);
        let data = LutData::new(cube.clone(), "mem.cube").unwrap();
        assert_eq!(data.tables.len(), 8);
        assert_eq!((data.lattice.size, data.lattice.table[1]), (2, [1.0, 0.0, 0.0]));
        let site = Site { pos: [0, 0], tables: &data.tables, lattice: Some(&data.lattice) };
        for interp in Interpolation::ALL {
            let u = LutUniform::new(&cube, interp);
            for rgb in [[0.5; 3], [0.1, 0.7, 1.9], [-0.2, 2.5, f32::NAN]] {
                let (twin, reference) = (Lut::cpu(&u, rgb, &site), cube.apply(rgb, interp));
                assert!(twin.iter().zip(reference).all(|(a, b)| a.to_bits() == b.to_bits()), "{twin:?} {reference:?}");
            }
        }
        let empty = CubeFile::default();
        assert_eq!(table_1d(&empty), vec![0.0; 4]);
        assert_eq!(LutData::new(empty, "e").unwrap().lattice.size, 1);
    }
}
