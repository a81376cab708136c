//! The app's QC panel behind the UI: a QC run of the selected shot on a worker thread (the frames
//! graded and measured on the GPU exactly as `cinegrade qc` does, `qc::run`), its result recorded
//! in the project (one undo step), waivers, and jumping to a finding's frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::Workspace;
use crate::project::ShotRef;
use crate::project::qc::{QcRun, Waiver};
use crate::qc::{QcProfile, QcReport};

/// A QC run in progress.
pub struct QcJob {
    /// The shot it checks.
    pub shot: ShotRef,
    /// Frames done and in all.
    pub progress: (usize, usize),
    fingerprint: String,
    version: String,
    rx: Receiver<Message>,
    cancel: Arc<AtomicBool>,
}

enum Message {
    Progress(usize, usize),
    Done(Box<Result<QcReport, String>>),
}

/// The profiles the panel offers.
pub const PROFILES: [&str; 2] = ["ebu-r103", "netflix"];

impl Workspace {
    /// What QC depends on for `shot`: its grade, its colour pipeline and its media.
    pub fn qc_fingerprint(&self, r: ShotRef) -> Option<String> {
        let shot = self.session.project.shot(r)?;
        let root = &self.session.media_root;
        let grade = crate::export::shot_grade(&self.session.project.color, shot, root);
        Some(crate::project::qc::fingerprint(&(&grade, &shot.media)))
    }

    /// Starts a QC run of the selected shot against `profile` (one of [`PROFILES`]); a run already
    /// going is stopped first.
    pub fn start_qc(&mut self, profile: &str) {
        self.cancel_qc();
        let Some(r) = self.session.selected else { return };
        let Some(shot) = self.session.project.shot(r) else { return };
        let profile = match QcProfile::load(profile) {
            Ok(p) => p,
            Err(e) => return self.report_error(e),
        };
        let root = self.session.media_root.clone();
        let grade = crate::export::shot_grade(&self.session.project.color, shot, &root);
        let frames = shot.media.frame_sources(&root);
        let output = shot.output_space;
        let settings = match crate::qc::run::settings(&profile, output, None) {
            Ok(s) => s,
            Err(e) => return self.report_error(e),
        };
        let (fps, source) = (shot.frame_rate, format!("{} / {}", self.session.project.name, shot.name));
        let fingerprint = self.qc_fingerprint(r).unwrap_or_default();
        let version = shot.version_name().to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let (gpu, stop) = (self.gpu.clone(), cancel.clone());
        let total = frames.len();
        std::thread::spawn(move || {
            let job = crate::qc::run::Job {
                grade: &grade,
                frames: &frames,
                lead_in: None,
                output,
                settings: &settings,
                profile: &profile,
                fps,
                source,
                keep: None,
            };
            let result = crate::qc::run::check(&gpu, &job, &mut |done, total| {
                let _ = tx.send(Message::Progress(done, total));
                !stop.load(Ordering::Relaxed)
            });
            let _ = tx.send(Message::Done(Box::new(result.map(|(report, _)| report).map_err(|e| e.to_string()))));
        });
        self.qc_job = Some(QcJob { shot: r, progress: (0, total), fingerprint, version, rx, cancel });
    }

