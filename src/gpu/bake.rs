//! Baking a pipeline into a `.cube` or CLF LUT: the lattice is uploaded as a frame, run through the very
//! executor a render uses, and read back.
//!
//! A 3D LUT samples its input evenly, which suits code values (log, display) over 0..1 but not
//! scene-linear light, where most of the picture sits in the bottom few lattice cells. When the
//! pipeline's input is scene-linear the bake therefore writes the Resolve combined form: a 1D
//! shaper, the ACEScct curve (Academy S-2016-001) over linear [`SHAPER_MIN`]..[`SHAPER_MAX`]
//! (−0.0069 to 64, i.e. up to 8.5 stops over 18% grey), then the 3D table indexed by ACEScct code.
//! Inputs outside that range clamp to its ends, as every `.cube` reader does. The file says so in a
//! `#` comment.
//!
//! A CLF file needs no sampled shaper: it holds the ACEScct curve itself (a `cameraLinToLog` Log
//! op, exact), a Range that maps the lattice's code range onto 0..1 (clamping, as the `.cube`
//! shaper's domain does), then the 3D table, with the comments as its descriptions.

use crate::color::space::ColorSpace;
use crate::color::transfer::{acescct_decode, acescct_encode};
use crate::grade::Grade;
use crate::interchange::clf::LogStyle;
use crate::interchange::{ClfFile, ClfOp, CubeFile, InterchangeError, Interpolation, Lut1d, Lut3d};
use crate::media::Frame;

use super::{GpuContext, GpuError, GpuFrame, executor};

/// Entries in the shaper: the largest `.cube` allows, since the 1D table is read linearly.
pub const SHAPER_SIZE: usize = 65536;
/// Lowest scene-linear value the shaper covers: ACEScct code 0.
pub const SHAPER_MIN: f32 = -0.006_916_878;
/// Highest scene-linear value the shaper covers.
pub const SHAPER_MAX: f32 = 64.0;
/// Widest frame the lattice is laid out in.
const LATTICE_WIDTH: u32 = 4096;

/// A baked LUT: the tables and the comment lines that explain them.
#[derive(Clone, Debug, PartialEq)]
pub struct BakedLut {
    /// The tables.
    pub cube: CubeFile,
    /// Lines written as `# ...` before the tables.
    pub comments: Vec<String>,
}

impl BakedLut {
    /// The file's text: the comments, then the tables in the Resolve dialect.
    pub fn to_cube_string(&self) -> Result<String, InterchangeError> {
        let mut out: String = self.comments.iter().map(|c| format!("# {}\n", c.replace(['\n', '\r'], " "))).collect();
        out.push_str(&self.cube.to_cube_string()?);
        Ok(out)
    }

    /// The same LUT as a CLF process list: the ACEScct curve as a Log op where the `.cube` file has
    /// its sampled shaper, a Range from the lattice's domain onto 0..1, then the 3D table
    /// (tetrahedral, as Cinegrade applies a baked `.cube` by default).
    pub fn to_clf(&self) -> ClfFile {
        let mut ops = Vec::new();
        if self.cube.lut1d.is_some() {
            // ACEScct (S-2016-001): (log2(x) + 9.72) / 17.52 above 2^-7, the straight segment
            // 10.5402377416545 x + 0.0729055341958355 below (the Log op derives its offset).
            let p = [1.0 / 17.52, 9.72 / 17.52, 1.0, 0.0, 0.0078125, 10.5402377416545];
            ops.push(ClfOp::Log { style: LogStyle::CameraLinToLog, base: 2.0, params: [p; 3] });
        }
        if let Some(lut) = &self.cube.lut3d {
            let (lo, hi) = (f64::from(lut.domain_min[0]), f64::from(lut.domain_max[0]));
            if (lo, hi) != (0.0, 1.0) {
                let scale = 1.0 / (hi - lo);
                ops.push(ClfOp::Range { scale, offset: -lo * scale, low: Some(0.0), high: Some(1.0) });
            }
            let lut = Lut3d { domain_min: [0.0; 3], domain_max: [1.0; 3], ..lut.clone() };
            ops.push(ClfOp::Lut3d { lut, interpolation: Interpolation::Tetrahedral });
        }
        // The `.cube` file's note on its sampled shaper does not describe this file.
        let descriptions = if self.cube.lut1d.is_some() {
            let hi = self.cube.lut3d.as_ref().map_or(1.0, |l| l.domain_max[0]);
            self.comments
                .iter()
                .take(1)
                .cloned()
                .chain([format!(
                    "Input is scene-linear: the ACEScct curve (S-2016-001) as a Log op, then ACEScct code \
                 0..{hi} (linear {SHAPER_MIN}..{SHAPER_MAX}) onto the 3D table; values outside that range clamp."
                )])
                .collect()
        } else {
            self.comments.clone()
        };
        ClfFile {
            id: Some("cinegrade-bake".into()),
            name: self.comments.first().cloned(),
            descriptions,
            ops,
            ..ClfFile::default()
        }
    }
}

