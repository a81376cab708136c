//! Video clips through the system FFmpeg (`ffmpeg-next` over libavformat/libavcodec; the `video`
//! feature): MOV, MP4 and MXF with ProRes, DNxHR, H.264, HEVC and whatever else the libraries decode.
//!
//! A clip's frames are numbered from 0 in presentation order. Decoding keeps the stream's bit depth:
//! planar Y'CbCr comes out as a [`YuvFrame`] (converted on the GPU by `gpu::yuv`, on the CPU by its
//! twin), with the stream's matrix and range; other layouts (RGB, semi-planar, packed) go through
//! FFmpeg's swscale to 16-bit RGBA. A [`ClipReader`] decodes in order and seeks to the key frame at or
//! before a frame further away, so scrubbing and playback cost a seek only when they jump.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::sync::Once;

use ffmpeg_next as ff;

use super::yuv::{YuvFrame, YuvMatrix, YuvRange};
use super::{FileFormat, Frame, ImageInfo, LoadedImage, MediaError, SampleType};

/// Frames a reader decodes forward (discarding) before it seeks instead.
const SEEK_AFTER: u32 = 48;

/// What `cinegrade info` says about a clip.
#[derive(Clone, Debug, PartialEq)]
pub struct ClipInfo {
    /// Container (FFmpeg's demuxer name and description).
    pub container: String,
    /// Codec name, e.g. "prores".
    pub codec: String,
    /// Codec profile, e.g. "HQ", "4444", "DNXHR HQX", "High 10".
    pub profile: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frame rate as a fraction (numerator, denominator).
    pub frame_rate: (i32, i32),
    /// Frames in the clip (from the container, else from its duration).
    pub frames: u32,
    /// Decoded pixel format, e.g. "yuv422p10le".
    pub pixel_format: String,
    /// Bits per sample of the decoded frames.
    pub bits: u8,
    /// Start timecode, where the container carries one.
    pub timecode: Option<String>,
    /// Colour tags: primaries, transfer, matrix, range (FFmpeg's names; "unspecified" when absent).
    pub primaries: String,
    /// Transfer characteristic.
    pub transfer: String,
    /// Y'CbCr matrix.
    pub matrix: String,
    /// Code range.
    pub range: String,
    /// Whether the frames carry alpha.
    pub alpha: bool,
}

impl ClipInfo {
    /// Frames per second.
    pub fn fps(&self) -> f64 {
        f64::from(self.frame_rate.0) / f64::from(self.frame_rate.1.max(1))
    }

    /// Lines for `cinegrade info`.
    pub fn lines(&self) -> Vec<String> {
        let profile = self.profile.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
        let (n, d) = self.frame_rate;
        let rate = if d == 1 { format!("{n}") } else { format!("{n}/{d} ({:.3})", self.fps()) };
        let mut lines = vec![
            format!("container: {}", self.container),
            format!("codec:     {}{profile}", self.codec),
            format!("size:      {}x{}", self.width, self.height),
            format!("fps:       {rate}"),
            format!("frames:    {} (0-{})", self.frames, self.frames.saturating_sub(1)),
            format!("pixels:    {}, {}-bit{}", self.pixel_format, self.bits, if self.alpha { ", alpha" } else { "" }),
            format!(
                "colour:    primaries {}, transfer {}, matrix {}, range {}",
                self.primaries, self.transfer, self.matrix, self.range
            ),
        ];
        if let Some(tc) = &self.timecode {
            lines.push(format!("timecode:  {tc}"));
        }
        lines
    }
}

/// Initialises FFmpeg once (and quiets its log).
pub(crate) fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = ff::init();
        // Cinegrade reports what fails, naming the file and frame; FFmpeg's own log stays quiet.
        ff::util::log::set_level(ff::util::log::Level::Quiet);
    });
}

fn error(path: &Path, message: impl std::fmt::Display) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: "video", message: message.to_string() }
}

fn frame_error(path: &Path, frame: u32, message: impl std::fmt::Display) -> MediaError {
    MediaError::Decode { path: path.to_path_buf(), format: "video", message: format!("frame {frame}: {message}") }
}

/// True when `path`'s extension names a container Cinegrade opens as a clip.
pub fn is_clip_path(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("mov" | "mp4" | "m4v" | "mxf" | "mkv"))
}

