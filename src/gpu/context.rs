//! The wgpu device: headless for the CLI, tests and benches, or built from eframe's device in the app.

use std::sync::Arc;

use super::{GpuError, lattice::LatticeCache, pipelines::PipelineCache, runner::PassCache};

/// A wgpu device and queue with Cinegrade's pipeline cache.
pub struct GpuContext {
    /// The adapter the device was created on.
    pub adapter_info: wgpu::AdapterInfo,
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// Every compiled compute pipeline, keyed by shader and specialisation.
    pub pipelines: Arc<PipelineCache>,
    /// LUT lattices uploaded as 3D textures.
    pub lattices: Arc<LatticeCache>,
    /// Scratch frames of the pass graphs and their passes' kept bind groups.
    pub passes: Arc<PassCache>,
    /// Which variant of the blur line pass this adapter runs.
    pub spatial: SpatialPasses,
}

/// How the Gaussian line passes (blur, sharpen, glow, grain) read their taps. A key's packed
/// matte has blur passes of its own (`ops::key::matte`), tiled on every adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpatialPasses {
    /// A run of pixels and its apron in workgroup memory, read once (`gaussian.wgsl`).
    Tiled,
    /// Taps read straight from the texture, four outputs a thread sliding a window of texels
    /// (`gaussian_direct.wgsl`).
    Direct,
}

impl SpatialPasses {
    /// The variant for an adapter, by measurement: tiled on GPUs, where it fetches each texel once
    /// per workgroup instead of once per tap; direct on llvmpipe, where the four-pixel sliding
    /// window took 2.4x less time than the tiled pass for a blur of radius 4 and 2.2-2.8x less for
    /// a glow, at 1920x1080 and at 3840x2160 (BENCHMARKS.md, 2026-12-02 15:20 UTC; the earlier
    /// direct pass, a texture read per output and tap, had been 10-20 % slower than tiled there).
    /// `CINEGRADE_SPATIAL=tiled` or `direct` overrides it, to measure both on one machine.
    pub fn for_adapter(info: &wgpu::AdapterInfo) -> Self {
        match std::env::var("CINEGRADE_SPATIAL").as_deref() {
            Ok("direct") => Self::Direct,
            Ok("tiled") => Self::Tiled,
            _ => match info.device_type {
                wgpu::DeviceType::Cpu => Self::Direct,
                wgpu::DeviceType::DiscreteGpu
                | wgpu::DeviceType::IntegratedGpu
                | wgpu::DeviceType::VirtualGpu
                | wgpu::DeviceType::Other => Self::Tiled,
            },
        }
    }
}

/// Orders adapters from most to least preferred: discrete, integrated, virtual, then CPU.
fn adapter_rank(info: &wgpu::AdapterInfo) -> u8 {
    match info.device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    }
}

impl GpuContext {
    /// Opens the best adapter present without a window.
    ///
    /// `CINEGRADE_ADAPTER=<substring>` picks an adapter by name instead (e.g. `llvmpipe`);
    /// `WGPU_BACKEND` narrows the backends as wgpu documents.
    pub fn headless() -> Result<Self, GpuError> {
        pollster::block_on(Self::headless_async())
    }

