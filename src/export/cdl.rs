//! A shot's grade as an ASC CDL (ASC CDL v1.2): exact when the grade is a single CDL, else the CDL part
//! of it, reported so nobody takes it for the whole grade.

use std::path::Path;

use super::{ExportError, ExportReport, safe_file_name, write_text_file};
use crate::color::cdl::Cdl;
use crate::grade::Op;
use crate::interchange::{ColorCorrection, write_cc};
use crate::ops::primaries::Primaries;
use crate::project::{Project, Shot};

/// How much of a grade a CDL carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdlFidelity {
    /// The grade is exactly this CDL (or neutral).
    Exact,
    /// The grade does more than a CDL can say; only the CDL of its first node with one is exported.
    CdlOnly,
}

/// True when `p` does nothing but its CDL.
fn only_cdl(p: &Primaries) -> bool {
    Primaries { cdl: Cdl::default(), ..*p } == Primaries { cdl_style: p.cdl_style, ..Primaries::default() }
}

/// The CDL of `shot`'s current grade and how faithful it is.
pub fn shot_cdl(shot: &Shot) -> (Cdl, CdlFidelity) {
    let nodes: Vec<_> = shot.grade().active_nodes().collect();
    let mut first_cdl = None;
    let mut exact = nodes.len() <= 1;
    for node in &nodes {
        // Other ops (colour transforms, LUTs) have no CDL and make the CDL partial.
        let Op::Primaries(p) = &node.op else {
            exact = false;
            continue;
        };
        if !only_cdl(p) || node.mix != 1.0 {
            exact = false;
        }
        if first_cdl.is_none() && !p.cdl.is_identity() {
            first_cdl = Some(p.cdl);
        }
    }
    let fidelity = if exact { CdlFidelity::Exact } else { CdlFidelity::CdlOnly };
    (first_cdl.unwrap_or_default(), fidelity)
}

fn correction(shot: &Shot) -> ColorCorrection {
    let (cdl, _) = shot_cdl(shot);
    ColorCorrection {
        id: Some(shot.name.clone()),
        description: vec![format!("{} · {}", shot.version_name(), shot.status.label())],
        cdl,
    }
}

fn warning(shot: &Shot) -> Option<String> {
    (shot_cdl(shot).1 == CdlFidelity::CdlOnly)
        .then(|| format!("{}: the grade does more than a CDL; only its CDL is exported", shot.name))
}

/// One ColorCorrection per shot (id = shot name) for a `.ccc`, with a warning for each shot whose
/// grade is more than its CDL.
pub fn project_corrections(project: &Project) -> (Vec<ColorCorrection>, Vec<String>) {
    let shots: Vec<&Shot> = project.shots().map(|(_, s)| s).collect();
    (shots.iter().map(|s| correction(s)).collect(), shots.iter().filter_map(|s| warning(s)).collect())
}

/// Writes `<dir>/<shot>.cc` for every shot; the report's failures include partial CDLs as warnings
/// only through [`project_corrections`].
pub fn write_cdl_dir(project: &Project, dir: &Path, overwrite: bool) -> Result<ExportReport, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io { path: dir.to_path_buf(), source })?;
    let mut report = ExportReport::default();
    for (_, shot) in project.shots() {
        let path = dir.join(format!("{}.cc", safe_file_name(&shot.name)));
        let result = write_cc(&correction(shot))
            .map_err(ExportError::from)
            .and_then(|text| write_text_file(&path, &text, overwrite));
        match result {
            Ok(()) => report.written.push(path),
            Err(e) => report.failed.push((shot.name.clone(), e)),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{Grade, Node};

    #[test]
    fn a_lone_cdl_is_exact_and_anything_more_is_reported() {
        let cdl = Cdl { slope: [1.1, 1.0, 0.9], saturation: 0.8, ..Cdl::default() };
        let mut shot = Shot::new("a", "a.png");
        assert_eq!(shot_cdl(&shot), (Cdl::default(), CdlFidelity::Exact));
        *shot.grade_mut() = Grade::with_primaries(Primaries { cdl, ..Primaries::default() });
        assert_eq!(shot_cdl(&shot), (cdl, CdlFidelity::Exact));
        shot.grade_mut().nodes[0].mix = 0.5;
        assert_eq!(shot_cdl(&shot), (cdl, CdlFidelity::CdlOnly));
        *shot.grade_mut() = Grade::with_primaries(Primaries { cdl, saturation: 1.2, ..Primaries::default() });
        assert_eq!(shot_cdl(&shot), (cdl, CdlFidelity::CdlOnly));
        // A second node, even without a CDL of its own, is more than a CDL can say.
        *shot.grade_mut() = Grade::with_primaries(Primaries { cdl, ..Primaries::default() });
        shot.grade_mut().nodes.insert(0, Node::new(Op::Primaries(Primaries { exposure: 1.0, ..Primaries::default() })));
        assert_eq!(shot_cdl(&shot), (cdl, CdlFidelity::CdlOnly));
        // A disabled node does not count.
        shot.grade_mut().nodes[0].enabled = false;
        assert_eq!(shot_cdl(&shot), (cdl, CdlFidelity::Exact));
    }
}
