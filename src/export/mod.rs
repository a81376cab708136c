//! Exports for review: a graded still per shot with an optional burn-in, a contact sheet of every shot,
//! and the grades as ASC CDL (`.ccc` for the project, `.cc` per shot).
//!
//! Nothing here writes over an existing file unless asked, or over a shot's source media ever; files
//! are written to a temporary name, synced and renamed into place.

mod cdl;
mod contact_sheet;
#[cfg(feature = "video")]
pub mod movie;
pub mod text;

use std::path::{Path, PathBuf};

pub use cdl::{CdlFidelity, project_corrections, shot_cdl, write_cdl_dir};
pub use contact_sheet::{ContactSheetOptions, contact_sheet};

use crate::gpu::{GpuContext, GpuError, GpuFrame, bake, executor};
use crate::grade::Grade;
use crate::grade::pipeline::{OcioPipeline, Pipeline};
use crate::interchange::InterchangeError;
use crate::media::{self, FileFormat, Frame, MediaError, SaveOptions};
use crate::project::{Project, ProjectColor, Shot};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the source frame or writing the export failed.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The GPU could not grade the frame.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// A CDL could not be written.
    #[error(transparent)]
    Interchange(#[from] InterchangeError),
    /// A file or folder could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The export would replace a file the user did not ask to replace.
    #[error("{0}: already exists (pass --overwrite to replace it)")]
    WouldOverwrite(PathBuf),
    /// The export would replace a shot's source media.
    #[error("{0}: refusing to write over source media")]
    SourceMedia(PathBuf),
}

/// What renders and exports of `shot` run: its current grade between the shot's input transform
/// (`input_space` to the working space) and output transform (working space to `output_space`); just the
/// grade when the shot names neither. In a project with an OpenColorIO config (`color`), the config's
/// transforms instead (see [`shot_pipeline`]). `root` is the project's folder.
pub fn shot_grade(color: &ProjectColor, shot: &Shot, root: &Path) -> Grade {
    let mut grade = shot_pipeline(color, shot, root).build(shot.grade());
    // LUT paths in a project are relative to its folder.
    grade.resolve_paths(root);
    grade
}

/// The grade the viewer renders to preview `shot` on `device`: the shot's pipeline with the
/// device's signal as its output (the 1000-nit PQ master for the HDR devices), then the device's
/// emulation ([`crate::ops::device_preview`]). With Cinegrade's colour spaces it needs the shot's
/// input space (what its media is); in a project with an OpenColorIO config the signal is rendered
/// through the config's display and view for the device
/// ([`crate::ops::device_preview::ocio_display_view`]).
pub fn device_grade(
    color: &ProjectColor,
    shot: &Shot,
    root: &Path,
    device: crate::ops::device_preview::Device,
) -> Result<Grade, String> {
    use crate::ops::color_transform::ColorTransform;
    let mut grade = if let Some(config) = color.config(root) {
        // Through the config's display and view for the device (its signal), from the shot's
        // colour space and working space as its own renders use them.
        let config = config?;
        let mut pipeline = shot_pipeline(color, shot, root);
        let Some(ocio) = pipeline.ocio.as_mut() else {
            return Err("this project's OCIO pipeline could not be set up".into());
        };
        let (display, view) = device_display_view(color, shot, &config, device)?;
        ocio.output = Some(crate::grade::pipeline::OcioOutput::DisplayView { display, view });
        let mut grade = pipeline.build(shot.grade());
        grade.resolve_paths(root);
        grade
    } else if shot.input_space.is_none() && shot.output_space.is_none() {
        // Values as stored, shown as they are: the grade's output is what the screen shows, an sRGB
        // display signal; it is carried from there to the device's signal.
        let mut grade = shot_grade(color, shot, root);
        let srgb: crate::color::space::ColorSpace = "srgb-display".parse().expect("a built-in space");
        grade.nodes.push(crate::grade::Node::new(crate::grade::Op::ColorTransform(ColorTransform::new(
            srgb,
            device.signal_space(),
        ))));
        grade
    } else {
        if shot.input_space.is_none() {
            return Err(format!(
                "device previews need shot {:?}'s input space (what its media is encoded in): set Input in the Colour rows",
                shot.name
            ));
        }
        let mut pipeline = shot_pipeline(color, shot, root);
        pipeline.output = Some(device.signal_space());
        pipeline.peak_nits = device.render_peak().or(pipeline.peak_nits);
        let mut grade = pipeline.build(shot.grade());
        grade.resolve_paths(root);
        grade
    };
    grade.nodes.push(crate::grade::Node::new(crate::grade::Op::DevicePreview(
        crate::ops::device_preview::DevicePreview { device },
    )));
    Ok(grade)
}

