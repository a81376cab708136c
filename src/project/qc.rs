//! A shot's quality control in the project: its last QC run (what was checked, against which
//! profile, what was found) and the findings the supervisor waived, which outlive re-runs. Plain
//! data: the app runs QC (`qc::run`) and records it here.

use serde::{Deserialize, Serialize};

use crate::qc::{Check, Finding, LightLevel, Severity};

/// A shot's QC record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShotQc {
    /// The last run, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<QcRun>,
    /// Findings accepted as they are, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

/// One QC run of a shot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QcRun {
    /// The profile checked against.
    pub profile: String,
    /// The grade version checked, by name.
    pub version: String,
    /// [`fingerprint`] of what was checked: a later edit makes the run stale.
    pub fingerprint: String,
    /// When, in seconds since 1970 (UTC).
    pub checked_at: u64,
    /// Frames measured.
    pub frames: u32,
    /// MaxCLL and MaxFALL, for PQ output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub light_level: Option<LightLevel>,
    /// What it found.
    pub findings: Vec<Finding>,
}

/// A finding accepted: every finding of `check` within `first_frame..=last_frame`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The check.
    pub check: Check,
    /// First frame covered.
    pub first_frame: u32,
    /// Last frame covered.
    pub last_frame: u32,
    /// Why it is accepted.
    pub note: String,
}

impl Waiver {
    /// The waiver of `finding`, with `note`.
    pub fn of(finding: &Finding, note: impl Into<String>) -> Self {
        Self {
            check: finding.check,
            first_frame: finding.first_frame,
            last_frame: finding.last_frame,
            note: note.into(),
        }
    }

    /// Whether it covers `finding`.
    pub fn covers(&self, finding: &Finding) -> bool {
        self.check == finding.check && self.first_frame <= finding.first_frame && finding.last_frame <= self.last_frame
    }
}

/// Where a shot stands in QC, for the project panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QcState {
    /// Never checked.
    NotChecked,
    /// Checked, but the grade or colour pipeline changed since.
    Stale,
    /// No error left (`waived` of them accepted).
    Pass {
        /// Findings of severity error that are waived.
        waived: usize,
    },
    /// Errors not waived.
    Fail {
        /// How many.
        errors: usize,
    },
}

impl QcState {
    /// Short text for the project panel.
    pub fn label(self) -> String {
        match self {
            Self::NotChecked => "QC not run".into(),
            Self::Stale => "QC stale".into(),
            Self::Pass { waived: 0 } => "QC pass".into(),
            Self::Pass { waived } => format!("QC pass ({waived} waived)"),
            Self::Fail { errors } => format!("QC fail ({errors})"),
        }
    }
}

impl ShotQc {
    /// Nothing recorded.
    pub fn is_empty(&self) -> bool {
        self.last.is_none() && self.waivers.is_empty()
    }

    /// The waiver covering `finding`, if any.
    pub fn waiver(&self, finding: &Finding) -> Option<&Waiver> {
        self.waivers.iter().find(|w| w.covers(finding))
    }

    /// Where the shot stands, its current [`fingerprint`] being `now`.
    pub fn state(&self, now: &str) -> QcState {
        let Some(run) = &self.last else { return QcState::NotChecked };
        if run.fingerprint != now {
            return QcState::Stale;
        }
        let errors: Vec<&Finding> = run.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        let waived = errors.iter().filter(|f| self.waiver(f).is_some()).count();
        if waived == errors.len() { QcState::Pass { waived } } else { QcState::Fail { errors: errors.len() - waived } }
    }
}

/// A stable fingerprint of what a QC run depends on (FNV-1a 64 of its JSON, in hex): the same text
/// on every machine and build, unlike the standard library's hasher.
pub fn fingerprint(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).expect("project data serialises");
    format!("{:016x}", fnv1a64(text.as_bytes()))
}

/// FNV-1a, 64 bits.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(check: Check, severity: Severity, first: u32, last: u32) -> Finding {
        Finding {
            check,
            severity,
            first_frame: first,
            last_frame: last,
            timecode_in: String::new(),
            timecode_out: String::new(),
            value: 1.0,
            limit: 0.0,
            note: String::new(),
        }
    }

    #[test]
    fn waivers_decide_the_state_and_edits_make_it_stale() {
        let levels = finding(Check::SignalLevel, Severity::Error, 1001, 1003);
        let frozen = finding(Check::FrozenFrame, Severity::Warning, 1010, 1020);
        let mut qc = ShotQc::default();
        assert_eq!(qc.state("a"), QcState::NotChecked);
        qc.last = Some(QcRun {
            profile: "ebu-r103".into(),
            version: "v1".into(),
            fingerprint: "a".into(),
            checked_at: 0,
            frames: 20,
            light_level: None,
            findings: vec![levels.clone(), frozen.clone()],
        });
        assert_eq!(qc.state("a"), QcState::Fail { errors: 1 });
        assert_eq!(qc.state("b"), QcState::Stale);
        // A waiver of another check, or of fewer frames, does not cover it.
        qc.waivers.push(Waiver { check: Check::Gamut, first_frame: 0, last_frame: 9999, note: String::new() });
        qc.waivers.push(Waiver { check: Check::SignalLevel, first_frame: 1002, last_frame: 1003, note: String::new() });
        assert_eq!(qc.state("a"), QcState::Fail { errors: 1 });
        qc.waivers.push(Waiver::of(&levels, "super-white in the practical, approved"));
        assert_eq!(qc.state("a"), QcState::Pass { waived: 1 });
        assert_eq!(qc.state("a").label(), "QC pass (1 waived)");
        assert!(qc.waiver(&frozen).is_none());
    }

    #[test]
    fn the_fingerprint_is_fnv1a_of_the_json() {
        // The published FNV-1a 64 test vectors (Fowler, Noll, Vo: "FNV hash" test suite).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fingerprint(&"a"), format!("{:016x}", fnv1a64(b"\"a\"")));
        assert_ne!(fingerprint(&1), fingerprint(&2));
    }
}
