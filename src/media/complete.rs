//! Is a frame already on disk whole? What `render --skip-existing` asks before it passes a frame
//! over, so that a farm task re-run after being killed redoes only what is missing or broken.
//!
//! Checked from the header and the file's length, never by name alone and without decoding the
//! pixels: an EXR's offset table must point inside the file and its last chunk end within it (and
//! no entry may be the zero a writer leaves until the chunk is written); a DPX file must hold the
//! image data its header describes; a PNG must end with its `IEND` chunk and a JPEG with its end of
//! image marker. TIFF files (whose strips may lie anywhere) are decoded. Cinegrade writes every
//! output atomically, so its own killed renders leave no partial frame; this catches the rest
//! (copies cut short, other tools' partial writes, files truncated on a full disk).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{FileFormat, MediaError};

fn incomplete(path: &Path, format: &'static str, message: impl Into<String>) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format, message: message.into() }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> MediaError + '_ {
    move |source| MediaError::Io { path: path.to_path_buf(), source }
}

/// Checks that the image at `path` is complete (see the module's notes); the error says what is
/// wrong with it.
pub fn check_complete(path: &Path) -> Result<(), MediaError> {
    match FileFormat::from_path(path)? {
        FileFormat::Exr => exr(path),
        FileFormat::Dpx => super::dpx::check_complete(path),
        FileFormat::Png => png(path),
        FileFormat::Jpeg => jpeg(path),
        FileFormat::Tiff => super::load(path).map(|_| ()),
        FileFormat::Video => Err(incomplete(path, "video", "a movie is not a frame")),
    }
}

/// The first and last `n` bytes of a file, and its length.
fn ends(path: &Path, n: usize) -> Result<(Vec<u8>, Vec<u8>, u64), MediaError> {
    let mut file = File::open(path).map_err(io(path))?;
    let len = file.metadata().map_err(io(path))?.len();
    let n = n.min(len as usize);
    let mut head = vec![0; n];
    file.read_exact(&mut head).map_err(io(path))?;
    let mut tail = vec![0; n];
    file.seek(SeekFrom::Start(len - n as u64)).map_err(io(path))?;
    file.read_exact(&mut tail).map_err(io(path))?;
    Ok((head, tail, len))
}

fn png(path: &Path) -> Result<(), MediaError> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    // The last chunk: length 0, type IEND, its CRC.
    const IEND: &[u8] = b"\0\0\0\0IEND\xae\x42\x60\x82";
    let (head, tail, _) = ends(path, 33)?;
    if !head.starts_with(SIGNATURE) || head.get(12..16) != Some(b"IHDR") {
        return Err(incomplete(path, "PNG", "no PNG signature and header"));
    }
    if !tail.ends_with(IEND) {
        return Err(incomplete(path, "PNG", "truncated: the file does not end with the IEND chunk"));
    }
    Ok(())
}

fn jpeg(path: &Path) -> Result<(), MediaError> {
    let (head, tail, _) = ends(path, 4)?;
    if !head.starts_with(&[0xff, 0xd8]) {
        return Err(incomplete(path, "JPEG", "no start of image marker"));
    }
    if !tail.ends_with(&[0xff, 0xd9]) {
        return Err(incomplete(path, "JPEG", "truncated: the file does not end with the end of image marker"));
    }
    Ok(())
}

/// Reads one little-endian value.
fn read_i32(r: &mut impl Read) -> std::io::Result<i32> {
    let mut b = [0; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_le_bytes(b))
}

/// Skips a header's attributes (name, type, size, value), up to the empty name that ends it; false
/// when the header list has ended (an empty name right away).
fn skip_header(r: &mut BufReader<File>) -> std::io::Result<bool> {
    let mut attributes = 0usize;
    loop {
        let name = read_name(r)?;
        if name.is_empty() {
            return Ok(attributes > 0);
        }
        read_name(r)?;
        let size = read_i32(r)?;
        if size < 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "negative attribute size"));
        }
        r.seek_relative(i64::from(size))?;
        attributes += 1;
    }
}

/// A null-terminated name (at most 255 bytes, as OpenEXR's long names allow).
fn read_name(r: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut name = Vec::new();
    let mut b = [0; 1];
    loop {
        r.read_exact(&mut b)?;
        if b[0] == 0 {
            return Ok(name);
        }
        name.push(b[0]);
        if name.len() > 255 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "attribute name too long"));
        }
    }
}

fn exr(path: &Path) -> Result<(), MediaError> {
    let bad = |message: String| incomplete(path, "OpenEXR", message);
    let meta = exr::meta::MetaData::read_from_file(path, false).map_err(|e| bad(e.to_string()))?;
    if meta.headers.iter().any(|h| h.deep) {
        // Deep chunks carry more fields than the offset walk below reads.
        return super::load(path).map(|_| ());
    }
    let file = File::open(path).map_err(io(path))?;
    let len = file.metadata().map_err(io(path))?.len();
    let mut r = BufReader::new(file);
    let framing = |e: std::io::Error| bad(format!("header: {e}"));
    r.seek(SeekFrom::Start(8)).map_err(framing)?;
    let multipart = meta.requirements.has_multiple_layers;
    if multipart {
        while skip_header(&mut r).map_err(framing)? {}
    } else {
        skip_header(&mut r).map_err(framing)?;
    }
    let chunks: u64 = meta.headers.iter().map(|h| h.chunk_count as u64).sum();
    let table_start = r.stream_position().map_err(framing)?;
    let table_end = table_start + 8 * chunks;
    if table_end > len {
        return Err(bad(format!("truncated: the offset table ({chunks} chunks) runs past the end ({len} bytes)")));
    }
    let mut last = 0u64;
    let mut entry = [0u8; 8];
    for i in 0..chunks {
        r.read_exact(&mut entry).map_err(framing)?;
        let offset = u64::from_le_bytes(entry);
        if offset < table_end || offset >= len {
            let why = if offset == 0 {
                "was never written".to_string()
            } else {
                format!("points outside the file ({offset})")
            };
            return Err(bad(format!("incomplete: chunk {i} of {chunks} {why}")));
        }
        last = last.max(offset);
    }
    // The chunk written last: [part,] its coordinates, then its data's size.
    r.seek(SeekFrom::Start(last)).map_err(framing)?;
    let part = if multipart { read_i32(&mut r).map_err(framing)? } else { 0 };
    let header = usize::try_from(part)
        .ok()
        .and_then(|p| meta.headers.get(p))
        .ok_or_else(|| bad(format!("the last chunk names part {part}")))?;
    let coordinates = match header.blocks {
        exr::meta::BlockDescription::ScanLines => 1,
        exr::meta::BlockDescription::Tiles(_) => 4,
    };
    for _ in 0..coordinates {
        read_i32(&mut r).map_err(framing)?;
    }
    let size = read_i32(&mut r).map_err(framing)?;
    let end =
        r.stream_position().map_err(framing)? + u64::try_from(size).map_err(|_| bad("a negative chunk size".into()))?;
    if end > len {
        return Err(bad(format!("truncated: the last chunk ends at byte {end}, the file has {len}")));
    }
    Ok(())
}
