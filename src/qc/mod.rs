//! Quality control before release: per-frame measures on the GPU ([`analysis`]) and the findings a
//! platform's QC would raise from them, under a profile (EBU R103 by default), as a JSON report.
//!
//! Findings (see README "Quality control" for the JSON):
//! - `signal-level` (error): more than `level_area` of a frame's pixels outside `level_low..level_high`;
//! - `gamut` (error): more than `gamut_area` of a frame's pixels outside the target gamut;
//! - `black-frame` (warning): at least `black_ratio` of a frame's pixels black, for `black_min_frames`;
//! - `frozen-frame` (warning): frames that repeat (mean difference at most `freeze_noise`) for at
//!   least `freeze_min_seconds`;
//! - `black-level-shift` (warning): the darkest luma moves by more than `black_shift` from one frame to
//!   the next (neither frame black);
//! - `non-finite` (error): NaN or infinite samples; negative samples in a scene-referred deliverable
//!   (warning);
//! - `flash` (warning, indicative, not a certified PSE test): more than `flash_per_second` luminance
//!   flashes in a second, after ITU-R BT.1702 on the frame-average light the display gives (a flash
//!   is a pair of opposing changes of at least `flash_delta` cd/m2 whose darker end is below
//!   `flash_dark`), or of saturated-red flashes (the red area crossing `red_area` and back);
//! - `dead-pixel` (error): pixels that never change over the frames while their neighbours do
//!   ([`pixels`]), over a shot of at least two frames.
//!
//! Consecutive frames with the same finding are one finding (first and last frame, worst value).

pub mod analysis;
pub mod html;
pub mod overlay;
pub mod pixels;
pub mod run;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use analysis::{FrameMeasures, QcSettings};

/// What a QC run checks against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QcProfile {
    /// Name, shown in the report.
    pub name: String,
    /// Lowest legal value (0 = black).
    pub level_low: f32,
    /// Highest legal value (1 = white).
    pub level_high: f32,
    /// Fraction of a frame's pixels allowed outside the legal range.
    pub level_area: f64,
    /// Fraction of a frame's pixels allowed outside the target gamut.
    pub gamut_area: f64,
    /// Luma at or below which a pixel is black.
    pub black_pixel: f32,
    /// Fraction of black pixels that makes a frame black.
    pub black_ratio: f64,
    /// Frames of black before it is a finding.
    pub black_min_frames: u32,
    /// Mean difference at or below which a frame repeats the one before.
    pub freeze_noise: f64,
    /// Seconds a repeat must last to be a finding.
    pub freeze_min_seconds: f64,
    /// Change of the darkest luma between neighbouring frames that is a shift.
    pub black_shift: f32,
    /// Luminance change of a flash transition, cd/m2 (BT.1702: 20).
    pub flash_delta: f64,
    /// A transition's darker end must be below this, cd/m2 (BT.1702: 160).
    pub flash_dark: f64,
    /// Flashes allowed in any one second (BT.1702: 3).
    pub flash_per_second: u32,
    /// Share of the picture in saturated red that makes a red flash state (BT.1702: 25 %).
    pub red_area: f64,
}

impl Default for QcProfile {
    fn default() -> Self {
        Self::ebu_r103()
    }
}

impl QcProfile {
    /// EBU R103 (2020) signal levels: RGB within -5 % .. 105 %, 1 % of the area allowed outside;
    /// black pixels at luma 10 % (FFmpeg blackdetect), 98 % of them a black frame; a repeat of two
    /// seconds (FFmpeg freezedetect's noise 0.001 and duration); a black-level shift of 2 %.
    pub fn ebu_r103() -> Self {
        Self {
            name: "ebu-r103".into(),
            level_low: -0.05,
            level_high: 1.05,
            level_area: 0.01,
            gamut_area: 0.01,
            black_pixel: 0.10,
            black_ratio: 0.98,
            black_min_frames: 1,
            freeze_noise: 0.001,
            freeze_min_seconds: 2.0,
            black_shift: 0.02,
            flash_delta: 20.0,
            flash_dark: 160.0,
            flash_per_second: 3,
            red_area: 0.25,
        }
    }

    /// Streaming delivery (after Netflix's QC error codes for sub-blacks and super-whites): nothing
    /// below black or above white at all, no gamut excursion, a repeat of one second.
    pub fn netflix() -> Self {
        Self {
            name: "netflix".into(),
            level_low: 0.0,
            level_high: 1.0,
            level_area: 0.0,
            gamut_area: 0.0,
            freeze_min_seconds: 1.0,
            ..Self::ebu_r103()
        }
    }