/// The display and view of the project's config (`config`, read) `shot` is previewed through on
/// `device`: the project's choice for the device, else found in the config with the shot's view
/// (its own, else the project's) kept where it fits
/// ([`crate::ops::device_preview::ocio_display_view`]). Returns (display, view).
pub fn device_display_view(
    color: &ProjectColor,
    shot: &Shot,
    config: &crate::color::ocio::OcioConfig,
    device: crate::ops::device_preview::Device,
) -> Result<(String, String), String> {
    let shot_view = shot.ocio.view.as_deref().or(color.view.as_deref());
    crate::ops::device_preview::ocio_display_view(config, device, color.devices.get(&device), shot_view)
}

/// The colour pipeline a shot's spaces ask for (see [`Pipeline`]): its Cinegrade spaces, or in a
/// project with an OpenColorIO config, from the shot's colour space in the config (none: the working
/// space) to the working space, and on through the shot's (else the project's, else the config's
/// default) display and view. A config that cannot be read leaves the names unresolved; rendering
/// then reports the config's error.
pub fn shot_pipeline(color: &ProjectColor, shot: &Shot, root: &Path) -> Pipeline {
    if let Some(config) = &color.ocio_config {
        return Pipeline { ocio: Some(ocio_pipeline(color, config, shot, root)), ..Pipeline::default() };
    }
    let c = shot.color();
    Pipeline {
        input: c.input,
        working: c.working_space(),
        output: c.output,
        tone_map: c.tone_map,
        peak_nits: c.peak_nits,
        ..Pipeline::default()
    }
}

fn ocio_pipeline(color: &ProjectColor, config: &Path, shot: &Shot, root: &Path) -> OcioPipeline {
    use crate::grade::pipeline::OcioOutput;
    let path = crate::ops::ocio::resolve_config(config, root);
    let loaded = crate::ops::ocio::config(&path).ok();
    let working = color
        .working
        .clone()
        .or_else(|| loaded.as_ref().and_then(|c| c.default_working_space()))
        .unwrap_or_else(|| "color_timing".into());
    let display = shot.ocio.display.clone().or_else(|| color.display.clone());
    let display = display.or_else(|| loaded.as_ref().and_then(|c| c.default_display_view()).map(|(d, _)| d));
    let output = display.map(|display| {
        let view = shot.ocio.view.clone().or_else(|| color.view.clone());
        let view = view.or_else(|| loaded.as_ref().map(|c| c.default_view(&display))).unwrap_or_default();
        OcioOutput::DisplayView { display, view }
    });
    OcioPipeline { config: path, input: shot.ocio.input.clone(), working, output }
}

/// [`shot_grade`] applied on the GPU to frame `frame` of its media (its poster frame when `None`);
/// returns the graded frame and whether the source has alpha.
pub fn render_shot_frame(
    ctx: &GpuContext,
    color: &ProjectColor,
    root: &Path,
    shot: &Shot,
    frame: Option<u32>,
) -> Result<(Frame, bool), ExportError> {
    let source = match frame {
        Some(f) => shot.media.frame_source(root, f),
        None => shot.media.poster_source(root),
    };
    let loaded = source.load()?;
    let source = GpuFrame::upload(ctx, &loaded.frame)?;
    let graded = executor::apply_grade(ctx, &shot_grade(color, shot, root), &source)?;
    Ok((graded.download(ctx)?, loaded.info.has_alpha()))
}

/// The two burn-in captions for a shot: left "shot · version", right "status · frame".
pub fn burn_in_captions(shot: &Shot, frame: Option<u32>) -> (String, String) {
    let left = format!("{} · {}", shot.name, shot.version_name());
    let right = match frame {
        Some(f) => format!("{} · {f}", shot.status.label()),
        None => shot.status.label().to_string(),
    };
    (left, right)
}

/// Options for [`export_stills`].
#[derive(Clone, Debug)]
pub struct StillsOptions {
    /// Output format.
    pub format: FileFormat,
    /// Burn shot, version, status and frame number into the picture.
    pub burn_in: bool,
    /// Replace existing files.
    pub overwrite: bool,
}

/// What [`export_stills`] (and other per-shot exports) did.
#[derive(Debug, Default)]
pub struct ExportReport {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Shots that could not be exported, with why.
    pub failed: Vec<(String, ExportError)>,
}

/// A file-name-safe form of `name` (letters, digits, `-`, `_`, `.`; everything else `_`).
pub fn safe_file_name(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    s.trim_matches('.').to_string()
}

/// What a DPX export of `shot` declares: the transfer and colorimetric codes of its output space
/// (where it names a built-in one) and its frame rate.
pub fn dpx_tags(shot: &Shot) -> media::DpxTags {
    let tags = shot.output_space.map(|s| media::dpx::tags_for_space(s.name())).unwrap_or_default();
    media::DpxTags { frame_rate: Some(shot.frame_rate as f32), ..tags }
}

