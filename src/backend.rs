//! Compute backends. burn 0.22 dispatches at run time through its `Device`, so the engine is
//! written once and runs on whichever device the host picks: burn's CPU backend (Flex, pure
//! Rust, SIMD128 in the browser, runs everywhere) or wgpu (WebGPU in a browser; Vulkan/Metal natively).

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The backends a host may choose from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// burn-flex on the CPU (in the browser: single-threaded wasm with SIMD128).
    Cpu,
    /// burn-wgpu: WebGPU in the browser, the platform's GPU API natively.
    Webgpu,
}

impl BackendKind {
    /// Parses the names the page and the worker use (`"cpu"`, `"webgpu"`).
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "cpu" => Ok(Self::Cpu),
            "webgpu" => Ok(Self::Webgpu),
            other => Err(Error::InvalidSpec(format!("unknown backend {other:?}: use \"cpu\" or \"webgpu\""))),
        }
    }
}

/// The CPU device: burn's Flex backend, which replaced NdArray here after measuring both: the
/// small CNN trains about 20× faster in wasm, the MLP about as fast (docs/BENCHMARKS.md).
pub fn cpu() -> Device {
    Device::flex()
}

/// Initialises a device. wgpu must be initialised asynchronously in a browser and only once per
/// page: hosts keep the returned device and reuse it.
pub async fn init(kind: BackendKind) -> Result<Device> {
    match kind {
        BackendKind::Cpu => Ok(cpu()),
        BackendKind::Webgpu => init_wgpu().await,
    }
}

#[cfg(feature = "webgpu")]
async fn init_wgpu() -> Result<Device> {
    Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| Error::Backend(format!("WebGPU is not available: {e}")))
}

#[cfg(not(feature = "webgpu"))]
async fn init_wgpu() -> Result<Device> {
    Err(Error::Backend(
        "this build of the engine has no WebGPU: build it with `--features webgpu`".into(),
    ))
}
