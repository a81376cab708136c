//! SMPTE timecode as EDLs write it (SMPTE ST 12-1): `HH:MM:SS:FF`, drop-frame `HH:MM:SS;FF`.
//!
//! Drop-frame counting (ST 12-1, 29.97 and 59.94 fps) skips labels 0 and 1 (0 to 3 at 59.94) at the
//! start of every minute except minutes divisible by ten, so labels keep pace with wall-clock time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{InterchangeError, Result};

/// A timecode label; `drop_frame` marks drop-frame counting (written with `;` before the frames).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timecode {
    /// Hours, 0..=23.
    pub hours: u8,
    /// Minutes, 0..=59.
    pub minutes: u8,
    /// Seconds, 0..=59.
    pub seconds: u8,
    /// Frames, below the frame rate (at most 59).
    pub frames: u8,
    /// Drop-frame counting (29.97 or 59.94 fps).
    pub drop_frame: bool,
}

/// Nominal (integer) rate and labels dropped per minute for a frame rate, checked for `tc`.
fn rate(tc: &Timecode, fps: f64) -> Result<(u64, u64)> {
    let refuse =
        |why: String| InterchangeError::Timecode { timecode: tc.to_string(), reason: format!("timecode {tc}: {why}") };
    if !(1.0..=1000.0).contains(&fps) {
        return Err(refuse(format!("frame rate {fps} is not usable")));
    }
    // 23.976 counts as 24, 29.97 as 30, 59.94 as 60 (ST 12-1 labels frames at the nominal rate).
    let nominal = fps.round() as u64;
    if u64::from(tc.frames) >= nominal {
        return Err(refuse(format!("frame {} does not exist at {fps} fps", tc.frames)));
    }
    if !tc.drop_frame {
        return Ok((nominal, 0));
    }
    if nominal != 30 && nominal != 60 {
        return Err(refuse(format!("drop-frame counting needs 29.97 or 59.94 fps, not {fps}")));
    }
    Ok((nominal, nominal / 15))
}

impl Timecode {
    /// Frames since 00:00:00:00 at `fps` (29.97 and 59.94 honour drop-frame counting).
    pub fn to_frames(&self, fps: f64) -> Result<u64> {
        let (nominal, drop) = rate(self, fps)?;
        let total_minutes = 60 * u64::from(self.hours) + u64::from(self.minutes);
        if drop > 0 && total_minutes % 10 != 0 && self.seconds == 0 && u64::from(self.frames) < drop {
            let reason = format!("timecode {self}: label skipped by drop-frame counting at {fps} fps");
            return Err(InterchangeError::Timecode { timecode: self.to_string(), reason });
        }
        let seconds = 60 * total_minutes + u64::from(self.seconds);
        Ok(seconds * nominal + u64::from(self.frames) - drop * (total_minutes - total_minutes / 10))
    }

    /// The label of frame `frames` at `fps`; fails past 23:59:59 or for an impossible drop-frame rate.
    pub fn from_frames(frames: u64, fps: f64, drop_frame: bool) -> Result<Timecode> {
        let zero = Timecode { drop_frame, ..Timecode::default() };
        let (nominal, drop) = rate(&zero, fps)?;
        let mut n = frames;
        if drop > 0 {
            // Add back the labels skipped so far, then count as non-drop.
            let per_10_minutes = nominal * 600 - drop * 9;
            let per_minute = nominal * 60 - drop;
            let (tens, rem) = (n / per_10_minutes, n % per_10_minutes);
            n += drop * 9 * tens + if rem > drop { drop * ((rem - drop) / per_minute) } else { 0 };
        }
        let seconds = n / nominal;
        if seconds >= 24 * 3600 {
            let reason = format!("frame {frames} is past 23:59:59 at {fps} fps");
            return Err(InterchangeError::Timecode { timecode: zero.to_string(), reason });
        }
        // Every value below fits a u8: frames < nominal <= 60 here, and the rest are checked above.
        let part = |v: u64| u8::try_from(v).unwrap_or(u8::MAX);
        Ok(Timecode {
            hours: part(seconds / 3600),
            minutes: part(seconds / 60 % 60),
            seconds: part(seconds % 60),
            frames: part(n % nominal),
            drop_frame,
        })
    }

    /// Parses `HH:MM:SS:FF`; `;` anywhere, or `drop_frame` (from an EDL's FCM), marks drop-frame.
    pub(crate) fn parse(text: &str, drop_frame: bool) -> std::result::Result<Timecode, String> {
        let bad = || format!("bad timecode `{text}` (expected HH:MM:SS:FF or HH:MM:SS;FF)");
        let fields: Vec<&str> = text.split([':', ';']).collect();
        if fields.len() != 4 || fields.iter().any(|f| f.len() != 2 || !f.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
        let value = |i: usize| fields[i].parse::<u8>().map_err(|_| bad());
        let tc = Timecode {
            hours: value(0)?,
            minutes: value(1)?,
            seconds: value(2)?,
            frames: value(3)?,
            drop_frame: drop_frame || text.contains(';'),
        };
        for (name, v, max) in [
            ("hours", tc.hours, 23),
            ("minutes", tc.minutes, 59),
            ("seconds", tc.seconds, 59),
            ("frames", tc.frames, 59),
        ] {
            if v > max {
                return Err(format!("{name} {v} out of range (0..={max}) in timecode `{text}`"));
            }
        }
        // Both drop-frame rates skip labels 0 and 1 at these minutes, so such a label never exists.
        if tc.drop_frame && !tc.minutes.is_multiple_of(10) && tc.seconds == 0 && tc.frames < 2 {
            return Err(format!("timecode `{text}` is skipped by drop-frame counting"));
        }
        Ok(tc)
    }
}

impl FromStr for Timecode {
    type Err = InterchangeError;

    fn from_str(s: &str) -> Result<Self> {
        Timecode::parse(s.trim(), false).map_err(|reason| InterchangeError::Timecode { timecode: s.to_owned(), reason })
    }
}

impl fmt::Display for Timecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sep = if self.drop_frame { ';' } else { ':' };
        write!(f, "{:02}:{:02}:{:02}{sep}{:02}", self.hours, self.minutes, self.seconds, self.frames)
    }
}
