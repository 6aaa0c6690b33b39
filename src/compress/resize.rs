//! Resize: change a trained model's width (a multiplier on every hidden layer or conv channel
//! count) or an MLP's depth, carrying the learned weights over — the "shrink" and "grow" moves of
//! the survey's two strategies (Menghani 2021, §2: Shrink-and-Improve, Grow-Improve-and-Shrink).
//!
//! - Growing follows Net2Net (Chen, Goodfellow & Shlens 2016), which preserves the function: a new
//!   unit copies an existing unit's incoming weights and bias, and the copies share that unit's
//!   outgoing weights (Net2WiderNet); a new hidden layer starts as the identity (Net2DeeperNet —
//!   exact for ReLU, whose outputs are never negative). Copies get unequal shares (1, 2, … parts)
//!   so that fine-tuning can tell them apart; the sum, and so the function, is unchanged.
//! - Shrinking keeps the units with the largest L1 norm of incoming weights (as structured pruning
//!   ranks them) and removes the rest; a removed hidden layer is folded into the next one as if the
//!   activation between them were linear. Both lose accuracy: fine-tune afterwards (the "improve").

use serde::{Deserialize, Serialize};

use super::compressed::Compressed;
use super::structured_prune;
use super::technique::{FineTuner, Technique};
use crate::error::{Error, Result, ensure};
use crate::host::{HostTensor, HostWeights};
use crate::model::{CnnSpec, ConvBlock, MAX_LAYERS, ModelSpec};

/// The new size, relative to the current model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResizeSpec {
    /// Multiplies every hidden width (MLP) or channel count (CNN); each stays at least 1.
    pub width: f64,
    /// The number of hidden layers afterwards (MLP only); `None` keeps the depth.
    #[serde(default)]
    pub hidden_layers: Option<usize>,
}

impl Technique for ResizeSpec {
    fn validate(&self) -> Result<()> {
        ensure(self.width.is_finite() && (0.01..=8.0).contains(&self.width), || {
            format!("resize.width must be a multiplier between 0.01 and 8, got {}", self.width)
        })?;
        ensure(self.hidden_layers.is_none_or(|n| (1..=MAX_LAYERS).contains(&n)), || {
            format!(
                "resize.hidden_layers must be between 1 and {MAX_LAYERS}, got {}",
                self.hidden_layers.unwrap_or_default()
            )
        })
    }

    /// The later steps work on the resized model.
    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        let to = self.architecture(&out.model)?;
        out.set_float_weights(resize(&out.weights, &to));
        out.model = to;
        Ok(())
    }
}

impl ResizeSpec {
    /// The architecture after resizing `model` (validated like any model spec).
    pub fn architecture(&self, model: &ModelSpec) -> Result<ModelSpec> {
        let scale = |w: usize| ((w as f64 * self.width).round() as usize).max(1);
        let resized = match model {
            ModelSpec::Mlp { hidden, activation } => {
                let mut hidden: Vec<usize> = hidden.iter().map(|&w| scale(w)).collect();
                if let Some(n) = self.hidden_layers {
                    let last = hidden.last().copied().unwrap_or_else(|| scale(16));
                    hidden.resize(n, last);
                }
                ModelSpec::Mlp {
                    hidden,
                    activation: *activation,
                }
            }
            ModelSpec::Cnn(cnn) => {
                if self.hidden_layers.is_some() {
                    return Err(Error::InvalidSpec(
                        "resize.hidden_layers applies to MLPs; a CNN keeps its two convolutions".into(),
                    ));
                }
                if cnn.block == ConvBlock::Separable {
                    return Err(Error::InvalidSpec(
                        "resize applies to MLPs and plain CNNs; a separable CNN's size is set by model.width before training".into(),
                    ));
                }
                ModelSpec::Cnn(CnnSpec {
                    channels: cnn.channels.map(scale),
                    ..cnn.clone()
                })
            }
        };
        resized.validate_shape().map(|()| resized)
    }
}

/// `weights` carried over to architecture `to` (the result of [`ResizeSpec::architecture`] for the
/// model they belong to).
pub fn resize(weights: &HostWeights, to: &ModelSpec) -> HostWeights {
    let mut layers = Layers::split(weights);
    let hidden_now = layers.0.len() - 1;
    let depth = match to {
        ModelSpec::Mlp { hidden, .. } => hidden.len(),
        ModelSpec::Cnn(_) => hidden_now,
    };
    // Depth first, at the current width, then every hidden layer to its new width.
    while layers.0.len() - 1 > depth {
        layers.fold_last_hidden();
    }
    while layers.0.len() - 1 < depth {
        layers.insert_identity();
    }
    let widths: Vec<usize> = match to {
        ModelSpec::Mlp { hidden, .. } => hidden.clone(),
        ModelSpec::Cnn(cnn) => cnn.scaled_channels().to_vec(),
    };
    for (l, &units) in widths.iter().enumerate() {
        layers.set_units(l, units);
    }
    layers.join()
}

/// The model as (weight, bias) pairs in layer order; burn visits each layer's weight, then bias.
struct Layers(Vec<(HostTensor, HostTensor)>);

impl Layers {
    fn split(weights: &HostWeights) -> Self {
        Self(weights.tensors.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect())
    }

    fn join(self) -> HostWeights {
        let tensors = self.0.into_iter().enumerate().flat_map(|(i, (mut w, mut b))| {
            w.path = renumber(&w.path, i);
            b.path = renumber(&b.path, i);
            [w, b]
        });
        HostWeights {
            tensors: tensors.collect(),
        }
    }

