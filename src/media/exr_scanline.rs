//! The fast path for the EXR files a grading pipeline reads and writes most: scanline blocks, no or
//! ZIP compression, half or float channels. The `exr` crate parses and writes the header, the offset
//! table and the chunk framing; this module packs and unpacks the pixel blocks itself, with libdeflate
//! (the deflate OpenEXR 3.2+ uses) and whole-line half/float conversions instead of the crate's
//! sample-by-sample path and its miniz deflate, which were most of a 4K sequence render's time.
//! Blocks are compressed and decompressed on several threads. Anything else (tiles, mipmaps, PIZ,
//! B44, DWA, uint channels, subsampling, several parts) goes through the crate's general reader.
//!
//! ZIP blocks, as OpenEXR writes them (`ImfZip.cpp`): the block's little-endian samples (per line,
//! per channel in name order, per pixel), the bytes split into even and odd halves, each byte
//! replaced by its difference to the previous one plus 128, then zlib; a block whose compressed
//! form is not smaller is stored as is.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::Path;

use exr::block::chunk::{Chunk, CompressedBlock, CompressedScanLineBlock};
use exr::block::reader::Reader;
use exr::block::writer::ChunksWriter;
use exr::compression::Compression;
use exr::meta::attribute::{ChannelDescription, LineOrder, SampleType as ExrSample};
use exr::meta::header::Header;
use exr::meta::{BlockDescription, MetaData};
use exr::prelude::SmallVec;
use half::f16;
use half::slice::HalfFloatSliceExt;

use super::{Frame, HalfFrame, MediaError};

/// OpenEXR's default ZIP level (`Imf::getDefaultZipCompressionLevel`, 4 since OpenEXR 3.1); what
/// oiiotool writes unless told otherwise.
const ZIP_LEVEL: i32 = 4;

/// Lines per block for ZIP (`ZIP_COMPRESSION`; `ZIPS` is one line, `NO_COMPRESSION` one line).
const ZIP_LINES: usize = 16;

fn threads(blocks: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, blocks.max(1))
}

/// Splits `bytes` into its even and odd bytes, then delta-codes them (OpenEXR's ZIP/RLE predictor):
/// `out` is the even bytes then the odd ones, each byte after the first replaced by its difference
/// to the byte before it in that order, plus 128. Written as loops without a carried value, which
/// the compiler vectorises (a byte at a time it was about 30 ms of a 4K frame's encode).
fn predict(bytes: &[u8], out: &mut Vec<u8>) {
    let n = bytes.len();
    out.clear();
    out.resize(n, 0);
    if n < 2 {
        out.copy_from_slice(bytes);
        return;
    }
    let half = n.div_ceil(2);
    let (even, odd) = out.split_at_mut(half);
    let pairs = bytes.chunks_exact(2);
    let last = pairs.remainder().first().copied();
    let delta = |current: u8, previous: u8| current.wrapping_sub(previous).wrapping_add(128);
    // Pair i against pair i - 1: the even byte's and the odd byte's deltas.
    for ((e, o), (p, q)) in even[1..].iter_mut().zip(odd[1..].iter_mut()).zip(pairs.clone().zip(pairs.skip(1))) {
        *e = delta(q[0], p[0]);
        *o = delta(q[1], p[1]);
    }
    even[0] = bytes[0];
    // The first odd byte follows the last even one; an odd length's last byte is even.
    if let Some(l) = last {
        // n is odd and at least 3.
        even[half - 1] = delta(l, bytes[n - 3]);
    }
    odd[0] = delta(bytes[1], last.unwrap_or(bytes[n - 2]));
}

/// Undoes [`predict`]: `coded` is restored in place and interleaved into `out`.
fn unpredict(coded: &mut [u8], out: &mut [u8]) {
    undelta(coded);
    let half = coded.len().div_ceil(2);
    let (even, odd) = coded.split_at(half);
    let mut pairs = out.chunks_exact_mut(2);
    for ((pair, e), o) in (&mut pairs).zip(even).zip(odd) {
        pair[0] = *e;
        pair[1] = *o;
    }
    if let [last] = pairs.into_remainder() {
        *last = even[half - 1];
    }
}

