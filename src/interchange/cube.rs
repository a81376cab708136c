//! `.cube` LUT files: 1D, 3D and combined 1D+3D, in the Iridas/Adobe and the Resolve dialects.
//!
//! Adobe "Cube LUT Specification" v1.0 (2013): `TITLE "..."`, `LUT_1D_SIZE` (2..=65536),
//! `LUT_3D_SIZE` (2..=256), `DOMAIN_MIN`/`DOMAIN_MAX` (per channel, min < max), `#` comments, keywords
//! before the table, table rows of three numbers with red varying fastest.
//! DaVinci Resolve's dialect (Resolve's `LUT/` folder documentation) adds `LUT_1D_INPUT_RANGE` and
//! `LUT_3D_INPUT_RANGE` (one min/max for all channels) and files holding both tables: the 1D shaper
//! rows come first and the shaper applies first. Application follows OpenColorIO 2.x (`FileFormatIridasCube`,
//! `FileFormatResolveCube`, `Lut1DOpCPU`, `Lut3DOpCPU`): the domain maps linearly onto the table and inputs
//! outside the domain clamp to its ends.

use std::fmt::Write as _;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{InterchangeError, Result, read_text};
use super::strip_bom;

/// Allowed `LUT_1D_SIZE` values (Adobe Cube LUT Specification v1.0).
pub const LUT_1D_SIZE_RANGE: std::ops::RangeInclusive<usize> = 2..=65536;
/// Allowed `LUT_3D_SIZE` values (Adobe Cube LUT Specification v1.0).
pub const LUT_3D_SIZE_RANGE: std::ops::RangeInclusive<usize> = 2..=256;

/// A 1D LUT: one curve per channel, sampled at `size` evenly spaced points across the domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lut1d {
    /// Number of entries (`LUT_1D_SIZE`).
    pub size: usize,
    /// Input mapped to the first entry, per channel.
    pub domain_min: [f32; 3],
    /// Input mapped to the last entry, per channel.
    pub domain_max: [f32; 3],
    /// `size` output triples in file order.
    pub table: Vec<[f32; 3]>,
}

/// A 3D LUT: a `size`³ lattice of output triples over the domain cube.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lut3d {
    /// Points per axis (`LUT_3D_SIZE`).
    pub size: usize,
    /// Input mapped to the lattice's first node, per channel.
    pub domain_min: [f32; 3],
    /// Input mapped to the lattice's last node, per channel.
    pub domain_max: [f32; 3],
    /// `size`³ output triples in file order: red varies fastest, then green, then blue.
    pub table: Vec<[f32; 3]>,
}

/// The contents of one `.cube` file; when both tables are present the 1D table applies first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CubeFile {
    /// The `TITLE` line, without its quotes.
    pub title: Option<String>,
    /// The 1D table (a shaper when a 3D table follows).
    pub lut1d: Option<Lut1d>,
    /// The 3D table.
    pub lut3d: Option<Lut3d>,
}

/// How a 3D LUT is interpolated between lattice nodes (1D tables are always linear).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interpolation {
    /// Tetrahedral (Kasson et al. 1995), OpenColorIO's `INTERP_TETRAHEDRAL`; the usual choice.
    #[default]
    Tetrahedral,
    /// Trilinear, OpenColorIO's `INTERP_LINEAR` for 3D LUTs.
    Trilinear,
}

impl Interpolation {
    /// Every interpolation, in the order the CLI lists them.
    pub const ALL: [Interpolation; 2] = [Interpolation::Tetrahedral, Interpolation::Trilinear];

    /// The name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Interpolation::Tetrahedral => "tetrahedral",
            Interpolation::Trilinear => "trilinear",
        }
    }
}

impl std::fmt::Display for Interpolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Interpolation {
    type Err = InterchangeError;

    fn from_str(s: &str) -> Result<Self> {
        Interpolation::ALL.into_iter().find(|i| i.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            InterchangeError::UnknownName {
                what: "interpolation",
                name: s.to_owned(),
                expected: "tetrahedral, trilinear",
            }
        })
    }
}