/// The file extension written for a format.
pub fn extension(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Png => "png",
        FileFormat::Jpeg => "jpg",
        FileFormat::Tiff => "tif",
        FileFormat::Exr => "exr",
        FileFormat::Dpx => "dpx",
        FileFormat::Video => "mov",
    }
}

/// Refuses `path` when it is the media of any shot in the project (only files that exist can be).
pub fn check_not_source(project: &Project, root: &Path, path: &Path) -> Result<(), ExportError> {
    let Ok(target) = path.canonicalize() else {
        return Ok(());
    };
    for (_, shot) in project.shots() {
        let is_source = match shot.media.pattern(root) {
            Some(p) => {
                p.dir.canonicalize().ok().as_deref() == target.parent()
                    && target.file_name().and_then(|n| n.to_str()).and_then(|n| p.match_file_name(n)).is_some()
            }
            None => shot.media_path(root).canonicalize().ok() == Some(target.clone()),
        };
        if is_source {
            return Err(ExportError::SourceMedia(path.to_path_buf()));
        }
    }
    Ok(())
}

/// Writes one graded still per shot (its poster frame: the still, or a sequence's first frame) into
/// `dir` as `<shot>_<version>.<ext>`, burning in captions when asked. A shot that fails is reported
/// and the others still export.
pub fn export_stills(
    ctx: &GpuContext,
    project: &Project,
    root: &Path,
    dir: &Path,
    options: &StillsOptions,
) -> Result<ExportReport, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io { path: dir.to_path_buf(), source })?;
    let mut report = ExportReport::default();
    for (_, shot) in project.shots() {
        let name = format!(
            "{}_{}.{}",
            safe_file_name(&shot.name),
            safe_file_name(shot.version_name()),
            extension(options.format)
        );
        let path = dir.join(name);
        match export_still(ctx, project, root, shot, &path, options) {
            Ok(()) => report.written.push(path),
            Err(e) => report.failed.push((shot.name.clone(), e)),
        }
    }
    Ok(report)
}

fn export_still(
    ctx: &GpuContext,
    project: &Project,
    root: &Path,
    shot: &Shot,
    path: &Path,
    options: &StillsOptions,
) -> Result<(), ExportError> {
    check_not_source(project, root, path)?;
    if !options.overwrite && path.exists() {
        return Err(ExportError::WouldOverwrite(path.to_path_buf()));
    }
    let frame_number = shot.media.range().map(|r| r.first);
    let (mut frame, alpha) = render_shot_frame(ctx, &project.color, root, shot, frame_number)?;
    if options.burn_in {
        let (left, right) = burn_in_captions(shot, frame_number);
        text::burn_in(&mut frame, &left, &right);
    }
    let save = SaveOptions { alpha, overwrite: options.overwrite, dpx_tags: dpx_tags(shot), ..SaveOptions::default() };
    media::save(&frame, path, &save)?;
    Ok(())
}

/// Writes `text` to `path` atomically (temporary file, fsync, rename); refuses an existing file unless
/// `overwrite`.
pub fn write_text_file(path: &Path, text: &str, overwrite: bool) -> Result<(), ExportError> {
    if !overwrite && path.exists() {
        return Err(ExportError::WouldOverwrite(path.to_path_buf()));
    }
    media::write_bytes_atomically(path, text.as_bytes())
        .map_err(|source| ExportError::Io { path: path.to_path_buf(), source })
}

/// Bakes every shot's [`shot_grade`] into `<dir>/<shot>.cube` (`size`³ points; with a 1D shaper when
/// the shot's input is scene-linear, see [`bake`]).
pub fn write_cube_dir(
    ctx: &GpuContext,
    project: &Project,
    root: &Path,
    dir: &Path,
    size: usize,
    overwrite: bool,
) -> Result<ExportReport, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io { path: dir.to_path_buf(), source })?;
    let mut report = ExportReport::default();
    for (_, shot) in project.shots() {
        let path = dir.join(format!("{}.cube", safe_file_name(&shot.name)));
        let pipeline = shot_pipeline(&project.color, shot, root);
        let input = pipeline.input_space();
        let [input_name, _, output_name] = pipeline.describe_spaces();
        let title = format!("{} {}, input {input_name}, output {output_name}", shot.name, shot.version_name());
        let result = if !overwrite && path.exists() {
            Err(ExportError::WouldOverwrite(path.clone()))
        } else {
            let mut grade = pipeline.build(shot.grade());
            grade.resolve_paths(root);
            bake::bake(ctx, &grade, input, size, &title)
                .map_err(ExportError::from)
                .and_then(|baked| Ok(baked.to_cube_string()?))
                .and_then(|text| write_text_file(&path, &text, overwrite))
        };
        match result {
            Ok(()) => report.written.push(path),
            Err(e) => report.failed.push((shot.name.clone(), e)),
        }
    }
    Ok(report)
}