/// The running sum of the predictor's deltas, in place: `bytes[i] = bytes[i - 1] + bytes[i] - 128`
/// from `i = 1`. A byte at a time that is one long chain of dependent additions (about 60 ms of a 4K
/// frame's decode); here eight bytes at a time: each word's own running sum, byte-wise in a `u64`
/// (additions that carry no bit from one byte into the next), needs nothing from the word before,
/// and only the sum a word starts from is carried, one addition a word.
fn undelta(bytes: &mut [u8]) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TOP: u64 = !LOW;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Eight byte-wise sums modulo 256.
    let add = |a: u64, b: u64| ((a & LOW) + (b & LOW)) ^ ((a ^ b) & TOP);
    // Every byte is read as a delta, minus 128 (modulo 256 that flips the top bit), the first
    // included: starting from 128, the first byte comes out as it is.
    let mut carried = 0x80u8;
    let mut words = bytes.chunks_exact_mut(8);
    for chunk in &mut words {
        let mut w = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ TOP;
        w = add(w, w << 8);
        w = add(w, w << 16);
        w = add(w, w << 32);
        chunk.copy_from_slice(&add(w, u64::from(carried) * ONES).to_le_bytes());
        carried = carried.wrapping_add((w >> 56) as u8);
    }
    for b in words.into_remainder() {
        carried = carried.wrapping_add(*b ^ 0x80);
        *b = carried;
    }
}

/// A pixel component the fast path reads into and writes from: `f32` (working frames) or `f16`
/// (half frames, whose samples pass between file and GPU untouched).
pub trait Lane: bytemuck::Pod + Send + Sync {
    /// True for `f16`: a half file's samples are this type's bytes as they are.
    const HALF: bool;
    /// `src` converted into `dst` (same length).
    fn from_halves(src: &[f16], dst: &mut [Self]);
    /// `src` converted into `dst` (same length; to half rounds to nearest even).
    fn from_floats(src: &[f32], dst: &mut [Self]);
    /// `src` as halves into `dst` (same length).
    fn to_halves(src: &[Self], dst: &mut [f16]);
    /// `src` as floats into `dst` (same length).
    fn to_floats(src: &[Self], dst: &mut [f32]);
    /// One value.
    fn of(v: f32) -> Self;
}

impl Lane for f32 {
    const HALF: bool = false;
    fn from_halves(src: &[f16], dst: &mut [f32]) {
        src.convert_to_f32_slice(dst);
    }
    fn from_floats(src: &[f32], dst: &mut [f32]) {
        dst.copy_from_slice(src);
    }
    fn to_halves(src: &[f32], dst: &mut [f16]) {
        dst.convert_from_f32_slice(src);
    }
    fn to_floats(src: &[f32], dst: &mut [f32]) {
        dst.copy_from_slice(src);
    }
    fn of(v: f32) -> f32 {
        v
    }
}

impl Lane for f16 {
    const HALF: bool = true;
    fn from_halves(src: &[f16], dst: &mut [f16]) {
        dst.copy_from_slice(src);
    }
    fn from_floats(src: &[f32], dst: &mut [f16]) {
        dst.convert_from_f32_slice(src);
    }
    fn to_halves(src: &[f16], dst: &mut [f16]) {
        dst.copy_from_slice(src);
    }
    fn to_floats(src: &[f16], dst: &mut [f32]) {
        src.convert_to_f32_slice(dst);
    }
    fn of(v: f32) -> f16 {
        f16::from_f32(v)
    }
}

/// Writes `frame` as a scanline, ZIP-compressed (16 lines a block) RGB or RGBA EXR of half or float.
pub fn save(path: &Path, frame: &Frame, alpha: bool, half: bool) -> Result<(), MediaError> {
    save_pixels(path, &frame.pixels, frame.width, frame.height, alpha, half)
}

/// Writes `frame` as [`save`] does, half: its samples go into the file as they are.
pub fn save_half(path: &Path, frame: &HalfFrame, alpha: bool) -> Result<(), MediaError> {
    save_pixels(path, &frame.pixels, frame.width, frame.height, alpha, true)
}