    /// A built-in profile by name, or a JSON file of fields (the others from EBU R103).
    pub fn load(name: &str) -> Result<Self, String> {
        match name {
            "ebu-r103" => Ok(Self::ebu_r103()),
            "netflix" => Ok(Self::netflix()),
            path => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                let stem = Path::new(path).file_stem().map_or("custom".into(), |s| s.to_string_lossy().into_owned());
                Self::from_json(&text, path, &stem)
            }
        }
    }

    /// A profile from JSON text (fields not given from EBU R103); `file` names it in errors, `name`
    /// is used when the text names none.
    pub fn from_json(text: &str, file: &str, name: &str) -> Result<Self, String> {
        let mut p: QcProfile = serde_json::from_str(text).map_err(|e| format!("{file}:{}: {e}", e.line()))?;
        if p.name == Self::ebu_r103().name {
            p.name = name.to_string();
        }
        let unit = |v: f64| (0.0..=1.0).contains(&v);
        let ordered = p.level_low.partial_cmp(&p.level_high) == Some(std::cmp::Ordering::Less);
        let finite = [p.freeze_noise, p.freeze_min_seconds, p.flash_delta, p.flash_dark]
            .iter()
            .all(|v| v.is_finite() && *v >= 0.0)
            && [p.black_pixel, p.black_shift].iter().all(|v| v.is_finite());
        if !ordered
            || !unit(p.level_area)
            || !unit(p.gamut_area)
            || !unit(p.black_ratio)
            || !unit(p.red_area)
            || !finite
        {
            return Err(format!(
                "{file}: level_low must be below level_high, the areas and ratios within 0..1, the other limits finite and not negative"
            ));
        }
        Ok(p)
    }
}

/// Which check a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Values outside the legal range.
    SignalLevel,
    /// Pixels outside the target gamut.
    Gamut,
    /// Black frames.
    BlackFrame,
    /// Repeated frames.
    FrozenFrame,
    /// A sudden change of black level.
    BlackLevelShift,
    /// NaN, infinite or (scene-referred) negative samples.
    NonFinite,
    /// Flashes (photosensitive epilepsy, indicative).
    Flash,
    /// Pixels that never change while their neighbours do.
    DeadPixel,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth a look; does not fail the report.
    Warning,
    /// Fails the report.
    Error,
}

/// One finding over a run of frames.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check.
    pub check: Check,
    /// Its severity.
    pub severity: Severity,
    /// First frame.
    pub first_frame: u32,
    /// Last frame (inclusive).
    pub last_frame: u32,
    /// Timecode of the first frame.
    pub timecode_in: String,
    /// Timecode after the last frame (exclusive, as an EDL's out point).
    pub timecode_out: String,
    /// The worst value over the run (in the check's unit, see `note`).
    pub value: f64,
    /// The profile's limit for it.
    pub limit: f64,
    /// What was found, in words.
    pub note: String,
}

/// MaxCLL and MaxFALL (CTA-861.3) of a PQ programme.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LightLevel {
    /// Brightest pixel's max(R,G,B) over the programme, nits.
    pub max_cll: f64,
    /// Highest frame average of per-pixel max(R,G,B), nits.
    pub max_fall: f64,
}

/// A QC report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QcReport {
    /// No finding of severity error.
    pub pass: bool,
    /// The profile checked against.
    pub profile: String,
    /// What was checked (the source, and the shot when a project's).
    pub source: String,
    /// Frame rate the timecodes count at.
    pub frame_rate: f64,
    /// Light levels, for PQ output.
    pub light_level: Option<LightLevel>,
    /// Every frame's measures.
    pub frames: Vec<FrameMeasures>,
    /// The findings.
    pub findings: Vec<Finding>,
    /// The profile's values, so that `qc merge` judges joined chunks by the same limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_values: Option<QcProfile>,
    /// The deliverable was judged scene-referred (negative values are findings).
    #[serde(default)]
    pub scene_referred: bool,
    /// The stuck-pixel search over these frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stuck_pixels: Option<pixels::StuckPixels>,
}

fn timecode(frame: u32, fps: f64) -> String {
    crate::interchange::Timecode::from_frames(u64::from(frame), fps, false)
        .map_or_else(|_| String::new(), |t| t.to_string())
}

