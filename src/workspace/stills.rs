//! Stills in the workspace: grabbed from the viewer into the project's gallery (an EXR beside the
//! project) and the viewer's comparison reference; compared against, cleared, exported.

use std::path::{Path, PathBuf};

use super::{CompareMode, Workspace};
use crate::media;

impl Workspace {
    /// Where stills are written: beside the project, or a temporary folder for a project that was
    /// never saved (the bundled demo's folder is never written to).
    pub fn stills_root(&self) -> PathBuf {
        match &self.session.path {
            Some(_) => self.session.media_root.clone(),
            None => std::env::temp_dir().join(format!("cinegrade-unsaved-{}", std::process::id())),
        }
    }

    /// Grabs the graded frame as a still with its grade (into the project's stills gallery, its image
    /// written as EXR) and makes it the comparison reference.
    pub fn grab_still(&mut self) {
        let (Some(view), Some(sel)) = (self.shot_view.as_mut(), self.session.selected) else { return };
        if let Err(e) = view.viewer_mut().grab_still(&self.gpu) {
            self.report_error(e.to_string());
            return;
        }
        view.rendered = None;
        let graded = match view.viewer().graded().download(&self.gpu) {
            Ok(f) => f,
            Err(e) => {
                self.report_error(e.to_string());
                return;
            }
        };
        let root = self.stills_root();
        match self.session.project.grab_still(&root, sel, None, &graded) {
            Ok(still) => {
                let name = still.name.clone();
                self.session.add_still(still);
                if self.viewing.compare == CompareMode::Off {
                    self.viewing.compare = CompareMode::WipeVertical;
                }
                self.info(&format!("{name} grabbed: comparisons now show it as the reference"));
            }
            Err(e) => self.report_error(e.to_string()),
        }
    }

    /// Makes still `index` of the gallery the comparison reference.
    pub fn compare_with_still(&mut self, index: usize) {
        let root = self.stills_root();
        let Some(still) = self.session.project.stills.get(index) else { return };
        let result = still.load_image(&root).map_err(|e| e.to_string()).and_then(|img| {
            let view = self.shot_view.as_mut().ok_or("no shot is loaded")?;
            view.viewer_mut().set_still_frame(&self.gpu, &img.frame).map_err(|_| {
                format!("{} is {}x{}, not this shot's size", still.name, img.info.width, img.info.height)
            })?;
            view.rendered = None;
            Ok(())
        });
        match result {
            Ok(()) => {
                if self.viewing.compare == CompareMode::Off {
                    self.viewing.compare = CompareMode::WipeVertical;
                }
            }
            Err(e) => self.report_error(e),
        }
    }

    /// Compares with the ungraded source again.
    pub fn clear_still(&mut self) {
        if let Some(view) = self.shot_view.as_mut() {
            if let Err(e) = view.viewer_mut().clear_still(&self.gpu) {
                self.report_error(e.to_string());
                return;
            }
            view.rendered = None;
        }
    }

    /// Writes the graded frame of the selected shot to `path` (never over its source).
    pub fn export_still(&mut self, path: &Path) {
        let Some(view) = self.shot_view.as_ref() else { return };
        let options = media::SaveOptions { overwrite: true, ..Default::default() };
        let result = view.viewer().graded().download(&self.gpu).map_err(|e| e.to_string()).and_then(|f| {
            if path == view.media {
                return Err("refusing to write over the source frame".into());
            }
            media::save(&f, path, &options).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => self.info(&format!("Exported {}", path.display())),
            Err(e) => self.report_error(e),
        }
    }
}