fn save_pixels<T: Lane>(
    path: &Path,
    pixels: &[[T; 4]],
    width: u32,
    height: u32,
    alpha: bool,
    half: bool,
) -> Result<(), MediaError> {
    let encode_error = |message: String| MediaError::Encode { path: path.to_path_buf(), format: "OpenEXR", message };
    let (w, h) = (width as usize, height as usize);
    let sample_type = if half { ExrSample::F16 } else { ExrSample::F32 };
    // Channels in name order, as the file stores them, with the RGBA component each one takes.
    let order: &[(&str, usize)] =
        if alpha { &[("A", 3), ("B", 2), ("G", 1), ("R", 0)] } else { &[("B", 2), ("G", 1), ("R", 0)] };
    let channels: SmallVec<[ChannelDescription; 5]> =
        order.iter().map(|(name, _)| ChannelDescription::named(*name, sample_type)).collect();
    let mut header = Header::new("".into(), (w, h), channels).with_encoding(
        Compression::ZIP16,
        BlockDescription::ScanLines,
        LineOrder::Increasing,
    );
    // A single-part file: no layer name attribute.
    header.own_attributes.layer_name = None;

    // Compress every block first (several threads), then write them in order.
    let blocks = h.div_ceil(ZIP_LINES);
    let components: Vec<usize> = order.iter().map(|(_, c)| *c).collect();
    let mut compressed: Vec<Vec<u8>> = vec![Vec::new(); blocks];
    let per_thread = blocks.div_ceil(threads(blocks));
    std::thread::scope(|scope| {
        for (t, out) in compressed.chunks_mut(per_thread).enumerate() {
            let components = &components;
            scope.spawn(move || {
                let mut packer = BlockPacker::<T>::new(w, half);
                for (i, block) in out.iter_mut().enumerate() {
                    let y0 = (t * per_thread + i) * ZIP_LINES;
                    let lines = ZIP_LINES.min(h - y0);
                    *block = packer.pack(&pixels[y0 * w..(y0 + lines) * w], components);
                }
            });
        }
    });

    let file = std::fs::File::create(path).map_err(|source| MediaError::Io { path: path.to_path_buf(), source })?;
    exr::block::write(BufWriter::with_capacity(1 << 20, file), SmallVec::from_vec(vec![header]), true, |_, writer| {
        for (i, block) in compressed.into_iter().enumerate() {
            let chunk = Chunk {
                layer_index: 0,
                compressed_block: CompressedBlock::ScanLine(CompressedScanLineBlock {
                    y_coordinate: (i * ZIP_LINES) as i32,
                    compressed_pixels_le: block,
                }),
            };
            writer.write_chunk(i, chunk)?;
        }
        Ok(())
    })
    .map_err(|e| encode_error(e.to_string()))
}

/// Packs and compresses blocks of one width, reusing its buffers.
struct BlockPacker<T: Lane> {
    half: bool,
    line: Vec<T>,
    line_half: Vec<f16>,
    line_float: Vec<f32>,
    raw: Vec<u8>,
    predicted: Vec<u8>,
    compressed: Vec<u8>,
    compressor: libdeflater::Compressor,
}

impl<T: Lane> BlockPacker<T> {
    fn new(width: usize, half: bool) -> Self {
        let level = libdeflater::CompressionLvl::new(ZIP_LEVEL).expect("level 4 is valid");
        Self {
            half,
            line: vec![T::of(0.0); width],
            line_half: vec![f16::ZERO; width],
            line_float: vec![0.0; width],
            raw: Vec::new(),
            predicted: Vec::new(),
            compressed: Vec::new(),
            compressor: libdeflater::Compressor::new(level),
        }
    }

