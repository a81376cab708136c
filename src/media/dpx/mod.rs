//! DPX (SMPTE ST 268): the scans and log pulls a post house hands over.
//!
//! Reads 8, 10, 12 and 16-bit RGB, RGBA, ABGR and luma, packed and filled (method A and B), in both
//! byte orders (`SDPX` big-endian, `XPDS` little-endian), with each line padded to 32 bits as the
//! standard asks or, as OpenImageIO and some scanners write them, not. Writes 10-bit (filled method A,
//! big-endian: the usual interchange) and 16-bit. No maintained crate does this; every limit
//! (dimensions, element count, offsets and sizes against the file) is checked before allocating.
//!
//! Codes map to working values as `code / (2^bits - 1)`: no range or log conversion happens here.
//! The header's transfer and colorimetric codes are reported and suggest an input space
//! ([`DpxHeader::input_space_hint`]); the grade decides.

use std::path::Path;

use super::{FileFormat, Frame, ImageInfo, LoadedImage, MediaError, SampleType};

mod write;
pub use write::{DpxDepth, DpxTags, encode, save, tags_for_space};

/// Size of the generic plus image headers, which every DPX file has.
const CORE_HEADER: usize = 1664;
/// Offset and size of the television industry header (timecode, frame rate).
const TV_HEADER: usize = 1920;
/// Where the image data starts in the files Cinegrade writes (headers, industry headers included).
const WRITE_DATA_OFFSET: u32 = 2048;
/// Frame rate fields of the film and television headers.
const FILM_FRAME_RATE: usize = 1724;
const TV_FRAME_RATE: usize = 1940;
/// "Undefined" for a 32-bit field.
const UNDEFINED: u32 = 0xFFFF_FFFF;

/// How an element's samples are laid into 32-bit words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packing {
    /// Samples back to back, lines padded to 32 bits.
    Packed,
    /// Filled to 32 (10-bit) or 16 (12-bit) bits, padding in the low bits.
    FilledA,
    /// Filled, padding in the high bits.
    FilledB,
}

impl Packing {
    fn name(self) -> &'static str {
        match self {
            Self::Packed => "packed",
            Self::FilledA => "filled method A",
            Self::FilledB => "filled method B",
        }
    }
}

/// The channel layout an image element declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Descriptor {
    /// 50: R, G, B.
    Rgb,
    /// 51: R, G, B, A.
    Rgba,
    /// 52: A, B, G, R.
    Abgr,
    /// 6: luma.
    Luma,
}

impl Descriptor {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            50 => Self::Rgb,
            51 => Self::Rgba,
            52 => Self::Abgr,
            6 => Self::Luma,
            _ => return None,
        })
    }

    fn code(self) -> u8 {
        match self {
            Self::Rgb => 50,
            Self::Rgba => 51,
            Self::Abgr => 52,
            Self::Luma => 6,
        }
    }

    /// Samples per pixel.
    pub fn channels(self) -> usize {
        match self {
            Self::Luma => 1,
            Self::Rgb => 3,
            Self::Rgba | Self::Abgr => 4,
        }
    }
}

/// What a DPX header says about its first image element and the programme it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct DpxHeader {
    /// `SDPX` (true) or `XPDS`.
    pub big_endian: bool,
    /// Version string, e.g. "V2.0".
    pub version: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in lines.
    pub height: u32,
    /// Image elements in the file (only the first is read).
    pub elements: u16,
    /// Channel layout.
    pub descriptor: Descriptor,
    /// Bits per sample: 8, 10, 12 or 16.
    pub bit_depth: u8,
    /// Word layout.
    pub packing: Packing,
    /// Transfer characteristic code (table 5A of ST 268).
    pub transfer: u8,
    /// Colorimetric specification code (table 5B).
    pub colorimetric: u8,
    /// Offset of the element's data.
    pub data_offset: u32,
    /// File size the header declares.
    pub file_size: u32,
    /// SMPTE timecode from the television header, `HH:MM:SS:FF`.
    pub timecode: Option<String>,
    /// Frame rate from the film or television header.
    pub frame_rate: Option<f32>,
    /// The creator field (the writing application).
    pub creator: String,
}

