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

/// Writes `path` atomically: `write` fills the temporary file it is given (by path, so encoders that
/// open files themselves work), which is then synced and renamed over `path`. `io` turns the sync or
/// rename failure into the caller's error type.
pub fn write_atomically<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
    io: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let tmp = temp_path(path);
    let result = write(&tmp).and_then(|()| finish(&tmp, path).map_err(&io));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
