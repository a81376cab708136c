//! An editing session over a project: the selected shot, undo/redo of every edit, and the grade
//! clipboard. Holds no UI types, so the app stays a thin layer and all of this is unit-tested.

use std::path::PathBuf;

use super::{Project, ShotStatus};
use crate::grade::Grade;

/// Indices of a shot in a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ShotRef {
    /// Scene index.
    pub scene: usize,
    /// Shot index within the scene.
    pub shot: usize,
}

/// One undoable change: the project as it was before.
#[derive(Clone, Debug)]
struct Snapshot {
    project: Project,
    selected: Option<ShotRef>,
    what: String,
}

/// How many edits undo remembers.
pub const UNDO_DEPTH: usize = 500;

/// A project being edited.
#[derive(Debug)]
pub struct EditSession {
    /// The project.
    pub project: Project,
    /// Where it is saved (None for a new or bundled project: saving asks where).
    pub path: Option<PathBuf>,
    /// Folder that relative media paths resolve against.
    pub media_root: PathBuf,
    /// The shot being graded.
    pub selected: Option<ShotRef>,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    clipboard: Option<Grade>,
    dirty: bool,
    open_edit: Option<String>,
}

impl EditSession {
    /// Starts a session on `project`, selecting its first shot.
    pub fn new(project: Project, path: Option<PathBuf>, media_root: PathBuf) -> Self {
        let selected = project.shots().next().map(|(r, _)| r);
        Self {
            project,
            path,
            media_root,
            selected,
            undo: Vec::new(),
            redo: Vec::new(),
            clipboard: None,
            dirty: false,
            open_edit: None,
        }
    }

