//! OpenColorIO configs: a studio's colour spaces, displays and views, read with the pure-Rust `ocio`
//! crate (a port of OpenColorIO 2.5), and every transform they define turned into operators Cinegrade
//! runs itself, on the GPU and in the CPU twin: the program the LUT stage's CLF interpreter runs
//! (`interchange::clf_program`), extended with the ACES 2.0 rendering and BT.2100's surround.
//!
//! The crate parses the config (roles, colour spaces, displays, views, view transforms, looks, file
//! rules, context variables, built-in transforms) and flattens a conversion into its ops; each op
//! maps onto one of ours. Anything without a counterpart here (grading transforms, exposure/contrast,
//! the older ACES fixed functions, 3D LUT inversion) is refused with a message naming the file, the
//! line of the colour space or view that uses it, and the transform, never approximated.
//!
//! An inverse 1D LUT becomes a forward one the way OpenColorIO's default ("fast") CPU path builds
//! it: the exact inverse evaluated over a lookup domain (4096 entries over 0..1, or every half float
//! when the LUT's values leave 0..1).

use std::path::{Path, PathBuf};

use crate::color::spaces::Chromaticities;
use crate::interchange::clf::{CdlStyle, ClfOp, ExponentStyle, LogStyle};
use crate::interchange::cube::{Interpolation, Lut3d};

/// Why a config, or a conversion it defines, cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct OcioError {
    /// The config file (or `ocio://` name).
    pub file: String,
    /// The 1-based line concerned, where known.
    pub line: Option<usize>,
    /// What is wrong, naming the colour space, view and transform.
    pub message: String,
}

/// What to convert.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OcioRequest {
    /// Colour space to colour space.
    Spaces {
        /// Source colour space (or role).
        from: String,
        /// Destination colour space (or role).
        to: String,
    },
    /// A colour space to a display through a view (or, inverted, from the display back).
    DisplayView {
        /// The scene-side colour space (or role).
        space: String,
        /// The display.
        display: String,
        /// The view.
        view: String,
        /// Display → scene instead.
        inverse: bool,
    },
}

impl std::fmt::Display for OcioRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcioRequest::Spaces { from, to } => write!(f, "{from} -> {to}"),
            OcioRequest::DisplayView { space, display, view, inverse: false } => {
                write!(f, "{space} -> {display} / {view}")
            }
            OcioRequest::DisplayView { space, display, view, inverse: true } => {
                write!(f, "{display} / {view} -> {space}")
            }
        }
    }
}

/// A loaded config.
pub struct OcioConfig {
    /// Where it came from: a path, or `ocio://…` for OpenColorIO's built-in configs.
    pub source: String,
    /// What OpenColorIO warned about while reading it (keys this port does not know, say).
    pub warnings: Vec<String>,
    text: Option<String>,
    config: ocio::Config,
}

impl std::fmt::Debug for OcioConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcioConfig").field("source", &self.source).finish()
    }
}