/// Name of a transfer characteristic code.
pub fn transfer_name(code: u8) -> &'static str {
    match code {
        0 => "user defined",
        1 => "printing density",
        2 => "linear",
        3 => "logarithmic",
        4 => "unspecified video",
        5 => "SMPTE 274M",
        6 => "ITU-R BT.709",
        7 => "ITU-R BT.601 (625 lines)",
        8 => "ITU-R BT.601 (525 lines)",
        9 => "NTSC composite",
        10 => "PAL composite",
        11 => "Z linear",
        12 => "Z homogeneous",
        13 => "SMPTE ADX",
        14 => "ITU-R BT.2020 (non-constant luminance)",
        15 => "ITU-R BT.2020 (constant luminance)",
        16 => "IEC 61966-2-4 (xvYCC)",
        17 => "SMPTE ST 2084 (PQ)",
        18 => "ARIB STD-B67 (HLG)",
        _ => "undefined",
    }
}

impl DpxHeader {
    /// The built-in input space the header's transfer and colorimetric codes describe, where one
    /// does: a hint for the shot's input space, never applied silently.
    pub fn input_space_hint(&self) -> Option<&'static str> {
        match (self.transfer, self.colorimetric) {
            (6 | 5, _) => Some("rec709-display"),
            (2, 14 | 15) => Some("linear-rec2020"),
            // Linear with BT.709, unspecified or (as FFmpeg writes) "linear" colorimetry.
            (2, _) => Some("linear-rec709"),
            (17, _) => Some("rec2100-pq"),
            (18, _) => Some("rec2100-hlg"),
            _ => None,
        }
    }

    /// Lines for `cinegrade info`.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![
            format!(
                "DPX {}, {}, {}-bit {}",
                self.version,
                if self.big_endian { "big-endian" } else { "little-endian" },
                self.bit_depth,
                self.packing.name()
            ),
            format!("transfer: {} ({})", transfer_name(self.transfer), self.transfer),
            format!("colorimetric: {} ({})", transfer_name(self.colorimetric), self.colorimetric),
        ];
        if let Some(tc) = &self.timecode {
            notes.push(format!("timecode: {tc}"));
        }
        if let Some(fps) = self.frame_rate {
            notes.push(format!("frame rate: {fps}"));
        }
        if !self.creator.is_empty() {
            notes.push(format!("creator: {}", self.creator));
        }
        if self.elements > 1 {
            notes.push(format!("{} image elements; the first is read", self.elements));
        }
        match self.input_space_hint() {
            Some(space) => notes.push(format!("input space hint: {space}")),
            None if matches!(self.transfer, 1 | 3) => {
                notes.push("input space hint: film log (printing density); no built-in space, choose one".into())
            }
            None => {}
        }
        notes
    }
}

/// Reads header fields in the file's byte order, refusing reads past the end.
struct Fields<'a> {
    bytes: &'a [u8],
    big: bool,
}

impl Fields<'_> {
    fn u8(&self, at: usize) -> u8 {
        self.bytes[at]
    }
    fn u16(&self, at: usize) -> u16 {
        let b = [self.bytes[at], self.bytes[at + 1]];
        if self.big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) }
    }
    fn u32(&self, at: usize) -> u32 {
        let b = [self.bytes[at], self.bytes[at + 1], self.bytes[at + 2], self.bytes[at + 3]];
        if self.big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }
    }
    fn f32(&self, at: usize) -> Option<f32> {
        let bits = self.u32(at);
        let v = f32::from_bits(bits);
        (bits != UNDEFINED && v.is_finite() && v > 0.0 && v < 1000.0).then_some(v)
    }
    fn text(&self, at: usize, len: usize) -> String {
        let raw = &self.bytes[at..at + len];
        let end = raw.iter().position(|&b| b == 0 || b == 0xFF).unwrap_or(len);
        String::from_utf8_lossy(&raw[..end]).trim().to_string()
    }
}

fn decode_error(path: &Path, message: impl Into<String>) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: "DPX", message: message.into() }
}

/// A BCD timecode word (`HHMMSSFF`, one nibble a digit) as `HH:MM:SS:FF`.
fn timecode(word: u32) -> Option<String> {
    if word == UNDEFINED {
        return None;
    }
    let digits: Vec<u32> = (0..8).rev().map(|i| (word >> (i * 4)) & 0xF).collect();
    if digits.iter().any(|&d| d > 9) {
        return None;
    }
    let pair = |i: usize| digits[i] * 10 + digits[i + 1];
    Some(format!("{:02}:{:02}:{:02}:{:02}", pair(0), pair(2), pair(4), pair(6)))
}

