//! The viewer's GPU side: the shot's source frame uploaded once, the graded frame re-rendered on every
//! edit into persistent textures, and 8-bit display textures for the UI to draw (before, after,
//! difference). No egui here: the app registers [`Viewer::display_view`] textures with its renderer.

use std::sync::Arc;

use wgpu::util::DeviceExt;

use super::graph::Dispatch;
use super::pipelines::{Pipeline, bind_group};
use super::runner::workgroups;
use super::{FrameUploader, GpuContext, GpuError, GpuFrame, executor};
use crate::grade::Grade;
use crate::media::Frame;

/// Shader name of the display pass (`shaders/view/display.wgsl`).
pub const DISPLAY_SHADER: &str = "display";
/// Format of the display textures (values are display-encoded already).
pub const DISPLAY_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// Which picture a display texture shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DisplayKind {
    /// The graded frame.
    After,
    /// The comparison reference: a grabbed still, else the ungraded source.
    Reference,
    /// |after − reference| amplified.
    Difference,
    /// The ungraded source (bypass).
    Source,
}

impl DisplayKind {
    /// All kinds, in texture order.
    pub const ALL: [DisplayKind; 4] = [Self::After, Self::Reference, Self::Difference, Self::Source];
}

crate::gpu_struct! {
    /// Uniform of `display.wgsl` (`struct Display`).
    pub struct DisplayUniform {
        /// 0 = show `graded`, 1 = difference.
        pub mode: u32,
        /// Difference amplification.
        pub gain: f32,
        /// Padding to 16 bytes.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
    }
}

/// Gain applied to the difference view so that small grade changes are visible.
pub const DIFFERENCE_GAIN: f32 = 4.0;

/// A shot on the GPU, ready to be regraded and displayed.
pub struct Viewer {
    source: GpuFrame,
    graded: GpuFrame,
    still: Option<GpuFrame>,
    uploader: Option<FrameUploader>,
    displays: Vec<GpuFrame>,
    /// The grade's last pass writes the graded display when it can (see [`Viewer::set_fused_display`]).
    fused_display: bool,
    display: Arc<Pipeline>,
    bind_groups: Vec<wgpu::BindGroup>,
    uniforms: Vec<wgpu::Buffer>,
    /// Displays that renders keep up to date (a bit per [`DisplayKind`]; after always).
    wanted: std::cell::Cell<u8>,
    /// Displays that show the current source, still and grade.
    fresh: std::cell::Cell<u8>,
    /// A QC overlay painted over the graded display, and the frame it is painted into.
    overlay: Option<(crate::qc::overlay::Overlay, GpuFrame)>,
    /// Bumped whenever the source's pixels change (the proxy decimates it again then).
    source_version: std::cell::Cell<u64>,
    /// The decimated viewer graded while a control moves: its factor, the source version it was
    /// decimated from, and whether it is what is shown now.
    proxy: Option<Proxy>,
    /// The device grid's cells: decimated viewers graded side by side, each with its own grade.
    grid: Option<Decimated>,
}

/// Viewers of the source decimated by `factor`, each graded with its own grade (the proxy: one; the
/// device grid: one a device), decimated again only when the source changed.
struct Decimated {
    /// Unique to this set of viewers (the UI registers their textures under it).
    id: u64,
    factor: u32,
    /// The source version they were decimated from.
    decimated: Option<u64>,
    cells: Vec<Viewer>,
}

impl Decimated {
    fn new(ctx: &GpuContext, source: &GpuFrame, factor: u32, count: usize) -> Result<Self, GpuError> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let (w, h) = super::proxy::size(source.width, source.height, factor);
        let cells = (0..count)
            .map(|_| {
                let cell = Viewer::with_source(ctx, GpuFrame::new(ctx, w, h)?)?;
                cell.show_only(&[]);
                Ok(cell)
            })
            .collect::<Result<Vec<_>, GpuError>>()?;
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Self { id, factor, decimated: None, cells })
    }

    /// Decimates `source` (at `version`) into every cell unless they hold it already, then grades
    /// each cell with its grade.
    fn render(
        &mut self,
        ctx: &GpuContext,
        source: &GpuFrame,
        version: u64,
        grades: &[Grade],
        frame_number: u32,
    ) -> Result<(), GpuError> {
        if self.decimated != Some(version) {
            let mut encoder = ctx.device.create_command_encoder(&Default::default());
            for cell in &self.cells {
                super::proxy::encode(ctx, &mut encoder, source, &cell.source, self.factor)?;
                cell.fresh.set(0);
            }
            ctx.queue.submit([encoder.finish()]);
            self.decimated = Some(version);
        }
        for (cell, grade) in self.cells.iter().zip(grades) {
            cell.render(ctx, grade, frame_number)?;
        }
        Ok(())
    }
}

