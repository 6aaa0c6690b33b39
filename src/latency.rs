//! Inference latency measured, not estimated (the survey's infrastructure area, Menghani 2021 §3.5:
//! footprint metrics such as MACs do not always predict speed). One example at a time — what an
//! app classifying a user's input waits for — on the current backend, including reading the
//! logits back (on WebGPU that is the submit-and-map round trip). A few warm-up runs first (shader
//! compilation, caches), then the median and 90th percentile of the timed repeats.

use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::data::Dataset;
use crate::error::{Result, ensure};
use crate::model::Classifier;
use crate::train::{self, read_floats};

const WARM_UP: usize = 3;
/// Most repeats accepted in one measurement.
pub const MAX_REPEATS: usize = 1000;

/// Timing of single-example forward passes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub median_ms: f64,
    pub p90_ms: f64,
    pub repeats: usize,
}

/// Times `repeats` forward passes of one test example through `model` on `device`.
pub async fn measure(model: &Classifier, test: &Dataset, device: &Device, repeats: usize) -> Result<Latency> {
    ensure((1..=MAX_REPEATS).contains(&repeats), || format!("repeats must be between 1 and {MAX_REPEATS}, got {repeats}"))?;
    let (x, _) = train::tensors(test, device);
    let one: Tensor<2> = x.narrow(0, 0, 1);
    let mut times = Vec::with_capacity(repeats);
    for run in 0..WARM_UP + repeats {
        let start = Instant::now();
        read_floats(model.forward(one.clone())).await?;
        if run >= WARM_UP {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Ok(Latency { median_ms: at(0.5), p90_ms: at(0.9), repeats })
}
