//! Planar Y'CbCr to working R'G'B'A on the GPU (`shaders/view/yuv_to_rgb.wgsl`): a decoded video
//! frame is uploaded at its own bit depth (16-bit samples, its chroma still subsampled: a 4:2:2
//! 10-bit frame is 4 bytes a pixel against the working frame's 16) and converted with the stream's
//! matrix and range. The CPU twin is [`YuvFrame::to_frame`].

use wgpu::util::DeviceExt;

use super::pipelines::{WORKGROUP, bind_group, dispatch};
use super::{GpuContext, GpuError, GpuFrame};
use crate::media::yuv::YuvFrame;

/// The shader's name in the pipeline cache.
pub const SHADER: &str = "yuv_to_rgb";

crate::gpu_struct! {
    /// The uniform of `yuv_to_rgb.wgsl` (`YuvParams`): plane geometry and the conversion's constants.
    pub struct YuvParams {
        pub width: u32,
        pub height: u32,
        pub chroma_width: u32,
        pub chroma_height: u32,
        pub shift_x: u32,
        pub shift_y: u32,
        pub cb_start: u32,
        pub cr_start: u32,
        pub alpha_start: u32,
        pub has_alpha: u32,
        pub pad0: u32,
        pub pad1: u32,
        pub y_offset: f32,
        pub y_scale: f32,
        pub c_offset: f32,
        pub c_scale: f32,
        pub max_code: f32,
        pub kr: f32,
        pub kb: f32,
        pub pad2: f32,
    }
}

/// Converts `yuv` into `out` (a working frame of its size) on the GPU.
pub fn convert_into(ctx: &GpuContext, yuv: &YuvFrame, out: &GpuFrame) -> Result<(), GpuError> {
    yuv.check().map_err(GpuError::Device)?;
    if (out.width, out.height) != (yuv.width, yuv.height) {
        return Err(GpuError::SizeMismatch);
    }
    let luma = yuv.y.len() as u32;
    let chroma = yuv.cb.len() as u32;
    let mut samples: Vec<u16> = Vec::with_capacity(yuv.y.len() * 2 + yuv.cb.len() * 2 + 1);
    samples.extend_from_slice(&yuv.y);
    samples.extend_from_slice(&yuv.cb);
    samples.extend_from_slice(&yuv.cr);
    if let Some(a) = &yuv.alpha {
        samples.extend_from_slice(a);
    }
    if samples.len() % 2 == 1 {
        samples.push(0);
    }
    let bytes = (samples.len() * 2) as u64;
    let limit = ctx.device.limits().max_storage_buffer_binding_size;
    if bytes > limit {
        return Err(GpuError::Device(format!(
            "a {}x{} video frame's planes ({bytes} bytes) exceed this GPU's storage buffer limit ({limit} bytes)",
            yuv.width, yuv.height
        )));
    }
    let k = yuv.constants();
    let params = YuvParams {
        width: yuv.width,
        height: yuv.height,
        chroma_width: yuv.chroma_width(),
        chroma_height: yuv.chroma_height(),
        shift_x: yuv.chroma_shift_x.into(),
        shift_y: yuv.chroma_shift_y.into(),
        cb_start: luma,
        cr_start: luma + chroma,
        alpha_start: luma + 2 * chroma,
        has_alpha: u32::from(yuv.alpha.is_some()),
        pad0: 0,
        pad1: 0,
        y_offset: k.y_offset,
        y_scale: k.y_scale,
        c_offset: k.c_offset,
        c_scale: k.c_scale,
        max_code: k.max,
        kr: k.kr,
        kb: k.kb,
        pad2: 0.0,
    };
    let device = &ctx.device;
    let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("yuv params"),
        contents: bytemuck::bytes_of(&params),
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let planes = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("yuv planes"),
        contents: bytemuck::cast_slice(&samples),
        usage: wgpu::BufferUsages::STORAGE,
    });
    let pipeline = ctx.pipelines.shader(device, SHADER)?;
    let group = bind_group(
        device,
        &pipeline,
        SHADER,
        &[],
        &[&out.view],
        &[],
        &[uniform.as_entire_binding(), planes.as_entire_binding()],
    )?;
    let mut encoder = device.create_command_encoder(&Default::default());
    let groups = [yuv.width.div_ceil(WORKGROUP), yuv.height.div_ceil(WORKGROUP), 1];
    dispatch(&mut encoder, &pipeline, &group, groups, SHADER);
    ctx.queue.submit([encoder.finish()]);
    Ok(())
}

/// A decoded frame on the GPU as a working frame: pixels uploaded, or planes uploaded and converted.
pub fn upload_decoded(ctx: &GpuContext, decoded: &crate::media::DecodedFrame) -> Result<GpuFrame, GpuError> {
    match decoded {
        crate::media::DecodedFrame::Image(loaded) => GpuFrame::upload(ctx, &loaded.frame),
        crate::media::DecodedFrame::Planes { planes, .. } => upload(ctx, planes),
        crate::media::DecodedFrame::Half { frame, .. } => GpuFrame::upload_half(ctx, frame),
    }
}

/// Uploads and converts a decoded video frame into a new working frame.
pub fn upload(ctx: &GpuContext, yuv: &YuvFrame) -> Result<GpuFrame, GpuError> {
    let out = GpuFrame::new(ctx, yuv.width, yuv.height)?;
    convert_into(ctx, yuv, &out)?;
    Ok(out)
}