/// Parses and validates the header of a DPX file held in `bytes`.
pub fn parse_header(path: &Path, bytes: &[u8]) -> Result<DpxHeader, MediaError> {
    if bytes.len() < CORE_HEADER {
        return Err(decode_error(
            path,
            format!("truncated header ({} bytes, a DPX header is {CORE_HEADER})", bytes.len()),
        ));
    }
    let big = match &bytes[..4] {
        b"SDPX" => true,
        b"XPDS" => false,
        _ => return Err(decode_error(path, "not a DPX file (no SDPX/XPDS magic number)")),
    };
    let f = Fields { bytes, big };
    let elements = f.u16(770);
    if elements == 0 || elements > 8 {
        return Err(decode_error(path, format!("{elements} image elements (1 to 8 allowed)")));
    }
    let (width, height) = (f.u32(772), f.u32(776));
    super::check_dimensions(path, width.into(), height.into())?;
    let e = 780; // the first image element
    if f.u32(e) != 0 {
        return Err(decode_error(path, "signed samples are not supported"));
    }
    let code = f.u8(e + 20);
    let descriptor = Descriptor::from_code(code).ok_or_else(|| {
        decode_error(path, format!("image descriptor {code} is not supported (RGB, RGBA, ABGR and luma are)"))
    })?;
    let bit_depth = f.u8(e + 23);
    if !matches!(bit_depth, 8 | 10 | 12 | 16) {
        return Err(decode_error(path, format!("{bit_depth}-bit samples are not supported (8, 10, 12 and 16 are)")));
    }
    let packing = match f.u16(e + 24) {
        0 => Packing::Packed,
        1 => Packing::FilledA,
        2 => Packing::FilledB,
        other => return Err(decode_error(path, format!("unknown packing {other}"))),
    };
    if f.u16(e + 26) != 0 {
        return Err(decode_error(path, "run-length encoded DPX is not supported"));
    }
    let element_offset = f.u32(e + 28);
    let data_offset = if element_offset == UNDEFINED || element_offset == 0 { f.u32(4) } else { element_offset };
    let industry = f.u32(28);
    let has_tv = industry != UNDEFINED && industry >= 384 && bytes.len() >= TV_HEADER + 128;
    let has_film = industry != UNDEFINED && industry >= 256 && bytes.len() >= TV_HEADER;
    let frame_rate =
        has_film.then(|| f.f32(FILM_FRAME_RATE)).flatten().or_else(|| has_tv.then(|| f.f32(TV_FRAME_RATE)).flatten());
    Ok(DpxHeader {
        big_endian: big,
        version: f.text(8, 8),
        width,
        height,
        elements,
        descriptor,
        bit_depth,
        packing,
        transfer: f.u8(e + 21),
        colorimetric: f.u8(e + 22),
        data_offset,
        file_size: f.u32(16),
        timecode: if has_tv { timecode(f.u32(TV_HEADER)) } else { None },
        frame_rate,
        creator: f.text(160, 100),
    })
}

/// Where sample `i` of a line's (or the image's) datum stream lies, for one layout.
#[derive(Clone, Copy)]
struct Layout {
    bits: u32,
    packing: Packing,
    big: bool,
}

impl Layout {
    /// Bytes one run of `samples` datums occupies, rounded up to whole 32-bit words where the
    /// layout is word-based (`padded`), or to whole bytes.
    fn bytes_for(self, samples: u64, padded: bool) -> u64 {
        let bits = match (self.bits, self.packing) {
            (10, Packing::FilledA | Packing::FilledB) => samples.div_ceil(3) * 32,
            (12, Packing::FilledA | Packing::FilledB) => samples * 16,
            (b, _) => samples * u64::from(b),
        };
        if padded { bits.div_ceil(32) * 4 } else { bits.div_ceil(8) }
    }

    fn word(self, data: &[u8], index: usize) -> u32 {
        let b = [data[index * 4], data[index * 4 + 1], data[index * 4 + 2], data[index * 4 + 3]];
        if self.big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }
    }

    fn half(self, data: &[u8], index: usize) -> u32 {
        let b = [data[index * 2], data[index * 2 + 1]];
        u32::from(if self.big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }

    /// Datum `i` of a stream starting at `data[0]` (caller guarantees the bytes exist).
    fn datum(self, data: &[u8], i: usize) -> u32 {
        match (self.bits, self.packing) {
            (8, _) => u32::from(data[i]),
            (16, _) => self.half(data, i),
            (10, Packing::FilledA) => (self.word(data, i / 3) >> (22 - 10 * (i % 3) as u32)) & 0x3FF,
            (10, Packing::FilledB) => (self.word(data, i / 3) >> (20 - 10 * (i % 3) as u32)) & 0x3FF,
            (12, Packing::FilledA) => self.half(data, i) >> 4,
            (12, Packing::FilledB) => self.half(data, i) & 0xFFF,
            (bits, _) => {
                // Packed: datums fill each 32-bit word from its least significant bit up.
                let bit = i * bits as usize;
                let (w, shift) = (bit / 32, (bit % 32) as u32);
                let mut v = u64::from(self.word(data, w)) >> shift;
                if shift + bits > 32 {
                    v |= u64::from(self.word(data, w + 1)) << (32 - shift);
                }
                (v & ((1u64 << bits) - 1)) as u32
            }
        }
    }
}