    /// One block's file bytes: `pixels` (whole lines), channels `components` in file order.
    fn pack(&mut self, pixels: &[[T; 4]], components: &[usize]) -> Vec<u8> {
        let width = self.line.len();
        self.raw.clear();
        for row in pixels.chunks_exact(width) {
            for &c in components {
                for (d, p) in self.line.iter_mut().zip(row) {
                    *d = p[c];
                }
                // Samples are stored little-endian: on such a machine the bytes as they are, and
                // samples of the file's own type need no conversion either.
                let little = cfg!(target_endian = "little");
                if little && self.half == T::HALF {
                    self.raw.extend_from_slice(bytemuck::cast_slice(&self.line));
                } else if self.half {
                    T::to_halves(&self.line, &mut self.line_half);
                    if little {
                        self.raw.extend_from_slice(bytemuck::cast_slice(&self.line_half));
                    } else {
                        self.raw.extend(self.line_half.iter().flat_map(|v| v.to_le_bytes()));
                    }
                } else {
                    T::to_floats(&self.line, &mut self.line_float);
                    if little {
                        self.raw.extend_from_slice(bytemuck::cast_slice(&self.line_float));
                    } else {
                        self.raw.extend(self.line_float.iter().flat_map(|v| v.to_le_bytes()));
                    }
                }
            }
        }
        predict(&self.raw, &mut self.predicted);
        let bound = self.compressor.zlib_compress_bound(self.predicted.len());
        if self.compressed.len() < bound {
            self.compressed.resize(bound, 0);
        }
        match self.compressor.zlib_compress(&self.predicted, &mut self.compressed) {
            Ok(n) if n < self.raw.len() => self.compressed[..n].to_vec(),
            // Not smaller (or no room): stored uncompressed, as OpenEXR does.
            _ => self.raw.clone(),
        }
    }
}

/// What the fast reader needs to know of a file's one part.
struct Layout {
    width: usize,
    height: usize,
    top: i64,
    lines_per_block: usize,
    compression: Compression,
    /// Each channel in file order: bytes per sample and the RGBA slots it fills.
    channels: Vec<(ExrSample, Vec<usize>)>,
    /// RGBA slots no channel fills, with their value (0, alpha 1).
    defaults: Vec<(usize, f32)>,
}

impl Layout {
    fn bytes_per_line(&self) -> usize {
        self.width * self.channels.iter().map(|(t, _)| t.bytes_per_sample()).sum::<usize>()
    }
}

/// True when [`load`] reads this part: one scanline part with uncompressed or ZIP blocks of
/// full-resolution half or float channels.
pub fn handles(meta: &MetaData) -> bool {
    let [header] = meta.headers.as_slice() else { return false };
    !header.deep
        && matches!(header.blocks, BlockDescription::ScanLines)
        && matches!(header.compression, Compression::Uncompressed | Compression::ZIP1 | Compression::ZIP16)
        && header
            .channels
            .list
            .iter()
            .all(|c| c.sampling == exr::math::Vec2(1, 1) && matches!(c.sample_type, ExrSample::F16 | ExrSample::F32))
}

/// Decodes the blocks of `reader` (its header read, the file one [`handles`] accepts) into RGBA:
/// `sources[c]` is the channel (index in the file's order) that feeds component `c` of R, G, B, A;
/// components no channel feeds are 0 (alpha 1). The pixels go into `buffer`'s allocation (a previous
/// frame's, in a sequence: no fresh pages to fault in).
pub fn load(
    path: &Path,
    reader: Reader<BufReader<File>>,
    sources: [Option<usize>; 4],
    buffer: Vec<[f32; 4]>,
) -> Result<Frame, MediaError> {
    let (width, height, pixels) = load_pixels(path, reader, sources, buffer)?;
    Ok(Frame { width, height, pixels })
}

/// [`load`] into half samples: a file whose channels are all half gives its samples as they are.
pub fn load_half(
    path: &Path,
    reader: Reader<BufReader<File>>,
    sources: [Option<usize>; 4],
    buffer: Vec<[f16; 4]>,
) -> Result<HalfFrame, MediaError> {
    let (width, height, pixels) = load_pixels(path, reader, sources, buffer)?;
    Ok(HalfFrame { width, height, pixels })
}