/// Runs of consecutive frames (by index) where `value` gives `Some`: each run's first and last index
/// and its largest value.
fn runs(frames: &[FrameMeasures], value: impl Fn(usize, &FrameMeasures) -> Option<f64>) -> Vec<(usize, usize, f64)> {
    let mut out: Vec<(usize, usize, f64)> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let Some(v) = value(i, f) else { continue };
        match out.last_mut() {
            Some(run) if run.1 + 1 == i && frames[run.1].frame.checked_add(1) == Some(f.frame) => {
                run.1 = i;
                run.2 = run.2.max(v);
            }
            _ => out.push((i, i, v)),
        }
    }
    out
}

/// The findings `frames` raise under `profile`; `scene_referred` when the deliverable is
/// scene-referred (negative values are then findings).
pub fn findings(frames: &[FrameMeasures], profile: &QcProfile, fps: f64, scene_referred: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |check, severity, (a, b, value): (usize, usize, f64), limit: f64, note: String| {
        let (first, last) = (frames[a].frame, frames[b].frame);
        out.push(Finding {
            check,
            severity,
            first_frame: first,
            last_frame: last,
            timecode_in: timecode(first, fps),
            timecode_out: timecode(last.saturating_add(1), fps),
            value,
            limit,
            note,
        });
    };
    let fraction = |n: u64, f: &FrameMeasures| n as f64 / f.pixels.max(1) as f64;
    let is_black = |f: &FrameMeasures| fraction(f.black, f) >= profile.black_ratio;
    for run in runs(frames, |_, f| {
        let out_of_range = fraction(f.below + f.above, f);
        (out_of_range > profile.level_area).then_some(out_of_range * 100.0)
    }) {
        let worst = &frames[run.0..=run.1];
        let lowest = worst.iter().filter_map(|f| f.lowest).fold(f32::INFINITY, f32::min);
        let highest = worst.iter().filter_map(|f| f.highest).fold(f32::NEG_INFINITY, f32::max);
        let note = format!(
            "{:.2} % of the picture outside {:.0} %..{:.0} % (lowest {:.1} %, highest {:.1} %)",
            run.2,
            profile.level_low * 100.0,
            profile.level_high * 100.0,
            lowest * 100.0,
            highest * 100.0
        );
        push(Check::SignalLevel, Severity::Error, run, profile.level_area * 100.0, note);
    }
    for run in runs(frames, |_, f| {
        let outside = fraction(f.out_of_gamut?, f);
        (outside > profile.gamut_area).then_some(outside * 100.0)
    }) {
        let note = format!("{:.2} % of the picture outside the target gamut", run.2);
        push(Check::Gamut, Severity::Error, run, profile.gamut_area * 100.0, note);
    }
    for run in runs(frames, |_, f| is_black(f).then(|| fraction(f.black, f) * 100.0)) {
        if (run.1 - run.0 + 1) as u32 >= profile.black_min_frames.max(1) {
            let note =
                format!("{} black frame(s) (luma at most {:.0} %)", run.1 - run.0 + 1, profile.black_pixel * 100.0);
            push(Check::BlackFrame, Severity::Warning, run, profile.black_ratio * 100.0, note);
        }
    }
    // A frame that repeats the one before: the run starts at the frame it repeats.
    let min_frames = (profile.freeze_min_seconds * fps).ceil().max(2.0) as usize;
    for (a, b, _) in runs(frames, |_, f| f.difference.filter(|d| *d <= profile.freeze_noise)) {
        let start = a.saturating_sub(1);
        if b - start + 1 >= min_frames {
            let worst = frames[a..=b].iter().filter_map(|f| f.difference).fold(0.0, f64::max);
            let note = format!("{} identical frames ({:.2} s)", b - start + 1, (b - start + 1) as f64 / fps);
            push(Check::FrozenFrame, Severity::Warning, (start, b, worst), profile.freeze_noise, note);
        }
    }
    for i in 1..frames.len() {
        let (p, f) = (&frames[i - 1], &frames[i]);
        let (Some(a), Some(b)) = (p.min_luma, f.min_luma) else { continue };
        let shift = (b - a).abs();
        if shift > profile.black_shift && !is_black(p) && !is_black(f) && p.frame.checked_add(1) == Some(f.frame) {
            let note = format!("darkest luma {:.1} % to {:.1} %", a * 100.0, b * 100.0);
            push(
                Check::BlackLevelShift,
                Severity::Warning,
                (i - 1, i, f64::from(shift) * 100.0),
                f64::from(profile.black_shift) * 100.0,
                note,
            );
        }
    }
    for run in runs(frames, |_, f| (f.non_finite > 0).then_some(f.non_finite as f64)) {
        push(
            Check::NonFinite,
            Severity::Error,
            run,
            0.0,
            format!("up to {} pixel(s) with NaN or infinite values", run.2),
        );
    }
    if scene_referred {
        for run in runs(frames, |_, f| (f.negative > 0).then_some(f.negative as f64)) {
            let note = format!("up to {} pixel(s) with negative values in a scene-referred deliverable", run.2);
            push(Check::NonFinite, Severity::Warning, run, 0.0, note);
        }
    }
    for (what, series) in
        [("luminance", luminance_flashes(frames, profile)), ("saturated-red", red_flashes(frames, profile))]
    {
        for run in flash_runs(&series, profile, fps) {
            let note = format!(
                "{} {what} flashes in a second (more than {}); indicative, after ITU-R BT.1702, not a certified test",
                run.2, profile.flash_per_second
            );
            push(Check::Flash, Severity::Warning, run, f64::from(profile.flash_per_second), note);
        }
    }
    out.sort_by_key(|f| (f.first_frame, f.check as u8));
    out
}

