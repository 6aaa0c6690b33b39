//! Compression techniques from the survey's first area (Menghani 2021, §3.1), one file each, named
//! after the step's `kind` in the spec (and the page's key for it), applied as an ordered
//! [`pipeline`] to a trained model's host weights ([`crate::host`]): [`quantize`] (post-training
//! quantization), [`qat`] (quantization-aware training), [`half`] (float16/bfloat16),
//! [`quantize_activations`] (calibrated activation quantization), [`prune`] (magnitude pruning),
//! [`gradual_prune`] (its schedule), [`structured_prune`] (whole neurons and channels), [`cluster`]
//! (k-means weight sharing, its centroids tuned by [`centroid_tuning`]), [`low_rank`] (truncated
//! SVD), [`fine_tune`] (retraining with the sparsity pattern fixed) and [`resize`] (width and depth,
//! Net2Net growth). Each implements [`Technique`] for its spec — validation and `apply` to the
//! pipeline's running state ([`compressed`]) — and one that trains builds its own training hooks;
//! the experiment only runs them ([`FineTuner`]). The stored forms (integer [`codes`], low-rank
//! factors) sit below the techniques, which produce them, and the model file, which stores them.

pub mod centroid_tuning;
pub mod cluster;
pub mod codes;
pub mod compressed;
pub mod effective_macs;
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
pub mod technique;

pub use compressed::Compressed;
pub use pipeline::Step;
pub use technique::{FineTuner, NoFineTuning, Technique};
