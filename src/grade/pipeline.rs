//! The node order the command line builds around a grade, so that `render` and `bake-lut` (and any
//! caller of the library) run exactly the same passes:
//!
//! ```text
//! [CST input → working]  [CDL]  grade nodes…  [LUT]  [CST working → output]
//! ```
//!
//! The grade's nodes, the CDL and the LUT all run in the working space (ACEScct by default, a log
//! space where offset acts as exposure and the primaries' pivot 0.435 is mid grey). Without an input
//! or output space nothing is converted and the frame's values reach the nodes untouched; a missing
//! one of the two means the frame is already in (or stays in) the working space.
//!
//! With an OpenColorIO config ([`OcioPipeline`]) the transforms are the config's: its colour space
//! names, and an output that is a colour space or a display and view.

use crate::color::cdl::{Cdl, CdlStyle};
use crate::color::space::ColorSpace;
use crate::ops::color_transform::{ColorTransform, ToneMapping};
use crate::ops::lut::Lut;
use crate::ops::ocio::OcioTransform;
use crate::ops::primaries::Primaries;

use super::{Grade, Node, Op};

/// The working space used when converting and none is named.
pub const DEFAULT_WORKING_SPACE: ColorSpace = ColorSpace::Acescct;

/// What to put around a grade.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The space the source frame is in (`None`: the working space, or no conversion at all).
    pub input: Option<ColorSpace>,
    /// The space the nodes run in when converting.
    pub working: ColorSpace,
    /// The space to deliver in (`None`: the working space, or no conversion at all).
    pub output: Option<ColorSpace>,
    /// Display rendering for the input and output transforms.
    pub tone_map: ToneMapping,
    /// The HDR peak the ACES 2.0 transforms render for (`None`: the display's own).
    pub peak_nits: Option<u16>,
    /// An ASC CDL applied first in the working space, in the given style.
    pub cdl: Option<(Cdl, CdlStyle)>,
    /// A LUT applied after the grade, in the working space.
    pub lut: Option<Lut>,
    /// The transforms of an OpenColorIO config instead of `input`, `working` and `output`.
    pub ocio: Option<OcioPipeline>,
}

/// The input and output transforms of an OpenColorIO config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcioPipeline {
    /// The config (a `.ocio` file or `ocio://` name).
    pub config: std::path::PathBuf,
    /// The source's colour space (`None`: the working space).
    pub input: Option<String>,
    /// The colour space the nodes run in.
    pub working: String,
    /// Where to deliver (`None`: the working space).
    pub output: Option<OcioOutput>,
}

/// An OpenColorIO pipeline's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcioOutput {
    /// A colour space.
    Space(String),
    /// A display through one of its views.
    DisplayView {
        /// The display.
        display: String,
        /// The view.
        view: String,
    },
}

impl std::fmt::Display for OcioOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcioOutput::Space(s) => f.write_str(s),
            OcioOutput::DisplayView { display, view } => write!(f, "{display} / {view}"),
        }
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Self {
            input: None,
            working: DEFAULT_WORKING_SPACE,
            output: None,
            tone_map: ToneMapping::Auto,
            peak_nits: None,
            cdl: None,
            lut: None,
            ocio: None,
        }
    }
}

impl Pipeline {
    /// True when an input or output space is named, so colour is converted.
    pub fn converts(&self) -> bool {
        match &self.ocio {
            Some(o) => o.input.is_some() || o.output.is_some(),
            None => self.input.is_some() || self.output.is_some(),
        }
    }

    /// The space the pipeline expects its input in: `None` when nothing is converted (the values
    /// are whatever the file holds) or the spaces are an OpenColorIO config's.
    pub fn input_space(&self) -> Option<ColorSpace> {
        (self.ocio.is_none() && self.converts()).then(|| self.input.unwrap_or(self.working))
    }

    /// The space the pipeline delivers in: `None` when nothing is converted or the spaces are an
    /// OpenColorIO config's.
    pub fn output_space(&self) -> Option<ColorSpace> {
        (self.ocio.is_none() && self.converts()).then(|| self.output.unwrap_or(self.working))
    }

    /// The input, working and output spaces in words ("(not converted)" when nothing is).
    pub fn describe_spaces(&self) -> [String; 3] {
        let none = || "(not converted)".to_string();
        if !self.converts() {
            return [none(), "(none)".into(), none()];
        }
        match &self.ocio {
            Some(o) => [
                o.input.clone().unwrap_or_else(|| o.working.clone()),
                o.working.clone(),
                o.output.as_ref().map_or_else(|| o.working.clone(), |out| out.to_string()),
            ],
            None => [self.input_space(), Some(self.working), self.output_space()]
                .map(|s| s.map_or_else(none, |s| s.name().to_string())),
        }
    }

    /// How many nodes [`Pipeline::build`] puts before the grade's own (its input transform, its CDL).
    pub fn leading_nodes(&self) -> usize {
        let input = if self.ocio.is_some() { self.converts() } else { self.input_space().is_some() };
        usize::from(input) + usize::from(self.cdl.is_some())
    }

