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
        let media = candidates.iter().find_map(|c| find_media(&images, c));
        let media = match media {
            Some(m) => m.rebased(Path::new(""), project_dir),
            None => {
                out.missing_media.push((shot_name.clone(), candidates.clone()));
                // Keep the best guess, so relinking by file name can find it later.
                Media::Still(relative_to(&media_dir.join(&candidates[0]), project_dir))
            }
        };
        let mut shot = Shot::new(shot_name.clone(), media);
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

/// The project name an EDL gives when none is asked for: its file name without the extension.
pub fn default_project_name(edl_path: &Path) -> String {
    edl_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "EDL import".into())
}
