//! Review movies: a shot's frames graded on the GPU, in order, into one ProRes or H.264 movie with
//! the colour tags of its output encoding ([`crate::media::movie`]); one movie a shot for a project.

use std::path::{Path, PathBuf};

use super::{
    ExportError, ExportReport, burn_in_captions, check_not_source, safe_file_name, shot_grade, shot_pipeline, text,
};
use crate::gpu::{GpuContext, executor};
use crate::grade::Grade;
use crate::media::FrameSource;
use crate::media::movie::{MovieCodec, MovieTags, MovieWriter};
use crate::project::{Project, Shot};

/// How to write a review movie.
#[derive(Clone, Copy, Debug)]
pub struct MovieOptions {
    /// Codec.
    pub codec: MovieCodec,
    /// Burn shot, version, status and frame number into the picture.
    pub burn_in: bool,
    /// Replace an existing movie.
    pub overwrite: bool,
}

/// The frames of a movie: each frame's number (what the grade and the burn-in see) and source.
pub type MovieFrames = Vec<(u32, FrameSource)>;

/// Grades `frames` through `grade` into the movie `path` at `fps`, tagged for `output_space` (a
/// built-in display space's name; BT.709 when `None`). `captions` gives each frame's burn-in;
/// `on_frame` is called after each frame is encoded.
#[allow(clippy::too_many_arguments)]
pub fn render_movie(
    ctx: &GpuContext,
    grade: &Grade,
    frames: &[(u32, FrameSource)],
    fps: f64,
    output_space: Option<&str>,
    path: &Path,
    options: &MovieOptions,
    captions: Option<&dyn Fn(u32) -> (String, String)>,
    on_frame: &dyn Fn(u32),
) -> Result<PathBuf, ExportError> {
    if !options.overwrite && path.exists() {
        return Err(ExportError::WouldOverwrite(path.to_path_buf()));
    }
    let mut writer: Option<MovieWriter> = None;
    for (number, source) in frames {
        let uploaded = crate::gpu::yuv::upload_decoded(ctx, &source.decode(Vec::new())?)?;
        let mut frame = executor::apply_grade_frame(ctx, grade, *number, &uploaded)?.download(ctx)?;
        if let Some(captions) = captions {
            let (left, right) = captions(*number);
            text::burn_in(&mut frame, &left, &right);
        }
        if writer.is_none() {
            let tags = MovieTags::for_space(output_space);
            writer = Some(MovieWriter::create(path, frame.width, frame.height, fps, options.codec, tags)?);
        }
        writer.as_mut().expect("created above").write(&frame)?;
        on_frame(*number);
    }
    match writer {
        Some(w) => Ok(w.finish()?),
        None => Err(ExportError::Media(crate::media::MediaError::Encode {
            path: path.to_path_buf(),
            format: "movie",
            message: "no frames to write".into(),
        })),
    }
}

/// The built-in output space a shot's movie is tagged with (`None`: not a built-in display space).
pub fn shot_output_space(project: &Project, shot: &Shot, root: &Path) -> Option<&'static str> {
    shot_pipeline(&project.color, shot, root).output_space().map(|s| s.name())
}

/// One review movie per shot into `dir`, named `<shot>_<version>.mov`, with its current grade.
pub fn export_movies(
    ctx: &GpuContext,
    project: &Project,
    root: &Path,
    dir: &Path,
    options: &MovieOptions,
) -> Result<ExportReport, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io { path: dir.to_path_buf(), source })?;
    let mut report = ExportReport::default();
    for (_, shot) in project.shots() {
        let name = format!("{}_{}.mov", safe_file_name(&shot.name), safe_file_name(shot.version_name()));
        let path = dir.join(name);
        let result = check_not_source(project, root, &path).and_then(|()| {
            let grade = shot_grade(&project.color, shot, root);
            let captions = |f: u32| burn_in_captions(shot, shot.media.range().map(|_| f));
            let captions: Option<&dyn Fn(u32) -> (String, String)> =
                if options.burn_in { Some(&captions) } else { None };
            let frames = shot.media.frame_sources(root);
            let space = shot_output_space(project, shot, root);
            render_movie(ctx, &grade, &frames, shot.frame_rate, space, &path, options, captions, &|_| {})
        });
        match result {
            Ok(p) => report.written.push(p),
            Err(e) => report.failed.push((shot.name.clone(), e)),
        }
    }
    Ok(report)
}