fn pix_fmt_name(format: ff::format::Pixel) -> String {
    format.descriptor().map_or_else(|| format!("{format:?}"), |d| d.name().to_string())
}

/// The layout facts of a pixel format that the planar path needs.
struct Layout {
    components: usize,
    shift_x: u8,
    shift_y: u8,
    depth: u8,
    planar_yuv: bool,
}

fn layout(format: ff::format::Pixel) -> Option<Layout> {
    let raw: ff::ffi::AVPixelFormat = format.into();
    // SAFETY: av_pix_fmt_desc_get returns a pointer to a static table entry or null.
    let desc = unsafe { ff::ffi::av_pix_fmt_desc_get(raw).as_ref()? };
    let flags = desc.flags;
    let excluded = (ff::ffi::AV_PIX_FMT_FLAG_RGB as u64)
        | (ff::ffi::AV_PIX_FMT_FLAG_PAL as u64)
        | (ff::ffi::AV_PIX_FMT_FLAG_BITSTREAM as u64)
        | (ff::ffi::AV_PIX_FMT_FLAG_FLOAT as u64)
        | (ff::ffi::AV_PIX_FMT_FLAG_BE as u64);
    let components = usize::from(desc.nb_components);
    let comps = &desc.comp[..components.min(4)];
    let depth = comps.first().map_or(0, |c| c.depth);
    let planar_yuv = flags & (ff::ffi::AV_PIX_FMT_FLAG_PLANAR as u64) != 0
        && flags & excluded == 0
        && (components == 3 || components == 4)
        && comps
            .iter()
            .enumerate()
            .all(|(i, c)| c.plane == i as i32 && c.shift == 0 && c.offset == 0 && c.depth == depth)
        && (8..=16).contains(&depth)
        && desc.log2_chroma_w <= 1
        && desc.log2_chroma_h <= 1;
    Some(Layout {
        components,
        shift_x: desc.log2_chroma_w,
        shift_y: desc.log2_chroma_h,
        depth: depth as u8,
        planar_yuv,
    })
}

fn tag_name(name: Option<&'static str>) -> String {
    name.unwrap_or("unspecified").to_string()
}

/// The matrix a stream uses: its tag, else what its size implies (HD and up BT.709, SD BT.601),
/// BT.2020 where its primaries or transfer are BT.2020/2100.
fn matrix_of(frame: &ff::frame::Video) -> YuvMatrix {
    use ff::color::{Primaries, Space, TransferCharacteristic as Trc};
    match frame.color_space() {
        Space::BT709 => YuvMatrix::Bt709,
        Space::BT470BG | Space::SMPTE170M | Space::FCC => YuvMatrix::Bt601,
        Space::BT2020NCL | Space::BT2020CL => YuvMatrix::Bt2020,
        _ if frame.color_primaries() == Primaries::BT2020
            || matches!(frame.color_transfer_characteristic(), Trc::SMPTE2084 | Trc::ARIB_STD_B67) =>
        {
            YuvMatrix::Bt2020
        }
        _ if frame.height() >= 720 || frame.width() >= 1280 => YuvMatrix::Bt709,
        _ => YuvMatrix::Bt601,
    }
}

fn range_of(frame: &ff::frame::Video) -> YuvRange {
    let jpeg = matches!(
        frame.format(),
        ff::format::Pixel::YUVJ420P
            | ff::format::Pixel::YUVJ422P
            | ff::format::Pixel::YUVJ444P
            | ff::format::Pixel::YUVJ440P
    );
    if jpeg || frame.color_range() == ff::color::Range::JPEG { YuvRange::Full } else { YuvRange::Limited }
}

/// A decoded frame: planar Y'CbCr as decoded, or RGBA already converted.
#[derive(Clone, Debug)]
pub enum Decoded {
    /// Planar Y'CbCr codes.
    Yuv(YuvFrame),
    /// Converted by swscale (RGB, semi-planar and packed layouts).
    Rgba(Frame),
}

impl Decoded {
    /// Working RGBA (the CPU twin for planar frames).
    pub fn to_frame(&self) -> Frame {
        match self {
            Decoded::Yuv(y) => y.to_frame(),
            Decoded::Rgba(f) => f.clone(),
        }
    }
}

