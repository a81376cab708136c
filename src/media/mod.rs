//! Frame I/O: PNG, JPEG and TIFF through the `image` crate, OpenEXR through `exr`, DPX ([`dpx`]); still export;
//! numbered frame sequences ([`sequence`]).

pub mod atomic;
mod complete;
pub mod dpx;
mod exr_io;
mod exr_scanline;
mod frame;
#[cfg(feature = "video")]
pub mod movie;
mod raster;
mod save;
pub mod sequence;
#[cfg(feature = "video")]
pub mod video;
pub mod yuv;

use std::path::{Path, PathBuf};

pub use atomic::{write_atomically, write_bytes_atomically};
pub use complete::check_complete;
pub use dpx::{DpxDepth, DpxTags};
pub use frame::{Frame, HalfFrame};
pub use save::{ExrDepth, SaveOptions, save, save_half};

/// Largest width or height a decoder will accept (a 32K frame; beyond is a corrupt header).
pub const MAX_DIMENSION: u32 = 32768;
/// Largest decoded frame in bytes of working RGBA float (about 4 GiB: a 16K × 16K frame).
pub const MAX_DECODED_BYTES: u64 = 4 << 30;

/// File formats Cinegrade reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// Portable Network Graphics.
    Png,
    /// JPEG.
    Jpeg,
    /// TIFF.
    Tiff,
    /// OpenEXR.
    Exr,
    /// DPX (SMPTE ST 268).
    Dpx,
    /// A video clip (MOV, MP4, MXF, MKV) read through FFmpeg; its frames are numbered from 0.
    Video,
}

impl FileFormat {
    /// The format implied by a path's extension.
    pub fn from_path(path: &Path) -> Result<Self, MediaError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(Self::Png),
            Some("jpg" | "jpeg") => Ok(Self::Jpeg),
            Some("tif" | "tiff") => Ok(Self::Tiff),
            Some("exr") => Ok(Self::Exr),
            Some("dpx") => Ok(Self::Dpx),
            Some("mov" | "mp4" | "m4v" | "mxf" | "mkv") => Ok(Self::Video),
            _ => Err(MediaError::UnknownFormat(path.to_path_buf())),
        }
    }

    /// Upper-case short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Tiff => "TIFF",
            Self::Exr => "OpenEXR",
            Self::Dpx => "DPX",
            Self::Video => "video",
        }
    }

    /// True for a video clip (many frames in one file).
    pub fn is_video(self) -> bool {
        self == Self::Video
    }
}

/// How samples are stored in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleType {
    /// 8-bit unsigned integer.
    U8,
    /// 10-bit unsigned integer (DPX).
    U10,
    /// 12-bit unsigned integer (DPX).
    U12,
    /// 16-bit unsigned integer.
    U16,
    /// 32-bit unsigned integer (EXR ids; read as float).
    U32,
    /// 16-bit float.
    F16,
    /// 32-bit float.
    F32,
}

impl SampleType {
    /// Human name, e.g. "16-bit integer".
    pub fn describe(self) -> &'static str {
        match self {
            Self::U8 => "8-bit integer",
            Self::U10 => "10-bit integer",
            Self::U12 => "12-bit integer",
            Self::U16 => "16-bit integer",
            Self::U32 => "32-bit unsigned integer",
            Self::F16 => "16-bit half float",
            Self::F32 => "32-bit float",
        }
    }
}

/// What a file holds, as found when decoding it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageInfo {
    /// Container format.
    pub format: FileFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Channel names in file order (e.g. R, G, B, A or Y).
    pub channels: Vec<String>,
    /// Sample storage.
    pub sample_type: SampleType,
    /// Extra facts worth telling (tiling, compression, layers).
    pub notes: Vec<String>,
}

impl ImageInfo {
    /// True when the file carries alpha.
    pub fn has_alpha(&self) -> bool {
        self.channels.iter().any(|c| c == "A")
    }
}