    /// True when there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Marks the project saved.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.dirty = false;
    }

    /// The grade of the selected shot.
    pub fn grade(&self) -> Option<&Grade> {
        self.project.shot(self.selected?).map(|s| s.grade())
    }

    fn snapshot(&self, what: &str) -> Snapshot {
        Snapshot { project: self.project.clone(), selected: self.selected, what: what.to_string() }
    }

    fn push_undo(&mut self, what: &str) {
        self.undo.push(self.snapshot(what));
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.dirty = true;
    }

    /// Applies `f` to the project as one undoable step named `what`.
    pub fn edit(&mut self, what: &str, f: impl FnOnce(&mut Project)) {
        let before = self.project.clone();
        f(&mut self.project);
        if self.project != before {
            self.undo.push(Snapshot { project: before, selected: self.selected, what: what.to_string() });
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.redo.clear();
            self.dirty = true;
        }
    }

    /// Sets the selected shot's colour management as one undo step named `what`; an invalid one is
    /// refused (the message says why) and changes nothing.
    pub fn set_shot_color(&mut self, what: &str, color: super::ShotColor) -> Result<(), String> {
        let Some(r) = self.selected else { return Err("no shot selected".into()) };
        color.validate()?;
        self.end_interaction();
        self.edit(what, |p| {
            if let Some(s) = p.shot_mut(r) {
                // Validated above: cannot fail.
                let _ = s.set_color(color);
            }
        });
        Ok(())
    }

    /// Replaces shot `r`'s notes (one per line; blank lines dropped, ends trimmed) as one undo step.
    pub fn set_notes(&mut self, r: ShotRef, text: &str) {
        let notes: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        self.end_interaction();
        self.edit("notes", |p| {
            if let Some(s) = p.shot_mut(r) {
                s.notes = notes;
            }
        });
    }

    /// Renames version `index` of shot `r` as one undo step; an empty name, or one another version
    /// of the shot has, is refused and changes nothing.
    pub fn rename_version(&mut self, r: ShotRef, index: usize, name: &str) -> Result<(), String> {
        let name = name.trim();
        let shot = self.project.shot(r).ok_or("no such shot")?;
        if index >= shot.versions.len() {
            return Err(format!("the shot has no version {}", index + 1));
        }
        if name.is_empty() {
            return Err("a version needs a name".into());
        }
        if shot.versions.iter().enumerate().any(|(i, v)| i != index && v.name == name) {
            return Err(format!("the shot already has a version named {name:?}"));
        }
        self.end_interaction();
        self.edit("rename version", |p| {
            if let Some(s) = p.shot_mut(r) {
                s.versions[index].name = name.to_string();
            }
        });
        Ok(())
    }

    /// Sets the project's OpenColorIO setting as one undo step named `what`; one its config refuses
    /// (a config that cannot be read, names it lacks) changes nothing and says why.
    pub fn set_project_color(&mut self, what: &str, color: super::ProjectColor) -> Result<(), String> {
        color.validate(&self.media_root)?;
        self.end_interaction();
        self.edit(what, |p| p.color = color);
        Ok(())
    }

    /// Sets the selected shot's colour spaces in the project's OpenColorIO config as one undo step.
    pub fn set_shot_ocio(&mut self, what: &str, ocio: super::ShotOcio) -> Result<(), String> {
        let Some(r) = self.selected else { return Err("no shot selected".into()) };
        ocio.validate(&self.project.color, &self.media_root)?;
        self.end_interaction();
        self.edit(what, |p| {
            if let Some(s) = p.shot_mut(r) {
                s.ocio = ocio;
            }
        });
        Ok(())
    }

    /// Replaces the selected shot's grade. Consecutive calls inside one interaction (a slider drag)
    /// with the same `what` merge into one undo step until [`EditSession::end_interaction`].
    pub fn set_grade(&mut self, what: &str, grade: Grade) {
        let Some(r) = self.selected else { return };
        if self.project.shot(r).map(|s| s.grade()) == Some(&grade) {
            return;
        }
        if self.open_edit.as_deref() != Some(what) {
            self.push_undo(what);
            self.open_edit = Some(what.to_string());
        }
        self.dirty = true;
        if let Some(shot) = self.project.shot_mut(r) {
            *shot.grade_mut() = grade;
            if shot.status == ShotStatus::NotStarted {
                shot.status = ShotStatus::InProgress;
            }
        }
    }

    /// True while an interaction (a drag, typing into a field) is changing the grade.
    pub fn in_interaction(&self) -> bool {
        self.open_edit.is_some()
    }

    /// Ends the current interaction: the next grade change starts a new undo step.
    pub fn end_interaction(&mut self) {
        self.open_edit = None;
    }

    /// Undoes the last step; returns what it was.
    pub fn undo(&mut self) -> Option<String> {
        self.end_interaction();
        let snap = self.undo.pop()?;
        let what = snap.what.clone();
        self.redo.push(self.snapshot(&what));
        self.project = snap.project;
        self.selected = snap.selected;
        self.dirty = true;
        Some(what)
    }

    /// Redoes the last undone step; returns what it was.
    pub fn redo(&mut self) -> Option<String> {
        self.end_interaction();
        let snap = self.redo.pop()?;
        let what = snap.what.clone();
        self.undo.push(self.snapshot(&what));
        self.project = snap.project;
        self.selected = snap.selected;
        self.dirty = true;
        Some(what)
    }

    /// Names of the steps undo and redo would take, if any.
    pub fn undo_redo_names(&self) -> (Option<&str>, Option<&str>) {
        (self.undo.last().map(|s| s.what.as_str()), self.redo.last().map(|s| s.what.as_str()))
    }

    /// Copies the selected shot's grade.
    pub fn copy_grade(&mut self) -> bool {
        self.clipboard = self.grade().cloned();
        self.clipboard.is_some()
    }

    /// Pastes the copied grade onto the selected shot (one undo step).
    pub fn paste_grade(&mut self) -> bool {
        let Some(grade) = self.clipboard.clone() else {
            return false;
        };
        self.end_interaction();
        self.set_grade("paste grade", grade);
        self.end_interaction();
        true
    }

    /// Adds a grabbed still (see [`Project::grab_still`]) to the gallery (one undo step).
    pub fn add_still(&mut self, still: super::Still) {
        self.end_interaction();
        self.edit("grab still", |p| p.stills.push(still));
    }

    /// Applies still `index`'s grade to the selected shot (one undo step). False when there is no
    /// such still or no selection.
    pub fn apply_still(&mut self, index: usize) -> bool {
        let (Some(r), Some(grade)) = (self.selected, self.project.stills.get(index).map(|s| s.grade.clone())) else {
            return false;
        };
        self.end_interaction();
        self.set_grade("apply still", grade);
        self.end_interaction();
        self.project.shot(r).is_some()
    }

    /// Removes still `index` from the gallery (one undo step; its image file is kept, so undo works).
    pub fn remove_still(&mut self, index: usize) {
        self.end_interaction();
        self.edit("delete still", |p| {
            if index < p.stills.len() {
                p.stills.remove(index);
            }
        });
    }

    /// Selects a shot (not an undoable edit).
    pub fn select(&mut self, r: ShotRef) {
        if self.project.shot(r).is_some() {
            self.end_interaction();
            self.selected = Some(r);
        }
    }

    /// Selects the shot `delta` places after the current one in project order (clamped).
    pub fn step_shot(&mut self, delta: isize) {
        let all: Vec<ShotRef> = self.project.shots().map(|(r, _)| r).collect();
        if all.is_empty() {
            return;
        }
        let at = self.selected.and_then(|s| all.iter().position(|r| *r == s)).unwrap_or(0) as isize;
        let next = (at + delta).clamp(0, all.len() as isize - 1) as usize;
        self.select(all[next]);
    }
}