/// The frames (indices) where a luminance flash completes: a pair of opposing transitions (monotonic
/// runs of the frame-average luminance) of at least `flash_delta`, each with its darker end below
/// `flash_dark`.
fn luminance_flashes(frames: &[FrameMeasures], profile: &QcProfile) -> Vec<usize> {
    let lum: Vec<Option<f64>> = frames.iter().map(|f| f.luminance).collect();
    let mut ends = Vec::new();
    let mut last_counted: Option<(bool, usize)> = None; // direction (up) of the last counted transition
    let mut start = 0;
    let mut i = 1;
    while i < lum.len() {
        let (Some(a), Some(b)) = (lum[i - 1], lum[i]) else {
            start = i;
            i += 1;
            continue;
        };
        if a == b {
            start = i;
            i += 1;
            continue;
        }
        // Follow the run while it keeps its direction.
        let up = b > a;
        let mut end = i;
        while end + 1 < lum.len() && lum[end + 1].zip(lum[end]).is_some_and(|(n, c)| if up { n > c } else { n < c }) {
            end += 1;
        }
        let (from, to) = (lum[start].unwrap_or(a), lum[end].unwrap_or(b));
        if (to - from).abs() >= profile.flash_delta && from.min(to) < profile.flash_dark {
            match last_counted {
                Some((dir, _)) if dir != up => {
                    ends.push(end);
                    last_counted = None;
                }
                _ => last_counted = Some((up, end)),
            }
        }
        start = end;
        i = end + 1;
    }
    ends
}

/// The frames (indices) where a saturated-red flash completes: the red area crossing `red_area` one
/// way and then back.
fn red_flashes(frames: &[FrameMeasures], profile: &QcProfile) -> Vec<usize> {
    let state = |f: &FrameMeasures| f.red.map(|r| r as f64 / f.pixels.max(1) as f64 >= profile.red_area);
    let mut ends = Vec::new();
    let mut crossed = false;
    for i in 1..frames.len() {
        if let (Some(a), Some(b)) = (state(&frames[i - 1]), state(&frames[i]))
            && a != b
        {
            if crossed {
                ends.push(i);
            }
            crossed = !crossed;
        }
    }
    ends
}

/// Runs of frames (first index, last index, flashes) where a one-second window holds more than
/// `flash_per_second` of the flashes ending at `ends`.
fn flash_runs(ends: &[usize], profile: &QcProfile, fps: f64) -> Vec<(usize, usize, f64)> {
    // At most a million frames a second (a report may hold any number): no overflow below.
    let window = fps.round().clamp(1.0, 1e6) as usize;
    let mut out: Vec<(usize, usize, f64)> = Vec::new();
    for (k, &end) in ends.iter().enumerate() {
        let inside = ends[..=k].iter().filter(|&&e| e + window > end).count();
        if inside > profile.flash_per_second as usize {
            let first = end.saturating_sub(window - 1);
            match out.last_mut() {
                Some(run) if first <= run.1 + 1 => {
                    run.1 = end;
                    run.2 = run.2.max(inside as f64);
                }
                _ => out.push((first, end, inside as f64)),
            }
        }
    }
    out
}

