//! Shots from an edit: one shot per video event of a CMX3600 EDL, its media found in a folder by file
//! name, clip name or reel, and its `*ASC_SOP`/`*ASC_SAT` CDL as the first grade version.

use std::path::Path;

use super::media::{index_files, relative_to};
use super::{GradeVersion, Media, Project, Scene, Shot};
use crate::grade::Grade;
use crate::interchange::{Edl, EdlEvent};
use crate::media::FileFormat;
use crate::media::sequence::SequencePattern;
use crate::ops::primaries::Primaries;

/// Name of the grade version an EDL's CDL becomes.
pub const EDL_VERSION_NAME: &str = "v1 EDL";

/// A project made from an EDL and what happened to each event.
#[derive(Clone, Debug)]
pub struct EdlImport {
    /// The project: one scene holding a shot per imported event.
    pub project: Project,
    /// Events with no media found in the folder (the shot is created anyway): shot name, names tried.
    pub missing_media: Vec<(String, Vec<String>)>,
    /// Events not imported (black, audio-only), with the reason.
    pub skipped: Vec<String>,
    /// Other things worth telling (a CDL that could not be used).
    pub warnings: Vec<String>,
}

/// Builds a project from `edl`: media are searched for below `media_dir` and stored relative to
/// `project_dir` (the folder the project will be saved in) where they lie below it.
pub fn import_edl(edl: &Edl, name: &str, media_dir: &Path, project_dir: &Path) -> std::io::Result<EdlImport> {
    let index = index_files(media_dir)?;
    // Only image files count, as (lower-case name, folder, name) for case-insensitive matching.
    let images: Vec<(String, &Path, &str)> = index
        .iter()
        .filter(|(n, _)| FileFormat::from_path(Path::new(n)).is_ok())
        .flat_map(|(n, dirs)| dirs.iter().map(move |d| (n.to_lowercase(), d.as_path(), n.as_str())))
        .collect();
    let mut out =
        EdlImport { project: Project::new(name), missing_media: Vec::new(), skipped: Vec::new(), warnings: Vec::new() };
    let mut scene = Scene { name: edl.title.clone().unwrap_or_else(|| name.to_string()), shots: Vec::new() };
    for event in &edl.events {
        let label = event.clip_name.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| event.reel.clone());
        if matches!(event.reel.to_ascii_uppercase().as_str(), "BL" | "BLK" | "BLACK") {
            out.skipped.push(format!("event {:03}: black", event.number));
            continue;
        }
        if !event.track.to_ascii_uppercase().contains(['V', 'B']) {
            out.skipped.push(format!("event {:03} ({label}): audio only (track {})", event.number, event.track));
            continue;
        }
        let mut shot_name = format!("{:03} {label}", event.number);
        if scene.shots.iter().any(|s| s.name == shot_name) {
            shot_name = (2..)
                .map(|n| format!("{shot_name} ({n})"))
                .find(|n| !scene.shots.iter().any(|s| &s.name == n))
                .expect("free name");
        }
        let candidates = candidate_names(event);
        let mut media = candidates.iter().find_map(|c| find_media(&images, c));
        let frame_rate = clip_frames(&images, event, &mut media, &mut out.warnings, &label);
        let media = match media {
            Some(m) => m.rebased(Path::new(""), project_dir),
            None => {
                out.missing_media.push((shot_name.clone(), candidates.clone()));
                // Keep the best guess, so relinking by file name can find it later.
                Media::Still(relative_to(&media_dir.join(&candidates[0]), project_dir))
            }
        };
        let mut shot = Shot::new(shot_name.clone(), media);
        if let Some(fps) = frame_rate {
            shot.frame_rate = fps;
        }
        let mut grade = Grade::default();
        if let Some(cdl) = event.cdl {
            let primaries = Primaries { cdl, ..Primaries::default() };
            match primaries.validate() {
                Ok(()) => {
                    grade = Grade::with_primaries(primaries);
                    grade.nodes[0].label = "EDL CDL".into();
                }
                Err(e) => {
                    let msg =
                        format!("event {:03} ({label}): CDL not usable ({e}); the shot starts neutral", event.number);
                    shot.notes.push(msg.clone());
                    out.warnings.push(msg);
                }
            }
        }
        shot.versions = vec![GradeVersion { name: EDL_VERSION_NAME.into(), grade }];
        shot.notes.insert(
            0,
            format!(
                "EDL event {:03}: reel {}, source {}-{}, record {}-{}",
                event.number, event.reel, event.source_in, event.source_out, event.record_in, event.record_out
            ),
        );
        scene.shots.push(shot);
    }
    out.project.scenes.push(scene);
    Ok(out)
}