/// A plane's samples, `width` a row, without the row padding (little-endian 16-bit above 8 bits).
fn copy_plane(frame: &ff::frame::Video, index: usize, width: usize, height: usize, depth: u8) -> Vec<u16> {
    let stride = frame.stride(index);
    let data = frame.data(index);
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = &data[y * stride..];
        if depth > 8 {
            out.extend(row[..width * 2].chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])));
        } else {
            out.extend(row[..width].iter().map(|&b| u16::from(b)));
        }
    }
    out
}

/// Converts a decoded FFmpeg frame.
fn convert(path: &Path, n: u32, frame: &ff::frame::Video) -> Result<Decoded, MediaError> {
    let (w, h) = (frame.width(), frame.height());
    let l = layout(frame.format()).ok_or_else(|| frame_error(path, n, "unknown pixel format"))?;
    if l.planar_yuv {
        let (cw, ch) = (w.div_ceil(1 << l.shift_x) as usize, h.div_ceil(1 << l.shift_y) as usize);
        let plane = |i: usize, pw: usize, ph: usize| copy_plane(frame, i, pw, ph, l.depth);
        let yuv = YuvFrame {
            width: w,
            height: h,
            chroma_shift_x: l.shift_x,
            chroma_shift_y: l.shift_y,
            bits: l.depth,
            matrix: matrix_of(frame),
            range: range_of(frame),
            y: plane(0, w as usize, h as usize),
            cb: plane(1, cw, ch),
            cr: plane(2, cw, ch),
            alpha: (l.components == 4).then(|| plane(3, w as usize, h as usize)),
        };
        yuv.check().map_err(|e| frame_error(path, n, e))?;
        return Ok(Decoded::Yuv(yuv));
    }
    use ff::software::scaling::{Context, Flags};
    let flags = Flags::BITEXACT | Flags::ACCURATE_RND | Flags::FULL_CHR_H_INT | Flags::POINT;
    let mut scaler = Context::get(frame.format(), w, h, ff::format::Pixel::RGBA64LE, w, h, flags)
        .map_err(|e| frame_error(path, n, format!("cannot convert {}: {e}", pix_fmt_name(frame.format()))))?;
    let mut rgba = ff::frame::Video::empty();
    scaler.run(frame, &mut rgba).map_err(|e| frame_error(path, n, e))?;
    let samples = copy_plane(&rgba, 0, w as usize * 4, h as usize, 16);
    let pixels = samples.chunks_exact(4).map(|p| [0, 1, 2, 3].map(|i| f32::from(p[i]) / 65535.0)).collect();
    Ok(Decoded::Rgba(Frame { width: w, height: h, pixels }))
}

