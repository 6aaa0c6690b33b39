//! Inference latency measured, not estimated (the survey's infrastructure area, Menghani 2021 §3.5:
//! footprint metrics such as MACs do not always predict speed). One example at a time — what an
//! app classifying a user's input waits for — on the current backend, including reading the
//! logits back (on WebGPU that is the submit-and-map round trip). A few warm-up runs first (shader
//! compilation, caches), then the median and 90th percentile of the timed repeats. Browsers round
//! timers to 0.1 ms or coarser, and a tiny MLP answers in microseconds, so each timed repeat runs as
//! many passes as fill at least [`MIN_SAMPLE_MS`] and reports the mean per pass ([`passes_per_sample`]).

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
/// Samples timed for each count of passes while it is being chosen (the shortest counts).
const CALIBRATION_SAMPLES: usize = 3;
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
    let passes = passes_per_sample(&forward).await?;
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

/// How many calls of `forward` a timed sample makes: doubled until the shortest of
/// [`CALIBRATION_SAMPLES`] samples lasts [`MIN_SAMPLE_MS`] (at most [`MAX_PASSES`]). The shortest, so
/// that one pause (garbage collection, another busy tab) cannot stop the doubling early: samples of a
/// few microseconds would then read 0 on a browser's coarse timer, and the latency with them.
pub async fn passes_per_sample<F: Future<Output = Result<()>>>(forward: &impl Fn() -> F) -> Result<usize> {
    let mut passes = 1;
    while passes < MAX_PASSES && shortest(passes, forward).await? < MIN_SAMPLE_MS {
        passes *= 2;
    }
    Ok(passes)
}

async fn shortest<F: Future<Output = Result<()>>>(passes: usize, forward: &impl Fn() -> F) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..CALIBRATION_SAMPLES {
        best = best.min(time(passes, forward).await?);
    }
    Ok(best)
}

/// Milliseconds taken by `passes` calls of `forward`.
async fn time<F: Future<Output = Result<()>>>(passes: usize, forward: &impl Fn() -> F) -> Result<f64> {
    let start = Instant::now();
    for _ in 0..passes {
        forward().await?;
    }
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}