/// Names to look for, best first: files named in `* FROM CLIP:` / `* SOURCE FILE:` comments, the clip
/// name, the reel.
fn candidate_names(event: &EdlEvent) -> Vec<String> {
    let mut names = Vec::new();
    for comment in &event.comments {
        let body = comment.trim_start_matches('*').trim();
        let upper = body.to_ascii_uppercase();
        for key in ["FROM CLIP:", "SOURCE FILE:", "FROM FILE:"] {
            if let Some(rest) = upper.strip_prefix(key) {
                let value = body[body.len() - rest.len()..].trim();
                // Windows and Unix paths alike: only the file name can be found elsewhere.
                let file = value.rsplit(['/', '\\']).next().unwrap_or(value).trim();
                if !file.is_empty() {
                    names.push(file.to_string());
                    // The same frames in another format or padding: the sequence's name, the stem.
                    if let Some((p, _)) = SequencePattern::from_frame_file(Path::new(file)) {
                        names.push(p.prefix.trim_end_matches(['.', '_', '-']).to_string());
                    }
                }
            }
        }
    }
    names.extend(event.clip_name.clone().filter(|c| !c.is_empty()));
    names.push(event.reel.clone());
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| !n.is_empty() && seen.insert(n.to_lowercase()));
    names
}

/// The media `name` refers to: a file of that name, a file whose stem is that name, or a frame sequence
/// whose name before the frame number is that name (all case-insensitive).
fn find_media(images: &[(String, &Path, &str)], name: &str) -> Option<Media> {
    let wanted = name.to_lowercase();
    let found = |dir: &Path, file: &str| Media::detect(&dir.join(file)).ok();
    if let Some((_, dir, file)) = images.iter().filter(|(n, ..)| *n == wanted).min_by_key(|(_, d, f)| (*d, *f)) {
        return found(dir, file);
    }
    let stem = |n: &str| Path::new(n).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some((_, dir, file)) = images.iter().filter(|(n, ..)| stem(n) == wanted).min_by_key(|(_, d, f)| (*d, *f)) {
        return found(dir, file);
    }
    let sequence_name = |n: &str| {
        SequencePattern::from_frame_file(Path::new(n))
            .map(|(p, _)| p.prefix.trim_end_matches(['.', '_', '-']).to_string())
    };
    images
        .iter()
        .filter(|(n, ..)| sequence_name(n).as_deref() == Some(wanted.as_str()))
        .min_by_key(|(_, d, f)| (*d, *f))
        .and_then(|(_, dir, file)| found(dir, file))
}

/// For a clip: the event's frames of it (a clip found by its timecode when no name matched) and its
/// frame rate; `None` when the media is not a clip.
#[cfg(feature = "video")]
fn clip_frames(
    images: &[(String, &Path, &str)],
    event: &EdlEvent,
    media: &mut Option<Media>,
    warnings: &mut Vec<String>,
    label: &str,
) -> Option<f64> {
    if media.is_none() {
        *media = clip_by_timecode(images, event);
    }
    let Some(Media::Clip(clip)) = media else { return None };
    match clip_range(&clip.path, event) {
        Ok((first, last, fps)) => {
            (clip.first, clip.last) = (first, last);
            Some(fps)
        }
        Err(why) => {
            warnings.push(format!("event {:03} ({label}): {why}", event.number));
            None
        }
    }
}

#[cfg(not(feature = "video"))]
fn clip_frames(
    _: &[(String, &Path, &str)],
    _: &EdlEvent,
    _: &mut Option<Media>,
    _: &mut Vec<String>,
    _: &str,
) -> Option<f64> {
    None
}

/// The frames of a clip an event uses: its source in to out (exclusive), counted from the clip's
/// start timecode at the clip's rate; the whole clip, with a reason, when that cannot be told.
#[cfg(feature = "video")]
fn clip_range(path: &Path, event: &EdlEvent) -> Result<(u32, u32, f64), String> {
    use crate::interchange::Timecode;
    let info = crate::media::video::probe(path).map_err(|e| e.to_string())?;
    let fps = info.fps();
    let whole = Err(format!("{}: ", path.display()));
    let Some(start) = info.timecode.as_deref().and_then(|t| t.replace(';', ":").parse::<Timecode>().ok()) else {
        return whole.map_err(|w| w + "no start timecode; the shot takes the whole clip");
    };
    let frame = |tc: &Timecode| tc.to_frames(fps).map_err(|e| e.to_string());
    let (zero, tc_in, tc_out) = (frame(&start)?, frame(&event.source_in)?, frame(&event.source_out)?);
    let last_frame = u64::from(info.frames - 1);
    match (tc_in.checked_sub(zero), tc_out.checked_sub(zero + 1)) {
        (Some(first), Some(last)) if first <= last && last <= last_frame => Ok((first as u32, last as u32, fps)),
        _ => Err(format!(
            "{}: source {}-{} lies outside the clip ({start} + {} frames)",
            path.display(),
            event.source_in,
            event.source_out,
            info.frames
        )),
    }
}

/// A clip among `images` whose timecode span holds the event's source in (by name order when several).
#[cfg(feature = "video")]
fn clip_by_timecode(images: &[(String, &Path, &str)], event: &EdlEvent) -> Option<Media> {
    let mut clips: Vec<std::path::PathBuf> = images
        .iter()
        .filter(|(n, ..)| FileFormat::from_path(Path::new(n)).is_ok_and(FileFormat::is_video))
        .map(|(_, d, f)| d.join(f))
        .collect();
    clips.sort();
    clips
        .into_iter()
        .find(|p| clip_range(p, event).is_ok())
        .map(|path| Media::Clip(super::ClipMedia { path, first: 0, last: 0 }))
}

/// The project name an EDL gives when none is asked for: its file name without the extension.
pub fn default_project_name(edl_path: &Path) -> String {
    edl_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "EDL import".into())
}
