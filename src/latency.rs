//! Inference latency measured, not estimated (the survey's infrastructure area, Menghani 2021 §3.5:
//! footprint metrics such as MACs do not always predict speed). One example at a time — what an
//! app classifying a user's input waits for — on the current backend, including reading the
//! logits back (on WebGPU that is the submit-and-map round trip). A few warm-up runs first (shader
//! compilation, caches), then the median and 90th percentile of the timed repeats. Browsers round
//! timers to 0.1 ms or coarser, and a tiny MLP answers in microseconds, so each timed repeat runs as
//! many passes as fill at least [`MIN_SAMPLE_MS`] and reports the mean per pass.

use std::future::Future;

use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::data::Dataset;
use crate::error::{Result, ensure};
use crate::host::read_floats;
use crate::model::Classifier;
use crate::train;

const WARM_UP: usize = 3;
/// The shortest stretch timed at once.
pub const MIN_SAMPLE_MS: f64 = 2.0;
/// Most passes in one timed repeat.
const MAX_PASSES: usize = 4096;
/// Most repeats accepted in one measurement.
pub const MAX_REPEATS: usize = 1000;

/// Timing of single-example forward passes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub median_ms: f64,
    pub p90_ms: f64,
    pub repeats: usize,
    /// Forward passes per timed repeat.
    pub passes: usize,
}

/// Times `repeats` samples of forward passes of one test example through `model` on `device`.
pub async fn measure(model: &Classifier, test: &Dataset, device: &Device, repeats: usize) -> Result<Latency> {
    ensure((1..=MAX_REPEATS).contains(&repeats), || {
        format!("repeats must be between 1 and {MAX_REPEATS}, got {repeats}")
    })?;
    let (x, _) = train::tensors(test, device);
    let one: Tensor<2> = x.narrow(0, 0, 1);
    let forward = || async { read_floats(model.forward(one.clone())).await.map(drop) };
    for _ in 0..WARM_UP {
        forward().await?;
    }
    // Doubles the passes per sample until a sample is long enough to time.
    let mut passes = 1;
    while passes < MAX_PASSES && time(passes, &forward).await? < MIN_SAMPLE_MS {
        passes *= 2;
    }
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        times.push(time(passes, &forward).await? / passes as f64);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Ok(Latency {
        median_ms: at(0.5),
        p90_ms: at(0.9),
        repeats,
        passes,
    })
}

/// Milliseconds taken by `passes` calls of `forward`.
async fn time<F: Future<Output = Result<()>>>(passes: usize, forward: &impl Fn() -> F) -> Result<f64> {
    let start = Instant::now();
    for _ in 0..passes {
        forward().await?;
    }
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}