/// A decoded image: working float pixels and what the file was.
#[derive(Clone, Debug)]
pub struct LoadedImage {
    /// The pixels (alpha 1 where the file has none).
    pub frame: Frame,
    /// What the file held.
    pub info: ImageInfo,
}

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Not an extension Cinegrade knows.
    #[error("{0}: unknown image format (expected .png, .jpg, .tif, .exr, .dpx, or a .mov, .mp4, .mxf or .mkv clip)")]
    UnknownFormat(PathBuf),
    /// The file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The decoder refused the data (truncated, corrupt, unsupported variant).
    #[error("{path}: cannot decode {format}: {message}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// Format name.
        format: &'static str,
        /// Decoder message.
        message: String,
    },
    /// The header declares a frame too large to be real or to fit in memory.
    #[error("{path}: refusing {width}x{height} frame (limit {MAX_DIMENSION} pixels per side and {} GiB decoded)", MAX_DECODED_BYTES >> 30)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Declared width.
        width: u64,
        /// Declared height.
        height: u64,
    },
    /// The encoder failed.
    #[error("{path}: cannot write {format}: {message}")]
    Encode {
        /// The file.
        path: PathBuf,
        /// Format name.
        format: &'static str,
        /// Encoder message.
        message: String,
    },
    /// A clip, in a build without the `video` feature.
    #[error("{0}: this build of Cinegrade reads no video (built without the `video` feature)")]
    NoVideo(PathBuf),
    /// Writing would replace a file the user did not ask to replace.
    #[error("{0}: already exists (pass --overwrite to replace it)")]
    WouldOverwrite(PathBuf),
}

/// Refuses dimensions no real frame has, before anything is allocated.
pub(crate) fn check_dimensions(path: &Path, width: u64, height: u64) -> Result<(), MediaError> {
    let too_large = width == 0
        || height == 0
        || width > u64::from(MAX_DIMENSION)
        || height > u64::from(MAX_DIMENSION)
        || width * height * 16 > MAX_DECODED_BYTES;
    if too_large {
        return Err(MediaError::TooLarge { path: path.to_path_buf(), width, height });
    }
    Ok(())
}

/// Where one frame comes from: a file (a still, a sequence's frame) or a frame of a video clip.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FrameSource {
    /// A frame file.
    File(PathBuf),
    /// Frame `frame` (from 0) of the clip at `path`.
    Clip {
        /// The clip.
        path: PathBuf,
        /// Its frame, from 0.
        frame: u32,
    },
}

impl From<PathBuf> for FrameSource {
    fn from(path: PathBuf) -> Self {
        FrameSource::File(path)
    }
}

impl std::fmt::Display for FrameSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameSource::File(p) => write!(f, "{}", p.display()),
            FrameSource::Clip { path, frame } => write!(f, "{} frame {frame}", path.display()),
        }
    }
}

/// A frame as decoded: working pixels, or a clip's planar Y'CbCr (for the GPU to convert).
#[derive(Clone, Debug)]
pub enum DecodedFrame {
    /// Working RGBA.
    Image(LoadedImage),
    /// Planar Y'CbCr codes and what the clip is.
    Planes {
        /// The planes.
        planes: yuv::YuvFrame,
        /// What the clip holds.
        info: ImageInfo,
    },
    /// A half-float file's samples as they are (for the GPU to read as `rgba16float`).
    Half {
        /// The samples.
        frame: HalfFrame,
        /// What the file holds.
        info: ImageInfo,
    },
}

impl DecodedFrame {
    /// Width and height.
    pub fn size(&self) -> (u32, u32) {
        match self {
            DecodedFrame::Image(i) => (i.frame.width, i.frame.height),
            DecodedFrame::Planes { planes, .. } => (planes.width, planes.height),
            DecodedFrame::Half { frame, .. } => (frame.width, frame.height),
        }
    }

    /// What the file holds.
    pub fn info(&self) -> &ImageInfo {
        match self {
            DecodedFrame::Image(i) => &i.info,
            DecodedFrame::Planes { info, .. } | DecodedFrame::Half { info, .. } => info,
        }
    }