fn cstr(p: *const std::os::raw::c_char) -> Option<String> {
    // SAFETY: FFmpeg returns null or a pointer to a static NUL-terminated string.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// An open clip, decoding in order.
pub struct ClipReader {
    path: PathBuf,
    input: ff::format::context::Input,
    stream: usize,
    decoder: ff::decoder::Video,
    time_base: ff::Rational,
    start: i64,
    info: ClipInfo,
    /// The next frame the decoder will hand out, when known (after a seek it is not).
    next: Option<u32>,
    /// End of stream sent to the decoder.
    drained: bool,
}

impl ClipReader {
    /// Opens a clip and reads its first frame's facts.
    pub fn open(path: &Path) -> Result<Self, MediaError> {
        init();
        if !path.is_file() {
            return Err(MediaError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let input = ff::format::input(path).map_err(|e| error(path, e))?;
        let stream = input.streams().best(ff::media::Type::Video).ok_or_else(|| error(path, "no video stream"))?;
        let index = stream.index();
        let time_base = stream.time_base();
        let start = if stream.start_time() == ff::ffi::AV_NOPTS_VALUE { 0 } else { stream.start_time() };
        let mut context =
            ff::codec::context::Context::from_parameters(stream.parameters()).map_err(|e| error(path, e))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        context.set_threading(ff::threading::Config {
            kind: ff::threading::Type::Frame,
            count: cores,
            ..Default::default()
        });
        let decoder = context.decoder().video().map_err(|e| error(path, format!("no decoder: {e}")))?;
        // Frames are numbered at a constant rate: the stream's base rate (r_frame_rate), which a
        // short or edited container's average can miss, else the average, else the codec's.
        let rate = [Some(stream.rate()), Some(stream.avg_frame_rate()), decoder.frame_rate()]
            .into_iter()
            .flatten()
            .find(|r| r.numerator() > 0 && r.denominator() > 0 && f64::from(*r) <= 1000.0);
        let rate = rate.ok_or_else(|| error(path, "the video stream has no frame rate"))?;
        super::check_dimensions(path, decoder.width().into(), decoder.height().into())?;
        let params = stream.parameters();
        // SAFETY: the parameters pointer is valid while the stream is.
        let (codec_id, profile) = unsafe { ((*params.as_ptr()).codec_id, (*params.as_ptr()).profile) };
        // SAFETY: avcodec_profile_name takes any id and profile and returns null or a static string.
        let profile = cstr(unsafe { ff::ffi::avcodec_profile_name(codec_id, profile) });
        let frames = match stream.frames() {
            n if n > 0 => n as f64,
            _ => {
                let duration = if stream.duration() > 0 {
                    stream.duration() as f64 * f64::from(time_base)
                } else {
                    input.duration() as f64 / f64::from(ff::ffi::AV_TIME_BASE)
                };
                (duration * f64::from(rate)).round()
            }
        };
        if !(1.0..=f64::from(u32::MAX)).contains(&frames) {
            return Err(error(path, "the clip has no frames"));
        }
        let timecode = stream
            .metadata()
            .get("timecode")
            .map(str::to_string)
            .or_else(|| input.metadata().get("timecode").map(str::to_string))
            .or_else(|| input.streams().find_map(|s| s.metadata().get("timecode").map(str::to_string)));
        let format = decoder.format();
        let l = layout(format);
        let info = ClipInfo {
            container: format!("{} ({})", input.format().name(), input.format().description()),
            codec: decoder.codec().map_or_else(|| decoder.id().name().to_string(), |c| c.name().to_string()),
            profile,
            width: decoder.width(),
            height: decoder.height(),
            frame_rate: (rate.numerator(), rate.denominator()),
            frames: frames as u32,
            pixel_format: pix_fmt_name(format),
            bits: l.as_ref().map_or(8, |l| l.depth),
            timecode,
            primaries: tag_name(decoder.color_primaries().name()),
            transfer: tag_name(decoder.color_transfer_characteristic().name()),
            matrix: tag_name(decoder.color_space().name()),
            range: tag_name(decoder.color_range().name()),
            alpha: l.as_ref().is_some_and(|l| l.components == 4 && l.planar_yuv)
                || format.descriptor().is_some_and(|d| d.nb_components() == 4),
        };
        Ok(Self {
            path: path.to_path_buf(),
            input,
            stream: index,
            decoder,
            time_base,
            start,
            info,
            next: Some(0),
            drained: false,
        })
    }

    /// The clip's facts.
    pub fn info(&self) -> &ClipInfo {
        &self.info
    }

    /// The frame number of a decoded frame's timestamp.
    fn index_of(&self, pts: i64) -> i64 {
        let (tn, td) = (i128::from(self.time_base.numerator()), i128::from(self.time_base.denominator()));
        let (rn, rd) = (i128::from(self.info.frame_rate.0), i128::from(self.info.frame_rate.1));
        let num = i128::from(pts - self.start) * tn * rn;
        let den = td * rd;
        // Round to nearest.
        ((2 * num + den.signum() * den) / (2 * den)) as i64
    }

    fn seek_to(&mut self, frame: u32) -> Result<(), MediaError> {
        // The frame's time in FFmpeg's microseconds; land on the key frame at or before it.
        let (rn, rd) = (i128::from(self.info.frame_rate.0), i128::from(self.info.frame_rate.1));
        let start_us = i128::from(self.start) * i128::from(self.time_base.numerator()) * 1_000_000
            / i128::from(self.time_base.denominator());
        let us = (start_us + i128::from(frame) * rd * 1_000_000 / rn) as i64;
        self.input.seek(us, ..us).map_err(|e| frame_error(&self.path, frame, format!("seek failed: {e}")))?;
        self.decoder.flush();
        self.next = None;
        self.drained = false;
        Ok(())
    }

    /// Decodes frame `n` (from 0).
    pub fn read(&mut self, n: u32) -> Result<Decoded, MediaError> {
        if n >= self.info.frames {
            return Err(frame_error(&self.path, n, format!("beyond the clip's last frame ({})", self.info.frames - 1)));
        }
        let close = self.next.is_some_and(|next| n >= next && n - next <= SEEK_AFTER);
        if !close {
            self.seek_to(n)?;
        }
        let mut retried = false;
        let mut frame = ff::frame::Video::empty();
        loop {
            match self.decoder.receive_frame(&mut frame) {
                Ok(()) => {
                    let index = match frame.timestamp().or(frame.pts()) {
                        Some(pts) => self.index_of(pts),
                        None => i64::from(self.next.unwrap_or(n)),
                    };
                    self.next = u32::try_from(index + 1).ok();
                    if index == i64::from(n) {
                        return convert(&self.path, n, &frame);
                    }
                    if index > i64::from(n) {
                        // Landed past it (an inexact seek): go back further once.
                        if retried {
                            return Err(frame_error(&self.path, n, "cannot seek to it"));
                        }
                        retried = true;
                        self.seek_to(n.saturating_sub(SEEK_AFTER))?;
                    }
                }
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => self.feed(n)?,
                Err(ff::Error::Eof) => return Err(frame_error(&self.path, n, "the stream ended before it")),
                Err(e) => return Err(frame_error(&self.path, n, e)),
            }
        }
    }

    /// Sends the decoder the next packet of the video stream (or the end of stream).
    fn feed(&mut self, n: u32) -> Result<(), MediaError> {
        if self.drained {
            return Err(frame_error(&self.path, n, "the stream ended before it"));
        }
        let mut packet = ff::Packet::empty();
        loop {
            match packet.read(&mut self.input) {
                Ok(()) if packet.stream() == self.stream => {
                    return match self.decoder.send_packet(&packet) {
                        // A corrupt packet: the decoder says so on the frames it cannot make.
                        Ok(()) | Err(ff::Error::InvalidData) => Ok(()),
                        Err(e) => Err(frame_error(&self.path, n, e)),
                    };
                }
                Ok(()) => {}
                Err(ff::Error::Eof) => {
                    self.drained = true;
                    return self.decoder.send_eof().map_err(|e| frame_error(&self.path, n, e));
                }
                Err(e) => return Err(frame_error(&self.path, n, e)),
            }
        }
    }
}

/// The facts of a clip.
pub fn probe(path: &Path) -> Result<ClipInfo, MediaError> {
    Ok(ClipReader::open(path)?.info.clone())
}

thread_local! {
    /// One open reader per clip per thread (decode workers and playback threads each keep theirs,
    /// so consecutive frames decode in order without a seek).
    static READERS: RefCell<HashMap<PathBuf, ClipReader>> = RefCell::new(HashMap::new());
}

/// Frame `n` of the clip at `path`, through this thread's reader for it.
pub fn read_frame(path: &Path, n: u32) -> Result<(Decoded, ClipInfo), MediaError> {
    READERS.with(|readers| {
        let mut readers = readers.borrow_mut();
        if !readers.contains_key(path) {
            if readers.len() >= 4 {
                readers.clear();
            }
            readers.insert(path.to_path_buf(), ClipReader::open(path)?);
        }
        let reader = readers.get_mut(path).expect("inserted above");
        let result = reader.read(n).map(|d| (d, reader.info.clone()));
        if result.is_err() {
            // A reader that failed may be mid-stream in an unknown state: reopen next time.
            readers.remove(path);
        }
        result
    })
}

/// Frame `n` of a clip as a working frame (the CPU twin converts planar frames).
pub fn load_frame(path: &Path, n: u32) -> Result<LoadedImage, MediaError> {
    let (decoded, info) = read_frame(path, n)?;
    Ok(LoadedImage { frame: decoded.to_frame(), info: image_info(&info) })
}

/// A clip's facts in the terms of a still.
pub fn image_info(info: &ClipInfo) -> ImageInfo {
    let channels = if info.alpha { vec!["R", "G", "B", "A"] } else { vec!["R", "G", "B"] };
    ImageInfo {
        format: FileFormat::Video,
        width: info.width,
        height: info.height,
        channels: channels.into_iter().map(String::from).collect(),
        sample_type: match info.bits {
            8 => SampleType::U8,
            10 => SampleType::U10,
            12 => SampleType::U12,
            _ => SampleType::U16,
        },
        notes: info.lines(),
    }
}
