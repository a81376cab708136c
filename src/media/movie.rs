//! Review movies through FFmpeg (the `video` feature): graded frames encoded as ProRes 422 HQ
//! (10-bit 4:2:2, `prores_ks`) or H.264 (8-bit 4:2:0, `libx264`), with the colour tags (primaries,
//! transfer, matrix, range) of the display encoding the frames are in. Cinegrade converts R'G'B' to
//! Y'CbCr itself ([`YuvFrame::from_frame`]: the matrix the tags name, limited range) so the tags and
//! the pixels cannot disagree. The movie is written to a temporary file and renamed into place.

use std::path::{Path, PathBuf};

use ffmpeg_next as ff;

use super::yuv::{YuvFrame, YuvMatrix, YuvRange};
use super::{Frame, MediaError};

/// A review codec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovieCodec {
    /// Apple ProRes 422 HQ, 10-bit 4:2:2.
    ProRes422Hq,
    /// H.264 High, 8-bit 4:2:0 (CRF 16, for review on any player).
    H264,
}

impl MovieCodec {
    /// Name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::ProRes422Hq => "prores422hq",
            Self::H264 => "h264",
        }
    }
}

/// The colour tags of a movie, as FFmpeg names them, and the matrix its pixels use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MovieTags {
    /// Primaries.
    pub primaries: ff::color::Primaries,
    /// Transfer characteristic.
    pub transfer: ff::color::TransferCharacteristic,
    /// Matrix (also the one the pixels are converted with).
    pub matrix: ff::color::Space,
}

impl MovieTags {
    /// The tags of a built-in display encoding (`rec709-display`, `srgb-display`, `display-p3`,
    /// `rec2100-pq`, `rec2100-hlg`, `p3d65-pq`); BT.709 for anything else, the review default.
    pub fn for_space(space: Option<&str>) -> Self {
        use ff::color::{Primaries as P, Space as S, TransferCharacteristic as T};
        let (primaries, transfer, matrix) = match space {
            Some("srgb-display") => (P::BT709, T::IEC61966_2_1, S::BT709),
            Some("display-p3") => (P::SMPTE432, T::IEC61966_2_1, S::BT709),
            Some("rec2100-pq") => (P::BT2020, T::SMPTE2084, S::BT2020NCL),
            Some("rec2100-hlg") => (P::BT2020, T::ARIB_STD_B67, S::BT2020NCL),
            Some("p3d65-pq") => (P::SMPTE432, T::SMPTE2084, S::BT2020NCL),
            _ => (P::BT709, T::BT709, S::BT709),
        };
        Self { primaries, transfer, matrix }
    }

    fn yuv_matrix(self) -> YuvMatrix {
        match self.matrix {
            ff::color::Space::BT2020NCL => YuvMatrix::Bt2020,
            _ => YuvMatrix::Bt709,
        }
    }
}

fn encode_error(path: &Path, message: impl std::fmt::Display) -> MediaError {
    MediaError::Encode { path: path.to_path_buf(), format: "movie", message: message.to_string() }
}

/// A movie being written, frame by frame, into its temporary file.
pub struct MovieWriter {
    target: PathBuf,
    tmp: PathBuf,
    output: ff::format::context::Output,
    encoder: ff::encoder::Video,
    codec: MovieCodec,
    tags: MovieTags,
    width: u32,
    height: u32,
    time_base: ff::Rational,
    stream_time_base: ff::Rational,
    next_pts: i64,
    /// `finish` owns the temporary file from here (renames or removes it).
    finished: bool,
}

