//! Compression techniques from the survey's first area (Menghani 2021, §3.1), one file each, named
//! after the step's `kind` in the spec (and the page's key for it), applied as an ordered
//! [`pipeline`] to a trained model's host weights ([`crate::host`]): [`quantize`] (post-training
//! quantization), [`qat`] (quantization-aware training), [`half`] (float16/bfloat16),
//! [`quantize_activations`] (calibrated activation quantization), [`prune`] (magnitude pruning),
//! [`gradual_prune`] (its schedule), [`structured_prune`] (whole neurons and channels), [`cluster`]
//! (k-means weight sharing, its centroids tuned by [`centroid_tuning`]), [`low_rank`] (truncated
//! SVD), [`fine_tune`] (retraining with the sparsity pattern fixed) and [`resize`] (width and depth,
//! Net2Net growth). A technique that trains builds its own training hooks in its file; the
//! experiment only runs them ([`fine_tune::FineTuner`]). Quantized and clustered tensors keep their
//! integer [`codes`] for the export.

pub mod centroid_tuning;
pub mod cluster;
pub mod codes;
pub mod fine_tune;
pub mod gradual_prune;
pub mod half;
pub mod low_rank;
pub mod pipeline;
pub mod prune;
pub mod qat;
pub mod quantize;
pub mod quantize_activations;
pub mod resize;
pub mod structured_prune;

pub use pipeline::{Compressed, Step};
