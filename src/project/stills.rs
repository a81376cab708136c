//! The stills gallery: a graded frame kept with the grade that made it, to compare against in the viewer
//! and to apply to other shots. The image is a half-float EXR under `<project folder>/stills/`, so a
//! comparison sees the graded values, not a display quantisation of them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Project, ShotRef, media::resolve};
use crate::grade::Grade;
use crate::media::{self, Frame, LoadedImage, MediaError, SaveOptions};

/// Folder, relative to the project file, where grabbed stills are written.
pub const STILLS_DIR: &str = "stills";

/// A grabbed still: the graded frame and the grade that produced it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Still {
    /// Display name ("Still 3").
    pub name: String,
    /// Name of the shot it was grabbed from.
    pub shot: String,
    /// Name of the grade version it was grabbed from.
    #[serde(default)]
    pub version: String,
    /// Frame number within a sequence (none for a still shot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<u32>,
    /// The grade at the moment of the grab.
    pub grade: Grade,
    /// The graded image, relative to the project file when below it.
    pub image: PathBuf,
}

impl Still {
    /// The image path resolved against the project's folder.
    pub fn image_path(&self, root: &Path) -> PathBuf {
        resolve(root, &self.image)
    }

    /// Loads the graded image (for the viewer's comparison).
    pub fn load_image(&self, root: &Path) -> Result<LoadedImage, MediaError> {
        media::load(&self.image_path(root))
    }
}

impl Project {
    /// A still name not used yet: "Still N".
    pub fn next_still_name(&self) -> String {
        (self.stills.len() + 1..)
            .map(|n| format!("Still {n}"))
            .find(|n| !self.stills.iter().any(|s| &s.name == n))
            .expect("an unused name exists")
    }

    /// Writes `graded` (the graded frame of shot `r`, frame `frame` of a sequence) to
    /// `<root>/stills/` and returns the still to add to the project (with [`Project::stills`] or
    /// [`super::EditSession::add_still`]). Never replaces an existing file.
    pub fn grab_still(&self, root: &Path, r: ShotRef, frame: Option<u32>, graded: &Frame) -> Result<Still, MediaError> {
        let shot = self.shot(r).ok_or_else(|| MediaError::Io {
            path: root.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such shot"),
        })?;
        let name = self.next_still_name();
        let dir = root.join(STILLS_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| MediaError::Io { path: dir.clone(), source })?;
        let stem: String = format!("{}_{}", shot.name, name)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        // A file left by an earlier grab (or another project in the folder) is never replaced.
        let file = (1..)
            .map(|n| if n == 1 { format!("{stem}.exr") } else { format!("{stem}_{n}.exr") })
            .map(|f| dir.join(f))
            .find(|p| !p.exists())
            .expect("an unused file name exists");
        media::save(graded, &file, &SaveOptions { alpha: true, ..SaveOptions::default() })?;
        Ok(Still {
            name,
            shot: shot.name.clone(),
            version: shot.versions[shot.current_version.min(shot.versions.len() - 1)].name.clone(),
            frame,
            grade: shot.grade().clone(),
            image: PathBuf::from(STILLS_DIR).join(file.file_name().expect("has a name")),
        })
    }

    /// Replaces the current grade of shot `r` with still `index`'s grade. False when either is absent.
    pub fn apply_still(&mut self, index: usize, r: ShotRef) -> bool {
        let Some(grade) = self.stills.get(index).map(|s| s.grade.clone()) else {
            return false;
        };
        match self.shot_mut(r) {
            Some(shot) => {
                *shot.grade_mut() = grade;
                true
            }
            None => false,
        }
    }
}
