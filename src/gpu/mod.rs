//! GPU execution: the wgpu context, the shader library, the one pipeline cache, frames on the GPU,
//! the pass graph a grade records and its two runners (GPU and CPU twin).

pub mod bake;
mod context;
pub mod cpu;
pub mod executor;
mod frame;
pub mod fused;
pub mod graph;
pub mod lattice;
pub mod layout;
pub mod pipelines;
pub mod proxy;
pub mod reflect;
pub mod runner;
pub mod shaders;
pub mod viewer;
pub mod yuv;

pub use context::{GpuContext, SpatialPasses};
pub use frame::{FrameReadback, FrameUploader, GpuFrame, HALF_SOURCE_FORMAT, HalfReadback, WORKING_FORMAT};

/// Why GPU work could not be done.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter with compute shaders was found.
    #[error(
        "no GPU adapter with compute shaders found (on Linux without a GPU install Mesa's lavapipe: apt-get install mesa-vulkan-drivers libvulkan1)"
    )]
    NoAdapter,
    /// The device could not be created or was lost.
    #[error("GPU device error: {0}")]
    Device(String),
    /// A shader failed to compile or validate.
    #[error("shader error: {0}")]
    Shader(String),
    /// The frame is larger than the device's textures can be.
    #[error("frame {width}x{height} is larger than this GPU allows ({max} pixels per side)")]
    FrameTooLarge {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
        /// The device's limit.
        max: u32,
    },
    /// A frame was written into a texture of another size.
    #[error("frame size does not match the GPU texture")]
    SizeMismatch,
    /// A working frame was written into a half-float source, or a half-float frame elsewhere.
    #[error("frame sample type does not match the GPU texture (half-float frames go into half sources)")]
    FormatMismatch,
    /// Reading a frame back failed.
    #[error("GPU readback failed: {0}")]
    Readback(String),
    /// A file a node names (a LUT) could not be read or uploaded (the message names the file and line).
    #[error(transparent)]
    Lut(#[from] crate::interchange::InterchangeError),
}