/// The report of `frames` (in order) under `profile`, with the stuck pixels found over them.
pub fn report(
    frames: Vec<FrameMeasures>,
    stuck: Option<&pixels::StuckPixels>,
    profile: &QcProfile,
    fps: f64,
    scene_referred: bool,
    source: String,
) -> QcReport {
    let mut findings = findings(&frames, profile, fps, scene_referred);
    if let (Some(s), Some(first), Some(last)) = (stuck.filter(|s| s.count > 0), frames.first(), frames.last()) {
        let shown: Vec<String> = s.positions.iter().take(8).map(|p| format!("({}, {})", p[0], p[1])).collect();
        let more = if s.count > shown.len() as u64 {
            format!(" and {} more", s.count - shown.len() as u64)
        } else {
            String::new()
        };
        findings.push(Finding {
            check: Check::DeadPixel,
            severity: Severity::Error,
            first_frame: first.frame,
            last_frame: last.frame,
            timecode_in: timecode(first.frame, fps),
            timecode_out: timecode(last.frame.saturating_add(1), fps),
            value: s.count as f64,
            limit: 0.0,
            note: format!(
                "{} pixel(s) unchanged over {} frames while their neighbours change: {}{more}",
                s.count,
                s.frames,
                shown.join(", ")
            ),
        });
    }
    let light_level = frames.iter().any(|f| f.max_nits.is_some()).then(|| LightLevel {
        max_cll: frames.iter().filter_map(|f| f.max_nits).fold(0.0, |m, v| m.max(f64::from(v))),
        max_fall: frames.iter().filter_map(|f| f.average_nits).fold(0.0, f64::max),
    });
    QcReport {
        pass: !findings.iter().any(|f| f.severity == Severity::Error),
        profile: profile.name.clone(),
        source,
        frame_rate: fps,
        light_level,
        frames,
        findings,
        profile_values: Some(profile.clone()),
        scene_referred,
        stuck_pixels: stuck.cloned(),
    }
}

/// The QC report of a whole project: each shot's report, in edit order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectQcReport {
    /// Every shot passes.
    pub pass: bool,
    /// The project's name.
    pub project: String,
    /// The profile checked against.
    pub profile: String,
    /// Each shot's report.
    pub shots: Vec<ShotReport>,
}

/// One shot's report within a project's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShotReport {
    /// The shot's name.
    pub shot: String,
    /// Its report.
    pub report: QcReport,
}

/// Why chunk reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No reports were given.
    #[error("no reports to merge")]
    Empty,
    /// A report was written before reports carried their profile's values.
    #[error("{0}: the report does not hold its profile's values; write it again with this version's `cinegrade qc`")]
    NoProfile(String),
    /// Two reports disagree on what they checked or how.
    #[error("{file} {what} {theirs}, {first} {ours}: chunks of one programme are checked alike")]
    Mismatch {
        /// The report that disagrees.
        file: String,
        /// The first report.
        first: String,
        /// What differs ("checks", "uses profile", ...).
        what: &'static str,
        /// Its value.
        theirs: String,
        /// The first report's value.
        ours: String,
    },
    /// A report's values cannot be a QC run's.
    #[error("{file}: {what}")]
    Invalid {
        /// The report.
        file: String,
        /// What is wrong.
        what: String,
    },
    /// Two reports measured the same frame.
    #[error("frame {frame} is in both {a} and {b}: chunks must not overlap")]
    Overlap {
        /// The frame.
        frame: u32,
        /// One report.
        a: String,
        /// The other.
        b: String,
    },
}