/// Maps `x` from `[min, max]` onto lattice coordinates `[0, last]`, clamping like OpenColorIO.
pub(crate) fn lattice_coord(x: f32, min: f32, max: f32, last: usize) -> (usize, usize, f32) {
    let last_f = last as f32;
    let idx = ((x - min) / (max - min) * last_f).clamp(0.0, last_f);
    // `as usize` saturates (NaN gives 0), so no input can index outside the table.
    let lo = (idx.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    (lo, hi, idx - lo as f32)
}

fn lerp3(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|c| a[c] + t * (b[c] - a[c]))
}

/// `w0*a + w1*b + w2*c + w3*d`, one tetrahedron's barycentric blend.
fn blend4(w: [f32; 4], p: [[f32; 3]; 4]) -> [f32; 3] {
    [0, 1, 2].map(|c| w[0] * p[0][c] + w[1] * p[1][c] + w[2] * p[2][c] + w[3] * p[3][c])
}

impl Lut1d {
    /// Applies the curves with linear interpolation; inputs outside the domain clamp to the ends.
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let Some(last) = self.table.len().checked_sub(1) else {
            return [0.0; 3];
        };
        [0, 1, 2].map(|c| {
            let (lo, hi, t) = lattice_coord(rgb[c], self.domain_min[c], self.domain_max[c], last);
            let (a, b) = (self.table[lo][c], self.table[hi][c]);
            a + t * (b - a)
        })
    }
}

/// A 3D lattice as interpolation reads it: its size, its domain and its nodes (a `.cube`'s table, or
/// a CLF LUT3D inside a program's tables). Trilinear and tetrahedral interpolation are written once,
/// here, for every lattice.
pub(crate) trait Lattice {
    /// Points per axis.
    fn size(&self) -> usize;
    /// Inputs mapped to the first and last nodes, per channel.
    fn domain(&self) -> ([f32; 3], [f32; 3]);
    /// The node at (r, g, b).
    fn node(&self, r: usize, g: usize, b: usize) -> [f32; 3];

    /// Lattice coordinates of `rgb`: (low index, high index, fraction) per channel.
    fn coords(&self, rgb: [f32; 3]) -> [(usize, usize, f32); 3] {
        let last = self.size().saturating_sub(1);
        let (lo, hi) = self.domain();
        [0, 1, 2].map(|c| lattice_coord(rgb[c], lo[c], hi[c], last))
    }

    /// Trilinear interpolation (OpenColorIO `INTERP_LINEAR`).
    fn trilinear(&self, rgb: [f32; 3]) -> [f32; 3] {
        let [(r0, r1, fr), (g0, g1, fg), (b0, b1, fb)] = self.coords(rgb);
        let along_r = |g, b| lerp3(self.node(r0, g, b), self.node(r1, g, b), fr);
        let lo_b = lerp3(along_r(g0, b0), along_r(g1, b0), fg);
        let hi_b = lerp3(along_r(g0, b1), along_r(g1, b1), fg);
        lerp3(lo_b, hi_b, fb)
    }

