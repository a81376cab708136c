//! Rust structs that mirror WGSL structs (uniforms): their size and member offsets, so one test can
//! hold every one of them to the struct naga reflects from its shader, by member name.

use bytemuck::Pod;

/// A struct's size and its members' names and byte offsets, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructLayout {
    /// Size in bytes.
    pub size: usize,
    /// (member name, offset) in order.
    pub fields: &'static [(&'static str, usize)],
}

/// A `#[repr(C)]` struct the GPU reads; its members carry the WGSL struct's member names.
pub trait GpuStruct: Pod {
    /// Its layout.
    const LAYOUT: StructLayout;
}

impl GpuStruct for () {
    const LAYOUT: StructLayout = StructLayout { size: 0, fields: &[] };
}

/// Declares a `#[repr(C)]` Pod struct mirroring a WGSL struct, with its [`GpuStruct`] layout:
///
/// ```ignore
/// gpu_struct! {
///     /// Docs.
///     pub struct SharpenUniform {
///         /// Detail gain.
///         pub amount: f32,
///     }
/// }
/// ```
#[macro_export]
macro_rules! gpu_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $crate::gpu::layout::GpuStruct for $name {
            const LAYOUT: $crate::gpu::layout::StructLayout = $crate::gpu::layout::StructLayout {
                size: std::mem::size_of::<$name>(),
                fields: &[$((stringify!($field), std::mem::offset_of!($name, $field)),)*],
            };
        }
    };
}