    /// Stops the QC run in progress (nothing is recorded).
    pub fn cancel_qc(&mut self) {
        if let Some(job) = self.qc_job.take() {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// The QC run in progress, if any.
    pub fn qc_job(&self) -> Option<&QcJob> {
        self.qc_job.as_ref()
    }

    /// Takes in what the QC worker sent; a finished run is recorded in its shot (one undo step).
    pub(super) fn poll_qc(&mut self) {
        let Some(job) = self.qc_job.as_mut() else { return };
        loop {
            match job.rx.try_recv() {
                Ok(Message::Progress(done, total)) => job.progress = (done, total),
                Ok(Message::Done(result)) => {
                    let job = self.qc_job.take().expect("polled above");
                    match *result {
                        Ok(report) => self.record_qc(&job, report),
                        Err(e) => self.report_error(format!("QC: {e}")),
                    }
                    return;
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.qc_job = None;
                    return self.report_error("QC: the worker stopped".into());
                }
            }
        }
    }

    fn record_qc(&mut self, job: &QcJob, report: QcReport) {
        let run = QcRun {
            profile: report.profile.clone(),
            version: job.version.clone(),
            fingerprint: job.fingerprint.clone(),
            checked_at: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            frames: report.frames.len() as u32,
            light_level: report.light_level,
            findings: report.findings,
        };
        let r = job.shot;
        self.session.end_interaction();
        self.session.edit("QC run", |p| {
            if let Some(s) = p.shot_mut(r) {
                s.qc.last = Some(run);
            }
        });
        if let Some(state) = self.qc_state(r) {
            self.info(&state.label());
        }
    }

    /// Where shot `r` stands in QC.
    pub fn qc_state(&self, r: ShotRef) -> Option<crate::project::qc::QcState> {
        let shot = self.session.project.shot(r)?;
        Some(shot.qc.state(&self.qc_fingerprint(r)?))
    }

    /// Finding `index` of the selected shot's last run, with the shot.
    fn selected_finding(&self, index: usize) -> Option<(ShotRef, crate::qc::Finding)> {
        let r = self.session.selected?;
        let finding = self.session.project.shot(r)?.qc.last.as_ref()?.findings.get(index)?.clone();
        Some((r, finding))
    }

    /// Waives finding `index` of the selected shot's last run with `note` (one undo step).
    pub fn waive_finding(&mut self, index: usize, note: &str) {
        let Some((r, finding)) = self.selected_finding(index) else { return };
        let note = if note.trim().is_empty() { "waived in review".to_string() } else { note.trim().to_string() };
        self.session.end_interaction();
        self.session.edit("waive QC finding", |p| {
            if let Some(s) = p.shot_mut(r)
                && s.qc.waiver(&finding).is_none()
            {
                s.qc.waivers.push(Waiver::of(&finding, note));
            }
        });
    }

    /// Removes the waivers covering finding `index` of the selected shot's last run (one undo step).
    pub fn unwaive_finding(&mut self, index: usize) {
        let Some((r, finding)) = self.selected_finding(index) else { return };
        self.session.end_interaction();
        self.session.edit("unwaive QC finding", |p| {
            if let Some(s) = p.shot_mut(r) {
                s.qc.waivers.retain(|w| !w.covers(&finding));
            }
        });
    }

    /// Shows finding `index` of the selected shot's last run: its first frame, with the overlay
    /// that shows what it found (the legal range for signal levels, the gamut warning for gamut).
    pub fn go_to_finding(&mut self, index: usize) {
        use crate::qc::Check;
        let Some((_, finding)) = self.selected_finding(index) else { return };
        match finding.check {
            Check::SignalLevel => self.viewing.overlay = super::OverlayChoice::Levels,
            Check::Gamut => self.viewing.overlay = super::OverlayChoice::Gamut,
            _ => {}
        }
        self.go_to_frame(finding.first_frame);
    }

    /// Shows `frame` of the selected shot (a finding's first frame), stopping playback there.
    pub fn go_to_frame(&mut self, frame: u32) {
        let range = self.session.selected.and_then(|r| self.session.project.shot(r)).and_then(|s| s.media.range());
        let Some(range) = range else { return };
        let frame = frame.clamp(range.first, range.last);
        if let Some(player) = self.player_mut() {
            player.pause();
            player.seek(frame);
        }
        self.frame = Some(frame);
    }
}

/// One finding as the QC panel lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct QcRow {
    /// "error signal-level 1001-1003 (00:00:41:17): 2.40 % of the picture outside ..."
    pub summary: String,
    /// Severity error (else a warning).
    pub error: bool,
    /// Its first frame (to jump to).
    pub frame: u32,
    /// The waiver's note, when waived.
    pub waived: Option<String>,
}

/// The selected shot's QC, as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct QcPanel {
    /// Where the shot stands.
    pub state: crate::project::qc::QcState,
    /// What the last run checked: profile, version, frames.
    pub run: Option<String>,
    /// MaxCLL / MaxFALL of the last run (PQ output).
    pub light: Option<String>,
    /// The last run's findings.
    pub rows: Vec<QcRow>,
    /// Frames done and in all, while a run of this shot goes.
    pub progress: Option<(usize, usize)>,
}

impl Workspace {
    /// The selected shot's QC for the panel.
    pub fn qc_panel(&self) -> Option<QcPanel> {
        let r = self.session.selected?;
        let shot = self.session.project.shot(r)?;
        let last = shot.qc.last.as_ref();
        let rows = last
            .map(|run| {
                run.findings
                    .iter()
                    .map(|f| {
                        let error = f.severity == crate::qc::Severity::Error;
                        let check = serde_json::to_value(f.check).ok().and_then(|v| v.as_str().map(String::from));
                        QcRow {
                            summary: format!(
                                "{} {} {}-{} ({}): {}",
                                if error { "error" } else { "warning" },
                                check.unwrap_or_default(),
                                f.first_frame,
                                f.last_frame,
                                f.timecode_in,
                                f.note
                            ),
                            error,
                            frame: f.first_frame,
                            waived: shot.qc.waiver(f).map(|w| w.note.clone()),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(QcPanel {
            state: self.qc_state(r)?,
            run: last.map(|l| format!("{} · {} · {} frame(s)", l.profile, l.version, l.frames)),
            light: last
                .and_then(|l| l.light_level)
                .map(|l| format!("MaxCLL {:.0} nits, MaxFALL {:.0} nits", l.max_cll, l.max_fall)),
            rows,
            progress: self.qc_job.as_ref().filter(|j| j.shot == r).map(|j| j.progress),
        })
    }
}