impl MovieWriter {
    /// Starts `path` (`.mov`, `.mp4`, `.mkv`; the extension picks the container) at `fps`.
    pub fn create(
        path: &Path,
        width: u32,
        height: u32,
        fps: f64,
        codec: MovieCodec,
        tags: MovieTags,
    ) -> Result<Self, MediaError> {
        super::video::init();
        let muxer = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("mov") => "mov",
            Some("mp4" | "m4v") => "mp4",
            Some("mkv") => "matroska",
            _ => return Err(encode_error(path, "a movie is written as .mov, .mp4 or .mkv")),
        };
        // 4:2:2 and 4:2:0 need an even width (4:2:0 an even height): an odd edge is repeated once.
        let width = width + width % 2;
        let height = if codec == MovieCodec::H264 { height + height % 2 } else { height };
        let tmp = super::atomic::temp_path(path);
        let fail = |e: ff::Error| encode_error(path, e);
        let mut output = ff::format::output_as(&tmp, muxer).map_err(fail)?;
        let (encoder_name, pixel) = match codec {
            MovieCodec::ProRes422Hq => ("prores_ks", ff::format::Pixel::YUV422P10LE),
            MovieCodec::H264 => ("libx264", ff::format::Pixel::YUV420P),
        };
        let found = ff::encoder::find_by_name(encoder_name)
            .ok_or_else(|| encode_error(path, format!("this FFmpeg has no {encoder_name} encoder")))?;
        // Frame rates as FFmpeg keeps them: 23.976 is 24000/1001.
        let rate = if (fps * 1001.0 / 1000.0).fract().abs() < 1e-6 && fps.fract() != 0.0 {
            ff::Rational::new((fps * 1001.0).round() as i32, 1001)
        } else {
            ff::Rational::new((fps * 1000.0).round() as i32, 1000).reduce()
        };
        let time_base = rate.invert();
        let global_header = output.format().flags().contains(ff::format::Flags::GLOBAL_HEADER);
        let mut context = ff::codec::context::Context::new_with_codec(found).encoder().video().map_err(fail)?;
        context.set_width(width);
        context.set_height(height);
        context.set_format(pixel);
        context.set_time_base(time_base);
        context.set_frame_rate(Some(rate));
        context.set_colorspace(tags.matrix);
        context.set_color_range(ff::color::Range::MPEG);
        context.set_color_primaries(tags.primaries);
        // SAFETY: the context is valid and not yet opened; the transfer has no safe setter.
        unsafe { (*context.as_mut_ptr()).color_trc = tags.transfer.into() };
        if global_header {
            context.set_flags(ff::codec::Flags::GLOBAL_HEADER);
        }
        let mut options = ff::Dictionary::new();
        match codec {
            MovieCodec::ProRes422Hq => {
                options.set("profile", "3");
                options.set("vendor", "apl0");
            }
            MovieCodec::H264 => {
                options.set("crf", "16");
                options.set("preset", "medium");
                options.set("profile", "high");
            }
        }
        let encoder = context.open_with(options).map_err(fail)?;
        let mut stream = output.add_stream(found).map_err(fail)?;
        stream.set_parameters(&encoder);
        stream.set_time_base(time_base);
        // Constant rate, said outright: the container would otherwise average it over a duration
        // that ends at the last frame's start.
        stream.set_rate(rate);
        stream.set_avg_frame_rate(rate);
        output.write_header().map_err(fail)?;
        let stream_time_base = output.stream(0).map_or(time_base, |s| s.time_base());
        Ok(Self {
            target: path.to_path_buf(),
            tmp,
            output,
            encoder,
            codec,
            tags,
            width,
            height,
            time_base,
            stream_time_base,
            next_pts: 0,
            finished: false,
        })
    }

    /// Encodes the next frame (display-encoded R'G'B', the size the movie was created for).
    pub fn write(&mut self, frame: &Frame) -> Result<(), MediaError> {
        let padded;
        let frame = if (frame.width, frame.height) == (self.width, self.height) {
            frame
        } else if (frame.width + frame.width % 2, frame.height + frame.height % 2) == (self.width, self.height)
            || (frame.width + frame.width % 2, frame.height) == (self.width, self.height)
        {
            padded = Frame::from_fn(self.width, self.height, |x, y| {
                frame.pixel(x.min(frame.width - 1), y.min(frame.height - 1))
            });
            &padded
        } else {
            frame
        };
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(encode_error(
                &self.target,
                format!("frame {}x{} in a {}x{} movie", frame.width, frame.height, self.width, self.height),
            ));
        }
        let (bits, shift, pixel) = match self.codec {
            MovieCodec::ProRes422Hq => (10, (1, 0), ff::format::Pixel::YUV422P10LE),
            MovieCodec::H264 => (8, (1, 1), ff::format::Pixel::YUV420P),
        };
        let yuv = YuvFrame::from_frame(frame, bits, shift, self.tags.yuv_matrix(), YuvRange::Limited, false);
        let mut out = ff::frame::Video::new(pixel, self.width, self.height);
        for (i, plane) in [&yuv.y, &yuv.cb, &yuv.cr].into_iter().enumerate() {
            let pw = if i == 0 { yuv.width } else { yuv.chroma_width() } as usize;
            let stride = out.stride(i);
            let data = out.data_mut(i);
            for (row, samples) in plane.chunks(pw).enumerate() {
                let dst = &mut data[row * stride..];
                if bits > 8 {
                    for (x, v) in samples.iter().enumerate() {
                        dst[2 * x..2 * x + 2].copy_from_slice(&v.to_le_bytes());
                    }
                } else {
                    for (x, v) in samples.iter().enumerate() {
                        dst[x] = *v as u8;
                    }
                }
            }
        }
        out.set_color_space(self.tags.matrix);
        out.set_color_range(ff::color::Range::MPEG);
        out.set_color_primaries(self.tags.primaries);
        out.set_color_transfer_characteristic(self.tags.transfer);
        out.set_pts(Some(self.next_pts));
        self.next_pts += 1;
        self.encoder.send_frame(&out).map_err(|e| encode_error(&self.target, e))?;
        self.drain()
    }

    fn drain(&mut self) -> Result<(), MediaError> {
        let mut packet = ff::Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            packet.set_stream(0);
            packet.rescale_ts(self.time_base, self.stream_time_base);
            packet.write_interleaved(&mut self.output).map_err(|e| encode_error(&self.target, e))?;
        }
        Ok(())
    }

    /// Flushes the encoder, finishes the file and renames it into place.
    pub fn finish(mut self) -> Result<PathBuf, MediaError> {
        let result = (|| {
            self.encoder.send_eof().map_err(|e| encode_error(&self.target, e))?;
            self.drain()?;
            self.output.write_trailer().map_err(|e| encode_error(&self.target, e))
        })();
        let (tmp, target) = (self.tmp.clone(), self.target.clone());
        // Dropping the writer closes the file before it is renamed or removed.
        self.finished = true;
        drop(self);
        match result {
            Ok(()) => {
                super::atomic::finish(&tmp, &target)
                    .map_err(|source| MediaError::Io { path: target.clone(), source })?;
                Ok(target)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    /// Frames written so far.
    pub fn frames(&self) -> i64 {
        self.next_pts
    }
}

impl Drop for MovieWriter {
    fn drop(&mut self) {
        // Abandoned (an error, a stop): the temporary file goes; the target was never touched.
        if !self.finished {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