    /// Tetrahedral interpolation (Kasson, Nin, Plouffe, Hafner 1995; OpenColorIO `INTERP_TETRAHEDRAL`).
    fn tetrahedral(&self, rgb: [f32; 3]) -> [f32; 3] {
        let [(r0, r1, fr), (g0, g1, fg), (b0, b1, fb)] = self.coords(rgb);
        let c000 = self.node(r0, g0, b0);
        let c111 = self.node(r1, g1, b1);
        // The cube splits into six tetrahedra along its main diagonal, picked by the order of fractions.
        if fr > fg {
            if fg > fb {
                let (c100, c110) = (self.node(r1, g0, b0), self.node(r1, g1, b0));
                blend4([1.0 - fr, fr - fg, fg - fb, fb], [c000, c100, c110, c111])
            } else if fr > fb {
                let (c100, c101) = (self.node(r1, g0, b0), self.node(r1, g0, b1));
                blend4([1.0 - fr, fr - fb, fb - fg, fg], [c000, c100, c101, c111])
            } else {
                let (c001, c101) = (self.node(r0, g0, b1), self.node(r1, g0, b1));
                blend4([1.0 - fb, fb - fr, fr - fg, fg], [c000, c001, c101, c111])
            }
        } else if fb > fg {
            let (c001, c011) = (self.node(r0, g0, b1), self.node(r0, g1, b1));
            blend4([1.0 - fb, fb - fg, fg - fr, fr], [c000, c001, c011, c111])
        } else if fb > fr {
            let (c010, c011) = (self.node(r0, g1, b0), self.node(r0, g1, b1));
            blend4([1.0 - fg, fg - fb, fb - fr, fr], [c000, c010, c011, c111])
        } else {
            let (c010, c110) = (self.node(r0, g1, b0), self.node(r1, g1, b0));
            blend4([1.0 - fg, fg - fr, fr - fb, fb], [c000, c010, c110, c111])
        }
    }

    /// Interpolates with `interp`.
    fn interpolate(&self, rgb: [f32; 3], interp: Interpolation) -> [f32; 3] {
        match interp {
            Interpolation::Tetrahedral => self.tetrahedral(rgb),
            Interpolation::Trilinear => self.trilinear(rgb),
        }
    }
}

impl Lattice for Lut3d {
    fn size(&self) -> usize {
        self.size
    }

    fn domain(&self) -> ([f32; 3], [f32; 3]) {
        (self.domain_min, self.domain_max)
    }

    /// The lattice node at (r, g, b); black if the table is shorter than `size`³.
    fn node(&self, r: usize, g: usize, b: usize) -> [f32; 3] {
        let n = self.size;
        self.table.get(r + n * (g + n * b)).copied().unwrap_or([0.0; 3])
    }
}

impl Lut3d {
    /// Trilinear interpolation (OpenColorIO `INTERP_LINEAR`).
    pub fn apply_trilinear(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.trilinear(rgb)
    }

    /// Tetrahedral interpolation (Kasson, Nin, Plouffe, Hafner 1995; OpenColorIO `INTERP_TETRAHEDRAL`).
    pub fn apply_tetrahedral(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.tetrahedral(rgb)
    }

    /// Applies the 3D table with the given interpolation.
    pub fn apply(&self, rgb: [f32; 3], interp: Interpolation) -> [f32; 3] {
        self.interpolate(rgb, interp)
    }
}

impl CubeFile {
    /// Applies the file to one RGB triple: the 1D table first, then the 3D table (the CPU reference).
    pub fn apply(&self, rgb: [f32; 3], interp: Interpolation) -> [f32; 3] {
        let shaped = self.lut1d.as_ref().map_or(rgb, |l| l.apply(rgb));
        self.lut3d.as_ref().map_or(shaped, |l| l.apply(shaped, interp))
    }