/// True when a bake from `input` needs the shaper: the input is scene-linear light.
pub fn needs_shaper(input: Option<ColorSpace>) -> bool {
    input.is_some_and(|s| s.transfer() == crate::color::transfer::Transfer::Linear)
}

/// Bakes `grade` (already holding the pipeline's nodes) for frames in `input` into a `size`³ LUT.
///
/// `input` only decides the lattice's domain: scene-linear gets the shaper, anything else (or
/// `None`, values as the file holds them) is sampled over 0..1.
pub fn bake(
    ctx: &GpuContext,
    grade: &Grade,
    input: Option<ColorSpace>,
    size: usize,
    title: &str,
) -> Result<BakedLut, GpuError> {
    let n = size;
    let shaper = needs_shaper(input);
    let (lo, hi) = if shaper { (0.0, acescct_encode(SHAPER_MAX)) } else { (0.0, 1.0) };
    let last = (n - 1) as f32;
    let code = |i: usize| lo + (hi - lo) * i as f32 / last;
    let value = |i: usize| {
        if shaper { acescct_decode(code(i)) } else { code(i) }
    };
    let count = n * n * n;
    let width = (count as u32).min(LATTICE_WIDTH);
    let height = (count as u32).div_ceil(width);
    let frame = Frame::from_fn(width, height, |x, y| {
        let i = (y * width + x) as usize;
        if i >= count {
            return [0.0, 0.0, 0.0, 1.0];
        }
        // Red varies fastest, then green, then blue: the `.cube` row order.
        [value(i % n), value(i / n % n), value(i / (n * n)), 1.0]
    });
    let source = GpuFrame::upload(ctx, &frame)?;
    let graded = executor::apply_grade(ctx, grade, &source)?.download(ctx)?;
    let table = graded.pixels[..count].iter().map(|p| [p[0], p[1], p[2]]).collect();
    let lut3d = Lut3d { size: n, domain_min: [lo; 3], domain_max: [hi; 3], table };
    let mut comments = vec![format!("Baked by Cinegrade {}: {title}", env!("CARGO_PKG_VERSION"))];
    let lut1d = shaper.then(|| {
        let name = input.map_or("scene-linear", |s| s.name());
        comments.push(format!(
            "Input is scene-linear ({name}): a {SHAPER_SIZE}-entry 1D shaper, the ACEScct curve \
             (S-2016-001), maps linear {SHAPER_MIN}..{SHAPER_MAX} to ACEScct code 0..{hi} before \
             the 3D table; values outside that range clamp."
        ));
        let step = (SHAPER_MAX - SHAPER_MIN) / (SHAPER_SIZE - 1) as f32;
        let table = (0..SHAPER_SIZE).map(|i| [acescct_encode(SHAPER_MIN + step * i as f32); 3]).collect();
        Lut1d { size: SHAPER_SIZE, domain_min: [SHAPER_MIN; 3], domain_max: [SHAPER_MAX; 3], table }
    });
    if !shaper {
        comments.push(match input {
            Some(space) => format!("Input domain: {space} code values 0..1."),
            None => "Input domain: 0..1 (code values of the input named above, sampled as they are).".into(),
        });
    }
    Ok(BakedLut {
        cube: CubeFile {
            // No TITLE: OpenColorIO 2.6's Resolve reader refuses the tag in a 1D + 3D file (and
            // its Iridas reader refuses the 1D + 3D file), so the first comment says what it is.
            title: None,
            lut1d,
            lut3d: Some(lut3d),
        },
        comments,
    })
}
