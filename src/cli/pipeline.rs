//! What `render` and `bake-lut` share: the colour flags and the pipeline they build around a grade.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use cinegrade::color::cdl::CdlStyle;
use cinegrade::color::space::ColorSpace;
use cinegrade::grade::Grade;
use cinegrade::grade::pipeline::{DEFAULT_WORKING_SPACE, Pipeline};
use cinegrade::interchange::{self, InterchangeError, Interpolation};
use cinegrade::ops::color_transform::ToneMapping;
use cinegrade::ops::lut::Lut;

/// How `render` and `bake-lut` order their passes, for `--help`.
pub const PIPELINE_HELP: &str = "\
Pipeline, in this order:
  [input transform: --input-space -> --working-space]
  [--cdl]  [the grade's nodes]  [--lut]
  [output transform: --working-space -> --output-space]
The CDL, the grade's nodes and the LUT run in the working space (default acescct when converting).
With neither --input-space nor --output-space nothing is converted and pixel values reach the nodes
untouched; with only one of them, the other is the working space. `cinegrade spaces` lists names.
With an OpenColorIO config (--ocio-config, or the OCIO environment variable) the spaces are the
config's names (`cinegrade spaces --ocio-config F` lists them), the working space defaults to its
color_timing role (else scene_linear), and --display/--view deliver through one of its views.";

/// Colour management, CDL and LUT flags shared by `render` and `bake-lut`.
#[derive(clap::Args)]
pub struct PipelineArgs {
    /// Colour space of the source (e.g. arri-logc3-ei800, srgb-display; see `cinegrade spaces`), or
    /// with an OCIO config one of its colour spaces or roles.
    #[arg(long, value_name = "SPACE")]
    pub input_space: Option<String>,
    /// Colour space to deliver in (e.g. rec709-display, rec2100-pq, aces2065-1), or with an OCIO
    /// config one of its colour spaces.
    #[arg(long, value_name = "SPACE")]
    pub output_space: Option<String>,
    /// Space the CDL, the grade's nodes and the LUT run in when converting [default: acescct; with
    /// an OCIO config its color_timing role, else scene_linear].
    #[arg(long, value_name = "SPACE")]
    pub working_space: Option<String>,
    /// OpenColorIO config (a .ocio file, or a built-in one such as ocio://studio-config-latest)
    /// whose names --input-space, --output-space, --working-space, --display and --view take
    /// [default: the OCIO environment variable].
    #[arg(long, value_name = "CONFIG")]
    pub ocio_config: Option<PathBuf>,
    /// With an OCIO config: deliver to this display (instead of --output-space).
    #[arg(long, value_name = "DISPLAY", conflicts_with = "output_space")]
    pub display: Option<String>,
    /// With --display: the view [default: the display's default view].
    #[arg(long, value_name = "VIEW", requires = "display")]
    pub view: Option<String>,
    /// Display rendering of the transforms: cinegrade (Cinegrade's tone curve scene->display, its
    /// inverse display->scene; also called auto), aces2 (the ACES 2.0 Output Transform, as
    /// OpenColorIO's ACES 2.0 views) or none (colorimetric, as OpenColorIO's built-in transforms).
    /// [default: cinegrade; with --project, the shot's]
    #[arg(long, value_name = "MODE", value_parser = parse_tone_map)]
    pub tone_map: Option<ToneMapping>,
    /// With --tone-map aces2 and an HDR output (or input) space: the peak to render for, 500,
    /// 1000, 2000 or 4000 nits [default: 1000].
    #[arg(long, value_name = "NITS")]
    pub peak_nits: Option<u16>,
    /// ASC CDL file (.cc, .ccc or .cdl) applied first in the working space.
    #[arg(long, value_name = "FILE")]
    pub cdl: Option<PathBuf>,
    /// Id of the ColorCorrection to apply from a .ccc or .cdl holding several.
    #[arg(long, value_name = "ID", requires = "cdl")]
    pub cc_id: Option<String>,
    /// asc: clamp to 0..1 as ASC CDL v1.2; no-clamp: keep values outside 0..1 [default: no-clamp].
    #[arg(long, value_name = "STYLE", requires = "cdl", value_parser = parse_cdl_style)]
    pub cdl_style: Option<CdlStyle>,
    /// .cube LUT (1D, 3D or both) or CLF process list applied after the grade, in the working space.
    #[arg(long, value_name = "FILE")]
    pub lut: Option<PathBuf>,
    /// 3D LUT interpolation of a .cube file: tetrahedral or trilinear [default: tetrahedral] (a CLF file says its own).
    #[arg(long, value_name = "METHOD", requires = "lut", value_parser = parse_interp)]
    pub interp: Option<Interpolation>,
}

pub fn parse_frames(s: &str) -> Result<cinegrade::media::sequence::FrameRange, String> {
    cinegrade::media::sequence::FrameRange::parse(s).map_err(|e| e.to_string())
}

pub fn parse_space(s: &str) -> Result<ColorSpace, String> {
    s.parse().map_err(|e: cinegrade::color::space::ParseColorSpaceError| e.to_string())
}

/// A built-in space flag's value, or the error naming the flag.
fn builtin_space(flag: &str, value: &Option<String>) -> anyhow::Result<Option<ColorSpace>> {
    value.as_deref().map(|s| parse_space(s).map_err(|e| anyhow::anyhow!("{flag}: {e}"))).transpose()
}

fn parse_interp(s: &str) -> Result<Interpolation, String> {
    s.parse().map_err(|e: InterchangeError| e.to_string())
}

fn parse_tone_map(s: &str) -> Result<ToneMapping, String> {
    ToneMapping::from_name(s)
        .ok_or_else(|| format!("unknown tone mapping '{s}'; valid: cinegrade (or auto), aces2, none"))
}

fn parse_cdl_style(s: &str) -> Result<CdlStyle, String> {
    [CdlStyle::Asc, CdlStyle::NoClamp]
        .into_iter()
        .find(|c| c.name() == s)
        .ok_or_else(|| format!("unknown CDL style '{s}'; valid: asc, no-clamp"))
}

impl PipelineArgs {
    /// The pipeline, with the CDL and LUT files read now so a bad file is reported before any GPU
    /// work, naming the file and line.
    pub fn pipeline(&self) -> anyhow::Result<Pipeline> {
        self.pipeline_with(true)
    }

    /// The pipeline; `ocio`: whether an OCIO config (the flag or the environment's) applies.
    pub fn pipeline_with(&self, ocio: bool) -> anyhow::Result<Pipeline> {
        let config = if ocio { cinegrade::color::ocio::config_source(self.ocio_config.as_deref()) } else { None };
        if let Some(source) = config {
            return self.ocio_pipeline(&source);
        }
        if self.display.is_some() {
            bail!("--display and --view name an OCIO config's display: give --ocio-config (or set OCIO)");
        }
        let (cdl, lut) = self.cdl_and_lut()?;
        let pipeline = Pipeline {
            input: builtin_space("--input-space", &self.input_space)?,
            working: builtin_space("--working-space", &self.working_space)?.unwrap_or(DEFAULT_WORKING_SPACE),
            output: builtin_space("--output-space", &self.output_space)?,
            tone_map: self.tone_map.unwrap_or_default(),
            peak_nits: self.peak_nits,
            cdl,
            lut,
            ocio: None,
        };
        if let Some(peak) = self.peak_nits {
            // The transform that renders for the display must take the peak.
            let display = [pipeline.input_space(), pipeline.output_space()]
                .into_iter()
                .flatten()
                .find(|s| !s.is_scene_referred());
            let node = cinegrade::ops::color_transform::ColorTransform {
                from: pipeline.working,
                to: display.unwrap_or(pipeline.working),
                tone_map: self.tone_map.unwrap_or_default(),
                peak_nits: Some(peak),
            };
            node.validate().map_err(|e| anyhow::anyhow!("--peak-nits: {e}"))?;
        }
        Ok(pipeline)
    }
}

/// A pipeline's CDL (with its style) and LUT.
type CdlAndLut = (Option<(cinegrade::color::cdl::Cdl, CdlStyle)>, Option<Lut>);

impl PipelineArgs {
    /// The CDL and the LUT, read now.
    fn cdl_and_lut(&self) -> anyhow::Result<CdlAndLut> {
        let cdl = match &self.cdl {
            Some(path) => Some((read_cdl(path, self.cc_id.as_deref())?, self.cdl_style.unwrap_or_default())),
            None => None,
        };
        let lut = match &self.lut {
            Some(path) => {
                let lut = Lut { path: path.clone(), interpolation: self.interp.unwrap_or_default() };
                lut.load()?;
                Some(lut)
            }
            None => None,
        };
        Ok((cdl, lut))
    }

    /// The pipeline of the config at `source`: its names checked and its transforms built now, so
    /// a wrong name or an unsupported transform is reported (with the config's file and line)
    /// before any GPU work.
    fn ocio_pipeline(&self, source: &str) -> anyhow::Result<Pipeline> {
        use cinegrade::grade::pipeline::{OcioOutput, OcioPipeline};
        if self.tone_map.is_some() || self.peak_nits.is_some() {
            bail!(
                "--tone-map and --peak-nits are for Cinegrade's own spaces; with an OCIO config ({source}) its views render"
            );
        }
        // Read once: the nodes built below take it from the same cache.
        let config = cinegrade::ops::ocio::config(Path::new(source))?;
        for (flag, name) in [
            ("--input-space", &self.input_space),
            ("--output-space", &self.output_space),
            ("--working-space", &self.working_space),
        ] {
            if let Some(n) = name {
                config.check_space(n).map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
            }
        }
        let working = match &self.working_space {
            Some(w) => w.clone(),
            None => config.default_working_space().ok_or_else(|| {
                anyhow::anyhow!("{source} has neither a color_timing nor a scene_linear role: name --working-space")
            })?,
        };
        let output = match (&self.output_space, &self.display) {
            (Some(space), _) => Some(OcioOutput::Space(space.clone())),
            (None, Some(display)) => {
                let (display, view) = config.check_display_view(Some(display), self.view.as_deref()).map_err(|e| {
                    let flag = if e.contains("has no view") { "--view" } else { "--display" };
                    anyhow::anyhow!("{flag}: {e}")
                })?;
                Some(OcioOutput::DisplayView { display, view })
            }
            (None, None) => None,
        };
        let ocio = OcioPipeline { config: PathBuf::from(source), input: self.input_space.clone(), working, output };
        let (cdl, lut) = self.cdl_and_lut()?;
        let base = Pipeline { ocio: Some(ocio), cdl, lut, ..Pipeline::default() };
        // Read the config's transforms now.
        for node in base.build(&Grade::default()).active_nodes() {
            if let cinegrade::grade::Op::OcioTransform(t) = &node.op {
                t.load()?;
            }
        }
        Ok(base)
    }
}

/// The CDL to apply from `path`: the one with `id`, else the file's only correction.
fn read_cdl(path: &Path, id: Option<&str>) -> anyhow::Result<cinegrade::color::cdl::Cdl> {
    let corrections = interchange::read_cdl_file(path)?;
    let name = path.display();
    let chosen = match id {
        Some(id) => interchange::find_by_id(&corrections, id).with_context(|| name.to_string())?,
        None if corrections.len() == 1 => &corrections[0],
        None => {
            let ids: Vec<String> =
                corrections.iter().map(|c| c.id.clone().unwrap_or_else(|| "(no id)".into())).collect();
            bail!("{name}: holds {} ColorCorrections; pick one with --cc-id ({})", corrections.len(), ids.join(", "));
        }
    };
    Ok(chosen.cdl)
}

/// The pipeline and the grade (or an empty one) with the pipeline's nodes around it.
pub fn load_pipeline(grade: Option<&Path>, args: &PipelineArgs) -> anyhow::Result<(Pipeline, Grade)> {
    let grade = match grade {
        Some(path) => Grade::load(path)?,
        None => Grade::default(),
    };
    let pipeline = args.pipeline()?;
    let grade = pipeline.build(&grade);
    Ok((pipeline, grade))
}

/// Prints the nodes that will run (for `--verbose`).
pub fn describe(grade: &Grade) {
    let names: Vec<String> = grade
        .active_nodes()
        .map(|n| match (&n.op, n.label.is_empty()) {
            (cinegrade::grade::Op::ColorTransform(t), _) => {
                format!("{} ({} -> {})", n.op.name(), t.from, t.to)
            }
            (cinegrade::grade::Op::OcioTransform(t), _) => format!("{} ({})", n.op.name(), t.conversion()),
            (_, true) => n.op.name().to_string(),
            (_, false) => format!("{} ({})", n.op.name(), n.label),
        })
        .collect();
    eprintln!("grade: {} active node(s){}{}", names.len(), if names.is_empty() { "" } else { ": " }, names.join(", "));
}
