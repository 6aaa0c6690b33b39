//! # Efficiency Playground engine
//!
//! Trains small models with [burn](https://burn.dev) and measures their quality and footprint, so
//! the page in `www/` can plot quality against size — the Pareto view of *Efficient Deep Learning*
//! (Menghani, 2021). The same code runs natively (tests, benchmarks) and in a browser Web Worker
//! (wasm, on WebGPU or the CPU).
//!
//! Module map, as a stack: each module uses only those listed before it (`scripts/check-layers`
//! checks this, and that the files inside each folder form a stack too).
//! - `error`, `field_error`: the error type and parse errors named by field;
//! - [`host`]: the ground floor: a model's weights as host vectors, reading tensors back;
//! - [`backend`]: choosing and initialising a burn device;
//! - [`data`]: its spec; generated 2D sets and the shipped digits, split and normalised;
//! - [`model`]: its spec; MLP and small CNN as burn modules, initialisation, activation ranges, MACs;
//! - [`train`]: its spec and the fine-tuning spec; the step-wise loop with progress, cancel and
//!   hand-over (another engine goes on with the run);
//! - [`distill`]: the knowledge-distillation loss (learning from a trained teacher);
//! - [`compress`]: one file per compression technique, and their pipeline;
//! - [`boundary`], [`latency`], [`inspect`]: the decision boundary of a 2D model, measured
//!   inference time, weights, spectra and confusion matrix for the visualizations;
//! - [`spec`]: the experiment spec composing the parts' specs (JSON), and its validation;
//! - [`catalog`]: the step kinds and limits, for the page to build its controls from;
//! - [`cost`]: what training a spec will cost (MACs, steps), before it runs;
//! - [`footprint`]: the packed export whose length is the reported size; import;
//! - [`handover_file`]: a training run's state between epochs, as bytes for another engine;
//! - [`experiment`]: spec → trained, compressed model → [`experiment::Point`];
//! - [`sensitivity`], [`mixed_precision`]: automation: how much each layer tolerates, and
//!   per-layer bits chosen from it under a byte budget; [`search`]: successive halving over width,
//!   depth, bits and sparsity under a footprint budget; [`strategy`]: the survey's two strategies
//!   as stages of ordinary pipelines;
//! - `web` (wasm32 only): the wasm-bindgen API the Web Worker calls.

pub mod backend;
pub mod boundary;
pub mod catalog;
pub mod compress;
pub mod cost;
pub mod data;
pub mod distill;
pub mod error;
pub mod experiment;
mod field_error;
pub mod footprint;
pub mod handover_file;
pub mod host;
pub mod inspect;
pub mod latency;
pub mod mixed_precision;
pub mod model;
pub mod search;
pub mod sensitivity;
pub mod spec;
pub mod strategy;
pub mod train;
mod unique_keys;
#[cfg(target_arch = "wasm32")]
mod web;

pub use error::{Error, Result};
