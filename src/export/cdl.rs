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
    /// The grade changes over the shot (keyframes or tracks): the CDL is its state on `frame`, the
    /// shot's first (exact there when `exact`, else only its CDL part, as [`CdlFidelity::CdlOnly`]).
    Animated {
        /// The frame the grade was evaluated on.
        frame: u32,
        /// The grade on that frame is exactly this CDL.
        exact: bool,
    },
}

/// The frame an animated shot's CDL is taken on: its first (a still's only frame, 0).
pub fn cdl_frame(shot: &Shot) -> u32 {
    shot.media.range().map_or(0, |r| r.first)
}

/// True when `p` does nothing but its CDL.
fn only_cdl(p: &Primaries) -> bool {
    Primaries { cdl: Cdl::default(), ..*p } == Primaries { cdl_style: p.cdl_style, ..Primaries::default() }
}

/// The CDL of `shot`'s current grade and how faithful it is. An animated grade gives its CDL on the
/// shot's first frame ([`cdl_frame`]), whatever frame the panels last showed.
pub fn shot_cdl(shot: &Shot) -> (Cdl, CdlFidelity) {
    let frame = cdl_frame(shot);
    let grade = shot.grade().at_frame(frame);
    let nodes: Vec<_> = grade.active_nodes().collect();
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
    let fidelity = match (shot.grade().is_animated(), exact) {
        (true, exact) => CdlFidelity::Animated { frame, exact },
        (false, true) => CdlFidelity::Exact,
        (false, false) => CdlFidelity::CdlOnly,
    };
    (first_cdl.unwrap_or_default(), fidelity)
}

fn correction(shot: &Shot) -> ColorCorrection {
    let (cdl, fidelity) = shot_cdl(shot);
    let mut description = vec![format!("{} · {}", shot.version_name(), shot.status.label())];
    if let CdlFidelity::Animated { frame, .. } = fidelity {
        description.push(format!("an animated grade on frame {frame}"));
    }
    ColorCorrection { id: Some(shot.name.clone()), description, cdl }
}

fn warning(shot: &Shot) -> Option<String> {
    let more = "the grade does more than a CDL; only its CDL is exported";
    match shot_cdl(shot).1 {
        CdlFidelity::Exact => None,
        CdlFidelity::CdlOnly => Some(format!("{}: {more}", shot.name)),
        CdlFidelity::Animated { frame, exact } => Some(format!(
            "{}: the grade changes over the shot; its state on frame {frame} (the shot's first) is exported{}",
            shot.name,
            if exact { "" } else { ", and it does more than a CDL: only its CDL" }
        )),
    }
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

    /// An animated grade's CDL is its state on the shot's first frame, not the state the panels last
    /// left in the node, and the export says so.
    #[test]
    fn an_animated_grade_exports_its_first_frames_cdl() {
        use crate::grade::keyframes::{Interpolation, Keyframe};
        use crate::project::{Media, SequenceMedia};
        let at = |slope: f32| Primaries { cdl: Cdl { slope: [slope; 3], ..Cdl::default() }, ..Primaries::default() };
        let media = Media::Sequence(SequenceMedia { pattern: "plate.####.exr".into(), first: 1001, last: 1048 });
        let mut shot = Shot::new("anim", media);
        let mut node = Node::new(Op::Primaries(at(1.5)));
        node.keyframes = vec![
            Keyframe::of(&Node::new(Op::Primaries(at(1.2))), 1001, Interpolation::Linear),
            Keyframe::of(&Node::new(Op::Primaries(at(1.8))), 1048, Interpolation::Linear),
        ];
        // The panels showed frame 1030 last: the node's own state is that frame's.
        node = node.at_frame(1030);
        *shot.grade_mut() = Grade { nodes: vec![node], ..Grade::default() };
        let (exported, fidelity) = shot_cdl(&shot);
        assert_eq!(fidelity, CdlFidelity::Animated { frame: 1001, exact: true });
        assert_eq!(exported.slope, [1.2; 3]);
        let warning = warning(&shot).unwrap();
        assert!(warning.contains("frame 1001") && !warning.contains("only its CDL"), "{warning}");
        assert!(correction(&shot).description.iter().any(|d| d.contains("animated grade on frame 1001")));
        // The frozen grade holds that state and nothing animated.
        let frozen = shot.grade().frozen_at(1048);
        assert!(!frozen.is_animated());
        let Op::Primaries(p) = &frozen.nodes[0].op else { unreachable!() };
        assert_eq!(p.cdl.slope, [1.8; 3]);
    }
}