/// Joins the reports of chunks of one programme (each named, for errors, by its file) into the
/// programme's report: every frame's measures in frame order, the findings found again over them
/// all (so a run of black or frozen frames across a chunk edge is one finding), MaxCLL and MaxFALL
/// over every chunk, and stuck pixels those stuck in every chunk.
pub fn merge(reports: Vec<(String, QcReport)>) -> Result<QcReport, MergeError> {
    for (file, r) in &reports {
        if !(r.frame_rate.is_finite() && r.frame_rate > 0.0 && r.frame_rate <= 1000.0) {
            return Err(MergeError::Invalid {
                file: file.clone(),
                what: format!("frame rate {} (must be 0 to 1000)", r.frame_rate),
            });
        }
    }
    let mut iter = reports.into_iter();
    let (first_name, first) = iter.next().ok_or(MergeError::Empty)?;
    let profile = first.profile_values.clone().ok_or_else(|| MergeError::NoProfile(first_name.clone()))?;
    let mut owner: std::collections::BTreeMap<u32, String> = std::collections::BTreeMap::new();
    let mut frames = Vec::new();
    let mut stuck = first.stuck_pixels.clone();
    let mismatch = |file: &str, what, theirs: String, ours: String| MergeError::Mismatch {
        file: file.to_string(),
        first: first_name.clone(),
        what,
        theirs,
        ours,
    };
    let mut add = |name: &str, report: QcReport| -> Result<(), MergeError> {
        for f in report.frames {
            if let Some(other) = owner.insert(f.frame, name.to_string()) {
                return Err(MergeError::Overlap { frame: f.frame, a: other, b: name.to_string() });
            }
            frames.push(f);
        }
        Ok(())
    };
    let (source, fps, scene_referred) = (first.source.clone(), first.frame_rate, first.scene_referred);
    add(&first_name, first)?;
    for (name, report) in iter {
        if report.source != source {
            return Err(mismatch(&name, "checks", report.source, source));
        }
        if report.profile_values.as_ref() != Some(&profile) {
            let theirs = report
                .profile_values
                .as_ref()
                .map_or_else(|| "no profile values".into(), |p| format!("profile {}", p.name));
            return Err(mismatch(&name, "uses", theirs, format!("profile {} (its values)", profile.name)));
        }
        if report.frame_rate != fps {
            return Err(mismatch(&name, "counts at", format!("{} fps", report.frame_rate), format!("{fps} fps")));
        }
        if report.scene_referred != scene_referred {
            return Err(mismatch(
                &name,
                "judges scene-referred",
                report.scene_referred.to_string(),
                scene_referred.to_string(),
            ));
        }
        stuck = match (stuck, &report.stuck_pixels) {
            (Some(a), Some(b)) => Some(pixels::StuckPixels::in_both(&a, b)),
            _ => None,
        };
        add(&name, report)?;
    }
    frames.sort_by_key(|f| f.frame);
    Ok(report(frames, stuck.as_ref(), &profile, fps, scene_referred, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u32, black: u64, below: u64, difference: Option<f64>, min_luma: f32) -> FrameMeasures {
        FrameMeasures {
            frame: n,
            pixels: 100,
            black,
            below,
            difference,
            min_luma: Some(min_luma),
            lowest: Some(0.0),
            highest: Some(1.0),
            ..Default::default()
        }
    }

    #[test]
    fn consecutive_frames_make_one_finding_with_timecodes() {
        let p = QcProfile::ebu_r103();
        let frames: Vec<_> = (0..10)
            .map(|n| match n {
                2..=4 => frame(n, 99, 0, Some(0.5), 0.0),
                6 | 7 => frame(n, 0, 5, Some(0.5), 0.1),
                _ => frame(n, 0, 0, Some(0.5), 0.1),
            })
            .collect();
        let f = findings(&frames, &p, 24.0, false);
        let black: Vec<_> = f.iter().filter(|f| f.check == Check::BlackFrame).collect();
        assert_eq!((black.len(), black[0].first_frame, black[0].last_frame), (1, 2, 4));
        assert_eq!((black[0].timecode_in.as_str(), black[0].timecode_out.as_str()), ("00:00:00:02", "00:00:00:05"));
        let level: Vec<_> = f.iter().filter(|f| f.check == Check::SignalLevel).collect();
        assert_eq!((level.len(), level[0].first_frame, level[0].last_frame, level[0].value), (1, 6, 7, 5.0));
        assert_eq!(level[0].severity, Severity::Error);
        // 0.1 -> 0.0 -> 0.1 around the black run is not a shift (black frames are excluded).
        assert!(!f.iter().any(|f| f.check == Check::BlackLevelShift), "{f:?}");
    }

    #[test]
    fn a_repeat_is_frozen_only_when_it_lasts() {
        let p = QcProfile { freeze_min_seconds: 0.25, ..QcProfile::ebu_r103() };
        // Frames 3..=8 repeat frame 2: 7 identical frames at 24 fps = 0.29 s >= 0.25 s.
        let frames: Vec<_> =
            (0..12).map(|n| frame(n, 0, 0, Some(if (3..=8).contains(&n) { 0.0 } else { 0.3 }), 0.1)).collect();
        let f = findings(&frames, &p, 24.0, false);
        let frozen: Vec<_> = f.iter().filter(|f| f.check == Check::FrozenFrame).collect();
        assert_eq!((frozen.len(), frozen[0].first_frame, frozen[0].last_frame), (1, 2, 8));
        let p = QcProfile { freeze_min_seconds: 1.0, ..p };
        assert!(!findings(&frames, &p, 24.0, false).iter().any(|f| f.check == Check::FrozenFrame));
    }
}