/// The line of a YAML error message ("… at line 12, column 3 …" / "… error at line 12 …").
fn line_in_message(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    message[at + 5..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

impl OcioConfig {
    /// Reads a config file, or `ocio://name` (OpenColorIO's built-in configs, e.g.
    /// `ocio://studio-config-latest`). A malformed one names the file and line.
    pub fn load(source: &str) -> Result<Self, OcioError> {
        let error = |message: String| OcioError { file: source.to_string(), line: line_in_message(&message), message };
        let text = if source.starts_with("ocio://") {
            None
        } else {
            Some(std::fs::read_to_string(source).map_err(|e| error(e.to_string()))?)
        };
        // The crate prints its warnings on stderr unless they are captured: keep them instead.
        let guard = ocio::config::logging::LogGuard::with_level(ocio::LoggingLevel::Warning);
        let config = ocio::Config::create_from_file(source).map_err(|e| error(clean(&e.to_string())))?;
        let warnings =
            guard.output().lines().map(|l| l.trim_start_matches("[OpenColorIO Warning]: ").to_string()).collect();
        Ok(Self { source: source.to_string(), warnings, text, config })
    }

    /// Reads a config from its text; `name` names it in errors (files a config refers to are looked
    /// for relative to the working directory).
    pub fn from_text(text: &str, name: &str) -> Result<Self, OcioError> {
        let error = |message: String| OcioError { file: name.to_string(), line: line_in_message(&message), message };
        let guard = ocio::config::logging::LogGuard::with_level(ocio::LoggingLevel::Warning);
        let config = ocio::Config::create_from_str(text).map_err(|e| error(clean(&e.to_string())))?;
        let warnings =
            guard.output().lines().map(|l| l.trim_start_matches("[OpenColorIO Warning]: ").to_string()).collect();
        Ok(Self { source: name.to_string(), warnings, text: Some(text.to_string()), config })
    }

    /// The config's colour spaces, in file order: (name, family, description).
    pub fn color_spaces(&self) -> Vec<(String, String, String)> {
        (0..self.config.num_color_spaces())
            .map(|i| {
                let name = self.config.color_space_name_by_index(i).to_string();
                let cs = self.config.get_color_space(&name);
                let family = cs.map(|c| c.family().to_string()).unwrap_or_default();
                let description = cs.map(|c| c.description().trim().to_string()).unwrap_or_default();
                (name, family, description)
            })
            .collect()
    }

    /// The displays and their views, in file order.
    pub fn displays(&self) -> Vec<(String, Vec<String>)> {
        (0..self.config.num_displays())
            .map(|d| {
                let display = self.config.display(d);
                let views = (0..self.config.num_views(&display)).map(|v| self.config.view(&display, v)).collect();
                (display, views)
            })
            .collect()
    }

    /// The colour space a role names ("" when the config has no such role).
    pub fn role(&self, role: &str) -> Option<String> {
        self.config.has_role(role).then(|| self.config.role_color_space(role).to_string())
    }

    /// The working space a colorist grades in by default: the `color_timing` role, else
    /// `scene_linear`.
    pub fn default_working_space(&self) -> Option<String> {
        self.role("color_timing").or_else(|| self.role("scene_linear"))
    }

    /// The config's default display and its default view.
    pub fn default_display_view(&self) -> Option<(String, String)> {
        let display = self.config.default_display();
        if display.is_empty() {
            return None;
        }
        let view = self.config.default_view(&display);
        Some((display, view))
    }

    /// True when `name` is one of the config's colour spaces (or aliases) or roles.
    pub fn has_space(&self, name: &str) -> bool {
        self.config.get_color_space(name).is_some() || self.config.has_role(name)
    }

    /// `name` if it is one of the config's colour spaces, aliases or roles; else why not.
    pub fn check_space(&self, name: &str) -> Result<(), String> {
        match self.has_space(name) {
            true => Ok(()),
            false => Err(format!(
                "{} has no colour space or role \"{name}\" (`cinegrade spaces --ocio-config {}` lists them)",
                self.source, self.source
            )),
        }
    }

    /// The view to use of `display` (the config's default display when `None`): `view` if the
    /// display has it, else the display's default view; an unknown display or view is refused,
    /// listing what the config has. Returns (display, view).
    pub fn check_display_view(&self, display: Option<&str>, view: Option<&str>) -> Result<(String, String), String> {
        let displays = self.displays();
        let display = match display {
            Some(d) => d.to_string(),
            None => {
                self.default_display_view().map(|(d, _)| d).ok_or_else(|| format!("{} has no display", self.source))?
            }
        };
        let Some((_, views)) = displays.iter().find(|(d, _)| *d == display) else {
            let names: Vec<&str> = displays.iter().map(|(d, _)| d.as_str()).collect();
            return Err(format!("{} has no display \"{display}\" (its displays: {})", self.source, names.join(", ")));
        };
        let view = match view {
            Some(v) if !views.iter().any(|name| name == v) => {
                return Err(format!(
                    "display \"{display}\" of {} has no view \"{v}\" (its views: {})",
                    self.source,
                    views.join(", ")
                ));
            }
            Some(v) => v.to_string(),
            None => self.default_view(&display),
        };
        Ok((display, view))
    }

    /// The default view of `display` (empty when the config has no such display).
    pub fn default_view(&self, display: &str) -> String {
        self.config.default_view(display).to_string()
    }

    /// The encoding a colour space declares (`scene-linear`, `log`, `sdr-video`, ...; empty when
    /// it declares none, `None` when there is no such space).
    pub fn encoding(&self, space: &str) -> Option<String> {
        self.config.get_color_space(space).map(|c| c.encoding().to_string())
    }

    /// The display colour space a (display, view) renders to: the view's `colorspace`, the
    /// display's own name where the view says `<USE_DISPLAY_NAME>` (empty when there is no such
    /// view).
    pub fn view_color_space(&self, display: &str, view: &str) -> String {
        let name = self.config.display_view_color_space_name(display, view);
        match name.eq_ignore_ascii_case("<USE_DISPLAY_NAME>") {
            true => display.to_string(),
            false => name.to_string(),
        }
    }

    /// The line of the colour space, display or view `name` in the file, where it can be found.
    fn line_of(&self, name: &str) -> Option<usize> {
        let text = self.text.as_ref()?;
        text.lines()
            .position(|l| {
                let l = l.trim_start().trim_start_matches("- ");
                l.contains(&format!("name: {name}"))
                    || l.contains(&format!("name: \"{name}\""))
                    || l.starts_with(&format!("{name}:"))
            })
            .map(|i| i + 1)
    }

    /// The operators of `request`, in order (the CPU twin and the GPU program run them).
    pub fn ops(&self, request: &OcioRequest) -> Result<Vec<ClfOp>, OcioError> {
        let processor = match request {
            OcioRequest::Spaces { from, to } => self.config.get_processor(from, to),
            OcioRequest::DisplayView { space, display, view, inverse } => {
                let t = ocio::Transform::DisplayView(ocio::DisplayViewTransform::new(space, display, view));
                let dir = if *inverse { ocio::TransformDirection::Inverse } else { ocio::TransformDirection::Forward };
                self.config.get_processor_for_transform(&t, dir)
            }
        };
        let culprit = || match request {
            OcioRequest::Spaces { from, to } => [from, to].into_iter().find_map(|n| self.line_of(n)),
            OcioRequest::DisplayView { view, display, .. } => self.line_of(view).or_else(|| self.line_of(display)),
        };
        let processor = processor.map_err(|e| OcioError {
            file: self.source.clone(),
            line: culprit(),
            message: format!("{request}: {}", clean(&e.to_string())),
        })?;
        let mut ops = Vec::new();
        for t in processor.create_group_transform().transforms {
            convert(&t, &mut ops).map_err(|message| OcioError {
                file: self.source.clone(),
                line: culprit(),
                message: format!("{request}: {message}"),
            })?;
        }
        Ok(compose_matrices(ops))
    }
}

/// Neighbouring matrices composed into one in double precision, as OpenColorIO's optimiser does:
/// applied one after the other in f32 they leave residues (a P3-limited rendering shown on a P3
/// display goes through XYZ and back), which a PQ encoding's steep foot turns into visible codes.
fn compose_matrices(ops: Vec<ClfOp>) -> Vec<ClfOp> {
    let mut out: Vec<ClfOp> = Vec::with_capacity(ops.len());
    for op in ops {
        match (out.last_mut(), op) {
            (Some(ClfOp::Matrix(first)), ClfOp::Matrix(second)) => {
                let a = *first;
                *first = [0, 1, 2].map(|r| {
                    let row = |c: usize| (0..3).map(|k| second[r][k] * a[k][c]).sum::<f64>();
                    [row(0), row(1), row(2), row(3) + second[r][3]]
                });
            }
            (_, op) => out.push(op),
        }
    }
    out
}

/// The crate's messages begin "Error: "; the file is named by [`OcioError`] already.
fn clean(message: &str) -> String {
    message.strip_prefix("Error: ").unwrap_or(message).to_string()
}

fn forward(d: ocio::TransformDirection) -> bool {
    d == ocio::TransformDirection::Forward
}

/// One flattened OpenColorIO op as ours (pushed onto `out`), or why it cannot be.
fn convert(t: &ocio::Transform, out: &mut Vec<ClfOp>) -> Result<(), String> {
    use ocio::Transform as T;
    match t {
        T::Matrix(m) => {
            let v = &m.matrix;
            let row = |r: usize| [v[4 * r], v[4 * r + 1], v[4 * r + 2], m.offset[r]];
            let (rows, inverse) = ([row(0), row(1), row(2)], !forward(m.direction));
            if inverse {
                let inv = crate::color::spaces::invert3(&rows.map(|r| [r[0], r[1], r[2]]))
                    .ok_or("a singular MatrixTransform cannot be inverted")?;
                let o = [rows[0][3], rows[1][3], rows[2][3]];
                let off = crate::color::spaces::mul3_vec(&inv, o).map(|x| -x);
                out.push(ClfOp::Matrix([0, 1, 2].map(|r| [inv[r][0], inv[r][1], inv[r][2], off[r]])));
            } else {
                out.push(ClfOp::Matrix(rows));
            }
        }
        T::Range(r) => {
            let (min_in, max_in, min_out, max_out) = if forward(r.direction) {
                (r.min_in, r.max_in, r.min_out, r.max_out)
            } else {
                (r.min_out, r.max_out, r.min_in, r.max_in)
            };
            let clamp = r.style == ocio::RangeStyle::Clamp;
            let (scale, offset) = match (min_in, max_in, min_out, max_out) {
                (Some(a), Some(b), Some(c), Some(d)) if b != a => {
                    let scale = (d - c) / (b - a);
                    (scale, c - scale * a)
                }
                (Some(a), _, Some(c), _) => (1.0, c - a),
                (_, Some(b), _, Some(d)) => (1.0, d - b),
                _ => (1.0, 0.0),
            };
            let (low, high) = if clamp { (min_out, max_out) } else { (None, None) };
            out.push(ClfOp::Range { scale, offset, low, high });
        }
        T::Exponent(e) => {
            let fwd = forward(e.direction);
            use ExponentStyle::*;
            let style = match (e.negative_style, fwd) {
                (ocio::NegativeStyle::Clamp, true) => BasicFwd,
                (ocio::NegativeStyle::Clamp, false) => BasicRev,
                (ocio::NegativeStyle::Mirror, true) => BasicMirrorFwd,
                (ocio::NegativeStyle::Mirror, false) => BasicMirrorRev,
                (ocio::NegativeStyle::PassThru, true) => BasicPassThruFwd,
                (ocio::NegativeStyle::PassThru, false) => BasicPassThruRev,
                (style, _) => return Err(format!("ExponentTransform with negative style {style:?} is not supported")),
            };
            out.push(ClfOp::Exponent { style, params: [0, 1, 2].map(|c| [e.value[c], 0.0]) });
        }
        T::ExponentWithLinear(e) => {
            use ExponentStyle::*;
            let style = match (e.negative_style, forward(e.direction)) {
                (ocio::NegativeStyle::Linear, true) => MonCurveFwd,
                (ocio::NegativeStyle::Linear, false) => MonCurveRev,
                (ocio::NegativeStyle::Mirror, true) => MonCurveMirrorFwd,
                (ocio::NegativeStyle::Mirror, false) => MonCurveMirrorRev,
                (style, _) => {
                    return Err(format!("ExponentWithLinearTransform with negative style {style:?} is not supported"));
                }
            };
            out.push(ClfOp::Exponent { style, params: [0, 1, 2].map(|c| [e.gamma[c], e.offset[c]]) });
        }
        T::Log(l) => {
            let style = if forward(l.direction) { LogStyle::Log2 } else { LogStyle::AntiLog2 };
            out.push(ClfOp::Log { style, base: l.base, params: [[1.0, 0.0, 1.0, 0.0, f64::NAN, f64::NAN]; 3] });
        }
        T::LogAffine(l) => {
            let style = if forward(l.direction) { LogStyle::LinToLog } else { LogStyle::LogToLin };
            let params = [0, 1, 2].map(|c| {
                [
                    l.log_side_slope[c],
                    l.log_side_offset[c],
                    l.lin_side_slope[c],
                    l.lin_side_offset[c],
                    f64::NAN,
                    f64::NAN,
                ]
            });
            out.push(ClfOp::Log { style, base: l.base, params });
        }
        T::LogCamera(l) => {
            let style = if forward(l.direction) { LogStyle::CameraLinToLog } else { LogStyle::CameraLogToLin };
            let params = [0, 1, 2].map(|c| {
                [
                    l.log_side_slope[c],
                    l.log_side_offset[c],
                    l.lin_side_slope[c],
                    l.lin_side_offset[c],
                    l.lin_side_break[c],
                    l.linear_slope.map_or(f64::NAN, |s| s[c]),
                ]
            });
            out.push(ClfOp::Log { style, base: l.base, params });
        }
        T::Cdl(c) => {
            let clamp = c.style == ocio::CdlStyle::Asc;
            let style = match (clamp, forward(c.direction)) {
                (true, true) => CdlStyle::Fwd,
                (true, false) => CdlStyle::Rev,
                (false, true) => CdlStyle::FwdNoClamp,
                (false, false) => CdlStyle::RevNoClamp,
            };
            out.push(ClfOp::Cdl { slope: c.slope, offset: c.offset, power: c.power, saturation: c.sat, style });
        }
        T::Lut1D(l) => {
            if l.hue_adjust != ocio::Lut1DHueAdjust::None {
                return Err("Lut1DTransform with hue adjust is not supported".into());
            }
            let n = l.values.len() / 3;
            let table: Vec<[f32; 3]> =
                (0..n).map(|i| [l.values[3 * i], l.values[3 * i + 1], l.values[3 * i + 2]]).collect();
            if n < 2 || (l.input_half_domain && n != 65536) {
                return Err(format!("Lut1DTransform of {n} entries cannot be applied"));
            }
            if forward(l.direction) {
                out.push(ClfOp::Lut1d { table, half_domain: l.input_half_domain });
            } else {
                out.push(inverse_lut1d(&table, l.input_half_domain));
            }
        }
        T::Lut3D(l) => {
            if !forward(l.direction) {
                return Err("an inverted Lut3DTransform is not supported".into());
            }
            let n = l.grid_size;
            if n < 2 || l.values.len() != n * n * n * 3 {
                return Err(format!("Lut3DTransform of grid size {n} cannot be applied"));
            }
            // OpenColorIO orders blue fastest; `Lut3d` red fastest.
            let mut table = vec![[0.0f32; 3]; n * n * n];
            for r in 0..n {
                for g in 0..n {
                    for b in 0..n {
                        let at = 3 * ((r * n + g) * n + b);
                        table[r + n * (g + n * b)] = [l.values[at], l.values[at + 1], l.values[at + 2]];
                    }
                }
            }
            let interpolation = match l.interpolation {
                ocio::Interpolation::Tetrahedral | ocio::Interpolation::Best => Interpolation::Tetrahedral,
                _ => Interpolation::Trilinear,
            };
            let lut = Lut3d { size: n, domain_min: [0.0; 3], domain_max: [1.0; 3], table };
            out.push(ClfOp::Lut3d { lut, interpolation });
        }
        T::FixedFunction(f) => match f.style {
            ocio::FixedFunctionStyle::AcesOutputTransform20 => {
                let p = &f.params;
                if p.len() < 9 {
                    return Err("ACES_OutputTransform20 needs 9 parameters".into());
                }
                let limiting =
                    Chromaticities { red: [p[1], p[2]], green: [p[3], p[4]], blue: [p[5], p[6]], white: [p[7], p[8]] };
                out.push(ClfOp::Aces2 { inverse: !forward(f.direction), peak: p[0] as f32, limiting });
            }
            ocio::FixedFunctionStyle::Rec2100Surround => {
                let gamma = *f.params.first().ok_or("REC2100_Surround needs its gamma")?;
                out.push(ClfOp::Rec2100Surround { gamma, inverse: !forward(f.direction) });
            }
            style => return Err(format!("FixedFunctionTransform {style:?} is not supported")),
        },
        T::Group(g) => {
            for child in &g.transforms {
                convert(child, out)?;
            }
        }
        other => {
            let name = format!("{other:?}");
            let name = name.split(['(', ' ', '{']).next().unwrap_or("a transform");
            return Err(format!("{name}Transform is not supported"));
        }
    }
    Ok(())
}

/// One channel of a forward 1D LUT prepared for inversion the way OpenColorIO prepares it
/// (`Lut1DOpData::initializeFromForward`): reversals flattened so the channel is monotonic, stored
/// increasing (negated when the channel falls), and an effective domain that skips flat spots at the
/// ends, so a value on a flat end inverts to the input nearest the middle of the LUT. A half-domain
/// LUT has a positive and a negative half, each with its own domain.
struct ChannelInverse {
    /// The monotonic channel, negated where needed so that each searched part increases.
    values: Vec<f32>,
    /// +1 for an increasing channel, -1 for a falling one (OpenColorIO: first entry < last, or for a
    /// half-domain LUT the entry at 0.0 < the one at 1.0).
    sign: f32,
    /// Effective [start, end] of the (positive half of the) domain.
    domain: (usize, usize),
    /// Half-domain LUTs: the negative half's effective domain, and the value at +0 that decides which
    /// half an input is inverted in.
    negative: Option<((usize, usize), f32)>,
}

impl ChannelInverse {
    fn new(outputs: &[f32], half_domain: bool) -> Self {
        let mut v = outputs.to_vec();
        let n = v.len();
        let (low, high) = if half_domain { (0, 15360) } else { (0, n - 1) };
        let increasing = v[low] < v[high];
        let sign = if increasing { 1.0 } else { -1.0 };
        // Flatten reversals: a value moving against the LUT's direction repeats the previous one.
        let flatten = |v: &mut [f32], range: std::ops::RangeInclusive<usize>, increasing: bool, mut previous: f32| {
            for i in range {
                if increasing != (v[i] > previous) {
                    v[i] = previous;
                } else {
                    previous = v[i];
                }
            }
        };
        if half_domain {
            let zero = v[0];
            flatten(&mut v, 1..=31744, increasing, zero);
            // Negative inputs run the other way; -0 follows +0.
            flatten(&mut v, 32768..=64512, !increasing, zero);
        } else {
            let first = v[0];
            flatten(&mut v, 1..=n - 1, increasing, first);
        }
        // The effective domain between the flat ends of [first, last].
        let effective = |v: &[f32], first: usize, last: usize| {
            let mut end = last;
            while end > first && v[end - 1] == v[last] {
                end -= 1;
            }
            let mut start = first;
            while start < end && v[start + 1] == v[first] {
                start += 1;
            }
            (start, end)
        };
        let (domain, negative) = if half_domain {
            (effective(&v, 0, 31743), Some((effective(&v, 32768, 64511), v[0])))
        } else {
            (effective(&v, 0, n - 1), None)
        };
        // Searched parts increase: the positive half (or whole LUT) times the sign, the negative half
        // times minus the sign.
        for (i, x) in v.iter_mut().enumerate() {
            *x *= if half_domain && i >= 32768 { -sign } else { sign };
        }
        Self { values: v, sign, domain, negative }
    }

    /// Where `y` falls in `values[start..=end]` (clamped to it): the lower entry's index and the
    /// fraction to the next (OpenColorIO's `FindLutInv`).
    fn locate(&self, (start, end): (usize, usize), y: f32) -> (usize, f32) {
        let part = &self.values[start..=end];
        let cv = y.max(part[0]).min(part[part.len() - 1]);
        // The first entry not below cv, searched over [start, end).
        let mut low = start + part[..part.len() - 1].partition_point(|&x| x < cv);
        if low > start {
            low -= 1;
        }
        let high = if low < end { low + 1 } else { low };
        let (a, b) = (self.values[low], self.values[high]);
        let delta = if b > a { (cv - a) / (b - a) } else { 0.0 };
        (low, delta)
    }

    /// The input the forward LUT maps to `y`. Over 0..1 for a LUT of `n` entries, else the half
    /// float input.
    fn at(&self, y: f32) -> f32 {
        match self.negative {
            None => {
                let (i, delta) = self.locate(self.domain, y * self.sign);
                (i as f32 + delta) / (self.values.len() - 1) as f32
            }
            Some((negative, zero)) => {
                let positive_half = (self.sign > 0.0) == (y >= zero);
                let (i, delta) = if positive_half {
                    self.locate(self.domain, y * self.sign)
                } else {
                    self.locate(negative, -y * self.sign)
                };
                let at = |bits: usize| half::f16::from_bits(bits as u16).to_f32();
                let (base, next) = (at(i), at(i + 1));
                base + delta * (next - base)
            }
        }
    }
}

/// A forward LUT that applies the inverse of `table` (over 0..1, or the half domain), sampled as
/// OpenColorIO's default ("fast") inverse samples it: over 4096 entries spanning 0..1, or every half
/// float when the forward LUT's values leave 0..1.
fn inverse_lut1d(table: &[[f32; 3]], half_domain: bool) -> ClfOp {
    use half::f16;
    let channel = |c: usize| -> Vec<f32> { table.iter().map(|r| r[c]).collect() };
    let inverses = [0, 1, 2].map(|c| ChannelInverse::new(&channel(c), half_domain));
    let at = |y: f32| [0, 1, 2].map(|c| inverses[c].at(y));
    let extended = table.iter().flatten().any(|v| !v.is_nan() && (*v < -1e-5 || *v > 1.0 + 1e-5));
    if extended {
        let inverse = (0..65536u32)
            .map(|bits| {
                let y = f16::from_bits(bits as u16);
                if y.is_nan() { [0.0; 3] } else { at(y.to_f32()) }
            })
            .collect();
        ClfOp::Lut1d { table: inverse, half_domain: true }
    } else {
        let inverse = (0..4096).map(|i| at(i as f32 / 4095.0)).collect();
        ClfOp::Lut1d { table: inverse, half_domain: false }
    }
}

/// A path or URI for a config, from the command line's `--ocio-config` or the `OCIO` variable.
pub fn config_source(flag: Option<&Path>) -> Option<String> {
    flag.map(|p| p.display().to_string())
        .or_else(|| std::env::var_os("OCIO").map(|v| PathBuf::from(v).display().to_string()))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_ramp_is_its_inverse() {
        let squares: Vec<f32> = (0..5).map(|i| (i as f32 / 4.0).powi(2)).collect();
        let inverse = ChannelInverse::new(&squares, false);
        assert_eq!(inverse.at(0.25), 0.5);
        assert_eq!(inverse.at(-1.0), 0.0);
        assert_eq!(inverse.at(2.0), 1.0);
        assert!((inverse.at(0.5625) - 0.75).abs() < 1e-6);
        let falling: Vec<f32> = squares.iter().map(|v| 1.0 - v).collect();
        assert_eq!(ChannelInverse::new(&falling, false).at(0.75), 0.5);
        // Flat ends invert to the input nearest the middle; a reversal is flattened.
        let flat = [0.0, 0.0, 0.5, 0.4, 1.0, 1.0];
        let inverse = ChannelInverse::new(&flat, false);
        assert_eq!(inverse.at(0.0), 0.2);
        assert_eq!(inverse.at(1.0), 0.8);
        assert!((inverse.at(0.5) - 0.4).abs() < 1e-6, "{}", inverse.at(0.5));
    }

    #[test]
    fn inverse_of_a_half_domain_lut_inverts_both_halves() {
        use half::f16;
        // y = 2x over the whole half domain (negative inputs give negative outputs).
        let table: Vec<f32> = (0..65536u32).map(|b| 2.0 * f16::from_bits(b as u16).to_f32()).collect();
        let inverse = ChannelInverse::new(&table, true);
        for y in [0.0f32, 0.5, 3.0, -0.5, -3.0, 100.0] {
            assert!((inverse.at(y) - y / 2.0).abs() < 1e-6 * y.abs().max(1.0), "{y}: {}", inverse.at(y));
        }
    }

    #[test]
    fn neighbouring_matrices_compose() {
        let scale = |k: f64, o: f64| ClfOp::Matrix([[k, 0.0, 0.0, o], [0.0, k, 0.0, o], [0.0, 0.0, k, o]]);
        let ops = compose_matrices(vec![
            scale(2.0, 1.0),
            scale(3.0, 0.5),
            ClfOp::Range { scale: 1.0, offset: 0.0, low: None, high: None },
            scale(4.0, 0.0),
        ]);
        assert_eq!(ops.len(), 3);
        // 3 (2x + 1) + 0.5 = 6x + 3.5
        assert_eq!(ops[0], scale(6.0, 3.5));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let dir = std::env::temp_dir().join(format!("cinegrade-ocio-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.ocio");
        std::fs::write(&bad, "ocio_profile_version: 2\nroles: [\n").unwrap();
        let e = OcioConfig::load(bad.to_str().unwrap()).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.to_string().starts_with(&format!("{}:3: ", bad.display())), "{e}");
    }
}