    /// The grade with the pipeline's nodes around it (see the module documentation for the order).
    /// Identity transforms are kept as nodes but skipped when rendering.
    pub fn build(&self, grade: &Grade) -> Grade {
        let labelled = |label: &str, op| Node { label: label.into(), ..Node::new(op) };
        let cst = |from, to| {
            Op::ColorTransform(ColorTransform { from, to, tone_map: self.tone_map, peak_nits: self.peak_nits })
        };
        let mut nodes = Vec::new();
        let ocio = self.ocio.as_ref().filter(|_| self.converts());
        if let Some(o) = ocio {
            let input = o.input.as_deref().unwrap_or(&o.working);
            let node = OcioTransform::spaces(&o.config, input, &o.working);
            nodes.push(labelled("input transform", Op::OcioTransform(node)));
        }
        if let Some(input) = self.input_space() {
            nodes.push(labelled("input transform", cst(input, self.working)));
        }
        if let Some((cdl, cdl_style)) = self.cdl {
            let p = Primaries { cdl, cdl_style, ..Primaries::default() };
            nodes.push(labelled("CDL", Op::Primaries(p)));
        }
        // The grade's wiring moves with it: its node numbers past the leading nodes, and "the
        // source" is the grade's input (after the input transform).
        let leading = nodes.len();
        nodes.extend(grade.nodes.iter().cloned().map(|mut n| {
            for input in &mut n.inputs {
                *input = match *input {
                    super::Input::Node(j) => super::Input::Node(j + leading),
                    super::Input::Source(_) if leading > 0 => super::Input::Node(leading - 1),
                    source => source,
                };
            }
            n.outside = n.outside.map(|o| o + leading);
            n
        }));
        if let Some(lut) = &self.lut {
            nodes.push(labelled("LUT", Op::Lut(lut.clone())));
        }
        if let Some(output) = self.output_space() {
            nodes.push(labelled("output transform", cst(self.working, output)));
        }
        if let Some(o) = ocio {
            let node = match &o.output {
                None => OcioTransform::spaces(&o.config, &o.working, &o.working),
                Some(OcioOutput::Space(to)) => OcioTransform::spaces(&o.config, &o.working, to),
                Some(OcioOutput::DisplayView { display, view }) => {
                    OcioTransform::display_view(&o.config, &o.working, display, view)
                }
            };
            nodes.push(labelled("output transform", Op::OcioTransform(node)));
        }
        Grade { nodes, ..grade.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ocio_pipeline_uses_the_config_names() {
        let ocio = OcioPipeline {
            config: "show.ocio".into(),
            input: Some("ARRI LogC3 (EI800)".into()),
            working: "ACEScct".into(),
            output: Some(OcioOutput::DisplayView {
                display: "sRGB - Display".into(),
                view: "ACES 2.0 - SDR 100 nits (Rec.709)".into(),
            }),
        };
        let pipeline = Pipeline { ocio: Some(ocio), ..Pipeline::default() };
        assert!(pipeline.converts());
        assert_eq!(pipeline.input_space(), None);
        let built = pipeline.build(&Grade::default());
        assert_eq!(pipeline.leading_nodes(), 1);
        assert_eq!(
            built.nodes[0].op,
            Op::OcioTransform(OcioTransform::spaces("show.ocio", "ARRI LogC3 (EI800)", "ACEScct"))
        );
        let Op::OcioTransform(out) = &built.nodes[1].op else { panic!("an OCIO output") };
        assert_eq!((out.from.as_str(), out.display.as_str()), ("ACEScct", "sRGB - Display"));
        assert_eq!(pipeline.describe_spaces()[2], "sRGB - Display / ACES 2.0 - SDR 100 nits (Rec.709)");
        // No input or output named: nothing converted.
        let idle = Pipeline {
            ocio: Some(OcioPipeline { input: None, output: None, ..pipeline.ocio.clone().unwrap() }),
            ..Pipeline::default()
        };
        assert!(idle.build(&Grade::default()).nodes.is_empty());
    }

    fn names(g: &Grade) -> Vec<&str> {
        g.nodes.iter().map(|n| n.label.as_str()).collect()
    }

    #[test]
    fn nothing_is_added_without_flags() {
        let grade = Grade::with_primaries(Primaries::default());
        assert_eq!(Pipeline::default().build(&grade), grade);
        assert_eq!(Pipeline::default().input_space(), None);
    }

    #[test]
    fn order_is_input_cdl_grade_lut_output() {
        let mut grade = Grade::with_primaries(Primaries::default());
        grade.nodes[0].label = "look".into();
        let pipeline = Pipeline {
            input: Some(ColorSpace::ArriLogC3Ei800),
            output: Some(ColorSpace::Rec709Display),
            cdl: Some((Cdl::default(), CdlStyle::Asc)),
            lut: Some(Lut::new("film.cube")),
            ..Pipeline::default()
        };
        let built = pipeline.build(&grade);
        assert_eq!(names(&built), ["input transform", "CDL", "look", "LUT", "output transform"]);
        assert_eq!(
            built.nodes[0].op,
            Op::ColorTransform(ColorTransform::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Acescct))
        );
        let Op::Primaries(cdl) = &built.nodes[1].op else { panic!("CDL is a primaries node") };
        assert_eq!(cdl.cdl_style, CdlStyle::Asc);
    }

    #[test]
    fn a_missing_space_is_the_working_space() {
        let only_output =
            Pipeline { output: Some(ColorSpace::SrgbDisplay), working: ColorSpace::Acescg, ..Pipeline::default() };
        assert_eq!(only_output.input_space(), Some(ColorSpace::Acescg));
        let built = only_output.build(&Grade::default());
        // The input transform is acescg → acescg: kept, but an identity that is never run.
        assert_eq!(built.nodes.len(), 2);
        assert_eq!(built.active_nodes().count(), 1);
    }
}