    /// As working pixels (planes converted by the CPU twin).
    pub fn into_loaded(self) -> LoadedImage {
        match self {
            DecodedFrame::Image(i) => i,
            DecodedFrame::Planes { planes, info } => LoadedImage { frame: planes.to_frame(), info },
            DecodedFrame::Half { frame, info } => LoadedImage { frame: frame.to_frame(), info },
        }
    }
}

impl FrameSource {
    /// The file it is read from (the clip for a clip's frame).
    pub fn path(&self) -> &Path {
        match self {
            FrameSource::File(p) => p,
            FrameSource::Clip { path, .. } => path,
        }
    }

    /// The frame as working pixels.
    pub fn load(&self) -> Result<LoadedImage, MediaError> {
        match self {
            FrameSource::File(p) => load(p),
            FrameSource::Clip { path, frame } => load_clip_frame(path, *frame),
        }
    }

    /// The frame as decoded, reusing `buffer` for a file's pixels where the decoder allows; a clip's
    /// planar frames stay planar.
    pub fn decode(&self, buffer: Vec<[f32; 4]>) -> Result<DecodedFrame, MediaError> {
        self.decode_with(buffer, None)
    }

    /// [`Self::decode`]; given `half` (a buffer to reuse), an EXR whose channels are all half comes as
    /// [`DecodedFrame::Half`], its samples untouched.
    pub fn decode_with(
        &self,
        buffer: Vec<[f32; 4]>,
        half: Option<Vec<[half::f16; 4]>>,
    ) -> Result<DecodedFrame, MediaError> {
        match self {
            FrameSource::File(p) if half.is_some() && FileFormat::from_path(p).ok() == Some(FileFormat::Exr) => {
                Ok(match exr_io::load_with(p, buffer, half)? {
                    exr_io::Loaded::Float(image) => DecodedFrame::Image(image),
                    exr_io::Loaded::Half(frame, info) => DecodedFrame::Half { frame, info },
                })
            }
            FrameSource::File(p) => load_reusing(p, buffer).map(DecodedFrame::Image),
            #[cfg(feature = "video")]
            FrameSource::Clip { path, frame } => {
                let (decoded, clip) = video::read_frame(path, *frame)?;
                let info = video::image_info(&clip);
                Ok(match decoded {
                    video::Decoded::Yuv(planes) => DecodedFrame::Planes { planes, info },
                    video::Decoded::Rgba(frame) => DecodedFrame::Image(LoadedImage { frame, info }),
                })
            }
            #[cfg(not(feature = "video"))]
            FrameSource::Clip { path, .. } => Err(MediaError::NoVideo(path.clone())),
        }
    }
}

/// Frame `frame` (from 0) of a video clip as a working frame.
pub fn load_clip_frame(path: &Path, frame: u32) -> Result<LoadedImage, MediaError> {
    #[cfg(feature = "video")]
    return video::load_frame(path, frame);
    #[cfg(not(feature = "video"))]
    {
        let _ = frame;
        Err(MediaError::NoVideo(path.to_path_buf()))
    }
}

/// Decodes a still into a working float frame, keeping every value the file holds.
pub fn load(path: &Path) -> Result<LoadedImage, MediaError> {
    load_reusing(path, Vec::new())
}

/// [`load`], decoding into `buffer`'s allocation where the decoder allows (scanline EXR): a
/// sequence reader hands back the previous frame's pixels instead of faulting in fresh memory for
/// every frame (133 MB at 4K).
pub fn load_reusing(path: &Path, buffer: Vec<[f32; 4]>) -> Result<LoadedImage, MediaError> {
    match FileFormat::from_path(path)? {
        FileFormat::Exr => exr_io::load(path, buffer),
        FileFormat::Dpx => dpx::load(path),
        FileFormat::Video => load_clip_frame(path, 0),
        format => raster::load(path, format),
    }
}