    /// Net2DeeperNet: an identity dense layer before the output layer.
    fn insert_identity(&mut self) {
        let at = self.0.len() - 1;
        let units = self.0[at].0.shape[0];
        let mut eye = vec![0.0; units * units];
        for u in 0..units {
            eye[u * units + u] = 1.0;
        }
        let template = &self.0[at];
        let weight = HostTensor {
            path: template.0.path.clone(),
            shape: vec![units, units],
            values: eye,
        };
        let bias = HostTensor {
            path: template.1.path.clone(),
            shape: vec![units],
            values: vec![0.0; units],
        };
        self.0.insert(at, (weight, bias));
    }

    /// Removes the last hidden layer: `y = (x·A + a)·B + b` becomes `x·(A·B) + (a·B + b)`.
    fn fold_last_hidden(&mut self) {
        let (b_weight, b_bias) = self.0.pop().expect("an MLP has an output layer");
        let (a_weight, a_bias) = self.0.pop().expect("a hidden layer to fold");
        let (inputs, middle, outputs) = (a_weight.shape[0], a_weight.shape[1], b_weight.shape[1]);
        let mut weight = vec![0.0; inputs * outputs];
        let mut bias = b_bias.values.clone();
        for m in 0..middle {
            for o in 0..outputs {
                let w = b_weight.values[m * outputs + o];
                for i in 0..inputs {
                    weight[i * outputs + o] += a_weight.values[i * middle + m] * w;
                }
                bias[o] += a_bias.values[m] * w;
            }
        }
        let weight = HostTensor {
            path: a_weight.path,
            shape: vec![inputs, outputs],
            values: weight,
        };
        self.0.push((weight, HostTensor { values: bias, ..b_bias }));
    }

    /// Gives hidden layer `l` exactly `units` output units, fixing the next layer's inputs.
    fn set_units(&mut self, l: usize, units: usize) {
        let plan = Plan::new(&self.0[l].0, units);
        let (weight, bias) = &mut self.0[l];
        *weight = plan.outputs(weight);
        *bias = plan.outputs(bias);
        let next = &mut self.0[l + 1].0;
        *next = plan.inputs(next);
    }
}

/// Replaces the layer index in a parameter path (`layers.3.weight`); other paths are kept.
fn renumber(path: &str, index: usize) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [head @ .., n, leaf] if n.parse::<usize>().is_ok() => format!("{}.{index}.{leaf}", head.join(".")),
        _ => path.to_string(),
    }
}

/// Where each new unit of a layer comes from and its share of the old unit's outgoing weights.
struct Plan {
    old_units: usize,
    source: Vec<usize>,
    share: Vec<f32>,
}

impl Plan {
    fn new(weight: &HostTensor, units: usize) -> Self {
        let old_units = weight.channels();
        let source: Vec<usize> = if units <= old_units {
            let mut kept = structured_prune::by_strength(weight)[old_units - units..].to_vec();
            kept.sort_unstable();
            kept
        } else {
            (0..units).map(|u| u % old_units).collect()
        };
        // The k-th copy of a unit gets k parts of the unit's c(c+1)/2.
        let mut copies = vec![0usize; old_units];
        let ordinal: Vec<usize> = source
            .iter()
            .map(|&s| {
                copies[s] += 1;
                copies[s]
            })
            .collect();
        let share = source
            .iter()
            .zip(&ordinal)
            .map(|(&s, &k)| {
                let c = copies[s];
                (2 * k) as f32 / (c * (c + 1)) as f32
            })
            .collect();
        Self { old_units, source, share }
    }

    /// The tensor with its output units (dense columns, conv kernels, bias entries) rearranged.
    fn outputs(&self, t: &HostTensor) -> HostTensor {
        let per_unit = t.values.len() / self.old_units;
        let mut shape = t.shape.clone();
        let (mut values, units) = (Vec::with_capacity(per_unit * self.source.len()), self.source.len());
        match t.shape.len() {
            2 => {
                shape[1] = units;
                for row in t.values.chunks_exact(self.old_units) {
                    values.extend(self.source.iter().map(|&s| row[s]));
                }
            }
            _ => {
                shape[0] = units;
                for &s in &self.source {
                    values.extend_from_slice(&t.values[s * per_unit..(s + 1) * per_unit]);
                }
            }
        }
        HostTensor {
            path: t.path.clone(),
            shape,
            values,
        }
    }

    /// The next layer with its inputs rearranged and scaled by each copy's share. A dense layer
    /// after convolutions sees each channel as a block of flattened pixels.
    fn inputs(&self, t: &HostTensor) -> HostTensor {
        let mut shape = t.shape.clone();
        let units = self.source.len();
        let mut values = Vec::new();
        match t.shape.len() {
            2 => {
                let block = t.shape[0] / self.old_units * t.shape[1];
                shape[0] = t.shape[0] / self.old_units * units;
                for (&s, &share) in self.source.iter().zip(&self.share) {
                    values.extend(t.values[s * block..(s + 1) * block].iter().map(|v| v * share));
                }
            }
            _ => {
                let kernel = t.shape[2] * t.shape[3];
                shape[1] = units;
                for filter in t.values.chunks_exact(self.old_units * kernel) {
                    for (&s, &share) in self.source.iter().zip(&self.share) {
                        values.extend(filter[s * kernel..(s + 1) * kernel].iter().map(|v| v * share));
                    }
                }
            }
        }
        HostTensor {
            path: t.path.clone(),
            shape,
            values,
        }
    }
}