    /// Writes the file in the Resolve dialect; every number reads back as the same `f32`.
    ///
    /// Domains equal in all channels become `LUT_xD_INPUT_RANGE`; per-channel domains are written as
    /// Iridas `DOMAIN_MIN`/`DOMAIN_MAX`, which can only be shared by both tables.
    pub fn to_cube_string(&self) -> Result<String> {
        let unwritable = |reason: String| InterchangeError::Unwritable { what: ".cube", reason };
        if self.lut1d.is_none() && self.lut3d.is_none() {
            return Err(unwritable("the file holds neither a 1D nor a 3D table".into()));
        }
        if let Some(l) = &self.lut1d {
            check_table("1D", l.size, &LUT_1D_SIZE_RANGE, l.size, &l.table, l.domain_min, l.domain_max)
                .map_err(unwritable)?;
        }
        if let Some(l) = &self.lut3d {
            let entries = l.size.saturating_pow(3);
            check_table("3D", l.size, &LUT_3D_SIZE_RANGE, entries, &l.table, l.domain_min, l.domain_max)
                .map_err(unwritable)?;
        }
        let domains: Vec<([f32; 3], [f32; 3])> = (self.lut1d.iter().map(|l| (l.domain_min, l.domain_max)))
            .chain(self.lut3d.iter().map(|l| (l.domain_min, l.domain_max)))
            .collect();
        let uniform = |d: [f32; 3]| d[0] == d[1] && d[1] == d[2];
        let per_channel = domains.iter().any(|(lo, hi)| !uniform(*lo) || !uniform(*hi));
        if per_channel && domains.windows(2).any(|w| w[0] != w[1]) {
            return Err(unwritable("per-channel domains differ between the 1D and the 3D table".into()));
        }

        let mut out = String::new();
        if let Some(title) = &self.title {
            if title.contains(['\n', '\r']) {
                return Err(unwritable("the title holds a line break".into()));
            }
            let _ = writeln!(out, "TITLE \"{title}\"");
        }
        let default = |lo: [f32; 3], hi: [f32; 3]| lo == [0.0; 3] && hi == [1.0; 3];
        if let Some(l) = &self.lut1d {
            let _ = writeln!(out, "LUT_1D_SIZE {}", l.size);
            if !per_channel && !default(l.domain_min, l.domain_max) {
                let _ = writeln!(out, "LUT_1D_INPUT_RANGE {} {}", l.domain_min[0], l.domain_max[0]);
            }
        }
        if let Some(l) = &self.lut3d {
            let _ = writeln!(out, "LUT_3D_SIZE {}", l.size);
            if !per_channel && !default(l.domain_min, l.domain_max) {
                let _ = writeln!(out, "LUT_3D_INPUT_RANGE {} {}", l.domain_min[0], l.domain_max[0]);
            }
        }
        if let (true, Some((lo, hi))) = (per_channel, domains.first()) {
            let _ = writeln!(out, "DOMAIN_MIN {} {} {}", lo[0], lo[1], lo[2]);
            let _ = writeln!(out, "DOMAIN_MAX {} {} {}", hi[0], hi[1], hi[2]);
        }
        let rows = (self.lut1d.iter().flat_map(|l| &l.table)).chain(self.lut3d.iter().flat_map(|l| &l.table));
        for [r, g, b] in rows {
            // `{}` prints the shortest decimal that parses back to the same f32.
            let _ = writeln!(out, "{r} {g} {b}");
        }
        Ok(out)
    }
}

/// Checks a table before writing: size in range, entry count, finite values, min < max.
fn check_table(
    kind: &str,
    size: usize,
    range: &std::ops::RangeInclusive<usize>,
    entries: usize,
    table: &[[f32; 3]],
    lo: [f32; 3],
    hi: [f32; 3],
) -> std::result::Result<(), String> {
    if !range.contains(&size) {
        return Err(format!("{kind} size {size} is outside {}..={}", range.start(), range.end()));
    }
    if table.len() != entries {
        return Err(format!("{kind} table has {} entries, size {size} needs {entries}", table.len()));
    }
    if table.iter().flatten().any(|v| !v.is_finite()) {
        return Err(format!("{kind} table holds a non-finite value"));
    }
    if (0..3).any(|c| lo[c] >= hi[c] || !lo[c].is_finite() || !hi[c].is_finite()) {
        return Err(format!("{kind} domain min must be below max in every channel"));
    }
    Ok(())
}

/// Reads and parses a `.cube` file.
pub fn read_cube(path: &Path) -> Result<CubeFile> {
    let (text, name) = read_text(path)?;
    parse_cube(&text, &name)
}

/// Parses `.cube` text; `source_name` names the file in errors.
pub fn parse_cube(text: &str, source_name: &str) -> Result<CubeFile> {
    super::cube_parse::parse(strip_bom(text), source_name)
}