/// One pixel of 10-bit RGB filled to a 32-bit word (method A): its word's three datums over `max`.
fn rgb10_pixel(b: &[u8], big: bool, max: f32) -> [f32; 4] {
    let b = [b[0], b[1], b[2], b[3]];
    let word = if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) };
    let code = |shift: u32| ((word >> shift) & 0x3FF) as f32 / max;
    [code(22), code(12), code(2), 1.0]
}

/// Decodes a DPX file's bytes (the first image element) into working values.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<LoadedImage, MediaError> {
    let header = parse_header(path, bytes)?;
    let channels = header.descriptor.channels();
    let (w, h) = (header.width as usize, header.height as usize);
    let layout = Layout { bits: header.bit_depth.into(), packing: header.packing, big: header.big_endian };
    let stream = data_layout(path, &header, bytes.len() as u64)?.then_some(());
    let padded_line = layout.bytes_for((w * channels) as u64, true);
    let offset = u64::from(header.data_offset);
    let data = &bytes[offset as usize..];
    let max = ((1u32 << header.bit_depth) - 1) as f32;
    let mut pixels = Vec::with_capacity(w * h);
    // The common case (10-bit RGB filled to 32-bit words, method A, lines padded: one word a pixel)
    // read a word at a time; the same arithmetic as `Layout::datum`, without its per-sample match.
    let rgb10 =
        (layout.bits, layout.packing, header.descriptor, stream) == (10, Packing::FilledA, Descriptor::Rgb, None);
    if rgb10 {
        for y in 0..h {
            let line = &data[y * padded_line as usize..][..w * 4];
            pixels.extend(line.chunks_exact(4).map(|b| rgb10_pixel(b, layout.big, max)));
        }
    }
    let mut samples = [0.0f32; 4];
    for y in 0..if rgb10 { 0 } else { h } {
        let (line, base) = match stream {
            None => (&data[y * padded_line as usize..], 0),
            Some(()) => (data, y * w * channels),
        };
        for x in 0..w {
            for (c, s) in samples.iter_mut().enumerate().take(channels) {
                *s = layout.datum(line, base + x * channels + c) as f32 / max;
            }
            pixels.push(match header.descriptor {
                Descriptor::Luma => [samples[0], samples[0], samples[0], 1.0],
                Descriptor::Rgb => [samples[0], samples[1], samples[2], 1.0],
                Descriptor::Rgba => samples,
                Descriptor::Abgr => [samples[3], samples[2], samples[1], samples[0]],
            });
        }
    }
    let mut notes = header.notes();
    if stream.is_some() {
        notes.push("lines not padded to 32 bits (read back to back)".into());
    }
    let names: &[&str] = match header.descriptor {
        Descriptor::Luma => &["Y"],
        Descriptor::Rgb => &["R", "G", "B"],
        Descriptor::Rgba | Descriptor::Abgr => &["R", "G", "B", "A"],
    };
    let sample_type = match header.bit_depth {
        8 => SampleType::U8,
        10 => SampleType::U10,
        12 => SampleType::U12,
        _ => SampleType::U16,
    };
    let info = ImageInfo {
        format: FileFormat::Dpx,
        width: header.width,
        height: header.height,
        channels: names.iter().map(|s| s.to_string()).collect(),
        sample_type,
        notes,
    };
    Ok(LoadedImage { frame: Frame { width: header.width, height: header.height, pixels }, info })
}

/// Whether the image data of a file of `file_len` bytes with this header is all there: `Ok(false)`
/// for lines padded to 32 bits, `Ok(true)` for lines back to back; an error when it is short.
fn data_layout(path: &Path, header: &DpxHeader, file_len: u64) -> Result<bool, MediaError> {
    let layout = Layout { bits: header.bit_depth.into(), packing: header.packing, big: header.big_endian };
    let per_line = u64::from(header.width) * header.descriptor.channels() as u64;
    let h = u64::from(header.height);
    let offset = u64::from(header.data_offset);
    let available = file_len.checked_sub(offset).filter(|_| offset >= CORE_HEADER as u64);
    let Some(available) = available else {
        return Err(decode_error(path, format!("image data offset {offset} lies outside the file ({file_len} bytes)")));
    };
    let padded = layout.bytes_for(per_line, true) * h;
    // Lines start on 32-bit words as the standard asks; OpenImageIO and some scanners write lines
    // back to back instead, which only the data's length tells apart: taken when the data (or the
    // header's file size) ends exactly where back-to-back lines end, never to excuse a short file.
    // Packed 10 and 12-bit datums are read a 32-bit word at a time, so whole words must exist.
    let whole = layout.bytes_for(per_line * h, !layout.bits.is_multiple_of(8));
    let declared = u64::from(header.file_size).checked_sub(offset);
    if padded <= available {
        Ok(false)
    } else if whole <= available && (whole == available || declared == Some(whole)) {
        Ok(true)
    } else {
        Err(decode_error(path, format!("truncated: the image needs {padded} bytes of data, the file has {available}")))
    }
}

