//! The one way Cinegrade writes a file: into a temporary file beside the target (same folder, so the
//! rename never crosses filesystems), synced, then renamed over the target, and the rename itself
//! synced through the folder. A crash or an error at any point leaves the old file (or none) in place,
//! never a half-written one; on an error the temporary file is removed. Renders, stills, exports,
//! LUTs, CDLs, scopes, projects and autosaves all go through [`write_atomically`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A temporary name beside `path`, unique per process and per write (an autosave and a save running
/// at once never share one): `.<name>.<pid>.<n>.tmp`, hidden, and never a frame of a sequence.
pub fn temp_path(path: &Path) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Removes the temporary files that writes of `path` by processes no longer running left beside it
/// (`.<name>.<pid>.<n>.tmp`, see [`temp_path`]: a render task killed mid-write). A live process's
/// temporary file is never touched. Returns how many were removed.
pub fn remove_stale_temporaries(path: &Path) -> std::io::Result<usize> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else { return Ok(0) };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let prefix = format!(".{name}.");
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)).and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, n)) = rest.split_once('.') else { continue };
        let (Ok(pid), true) = (pid.parse::<u32>(), n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Whether process `pid` exists (signal 0 probes without signalling).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: kill with signal 0 only checks that the process exists and may be signalled.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Writes `path` atomically: `write` fills the temporary file it is given (by path, so encoders that
/// open files themselves work), which is then synced and renamed over `path`. `io` turns the sync or
/// rename failure into the caller's error type.
pub fn write_atomically<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
    io: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let tmp = temp_path(path);
    let result = write(&tmp).and_then(|()| {
        fault_point(&tmp);
        finish(&tmp, path).map_err(&io)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The test-only fault point of every atomic write: with `CINEGRADE_TEST_SAVE_FAULT` set to
/// `before-rename` (or `mid-write`) the process aborts, as a SIGKILL would land, once the temporary
/// file is written and before it is renamed (with `mid-write`, after cutting it to half its
/// length: what a kill during the write leaves). `CINEGRADE_TEST_SAVE_FAULT_AFTER=N` lets N atomic
/// writes finish first. tests/project_crash.rs drives it; nothing else sets it.
fn fault_point(tmp: &Path) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let Ok(fault) = std::env::var("CINEGRADE_TEST_SAVE_FAULT") else { return };
    let after: usize = std::env::var("CINEGRADE_TEST_SAVE_FAULT_AFTER").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    if WRITES.fetch_add(1, Ordering::SeqCst) < after {
        return;
    }
    if fault == "mid-write"
        && let Ok(file) = std::fs::OpenOptions::new().write(true).open(tmp)
        && let Ok(meta) = file.metadata()
    {
        let _ = file.set_len(meta.len() / 2);
        let _ = file.sync_all();
    }
    std::process::abort();
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically(path, |tmp| std::fs::File::create(tmp).and_then(|mut f| f.write_all(bytes)), |e| e)
}

/// Syncs `tmp` and renames it over `path`, syncing the folder (the end of every atomic write).
pub(crate) fn finish(tmp: &Path, path: &Path) -> std::io::Result<()> {
    std::fs::File::open(tmp)?.sync_all()?;
    std::fs::rename(tmp, path)?;
    // Persist the rename itself.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporaries_of_dead_processes_go_and_live_ones_stay() {
        let dir = std::env::temp_dir().join(format!("cinegrade-stale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("A001.1001.exr");
        // A process that has ended: a child, waited for.
        let dead = std::process::Command::new("true").spawn().unwrap();
        let dead_pid = dead.id();
        let mut dead = dead;
        dead.wait().unwrap();
        let stale = dir.join(format!(".A001.1001.exr.{dead_pid}.3.tmp"));
        let ours = dir.join(format!(".A001.1001.exr.{}.0.tmp", std::process::id()));
        let other_frame = dir.join(format!(".A001.1002.exr.{dead_pid}.0.tmp"));
        let not_ours = dir.join(".A001.1001.exr.notes.tmp");
        for p in [&stale, &ours, &other_frame, &not_ours] {
            std::fs::write(p, b"x").unwrap();
        }
        assert_eq!(remove_stale_temporaries(&target).unwrap(), 1);
        assert!(!stale.exists(), "a dead writer's temporary is removed");
        assert!(ours.exists() && other_frame.exists() && not_ours.exists(), "nothing else is touched");
        assert_eq!(remove_stale_temporaries(&dir.join("missing/x.exr")).unwrap(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_replace_and_failures_leave_the_old_file_and_no_temporary() {
        let dir = std::env::temp_dir().join(format!("cinegrade-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.txt");
        write_bytes_atomically(&path, b"first").unwrap();
        write_bytes_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let failed: Result<(), String> = write_atomically(
            &path,
            |tmp| {
                std::fs::write(tmp, b"half").unwrap();
                Err("encoder failed".to_string())
            },
            |e| e.to_string(),
        );
        assert_eq!(failed, Err("encoder failed".into()));
        assert_eq!(std::fs::read(&path).unwrap(), b"second", "the old file survives");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("out.txt")], "no temporary file is left");
        assert_ne!(temp_path(&path), temp_path(&path), "every write its own temporary name");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