    async fn headless_async() -> Result<Self, GpuError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let mut adapters = instance.enumerate_adapters(wgpu::Backends::all()).await;
        // Compute shaders and float storage textures need a real compute-capable backend.
        adapters.retain(|a| a.get_downlevel_capabilities().flags.contains(wgpu::DownlevelFlags::COMPUTE_SHADERS));
        if let Ok(wanted) = std::env::var("CINEGRADE_ADAPTER") {
            let wanted = wanted.to_lowercase();
            adapters.retain(|a| a.get_info().name.to_lowercase().contains(&wanted));
        }
        adapters.sort_by_key(|a| (adapter_rank(&a.get_info()), a.get_info().backend != wgpu::Backend::Vulkan));
        let adapter = adapters.into_iter().next().ok_or(GpuError::NoAdapter)?;
        Self::from_adapter(adapter).await
    }

    async fn from_adapter(adapter: wgpu::Adapter) -> Result<Self, GpuError> {
        let adapter_info = adapter.get_info();
        // Ask for everything the adapter offers: large frames need its full texture and buffer limits.
        // Timestamp queries where the adapter has them (`cinegrade bench` reports GPU times with them).
        let timestamps = wgpu::Features::TIMESTAMP_QUERY | wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("cinegrade"),
                required_features: adapter.features() & timestamps,
                required_limits: adapter.limits(),
                experimental_features: wgpu::ExperimentalFeatures::disabled(),
                memory_hints: wgpu::MemoryHints::Performance,
                trace: wgpu::Trace::Off,
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;
        Ok(Self::from_device(adapter_info, device, queue))
    }

    /// Wraps a device created elsewhere (eframe's), so the app and the engine share textures.
    pub fn from_device(adapter_info: wgpu::AdapterInfo, device: wgpu::Device, queue: wgpu::Queue) -> Self {
        Self {
            spatial: SpatialPasses::for_adapter(&adapter_info),
            adapter_info,
            device,
            queue,
            pipelines: Arc::new(PipelineCache::default()),
            lattices: Arc::new(LatticeCache::default()),
            passes: Arc::new(PassCache::default()),
        }
    }

    /// The program this device runs for `program` and how it is dispatched (the pass graph names one
    /// blur line pass; the adapter picks its variant, and the direct variant covers four pixels an
    /// invocation).
    pub fn variant_for<'a>(
        &self,
        program: &'a super::graph::Program,
        dispatch: super::graph::Dispatch,
    ) -> (std::borrow::Cow<'a, super::graph::Program>, super::graph::Dispatch) {
        use super::graph::{Dispatch, Program};
        match program {
            Program::Shader(name) if *name == crate::ops::gaussian::SHADER && self.spatial == SpatialPasses::Direct => {
                let blocks = match dispatch {
                    Dispatch::Rows => Dispatch::RowBlocks,
                    Dispatch::Columns => Dispatch::ColumnBlocks,
                    other => other,
                };
                (std::borrow::Cow::Owned(Program::Shader(crate::ops::gaussian::DIRECT_SHADER)), blocks)
            }
            other => (std::borrow::Cow::Borrowed(other), dispatch),
        }
    }

    /// One line naming the adapter, its backend and driver.
    pub fn describe(&self) -> String {
        let i = &self.adapter_info;
        format!("{} ({:?}, {:?}, driver {} {})", i.name, i.backend, i.device_type, i.driver, i.driver_info)
            .replace("  ", " ")
    }

    /// Largest frame width or height this device can hold.
    pub fn max_dimension(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }

    /// Blocks until all submitted GPU work is done.
    pub fn wait(&self) -> Result<(), GpuError> {
        self.device.poll(wgpu::PollType::wait_indefinitely()).map(|_| ()).map_err(|e| GpuError::Device(e.to_string()))
    }

    /// Maps `buffer` for `mode`, waiting for `after` (the submission that last used it, if the caller
    /// knows it) rather than for everything submitted, so later work keeps the GPU busy meanwhile.
    pub fn map_buffer(
        &self,
        buffer: &wgpu::Buffer,
        mode: wgpu::MapMode,
        after: Option<wgpu::SubmissionIndex>,
    ) -> Result<(), GpuError> {
        let (tx, rx) = std::sync::mpsc::channel();
        buffer.map_async(mode, .., move |r| {
            let _ = tx.send(r);
        });
        if let Some(submission) = after {
            self.wait_for(submission)?;
        }
        let mapped = match rx.try_recv() {
            Ok(mapped) => mapped,
            // Not mapped yet (no submission named, or wgpu ties the mapping to a later one): wait for all.
            Err(_) => {
                self.wait()?;
                rx.recv().map_err(|e| GpuError::Device(format!("mapping a buffer: {e}")))?
            }
        };
        mapped.map_err(|e| GpuError::Device(format!("mapping a buffer: {e}")))
    }

    /// Blocks until `submission` has finished (and its callbacks ran); later ones may still run.
    pub fn wait_for(&self, submission: wgpu::SubmissionIndex) -> Result<(), GpuError> {
        self.device
            .poll(wgpu::PollType::Wait { submission_index: Some(submission), timeout: None })
            .map(|_| ())
            .map_err(|e| GpuError::Device(e.to_string()))
    }
}
