//! Compression techniques from the survey's first area (Menghani 2021, §3.1), each in its own
//! file, applied as an ordered [`pipeline`] to a trained model's host [`weights`]:
//! [`quantize`] (post-training quantization) and [`prune`] (magnitude pruning).

pub mod pipeline;
pub mod prune;
pub mod quantize;
pub mod weights;

pub use pipeline::{Compressed, Step};