fn load_pixels<T: Lane>(
    path: &Path,
    reader: Reader<BufReader<File>>,
    sources: [Option<usize>; 4],
    mut buffer: Vec<[T; 4]>,
) -> Result<(u32, u32, Vec<[T; 4]>), MediaError> {
    let decode_error = |message: String| MediaError::Decode { path: path.to_path_buf(), format: "OpenEXR", message };
    let header = &reader.headers()[0];
    let slots = |channel: usize| (0..4).filter(|&c| sources[c] == Some(channel)).collect();
    let layout = Layout {
        width: header.layer_size.width(),
        height: header.layer_size.height(),
        top: i64::from(header.own_attributes.layer_position.y()),
        lines_per_block: header.compression.scan_lines_per_block(),
        compression: header.compression,
        channels: header.channels.list.iter().enumerate().map(|(i, c)| (c.sample_type, slots(i))).collect(),
        defaults: (0..4).filter(|&c| sources[c].is_none()).map(|c| (c, if c == 3 { 1.0 } else { 0.0 })).collect(),
    };
    let blocks = layout.height.div_ceil(layout.lines_per_block);
    let mut chunks: Vec<Option<Vec<u8>>> = vec![None; blocks];
    for chunk in reader.all_chunks(false).map_err(|e| decode_error(e.to_string()))? {
        let chunk = chunk.map_err(|e| decode_error(e.to_string()))?;
        let CompressedBlock::ScanLine(block) = chunk.compressed_block else {
            return Err(decode_error("a non-scanline block in a scanline file".into()));
        };
        let offset = i64::from(block.y_coordinate) - layout.top;
        let index = usize::try_from(offset)
            .ok()
            .filter(|o| o % layout.lines_per_block == 0)
            .map(|o| o / layout.lines_per_block);
        match index.and_then(|i| chunks.get_mut(i)) {
            Some(slot) => *slot = Some(block.compressed_pixels_le),
            None => return Err(decode_error(format!("a block at line {} is outside the image", block.y_coordinate))),
        }
    }
    if let Some(missing) = chunks.iter().position(Option::is_none) {
        let line = layout.top + (missing * layout.lines_per_block) as i64;
        return Err(decode_error(format!("truncated: the block at line {line} is missing")));
    }

    // Every sample is written below (all blocks are present): a reused buffer of the right size
    // needs no clearing.
    let count = layout.width * layout.height;
    if buffer.len() != count {
        buffer.clear();
        buffer.resize(count, [T::of(0.0); 4]);
    }
    let mut pixels = buffer;
    let per_thread = blocks.div_ceil(threads(blocks));
    let block_pixels = layout.width * layout.lines_per_block;
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = pixels
            .chunks_mut(per_thread * block_pixels)
            .zip(chunks.chunks(per_thread))
            .enumerate()
            .map(|(t, (out, chunks))| {
                let layout = &layout;
                scope.spawn(move || {
                    let mut unpacker = BlockUnpacker::<T>::new(layout);
                    for (i, (out, chunk)) in out.chunks_mut(block_pixels).zip(chunks).enumerate() {
                        unpacker.unpack(chunk.as_deref().unwrap_or_default(), out).map_err(|e| {
                            let line = layout.top + ((t * per_thread + i) * layout.lines_per_block) as i64;
                            format!("the block at line {line}: {e}")
                        })?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a decode thread panicked".into()))).collect()
    });
    results.into_iter().collect::<Result<(), String>>().map_err(decode_error)?;
    Ok((layout.width as u32, layout.height as u32, pixels))
}

/// Decompresses and unpacks blocks of one layout, reusing its buffers.
struct BlockUnpacker<'a, T: Lane> {
    layout: &'a Layout,
    coded: Vec<u8>,
    raw: Vec<u8>,
    halves: Vec<f16>,
    floats: Vec<f32>,
    line: Vec<T>,
    decompressor: libdeflater::Decompressor,
}

impl<'a, T: Lane> BlockUnpacker<'a, T> {
    fn new(layout: &'a Layout) -> Self {
        Self {
            layout,
            coded: Vec::new(),
            raw: Vec::new(),
            halves: Vec::with_capacity(layout.width),
            floats: Vec::with_capacity(layout.width),
            line: vec![T::of(0.0); layout.width],
            decompressor: libdeflater::Decompressor::new(),
        }
    }

    /// Fills `out` (the block's whole lines) from the block's file bytes.
    fn unpack(&mut self, bytes: &[u8], out: &mut [[T; 4]]) -> Result<(), String> {
        let layout = self.layout;
        let expected = layout.bytes_per_line() * (out.len() / layout.width);
        let data: &[u8] = if bytes.len() == expected || layout.compression == Compression::Uncompressed {
            bytes
        } else {
            self.coded.resize(expected, 0);
            let n = self
                .decompressor
                .zlib_decompress(bytes, &mut self.coded)
                .map_err(|e| format!("its ZIP data does not decompress ({e:?})"))?;
            if n != expected {
                return Err(format!("its ZIP data holds {n} bytes, {expected} expected"));
            }
            self.raw.resize(expected, 0);
            unpredict(&mut self.coded, &mut self.raw);
            &self.raw
        };
        if data.len() != expected {
            return Err(format!("it holds {} bytes, {expected} expected", data.len()));
        }
        let mut at = 0;
        for row in out.chunks_exact_mut(layout.width) {
            for &(slot, value) in &layout.defaults {
                let value = T::of(value);
                for p in row.iter_mut() {
                    p[slot] = value;
                }
            }
            for (sample_type, slots) in &layout.channels {
                let size = layout.width * sample_type.bytes_per_sample();
                let samples = &data[at..at + size];
                at += size;
                if slots.is_empty() {
                    continue;
                }
                // Little-endian samples at an aligned address are used in place; otherwise decoded.
                let little = cfg!(target_endian = "little");
                match sample_type {
                    ExrSample::F16 => match bytemuck::try_cast_slice::<u8, f16>(samples) {
                        Ok(halves) if little => T::from_halves(halves, &mut self.line),
                        _ => {
                            self.halves.clear();
                            self.halves.extend(samples.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]])));
                            T::from_halves(&self.halves, &mut self.line);
                        }
                    },
                    _ => match bytemuck::try_cast_slice::<u8, f32>(samples) {
                        Ok(floats) if little => T::from_floats(floats, &mut self.line),
                        _ => {
                            self.floats.clear();
                            self.floats
                                .extend(samples.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
                            T::from_floats(&self.floats, &mut self.line);
                        }
                    },
                }
                for &slot in slots {
                    for (p, v) in row.iter_mut().zip(&self.line) {
                        p[slot] = *v;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictor_round_trips_odd_and_even_lengths() {
        for len in [0usize, 1, 2, 7, 64, 1001] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
            let mut coded = Vec::new();
            predict(&bytes, &mut coded);
            let mut back = vec![0; len];
            unpredict(&mut coded, &mut back);
            assert_eq!(back, bytes, "length {len}");
        }
    }

    /// The predictor as OpenEXR's `ImfZip.cpp` writes it, a byte at a time: the reference the fast
    /// loops are checked against.
    fn predict_reference(bytes: &[u8]) -> Vec<u8> {
        let mut out: Vec<u8> = bytes.iter().step_by(2).chain(bytes.iter().skip(1).step_by(2)).copied().collect();
        let mut previous = out.first().copied().unwrap_or(0);
        for b in out.iter_mut().skip(1) {
            let current = *b;
            *b = current.wrapping_sub(previous).wrapping_add(128);
            previous = current;
        }
        out
    }

    #[test]
    fn the_fast_predictor_is_the_byte_at_a_time_one() {
        // Lengths around the word size of the running sum (8) and a 4K half RGBA block, odd and
        // even; bytes from a scrambling sequence, so every delta occurs.
        let lengths = [0usize, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 1031, 4099, 3840 * 8 * 16, 3840 * 8 * 16 + 7];
        for len in lengths {
            let bytes: Vec<u8> = (0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            let mut coded = Vec::new();
            predict(&bytes, &mut coded);
            assert_eq!(coded, predict_reference(&bytes), "predict, length {len}");
            let mut back = vec![0; len];
            unpredict(&mut coded, &mut back);
            assert_eq!(back, bytes, "unpredict, length {len}");
        }
    }

    #[test]
    fn predictor_matches_openexr_layout() {
        // Bytes 0..6 split to [0, 2, 4] + [1, 3, 5] = 0,2,4,1,3,5, then deltas + 128.
        let mut coded = Vec::new();
        predict(&[0, 1, 2, 3, 4, 5], &mut coded);
        assert_eq!(coded, vec![0, 130, 130, 125, 130, 130]);
    }
}