/// A viewer's proxy (see [`super::proxy`]): one decimated viewer, and whether it is what is shown.
struct Proxy {
    set: Decimated,
    shown: std::cell::Cell<bool>,
}

fn bit(kind: DisplayKind) -> u8 {
    1 << kind as u8
}

/// The displays that change with the grade.
const GRADED: u8 = 1 << DisplayKind::After as u8 | 1 << DisplayKind::Difference as u8;

impl Viewer {
    /// Uploads `frame` and allocates every texture the viewer needs for it.
    pub fn new(ctx: &GpuContext, frame: &Frame) -> Result<Self, GpuError> {
        Self::with_source(ctx, GpuFrame::upload(ctx, frame)?)
    }

    /// A viewer of a source already on the GPU.
    fn with_source(ctx: &GpuContext, source: GpuFrame) -> Result<Self, GpuError> {
        let graded = GpuFrame::new(ctx, source.width, source.height)?;
        let display = ctx.pipelines.shader(&ctx.device, DISPLAY_SHADER)?;
        let displays = DisplayKind::ALL
            .iter()
            .map(|kind| {
                let label = match kind {
                    DisplayKind::After => "display after",
                    DisplayKind::Reference => "display reference",
                    DisplayKind::Difference => "display difference",
                    DisplayKind::Source => "display source",
                };
                GpuFrame::new_display(ctx, source.width, source.height, label)
            })
            .collect::<Result<Vec<_>, GpuError>>()?;
        let uniforms = DisplayKind::ALL
            .iter()
            .map(|kind| {
                let u = DisplayUniform {
                    mode: u32::from(*kind == DisplayKind::Difference),
                    gain: DIFFERENCE_GAIN,
                    _pad0: 0,
                    _pad1: 0,
                };
                ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("display uniform"),
                    contents: bytemuck::bytes_of(&u),
                    usage: wgpu::BufferUsages::UNIFORM,
                })
            })
            .collect();
        let mut viewer = Self {
            source,
            graded,
            still: None,
            uploader: None,
            displays,
            fused_display: true,
            display,
            bind_groups: Vec::new(),
            uniforms,
            wanted: std::cell::Cell::new(0b1111),
            fresh: std::cell::Cell::new(0),
            overlay: None,
            source_version: std::cell::Cell::new(0),
            proxy: None,
            grid: None,
        };
        viewer.rebuild_bind_groups(ctx)?;
        Ok(viewer)
    }

    /// The frame the comparison views read as "before": a grabbed still, else the source.
    fn reference(&self) -> &GpuFrame {
        self.still.as_ref().unwrap_or(&self.source)
    }

    fn rebuild_bind_groups(&mut self, ctx: &GpuContext) -> Result<(), GpuError> {
        let reference = self.reference();
        // The graded display shows the overlay when one is on; the difference is the grade's own.
        let after = self.overlay.as_ref().map_or(&self.graded, |(_, frame)| frame);
        let inputs = [(after, reference), (reference, reference), (&self.graded, reference), (&self.source, reference)];
        self.bind_groups = inputs
            .iter()
            .zip(&self.displays)
            .zip(&self.uniforms)
            .map(|(((a, b), out), uniform)| {
                let buffers = [uniform.as_entire_binding()];
                bind_group(&ctx.device, &self.display, "display", &[&a.view, &b.view], &[&out.view], &[], &buffers)
            })
            .collect::<Result<_, _>>()?;
        self.fresh.set(0);
        Ok(())
    }

    /// Paints a QC overlay over the graded display from the next [`Viewer::render`] on (`None`:
    /// the picture alone). The graded frame, the probe and the scopes stay the grade's.
    pub fn set_overlay(
        &mut self,
        ctx: &GpuContext,
        overlay: Option<crate::qc::overlay::Overlay>,
    ) -> Result<(), GpuError> {
        if self.overlay.as_ref().map(|(o, _)| *o) == overlay {
            return Ok(());
        }
        let had = self.overlay.is_some();
        self.overlay = match (overlay, self.overlay.take()) {
            (None, _) => None,
            (Some(o), Some((_, frame))) => Some((o, frame)),
            (Some(o), None) => Some((o, GpuFrame::new(ctx, self.source.width, self.source.height)?)),
        };
        if had != self.overlay.is_some() {
            self.rebuild_bind_groups(ctx)?;
        }
        self.fresh.set(0);
        Ok(())
    }

    /// The overlay painted over the graded display, if any.
    pub fn overlay(&self) -> Option<crate::qc::overlay::Overlay> {
        self.overlay.as_ref().map(|(o, _)| *o)
    }

    /// Frame size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.source.width, self.source.height)
    }

    /// Replaces the source frame in place (playback, stepping through a sequence): the pixels are
    /// written into the existing source texture, nothing is allocated. The frame must be the viewer's
    /// size (else [`GpuError::SizeMismatch`]: make a new viewer); call [`Viewer::render`] after it.
    pub fn replace_source(&mut self, ctx: &GpuContext, frame: &Frame) -> Result<(), GpuError> {
        let (width, height) = self.size();
        if (frame.width, frame.height) != (width, height) {
            return Err(GpuError::SizeMismatch);
        }
        // A kept staging buffer (made on the first replacement): playback uploads every frame.
        let uploader = self.uploader.get_or_insert_with(|| FrameUploader::new(ctx, width, height));
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        uploader.upload(ctx, &mut encoder, frame, &self.source)?;
        ctx.queue.submit([encoder.finish()]);
        self.fresh.set(0);
        self.source_version.set(self.source_version.get() + 1);
        Ok(())
    }

    /// Grades the proxy (the source decimated by `factor`, kept on the GPU and decimated again only
    /// when the source changed) and shows it instead of the full frame until the next
    /// [`Viewer::render`]. The proxy shows the graded picture only (no comparison views, no overlay).
    pub fn render_proxy(
        &mut self,
        ctx: &GpuContext,
        grade: &Grade,
        frame_number: u32,
        factor: u32,
    ) -> Result<(), GpuError> {
        let factor = factor.max(2);
        if self.proxy.as_ref().is_none_or(|p| p.set.factor != factor) {
            let set = Decimated::new(ctx, &self.source, factor, 1)?;
            self.proxy = Some(Proxy { set, shown: std::cell::Cell::new(false) });
        }
        let version = self.source_version.get();
        let Some(proxy) = self.proxy.as_mut() else { return Ok(()) };
        proxy.set.render(ctx, &self.source, version, std::slice::from_ref(grade), frame_number)?;
        proxy.shown.set(true);
        Ok(())
    }

    /// Grades one decimated copy of the source per grade in `grades` (the source decimated by
    /// `factor`, 1 for none, again only when the source changed): a grid of previews of one frame,
    /// such as the device previews side by side. The cells show the graded picture only.
    pub fn render_grid(
        &mut self,
        ctx: &GpuContext,
        grades: &[Grade],
        frame_number: u32,
        factor: u32,
    ) -> Result<(), GpuError> {
        let factor = factor.max(1);
        if self.grid.as_ref().is_none_or(|g| g.factor != factor || g.cells.len() != grades.len()) {
            self.grid = None;
            self.grid = Some(Decimated::new(ctx, &self.source, factor, grades.len())?);
        }
        let version = self.source_version.get();
        let Some(grid) = self.grid.as_mut() else { return Ok(()) };
        grid.render(ctx, &self.source, version, grades, frame_number)
    }

    /// The grid's cells (in the order of the grades last rendered), their decimation factor and an
    /// id unique to this set of cells.
    pub fn grid(&self) -> Option<(&[Viewer], u32, u64)> {
        self.grid.as_ref().map(|g| (g.cells.as_slice(), g.factor, g.id))
    }

    /// Counts changes of the source's pixels (a new frame shown, a replaced source).
    pub fn source_version(&self) -> u64 {
        self.source_version.get()
    }

    /// Frees the grid's cells (the grid is no longer shown).
    pub fn drop_grid(&mut self) {
        self.grid = None;
    }

    /// The proxy, while it is what the viewer shows.
    pub fn shown_proxy(&self) -> Option<&Viewer> {
        self.proxy.as_ref().filter(|p| p.shown.get()).map(|p| &p.set.cells[0])
    }

    /// The proxy's factor, while it is shown.
    pub fn proxy_factor(&self) -> Option<u32> {
        self.proxy.as_ref().filter(|p| p.shown.get()).map(|p| p.set.factor)
    }

    /// Keeps only `kinds` (and always the graded display) up to date from now on: each display is a
    /// pass over the frame, worth running only while it is shown (all four by default). Returns true
    /// when a display just asked for is stale, so the caller should [`Viewer::render`] again.
    pub fn show_only(&self, kinds: &[DisplayKind]) -> bool {
        let wanted = kinds.iter().fold(bit(DisplayKind::After), |m, k| m | bit(*k));
        self.wanted.set(wanted);
        wanted & !self.fresh.get() != 0
    }

    /// Re-renders the graded frame and the wanted displays that need it: those showing the grade
    /// (after, difference), and the reference and source displays when the source or the still
    /// changed. Only parameters travel; the source stays on the GPU and no texture is allocated.
    /// `frame_number` is the shot's frame (film grain changes from frame to frame).
    pub fn render(&self, ctx: &GpuContext, grade: &Grade, frame_number: u32) -> Result<(), GpuError> {
        self.hide_proxy();
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        // The graded display written by the grade's last pass where it can be (not under an overlay,
        // which is painted between the two).
        let display =
            (self.fused_display && self.overlay.is_none()).then(|| &self.displays[DisplayKind::After as usize]);
        let displayed = executor::encode_grade_with_display(
            ctx,
            &mut encoder,
            grade,
            frame_number,
            &self.source,
            &self.graded,
            display,
        )?;
        if let Some((overlay, frame)) = &self.overlay {
            crate::qc::overlay::encode(ctx, &mut encoder, overlay, &self.graded, frame)?;
        }
        let groups =
            workgroups(Dispatch::Pixels, self.display.reflection.workgroup, self.source.width, self.source.height);
        {
            let mut pass = encoder
                .begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("display"), timestamp_writes: None });
            pass.set_pipeline(&self.display.pipeline);
            let draw = self.wanted.get() & (GRADED | !self.fresh.get());
            self.fresh.set(self.fresh.get() & !GRADED | draw);
            for (kind, bind_group) in DisplayKind::ALL.iter().zip(&self.bind_groups) {
                if draw & bit(*kind) == 0 || (displayed && *kind == DisplayKind::After) {
                    continue;
                }
                pass.set_bind_group(0, bind_group, &[]);
                pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
            }
        }
        ctx.queue.submit([encoder.finish()]);
        Ok(())
    }

    /// Whether the grade's last pass may write the graded display itself (on by default; off, the
    /// display pass always draws it, which is what tests compare the fused display against).
    pub fn set_fused_display(&mut self, on: bool) {
        self.fused_display = on;
        self.fresh.set(0);
    }

    fn hide_proxy(&self) {
        if let Some(p) = &self.proxy {
            p.shown.set(false);
        }
    }

    /// The display texture view of `kind` (for the UI to register with its renderer).
    pub fn display_view(&self, kind: DisplayKind) -> &wgpu::TextureView {
        &self.displays[kind as usize].view
    }

    /// The display texture of `kind` (for readback in tests and screenshots).
    pub fn display_texture(&self, kind: DisplayKind) -> &wgpu::Texture {
        &self.displays[kind as usize].texture
    }

    /// The graded working frame.
    pub fn graded(&self) -> &GpuFrame {
        &self.graded
    }

    /// The source working frame.
    pub fn source(&self) -> &GpuFrame {
        &self.source
    }

    /// Grabs the current graded frame as a still; comparisons use it as "before" until cleared.
    pub fn grab_still(&mut self, ctx: &GpuContext) -> Result<(), GpuError> {
        let still = GpuFrame::new(ctx, self.source.width, self.source.height)?;
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_texture(
            self.graded.texture.as_image_copy(),
            still.texture.as_image_copy(),
            still.extent(),
        );
        ctx.queue.submit([encoder.finish()]);
        self.still = Some(still);
        self.rebuild_bind_groups(ctx)
    }

    /// Uses a still image (a grabbed still loaded from disk) as the comparison reference.
    pub fn set_still_frame(&mut self, ctx: &GpuContext, frame: &Frame) -> Result<(), GpuError> {
        if (frame.width, frame.height) != self.size() {
            return Err(GpuError::SizeMismatch);
        }
        self.still = Some(GpuFrame::upload(ctx, frame)?);
        self.rebuild_bind_groups(ctx)
    }

    /// Compares against the ungraded source again.
    pub fn clear_still(&mut self, ctx: &GpuContext) -> Result<(), GpuError> {
        self.still = None;
        self.rebuild_bind_groups(ctx)
    }

    /// True while a grabbed still is the comparison reference.
    pub fn has_still(&self) -> bool {
        self.still.is_some()
    }

    /// The pixel probe at (x, y): graded working values, source working values, and the 8-bit values
    /// the viewer shows there. While the proxy is shown (a control moving) the graded and screen
    /// values are the proxy's pixel over (x, y), the picture on screen, instead of the full frame's,
    /// which waits for the control to be released; the source value is always the full frame's.
    pub fn probe(&self, ctx: &GpuContext, x: u32, y: u32) -> Result<Probe, GpuError> {
        let source = self.source.read_region(ctx, x, y, 1, 1)?.pixels[0];
        let (shown, at, proxy_factor) = match (self.shown_proxy(), self.proxy_factor()) {
            (Some(p), Some(f)) => {
                let (w, h) = p.size();
                (p, ((x / f).min(w - 1), (y / f).min(h - 1)), Some(f))
            }
            _ => (self, (x, y), None),
        };
        let graded = shown.graded.read_region(ctx, at.0, at.1, 1, 1)?.pixels[0];
        let display = read_rgba8_region(ctx, shown.display_texture(DisplayKind::After), at.0, at.1, 1, 1)?;
        Ok(Probe { x, y, graded, source, display: [display[0], display[1], display[2]], proxy_factor })
    }

    /// Reads a display texture back as 8-bit RGBA rows (tests, thumbnails, still export of the view).
    pub fn read_display(&self, ctx: &GpuContext, kind: DisplayKind) -> Result<Vec<u8>, GpuError> {
        read_rgba8(ctx, self.display_texture(kind))
    }
}

