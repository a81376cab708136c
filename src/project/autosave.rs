//! Nothing lost: autosave beside the project file, and finding an autosave to recover after a crash.
//!
//! The autosave of `dir/P.cgproj` is `dir/.P.autosave.cgproj`: the same folder, so relative media
//! paths resolve the same way, and hidden. It is written with the same atomic save as the project
//! (temporary file, fsync, rename), so a crash during an autosave leaves the previous autosave intact.
//! A normal save makes the autosave stale; [`remove_autosave`] deletes it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Project, ProjectError};

/// How often the app should autosave a project with unsaved changes.
pub const AUTOSAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(180);

/// Where the autosave of `project_path` lives: `.<stem>.autosave.cgproj` in the same folder.
pub fn autosave_path(project_path: &Path) -> PathBuf {
    let stem = project_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    project_path.with_file_name(format!(".{stem}.autosave.cgproj"))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The autosave to offer after a crash: it exists and is newer than the project file (or the project
/// file is gone). Temporary files of an interrupted save are never offered.
pub fn recovery_candidate(project_path: &Path) -> Option<PathBuf> {
    let autosave = autosave_path(project_path);
    let saved = modified(&autosave)?;
    if !autosave.is_file() {
        return None;
    }
    match modified(project_path) {
        Some(project) if project >= saved => None,
        _ => Some(autosave),
    }
}

/// Deletes the autosave of `project_path` (after a normal save, or when recovery is declined).
pub fn remove_autosave(project_path: &Path) -> Result<(), ProjectError> {
    let path = autosave_path(project_path);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ProjectError::Io { path, source: e }),
        _ => Ok(()),
    }
}

impl Project {
    /// Writes the project to the autosave of `project_path` (atomically) and returns its path.
    pub fn autosave(&self, project_path: &Path) -> Result<PathBuf, ProjectError> {
        let path = autosave_path(project_path);
        self.save(&path)?;
        Ok(path)
    }

    /// Loads the autosave of `project_path`, to be saved over the project once the user accepts it.
    pub fn recover(project_path: &Path) -> Result<Project, ProjectError> {
        Project::load(&autosave_path(project_path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autosave_sits_beside_the_project_and_is_offered_only_when_newer() {
        let dir = std::env::temp_dir().join(format!("cinegrade-autosave-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let project_path = dir.join("show.cgproj");
        assert_eq!(autosave_path(&project_path), dir.join(".show.autosave.cgproj"));
        // Each file's time is set after it is written: the order is stated, not left to the file
        // system's timestamp resolution (a second on some).
        let t0 = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let stamp = |path: &Path, secs: u64| {
            let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            file.set_modified(t0 + std::time::Duration::from_secs(secs)).unwrap();
        };
        let mut p = Project::new("show");
        p.save(&project_path).unwrap();
        stamp(&project_path, 0);
        assert_eq!(recovery_candidate(&project_path), None);
        p.name = "show, edited".into();
        let auto = p.autosave(&project_path).unwrap();
        stamp(&auto, 10);
        assert_eq!(recovery_candidate(&project_path), Some(auto.clone()));
        assert_eq!(Project::recover(&project_path).unwrap().name, "show, edited");
        // An autosave as old as the project is not offered (nothing newer in it).
        stamp(&project_path, 10);
        assert_eq!(recovery_candidate(&project_path), None);
        // A later normal save makes the autosave stale.
        p.save(&project_path).unwrap();
        stamp(&project_path, 20);
        assert_eq!(recovery_candidate(&project_path), None);
        remove_autosave(&project_path).unwrap();
        assert!(!auto.exists());
        remove_autosave(&project_path).unwrap();
        // A project that was never saved but has an autosave is offered too.
        let fresh = dir.join("fresh.cgproj");
        p.autosave(&fresh).unwrap();
        assert!(recovery_candidate(&fresh).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
