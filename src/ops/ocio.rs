//! OpenColorIO transform node: a conversion a studio's config defines (colour space to colour space,
//! or a colour space to a display through a view, or back), run as Cinegrade's own operators. The
//! config is read by `color::ocio` (the `ocio` crate), the conversion turned into the program
//! `interchange::clf_program` compiles, and that program runs per pixel in
//! `shaders/ops/ocio.wgsl` (the CLF interpreter of `lut_clf.wgsl` with the ACES 2.0 rendering of
//! `color_aces2.wgsl` and BT.2100's surround added). Conversions with an ACES 2.0 rendering run in a
//! pass of their own (see [`Pointwise::fuses`]).
//!
//! The grade keeps the config's path (or `ocio://` name) and the names; the program is built once
//! per version of the config (cached by path, modification time, length and request).
//!
//! CPU twin: [`OcioTransform::cpu`], `clf_program::run`, held to PyOpenColorIO 2.6 for every colour
//! space and display/view of the ACES studio and CG configs in tests/ocio_config.rs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{OpContext, Pointwise, Site};
use crate::color::ocio::{OcioConfig, OcioError, OcioRequest};
use crate::interchange::{ClfFile, InterchangeError, clf_program};

/// Name of the shader (`shaders/ops/ocio.wgsl`) that executes this op.
pub const SHADER: &str = "ocio";

/// An OpenColorIO conversion: `from` → `to`, or `from` → `display` / `view` (`inverse`: back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OcioTransform {
    /// The config: a `.ocio` file (in a grade file, relative to the grade file's folder) or one of
    /// OpenColorIO's built-in configs, `ocio://studio-config-latest` say.
    pub config: PathBuf,
    /// The scene-side colour space (or role).
    pub from: String,
    /// The destination colour space (or role); empty when converting to a display.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    /// The display; empty when converting colour space to colour space.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display: String,
    /// The display's view (empty: the display's default view).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub view: String,
    /// Display → `from` instead (the inverse of the view).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inverse: bool,
}

/// True for OpenColorIO's built-in configs (`ocio://…`), which are names, not files.
pub fn is_builtin_config(config: &Path) -> bool {
    config.to_str().is_some_and(|s| s.starts_with("ocio://"))
}

/// `config` as it is opened from `base`: a relative file path joined to it; absolute paths and
/// built-in configs as they are.
pub fn resolve_config(config: &Path, base: &Path) -> PathBuf {
    if config.is_relative() && !is_builtin_config(config) { base.join(config) } else { config.to_path_buf() }
}

impl OcioTransform {
    /// The conversion in words: `from -> to`, `from -> display / view`, or `display / view -> from`
    /// (an empty view is the display's default).
    pub fn conversion(&self) -> String {
        let view = if self.view.is_empty() { "(default view)" } else { &self.view };
        match (self.display.is_empty(), self.inverse) {
            (true, _) => format!("{} -> {}", self.from, self.to),
            (false, false) => format!("{} -> {} / {view}", self.from, self.display),
            (false, true) => format!("{} / {view} -> {}", self.display, self.from),
        }
    }

    /// Colour space to colour space in `config`.
    pub fn spaces(config: impl Into<PathBuf>, from: &str, to: &str) -> Self {
        Self { config: config.into(), from: from.into(), to: to.into(), ..Self::default() }
    }

    /// A colour space to a display and view of `config`.
    pub fn display_view(config: impl Into<PathBuf>, from: &str, display: &str, view: &str) -> Self {
        Self { config: config.into(), from: from.into(), display: display.into(), view: view.into(), ..Self::default() }
    }