/// What the pixel probe reads under the cursor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Probe {
    /// Column.
    pub x: u32,
    /// Row.
    pub y: u32,
    /// Graded working values (RGBA).
    pub graded: [f32; 4],
    /// Source working values (RGBA).
    pub source: [f32; 4],
    /// The 8-bit display values shown on screen.
    pub display: [u8; 3],
    /// Set while the graded and screen values come from the viewer's proxy (the source decimated by
    /// this factor, graded while a control moves).
    pub proxy_factor: Option<u32>,
}

/// Reads an rgba8 texture back to tightly packed rows.
pub fn read_rgba8(ctx: &GpuContext, texture: &wgpu::Texture) -> Result<Vec<u8>, GpuError> {
    read_rgba8_region(ctx, texture, 0, 0, texture.width(), texture.height())
}

/// Reads a rectangle of an rgba8 texture back to tightly packed rows.
pub fn read_rgba8_region(
    ctx: &GpuContext,
    texture: &wgpu::Texture,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
) -> Result<Vec<u8>, GpuError> {
    if x + w > texture.width() || y + h > texture.height() || w == 0 || h == 0 {
        return Err(GpuError::SizeMismatch);
    }
    let padded = (w * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
    let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("rgba8 readback"),
        size: u64::from(padded) * u64::from(h),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encoder.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture,
            mip_level: 0,
            origin: wgpu::Origin3d { x, y, z: 0 },
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(padded), rows_per_image: Some(h) },
        },
        wgpu::Extent3d { width: w, height: h, depth_or_array_layers: 1 },
    );
    ctx.queue.submit([encoder.finish()]);
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    ctx.wait()?;
    rx.recv().map_err(|e| GpuError::Readback(e.to_string()))?.map_err(|e| GpuError::Readback(e.to_string()))?;
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    {
        let data = buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
        for row in data.chunks_exact(padded as usize) {
            out.extend_from_slice(&row[..(w * 4) as usize]);
        }
    }
    buffer.unmap();
    Ok(out)
}
