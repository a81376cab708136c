//! [`ScopeEngine`]: the GPU side of the scopes. Pipelines come from the device's one pipeline cache
//! (layouts reflected from the WGSL); bins and images are created once and reused every frame;
//! [`ScopeEngine::encode`] records clear + accumulate + render into the caller's encoder with no
//! readback, so the scopes follow the viewer at the GPU's pace.

use std::sync::Arc;

use wgpu::util::DeviceExt;

use super::quantize::LEVELS;
use super::render::{self, RenderUniform};
use super::{ScopeError, ScopeKind, ScopeSettings};
use crate::gpu::pipelines::{Pipeline, WORKGROUP, bind_group, dispatch};
use crate::gpu::{GpuContext, GpuFrame};

crate::gpu_struct! {
    /// Accumulation parameters, laid out exactly as `struct ScopeParams` in
    /// `shaders/lib/scope_common.wgsl`.
    pub struct ScopeUniform {
        /// Kr, Kg, Kb ×10000, w unused.
        pub luma: [i32; 4],
        /// Frame width and height.
        pub frame_size: [u32; 2],
        /// Waveform column groups.
        pub waveform_columns: u32,
        /// Vectorscope bins per side.
        pub vectorscope_size: u32,
        /// Vectorscope zoom.
        pub vectorscope_zoom: u32,
        /// Which bins the frame pass fills: bit 0 waveform, bit 1 vectorscope (set per encode).
        pub accumulate: u32,
        /// Padding to a 16-byte multiple.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
    }
}

impl ScopeUniform {
    /// The parameters for a `width` × `height` frame.
    pub fn new(settings: &ScopeSettings, width: u32, height: u32) -> Self {
        let [kr, kg, kb] = settings.luma.integer();
        Self {
            luma: [kr, kg, kb, 0],
            frame_size: [width, height],
            waveform_columns: settings.columns_for(width),
            vectorscope_size: settings.vectorscope_size,
            vectorscope_zoom: settings.vectorscope_zoom,
            accumulate: 0,
            _pad0: 0,
            _pad1: 0,
        }
    }
}

/// Rows each waveform and vectorscope invocation walks (`RUN` in their shaders).
const ACCUMULATE_RUN: u32 = 8;

/// Histogram accumulation tile (`TILE_WIDTH` × `TILE_ROWS` in `scope_histogram.wgsl`).
const HISTOGRAM_TILE: (u32, u32) = (256, 32);

/// Format of the scope images: 8-bit sRGB-encoded values, what egui-wgpu shows as is.
pub const IMAGE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// A scope image on the GPU (`rgba8unorm`; usage STORAGE_BINDING | TEXTURE_BINDING | COPY_SRC).
pub struct ScopeImage {
    /// The texture.
    pub texture: wgpu::Texture,
    /// A view of it: register this with `egui_wgpu::Renderer::register_native_texture`.
    pub view: wgpu::TextureView,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Bins of one scope: a storage buffer of `u32` counts.
pub(super) struct Bins {
    pub(super) buffer: wgpu::Buffer,
    pub(super) len: u32,
}

/// Which accumulations the last [`ScopeEngine::encode`] recorded (waveform, vectorscope, histogram).
#[derive(Clone, Copy, Default)]
pub(super) struct Accumulated {
    pub(super) waveform: bool,
    pub(super) vectorscope: bool,
    pub(super) histogram: bool,
}

/// GPU scopes: owns bins and output images, created once and reused every frame.
pub struct ScopeEngine {
    /// Waveform + vectorscope pass (two bin buffers), histogram pass (one).
    reduce: Arc<Pipeline>,
    accumulate: [Arc<Pipeline>; 2],
    render: [Arc<Pipeline>; 3],
    pub(super) bins: Option<[Bins; 3]>,
    images: Vec<ScopeImage>,
    pub(super) settings: Option<ScopeSettings>,
    pub(super) accumulated: Accumulated,
    pub(super) frame_size: [u32; 2],
    generation: u64,
}

/// The frame passes: waveform and vectorscope together, histogram.
const ACCUMULATE: [&str; 2] = ["scope_accumulate", "scope_histogram"];
/// The bin buffers, by scope.
const BINS: [&str; 3] = ["waveform bins", "vectorscope bins", "histogram bins"];
const REDUCE: &str = "scope_histogram_reduce";
const RENDER: [&str; 3] = ["scope_render_waveform", "scope_render_vectorscope", "scope_render_histogram"];

fn image_index(kind: ScopeKind) -> usize {
    kind.index()
}

impl ScopeEngine {
    /// The six scope pipelines of `ctx`'s device (compiled on first use, in the device's cache).
    pub fn new(ctx: &GpuContext) -> Result<Self, ScopeError> {
        let get = |name| ctx.pipelines.shader(&ctx.device, name);
        let reduce = get(REDUCE)?;
        let accumulate = [get(ACCUMULATE[0])?, get(ACCUMULATE[1])?];
        let render = [get(RENDER[0])?, get(RENDER[1])?, get(RENDER[2])?];
        Ok(Self {
            reduce,
            accumulate,
            render,
            bins: None,
            images: Vec::new(),
            settings: None,
            accumulated: Accumulated::default(),
            frame_size: [0; 2],
            generation: 0,
        })
    }