    /// Problems a colorist must fix before this can render (without reading the config).
    pub fn validate(&self) -> Result<(), String> {
        if self.config.as_os_str().is_empty() {
            return Err("the OCIO config is not named".into());
        }
        if self.from.is_empty() {
            return Err("the OCIO source colour space is not named".into());
        }
        match (self.to.is_empty(), self.display.is_empty()) {
            (true, true) => Err("name a destination colour space or a display".into()),
            (false, false) => Err(format!("both a colour space ({}) and a display ({}) are named", self.to, self.display)),
            (false, true) if self.inverse => Err("inverse is for display/view conversions".into()),
            (false, true) if !self.view.is_empty() => Err(format!("the view {} needs a display", self.view)),
            _ => Ok(()),
        }
    }

    /// Makes a relative config path relative to `base` (the grade file's folder); absolute paths
    /// and built-in configs stay.
    pub fn resolve(&mut self, base: &Path) {
        self.config = resolve_config(&self.config, base);
    }

    /// The conversion asked of the config (`config` gives the default view).
    fn request(&self, config: &OcioConfig) -> OcioRequest {
        if self.display.is_empty() {
            return OcioRequest::Spaces { from: self.from.clone(), to: self.to.clone() };
        }
        let view = if self.view.is_empty() { config.default_view(&self.display) } else { self.view.clone() };
        OcioRequest::DisplayView {
            space: self.from.clone(),
            display: self.display.clone(),
            view,
            inverse: self.inverse,
        }
    }

    /// Reads the config and builds the program, or takes it from the cache when neither changed.
    pub fn load(&self) -> Result<Arc<OcioData>, InterchangeError> {
        let source = self.config.display().to_string();
        let (stamp, config) = config_with_stamp(&self.config)?;
        let request = self.request(&config);
        let key = (source.clone(), request.clone());
        let mut programs = programs().lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, data)) = programs.get(&key)
            && *s == stamp
        {
            return Ok(data.clone());
        }
        let ops = config.ops(&request).map_err(interchange_error)?;
        let tables = clf_program::compile(&ClfFile { ops, ..ClfFile::default() });
        let heavy = clf_program::is_heavy(&tables);
        let data = Arc::new(OcioData { tables, heavy, request: request.to_string() });
        programs.insert(key, (stamp, data.clone()));
        Ok(data)
    }
}

/// A config's error as the grade's file errors are reported: with the file and, where known, line.
pub fn interchange_error(e: OcioError) -> InterchangeError {
    match e.line {
        Some(line) => InterchangeError::Parse { file: e.file, line, message: e.message },
        None => InterchangeError::Unsupported { file: e.file, reason: e.message },
    }
}

/// Which version of a config file an entry holds (`None` for a built-in config).
type Stamp = Option<(Option<SystemTime>, u64)>;

type ConfigCache = Mutex<HashMap<String, (Stamp, Arc<OcioConfig>)>>;
type ProgramCache = Mutex<HashMap<(String, OcioRequest), (Stamp, Arc<OcioData>)>>;

fn configs() -> &'static ConfigCache {
    static CACHE: std::sync::OnceLock<ConfigCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn programs() -> &'static ProgramCache {
    static CACHE: std::sync::OnceLock<ProgramCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The config at `path` (a file or `ocio://` name), read on first use and whenever the file changed
/// since.
pub fn config(path: &Path) -> Result<Arc<OcioConfig>, InterchangeError> {
    config_with_stamp(path).map(|(_, c)| c)
}

fn config_with_stamp(path: &Path) -> Result<(Stamp, Arc<OcioConfig>), InterchangeError> {
    let source = path.display().to_string();
    let stamp = if is_builtin_config(path) {
        None
    } else {
        let meta = std::fs::metadata(path)
            .map_err(|source_error| InterchangeError::Io { file: source.clone(), source: source_error })?;
        Some((meta.modified().ok(), meta.len()))
    };
    Ok((stamp, load_config(&source, stamp)?))
}

