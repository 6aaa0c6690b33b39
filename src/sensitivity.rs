//! Per-layer sensitivity analysis (Han et al. 2015, §3.2; the analysis NNI's and Distiller's
//! sensitivity tools run): one weighted layer at a time is quantized (8 → 1 bits) or pruned
//! (0 → 95 %), every other layer left as trained, and each setting's test accuracy and file size
//! are measured. The layers whose accuracy holds tolerate compression; [`crate::mixed_precision`]
//! spends bits where it drops. Every setting is an ordinary pipeline (`quantize.layers`,
//! `prune.layers`), so any point of a curve can be reproduced from its spec.

use serde::{Deserialize, Serialize};

use crate::compress::Step;
use crate::compress::prune::PruneSpec;
use crate::compress::quantize::QuantizeSpec;
use crate::error::{Error, Result};
use crate::experiment::Experiment;
use crate::train::{Control, Observer, Progress};

/// Weight widths a quantization analysis tries, widest first.
pub const BITS: [u8; 8] = [8, 7, 6, 5, 4, 3, 2, 1];
/// Sparsities a pruning analysis tries.
pub const SPARSITIES: [f64; 8] = [0.0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/// What is done to one layer at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Probe {
    /// Quantize the layer with this scheme at each of [`BITS`].
    Quantize { symmetric: bool, per_channel: bool },
    /// Prune the layer (by magnitude) to each of [`SPARSITIES`].
    Prune,
}

/// One curve per weighted layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    pub probe: Probe,
    /// Test accuracy of the uncompressed model.
    pub baseline: f32,
    pub layers: Vec<LayerCurve>,
}

/// A layer's accuracy and file size at each level (bits or sparsity) of the probe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerCurve {
    /// The weight's path in the model (`layers.0.weight`).
    pub name: String,
    /// The weight's shape: `[inputs, outputs]` for a dense layer, `[out, in, kh, kw]` for a kernel.
    pub shape: Vec<usize>,
    pub params: usize,
    pub levels: Vec<f64>,
    pub test_accuracy: Vec<f32>,
    pub bytes: Vec<u64>,
}

impl Probe {
    /// The levels tried, in order.
    pub fn levels(self) -> Vec<f64> {
        match self {
            Probe::Quantize { .. } => BITS.iter().map(|&b| f64::from(b)).collect(),
            Probe::Prune => SPARSITIES.to_vec(),
        }
    }

    /// The step that compresses weighted layer `layer` (of `layers`) at `level` and no other.
    pub fn step(self, layer: usize, layers: usize, level: f64) -> Step {
        match self {
            Probe::Quantize { symmetric, per_channel } => {
                let mut bits = vec![0; layers];
                bits[layer] = level as u8;
                Step::Quantize(QuantizeSpec {
                    layers: bits,
                    ..QuantizeSpec::uniform(8, symmetric, per_channel)
                })
            }
            Probe::Prune => {
                let mut sparsity = vec![0.0; layers];
                sparsity[layer] = level;
                Step::Prune(PruneSpec {
                    layers: sparsity,
                    ..PruneSpec::default()
                })
            }
        }
    }
}

/// Measures every layer of `experiment`'s trained model at every level of `probe`; each
/// measurement is reported to `observer`, which may cancel.
pub async fn analyse(experiment: &Experiment, probe: Probe, observer: &mut impl Observer) -> Result<Sensitivity> {
    let weights: Vec<_> = experiment
        .weights
        .weights()
        .map(|t| (t.path.clone(), t.shape.clone(), t.values.len()))
        .collect();
    let levels = probe.levels();
    let total = weights.len() * levels.len();
    let baseline = experiment.recompress(&[], observer).await?.point.test_accuracy;
    let mut layers = Vec::with_capacity(weights.len());
    for (layer, (name, shape, params)) in weights.iter().enumerate() {
        let mut curve = LayerCurve {
            name: name.clone(),
            shape: shape.clone(),
            params: *params,
            levels: levels.clone(),
            test_accuracy: Vec::new(),
            bytes: Vec::new(),
        };
        for &level in &levels {
            let point = experiment
                .recompress(&[probe.step(layer, weights.len(), level)], observer)
                .await?
                .point;
            curve.test_accuracy.push(point.test_accuracy);
            curve.bytes.push(point.footprint.bytes);
            let done = layer * levels.len() + curve.bytes.len();
            report(observer, "sensitivity", done, total).await?;
        }
        layers.push(curve);
    }
    Ok(Sensitivity { probe, baseline, layers })
}

/// Tells `observer` that `done` of `of` evaluations of `task` are finished; an error if it stops.
pub async fn report(observer: &mut impl Observer, task: &str, done: usize, of: usize) -> Result<()> {
    let progress = Progress::Task {
        task: task.into(),
        done,
        of,
    };
    match observer.observe(progress).await {
        Control::Continue | Control::HandOver => Ok(()),
        Control::Stop => Err(Error::Cancelled {
            done,
            of,
            unit: "settings",
        }),
    }
}
