//! Compression techniques from the survey's first area (Menghani 2021, §3.1), each in its own
//! file, applied as an ordered [`pipeline`] to a trained model's host [`weights`]:
//! [`quantize`] (post-training quantization), [`prune`] (magnitude pruning), its [`gradual`]
//! schedule and its [`structured`] form (whole neurons and channels), [`cluster`] (k-means
//! weight sharing, with [`centroid_tuning`]), [`lowrank`] (truncated SVD), [`finetune`] (retraining with the sparsity
//! pattern fixed), [`qat`] (quantization-aware training), [`half_float`] (float16/bfloat16),
//! [`activation_quant`] (calibrated activation quantization) and [`resize`] (width and depth,
//! Net2Net growth). Quantized and clustered tensors keep their integer [`codes`] for the export.

pub mod activation_quant;
pub mod centroid_tuning;
pub mod cluster;
pub mod codes;
pub mod finetune;
pub mod gradual;
pub mod half_float;
pub mod lowrank;
pub mod pipeline;
pub mod prune;
pub mod qat;
pub mod quantize;
pub mod resize;
pub mod structured;
pub mod weights;

pub use pipeline::{Compressed, Step};