/// Checks that a DPX file is whole from its header and length alone (nothing decoded): the image
/// data the header describes fits in the file, and the file is as long as its header says.
pub fn check_complete(path: &Path) -> Result<(), MediaError> {
    let header = read_header(path)?;
    let len = std::fs::metadata(path).map_err(|source| MediaError::Io { path: path.to_path_buf(), source })?.len();
    data_layout(path, &header, len)?;
    if header.file_size != 0 && u64::from(header.file_size) > len {
        return Err(decode_error(
            path,
            format!("truncated: the header says {} bytes, the file has {len}", header.file_size),
        ));
    }
    Ok(())
}

/// Reads a DPX file.
pub fn load(path: &Path) -> Result<LoadedImage, MediaError> {
    let bytes = std::fs::read(path).map_err(|source| MediaError::Io { path: path.to_path_buf(), source })?;
    decode(path, &bytes)
}

/// Reads only the header of a DPX file (for `info` and the input-space hint).
pub fn read_header(path: &Path) -> Result<DpxHeader, MediaError> {
    use std::io::Read;
    let io = |source| MediaError::Io { path: path.to_path_buf(), source };
    let mut head = Vec::with_capacity(2048);
    std::fs::File::open(path).map_err(io)?.take(2048).read_to_end(&mut head).map_err(io)?;
    parse_header(path, &head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes_are_bcd() {
        assert_eq!(timecode(0x0123_4512).as_deref(), Some("01:23:45:12"));
        assert_eq!(timecode(UNDEFINED), None);
        assert_eq!(timecode(0x0A00_0000), None);
    }

    #[test]
    fn packed_datums_cross_words() {
        // Three 12-bit datums packed from the low bit: 0xABC, 0x123, 0x456 → two words.
        let words: [u32; 2] = [0xABC | (0x123 << 12) | (0x456 << 24), 0x456 >> 8];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        let layout = Layout { bits: 12, packing: Packing::Packed, big: true };
        assert_eq!([0, 1, 2].map(|i| layout.datum(&bytes, i)), [0xABC, 0x123, 0x456]);
    }

    /// The word-at-a-time read of 10-bit RGB is the per-sample one, in both byte orders.
    #[test]
    fn the_ten_bit_rgb_fast_path_reads_as_the_datum_stream() {
        let mut state = 0x1234_5678u32;
        for _ in 0..10_000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            for big in [true, false] {
                let bytes = if big { state.to_be_bytes() } else { state.to_le_bytes() };
                let layout = Layout { bits: 10, packing: Packing::FilledA, big };
                let want = [0, 1, 2].map(|i| layout.datum(&bytes, i) as f32 / 1023.0);
                assert_eq!(rgb10_pixel(&bytes, big, 1023.0)[..3], want, "{state:#x} big {big}");
            }
        }
        let frame = Frame::from_fn(7, 4, |x, y| {
            let c = (x * 151 + y * 389) as f32 % 1024.0;
            [c / 1023.0, (1023.0 - c) / 1023.0, (c * 7.0 % 1024.0) / 1023.0, 1.0]
        });
        let bytes = encode(&frame, false, DpxDepth::Ten, DpxTags::default());
        assert_eq!(decode(Path::new("t.dpx"), &bytes).unwrap().frame, frame);
    }

    #[test]
    fn ten_bit_round_trip_keeps_every_code() {
        let frame = Frame::from_fn(5, 3, |x, y| {
            let c = (x * 3 + y * 17) as f32;
            [c / 1023.0, (1023.0 - c) / 1023.0, (c * 7.0 % 1024.0) / 1023.0, 1.0]
        });
        let bytes = encode(&frame, false, DpxDepth::Ten, DpxTags::default());
        let back = decode(Path::new("t.dpx"), &bytes).unwrap();
        assert_eq!(back.frame, frame);
        assert_eq!(back.info.sample_type, SampleType::U10);
    }
}