/// The config at `source`, read on first use and whenever its file changed since.
fn load_config(source: &str, stamp: Stamp) -> Result<Arc<OcioConfig>, InterchangeError> {
    let mut entries = configs().lock().unwrap_or_else(|e| e.into_inner());
    if let Some((s, config)) = entries.get(source)
        && *s == stamp
    {
        return Ok(config.clone());
    }
    let config = Arc::new(OcioConfig::load(source).map_err(interchange_error)?);
    entries.insert(source.to_string(), (stamp, config.clone()));
    Ok(config)
}

/// A conversion's program, as the stage binds it.
#[derive(Debug)]
pub struct OcioData {
    /// The `clf_program` the shader and the twin run.
    pub tables: Vec<f32>,
    /// It holds an ACES 2.0 rendering (run in a pass of its own).
    pub heavy: bool,
    /// The conversion, in words (`from -> display / view`).
    pub request: String,
}

crate::gpu_struct! {
    /// Laid out exactly as `struct Ocio` in `shaders/ops/ocio.wgsl`.
    pub struct OcioUniform {
        /// 1: the program holds an ACES 2.0 rendering.
        pub heavy: u32,
        /// Padding to 16 bytes; keep 0.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
    }
}

impl Pointwise for OcioTransform {
    const NAME: &'static str = "ocio-transform";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/ocio.wgsl");
    const STRUCT: &'static str = "Ocio";
    const TABLES: bool = true;
    type Uniform = OcioUniform;
    type Data = Arc<OcioData>;

    fn validate(&self) -> Result<(), String> {
        OcioTransform::validate(self)
    }

    /// Only a conversion to itself; anything else the config decides.
    fn is_neutral(&self) -> bool {
        self.display.is_empty() && self.from == self.to
    }

    fn load(&self) -> Result<Arc<OcioData>, InterchangeError> {
        OcioTransform::load(self)
    }

    fn uniform(&self, data: &Arc<OcioData>, _: &OpContext) -> OcioUniform {
        OcioUniform { heavy: u32::from(data.heavy), _pad0: 0, _pad1: 0, _pad2: 0 }
    }

    fn tables(&self, data: &Arc<OcioData>) -> Vec<f32> {
        data.tables.clone()
    }

    /// The program, by `clf_program::run`.
    fn cpu(_: &OcioUniform, rgb: [f32; 3], site: &Site) -> [f32; 3] {
        clf_program::run(site.tables, rgb)
    }

    fn specialise(u: &OcioUniform) -> Option<[u32; 4]> {
        Some([u.heavy, 0, 0, 0])
    }

    /// A program without an ACES 2.0 rendering runs as `ocio_program`, which never names it.
    fn specialised_wgsl([heavy, ..]: [u32; 4], i: usize) -> String {
        if heavy == 1 {
            format!("    let o{i} = ocio_node(p{i}, rgb, site{i});\n")
        } else {
            format!("    let o{i} = ocio_program(rgb, site{i}.tables);\n")
        }
    }

    /// A conversion with an ACES 2.0 rendering runs in a pass of its own: inlined with other stages
    /// it grows the shader past what lavapipe's compiler survives.
    fn fuses(u: &OcioUniform) -> bool {
        u.heavy == 0
    }

    /// A small config written into `scratch`: scene-linear Rec.709 to a gamma 2.4 encoding of
    /// Rec.2020 primaries through a log-camera curve's inverse (matrix, log, exponent, range).
    fn example(scratch: &Path) -> Self {
        let path = scratch.join("example_config.ocio");
        std::fs::write(&path, EXAMPLE_CONFIG).expect("write the example OCIO config");
        OcioTransform::spaces(path, "lin_rec709", "log_wide")
    }
}

/// The config [`OcioTransform::example`] writes.
const EXAMPLE_CONFIG: &str = r#"ocio_profile_version: 2

roles:
  default: lin_rec709
  scene_linear: lin_rec709

displays:
  sRGB:
    - !<View> {name: Raw, colorspace: lin_rec709}