    /// Records all four scopes of `frame` (display-encoded) into `encoder`; see [`Self::encode_kinds`].
    pub fn encode(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        frame: &GpuFrame,
        settings: &ScopeSettings,
    ) -> Result<(), ScopeError> {
        self.encode_kinds(ctx, encoder, frame, settings, &ScopeKind::ALL)
    }

    /// Records the accumulation and render passes of `kinds` into `encoder`, with no readback.
    ///
    /// Bins and images are (re)allocated only when the settings change their sizes; after a
    /// reallocation [`Self::generation`] changes and the app must re-register the image views.
    pub fn encode_kinds(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        frame: &GpuFrame,
        settings: &ScopeSettings,
        kinds: &[ScopeKind],
    ) -> Result<(), ScopeError> {
        settings.validate()?;
        self.allocate(ctx, settings);
        let device = &ctx.device;
        let Some(bins) = &self.bins else { unreachable!("allocated above") };
        let wants = |k: ScopeKind| kinds.contains(&k);
        let acc = Accumulated {
            waveform: wants(ScopeKind::Waveform) || wants(ScopeKind::Parade),
            vectorscope: wants(ScopeKind::Vectorscope),
            histogram: wants(ScopeKind::Histogram),
        };
        let mut uniform = ScopeUniform::new(settings, frame.width, frame.height);
        uniform.accumulate = u32::from(acc.waveform) | u32::from(acc.vectorscope) << 1;
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("scope params"),
            contents: bytemuck::bytes_of(&uniform),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        // Waveform and vectorscope in one pass over the frame (each pixel read and quantised once):
        // 16 x 16 invocations, each over RUN rows of one column.
        if acc.waveform || acc.vectorscope {
            for (i, on) in [acc.waveform, acc.vectorscope].into_iter().enumerate() {
                if on {
                    encoder.clear_buffer(&bins[i].buffer, 0, None);
                }
            }
            let buffers =
                [uniform.as_entire_binding(), bins[0].buffer.as_entire_binding(), bins[1].buffer.as_entire_binding()];
            let p = &self.accumulate[0];
            let group = bind_group(device, p, ACCUMULATE[0], &[&frame.view], &[], &[], &buffers)?;
            let groups = [frame.width.div_ceil(WORKGROUP), frame.height.div_ceil(WORKGROUP * ACCUMULATE_RUN), 1];
            dispatch(encoder, p, &group, groups, ACCUMULATE[0]);
        }
        if acc.histogram && acc.waveform {
            // The histogram is the waveform summed over its columns: no further pass over the frame.
            let buffers =
                [uniform.as_entire_binding(), bins[0].buffer.as_entire_binding(), bins[2].buffer.as_entire_binding()];
            let group = bind_group(device, &self.reduce, REDUCE, &[], &[], &[], &buffers)?;
            dispatch(encoder, &self.reduce, &group, [(4 * LEVELS).div_ceil(256), 1, 1], REDUCE);
        } else if acc.histogram {
            encoder.clear_buffer(&bins[2].buffer, 0, None);
            let buffers = [uniform.as_entire_binding(), bins[2].buffer.as_entire_binding()];
            let p = &self.accumulate[1];
            let group = bind_group(device, p, ACCUMULATE[1], &[&frame.view], &[], &[], &buffers)?;
            let groups = [frame.width.div_ceil(HISTOGRAM_TILE.0), frame.height.div_ceil(HISTOGRAM_TILE.1), 2];
            dispatch(encoder, p, &group, groups, ACCUMULATE[1]);
        }
        for kind in ScopeKind::ALL.into_iter().filter(|k| wants(*k)) {
            let scope = match kind {
                ScopeKind::Waveform | ScopeKind::Parade => 0,
                ScopeKind::Vectorscope => 1,
                ScopeKind::Histogram => 2,
            };
            let params = RenderUniform::new(kind, settings, frame.width, frame.height);
            let params = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(render::shader(kind)),
                contents: bytemuck::bytes_of(&params),
                usage: wgpu::BufferUsages::UNIFORM,
            });
            let image = &self.images[image_index(kind)];
            let buffers = [params.as_entire_binding(), bins[scope].buffer.as_entire_binding()];
            let p = &self.render[scope];
            let group = bind_group(device, p, RENDER[scope], &[], &[&image.view], &[], &buffers)?;
            let groups = if kind == ScopeKind::Histogram {
                // One thread per image column (see scope_render_histogram.wgsl).
                [image.width.div_ceil(256), 1, 1]
            } else {
                [image.width.div_ceil(WORKGROUP), image.height.div_ceil(WORKGROUP), 1]
            };
            dispatch(encoder, p, &group, groups, RENDER[scope]);
        }
        self.accumulated = acc;
        self.frame_size = [frame.width, frame.height];
        Ok(())
    }

    /// Encodes and submits the scopes of `frame` in one go (CLI, tests); the work is queued, not awaited.
    pub fn run(
        &mut self,
        ctx: &GpuContext,
        frame: &GpuFrame,
        settings: &ScopeSettings,
        kinds: &[ScopeKind],
    ) -> Result<(), ScopeError> {
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        self.encode_kinds(ctx, &mut encoder, frame, settings, kinds)?;
        ctx.queue.submit([encoder.finish()]);
        Ok(())
    }

    /// The image of `kind`, once an encode has allocated it (waveform and parade have their own). It
    /// holds the scope as of the last encode that asked for `kind`.
    pub fn image(&self, kind: ScopeKind) -> Option<&ScopeImage> {
        self.images.get(image_index(kind))
    }

    /// Changes whenever the images are reallocated (new size): re-register their views then.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn allocate(&mut self, ctx: &GpuContext, settings: &ScopeSettings) {
        let same = |a: &ScopeSettings| {
            (a.waveform_columns, a.vectorscope_size, a.image_width, a.image_height)
                == (settings.waveform_columns, settings.vectorscope_size, settings.image_width, settings.image_height)
        };
        if self.settings.as_ref().is_some_and(same) {
            self.settings = Some(*settings);
            return;
        }
        let device = &ctx.device;
        let lens =
            [4 * settings.waveform_columns * LEVELS, settings.vectorscope_size * settings.vectorscope_size, 4 * LEVELS];
        self.bins = Some(std::array::from_fn(|i| Bins {
            buffer: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(BINS[i]),
                size: u64::from(lens[i]) * 4,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
            len: lens[i],
        }));
        self.images = ScopeKind::ALL
            .iter()
            .map(|kind| {
                let texture = device.create_texture(&wgpu::TextureDescriptor {
                    label: Some(kind.name()),
                    size: wgpu::Extent3d {
                        width: settings.image_width,
                        height: settings.image_height,
                        depth_or_array_layers: 1,
                    },
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format: IMAGE_FORMAT,
                    usage: wgpu::TextureUsages::STORAGE_BINDING
                        | wgpu::TextureUsages::TEXTURE_BINDING
                        | wgpu::TextureUsages::COPY_SRC,
                    view_formats: &[],
                });
                let view = texture.create_view(&Default::default());
                ScopeImage { texture, view, width: settings.image_width, height: settings.image_height }
            })
            .collect();
        self.settings = Some(*settings);
        self.accumulated = Accumulated::default();
        self.generation += 1;
    }
}
