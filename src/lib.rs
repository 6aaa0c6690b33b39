//! # Efficiency Playground engine
//!
//! Trains small models with [burn](https://burn.dev) and measures their quality and footprint, so
//! the page in `www/` can plot quality against size — the Pareto view of *Efficient Deep Learning*
//! (Menghani, 2021). The same code runs natively (tests, benchmarks) and in a browser Web Worker
//! (wasm, on WebGPU or the CPU).
//!
//! Module map, in the order data flows:
//! - [`spec`]: the experiment spec (JSON) and its validation (`field_error`: parse errors named by field);
//! - [`data`]: generated 2D sets and the shipped digits, split and normalised;
//! - [`model`]: MLP and small CNN as burn modules, MAC counts;
//! - [`backend`]: choosing and initialising a burn device;
//! - [`train`]: the step-wise training loop with progress and cancel;
//! - [`cost`]: what training a spec will cost (MACs, steps), before it runs;
//! - [`distill`]: knowledge distillation from a trained teacher;
//! - [`compress`]: compression steps (quantization, pruning) and their pipeline;
//! - [`footprint`]: the packed export whose length is the reported size; import;
//! - [`experiment`]: spec → trained, compressed model → [`experiment::Point`];
//! - [`boundary`]: the decision boundary of a 2D model, for drawing;
//! - [`inspect`]: weights, spectra and confusion matrix for the visualizations;
//! - [`latency`]: measured single-example inference time;
//! - `web` (wasm32 only): the wasm-bindgen API the Web Worker calls.

pub mod backend;
pub mod boundary;
pub mod compress;
pub mod cost;
pub mod data;
pub mod distill;
pub mod error;
pub mod experiment;
mod field_error;
pub mod footprint;
pub mod inspect;
pub mod latency;
pub mod model;
pub mod spec;
pub mod train;
#[cfg(target_arch = "wasm32")]
mod web;

pub use error::{Error, Result};