colorspaces:
  - !<ColorSpace>
    name: lin_rec709

  - !<ColorSpace>
    name: log_wide
    from_scene_reference: !<GroupTransform>
      children:
        - !<MatrixTransform> {matrix: [0.6274, 0.3293, 0.0433, 0, 0.0691, 0.9195, 0.0114, 0, 0.0164, 0.0880, 0.8956, 0, 0, 0, 0, 1]}
        - !<LogCameraTransform> {base: 2, log_side_slope: 0.0590, log_side_offset: 0.3985, lin_side_slope: 1.0, lin_side_offset: 0.0108, lin_side_break: 0.0078}
        - !<ExponentTransform> {value: [1.1, 1.0, 0.9, 1], style: mirror}
        - !<RangeTransform> {min_in_value: -0.1, max_in_value: 1.2, min_out_value: 0, max_out_value: 1}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_and_validation() {
        let t: OcioTransform =
            serde_json::from_str(r#"{"config": "show.ocio", "from": "ACEScct", "display": "sRGB - Display"}"#).unwrap();
        assert_eq!(t.view, "");
        assert!(t.validate().is_ok());
        assert_eq!(t.conversion(), "ACEScct -> sRGB - Display / (default view)");
        let json = serde_json::to_string(&OcioTransform::spaces("a.ocio", "x", "y")).unwrap();
        assert_eq!(json, r#"{"config":"a.ocio","from":"x","to":"y"}"#);
        assert!(OcioTransform::spaces("a.ocio", "x", "").validate().is_err());
        assert!(OcioTransform { display: "d".into(), ..OcioTransform::spaces("a.ocio", "x", "y") }.validate().is_err());
        let mut relative = OcioTransform::spaces("config/show.ocio", "x", "y");
        relative.resolve(Path::new("/grades"));
        assert_eq!(relative.config, Path::new("/grades/config/show.ocio"));
        let mut builtin = OcioTransform::spaces("ocio://studio-config-latest", "x", "y");
        builtin.resolve(Path::new("/grades"));
        assert_eq!(builtin.config, Path::new("ocio://studio-config-latest"));
    }

    #[test]
    fn the_example_matches_its_formula() {
        let dir = std::env::temp_dir().join(format!("cinegrade-ocio-op-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let op = OcioTransform::example(&dir);
        let data = op.load().unwrap();
        assert!(!data.heavy);
        let site = Site { pos: [0, 0], tables: &data.tables, lattice: None };
        let u = Pointwise::uniform(&op, &data, &OpContext::new(1, 1, 0));
        let rgb = [0.18f32, 0.5, 0.02];
        let got = OcioTransform::cpu(&u, rgb, &site);
        // By hand, in f64: the matrix, OpenColorIO's LogCamera (lin_to_log), the mirrored exponent,
        // the range.
        let m = [[0.6274, 0.3293, 0.0433], [0.0691, 0.9195, 0.0114], [0.0164, 0.0880, 0.8956]];
        let wide: Vec<f64> = m.iter().map(|r| (0..3).map(|c| r[c] * f64::from(rgb[c])).sum()).collect();
        let (ls, lo, ms, mo, brk): (f64, f64, f64, f64, f64) = (0.0590, 0.3985, 1.0, 0.0108, 0.0078);
        let log_at_break = ls * (ms * brk + mo).log2() + lo;
        let slope = ls * ms / ((ms * brk + mo) * std::f64::consts::LN_2);
        let log = |x: f64| if x > brk { ls * (ms * x + mo).log2() + lo } else { slope * (x - brk) + log_at_break };
        let exps = [1.1, 1.0, 0.9];
        for c in 0..3 {
            let e = log(wide[c]);
            let e = e.signum() * e.abs().powf(exps[c]);
            let want = (e + 0.1) / 1.3;
            assert!((f64::from(got[c]) - want).abs() < 2e-6, "{c}: {got:?} against {want}");
        }
    }
}