#[cfg(test)]
mod notes_and_versions_tests {
    use super::*;
    use crate::project::{Scene, Shot};

    fn session() -> EditSession {
        let mut p = Project::new("p");
        p.scenes.push(Scene { name: "a".into(), shots: vec![Shot::new("one", "1.png")] });
        EditSession::new(p, None, PathBuf::from("."))
    }

    #[test]
    fn notes_and_version_names_are_edited_with_undo() {
        let mut s = session();
        let r = ShotRef { scene: 0, shot: 0 };
        s.set_notes(r, "  warmer skin \n\nkeep the sky\n");
        assert_eq!(s.project.shot(r).unwrap().notes, ["warmer skin", "keep the sky"]);
        s.rename_version(r, 0, " client v1 ").unwrap();
        assert_eq!(s.project.shot(r).unwrap().versions[0].name, "client v1");
        assert!(s.rename_version(r, 0, "  ").is_err());
        s.project
            .shot_mut(r)
            .unwrap()
            .versions
            .push(crate::project::GradeVersion { name: "v2".into(), grade: Grade::default() });
        assert!(s.rename_version(r, 0, "v2").unwrap_err().contains("already"));
        assert!(s.rename_version(r, 5, "x").is_err());
        assert_eq!(s.undo().as_deref(), Some("rename version"));
        assert_eq!(s.project.shot(r).unwrap().versions[0].name, "v1");
        assert_eq!(s.undo().as_deref(), Some("notes"));
        assert!(s.project.shot(r).unwrap().notes.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::primaries::Primaries;
    use crate::project::{Scene, Shot};

    fn session() -> EditSession {
        let mut p = Project::new("t");
        p.scenes.push(Scene { name: "a".into(), shots: vec![Shot::new("one", "1.png"), Shot::new("two", "2.png")] });
        EditSession::new(p, None, PathBuf::from("."))
    }

    fn exposure(e: f32) -> Grade {
        Grade::with_primaries(Primaries { exposure: e, ..Primaries::default() })
    }

    #[test]
    fn a_drag_is_one_undo_step_and_redo_restores_it() {
        let mut s = session();
        for e in [0.1, 0.2, 0.3] {
            s.set_grade("exposure", exposure(e));
        }
        s.end_interaction();
        s.set_grade("saturation", exposure(0.5));
        assert_eq!(s.grade(), Some(&exposure(0.5)));
        assert_eq!(s.undo().as_deref(), Some("saturation"));
        assert_eq!(s.grade(), Some(&exposure(0.3)));
        assert_eq!(s.undo().as_deref(), Some("exposure"));
        assert_eq!(s.grade(), Some(&Grade::default()));
        assert_eq!(s.undo(), None);
        s.redo();
        assert_eq!(s.grade(), Some(&exposure(0.3)));
        assert!(s.is_dirty());
    }

    #[test]
    fn copy_paste_moves_a_grade_between_shots() {
        let mut s = session();
        s.set_grade("exposure", exposure(1.0));
        assert!(s.copy_grade());
        s.step_shot(1);
        assert_eq!(s.selected, Some(ShotRef { scene: 0, shot: 1 }));
        assert!(s.paste_grade());
        assert_eq!(s.grade(), Some(&exposure(1.0)));
        assert_eq!(s.project.shot(ShotRef { scene: 0, shot: 1 }).unwrap().status, ShotStatus::InProgress);
        s.undo();
        assert_eq!(s.grade(), Some(&Grade::default()));
    }

    #[test]
    fn stills_are_added_applied_and_removed_as_undo_steps() {
        let mut s = session();
        s.set_grade("exposure", exposure(0.7));
        s.end_interaction();
        let still = crate::project::Still {
            name: "Still 1".into(),
            shot: "one".into(),
            version: "v1".into(),
            frame: None,
            grade: exposure(0.7),
            image: "stills/one.exr".into(),
        };
        s.add_still(still);
        assert_eq!(s.project.stills.len(), 1);
        s.step_shot(1);
        assert!(s.apply_still(0));
        assert_eq!(s.grade(), Some(&exposure(0.7)));
        assert!(!s.apply_still(5));
        assert_eq!(s.undo().as_deref(), Some("apply still"));
        assert_eq!(s.grade(), Some(&Grade::default()));
        s.remove_still(0);
        assert!(s.project.stills.is_empty());
        assert_eq!(s.undo().as_deref(), Some("delete still"));
        assert_eq!(s.project.stills.len(), 1);
    }

    #[test]
    fn stepping_stays_inside_the_project() {
        let mut s = session();
        s.step_shot(-1);
        assert_eq!(s.selected, Some(ShotRef { scene: 0, shot: 0 }));
        s.step_shot(5);
        assert_eq!(s.selected, Some(ShotRef { scene: 0, shot: 1 }));
    }
}
