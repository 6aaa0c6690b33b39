//! Structured pruning (Li et al. 2017, *Pruning Filters for Efficient ConvNets*): whole hidden
//! neurons of dense layers and whole channels of convolutions are removed — those whose incoming
//! weights have the smallest L1 norm — so layers become narrower and MACs drop, unlike scattered
//! zeros. A removed unit's incoming weights, bias and outgoing weights are all set to zero, which
//! computes exactly what the narrower network computes; the export stores only the remaining
//! weights and the footprint counts MACs over the remaining units. A depthwise convolution after a
//! pruned layer loses the same channels (their filters see only zeros, so they are the weakest).

use serde::{Deserialize, Serialize};

use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::{Result, ensure};
use crate::host::{HostTensor, HostWeights};

/// The fraction of units removed from every hidden layer (at least one unit stays).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructuredSpec {
    pub fraction: f64,
}

impl Technique for StructuredSpec {
    fn validate(&self) -> Result<()> {
        ensure(self.fraction.is_finite() && (0.0..1.0).contains(&self.fraction), || {
            format!("structured_prune.fraction must be in [0, 1), got {}", self.fraction)
        })
    }

    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        prune_units(&mut out.weights, *self);
        out.recode_zeros();
        Ok(())
    }
}

/// Removes the weakest units of every layer that feeds another layer (not the class outputs).
pub fn prune_units(weights: &mut HostWeights, spec: StructuredSpec) {
    let layers: Vec<usize> = (0..weights.tensors.len()).filter(|&i| weights.tensors[i].is_weight()).collect();
    for pair in layers.windows(2) {
        let (producer, consumer) = (pair[0], pair[1]);
        let units = weights.tensors[producer].channels();
        let removed = weakest(&weights.tensors[producer], (units as f64 * spec.fraction).round() as usize);
        let t = &mut weights.tensors[producer];
        for i in 0..t.values.len() {
            if removed[t.channel_of(i)] {
                t.values[i] = 0.0;
            }
        }
        // The bias follows its weight in burn's visiting order (Linear and Conv2d).
        if let Some(bias) = weights.tensors.get_mut(producer + 1).filter(|b| b.shape == [units]) {
            for (j, b) in bias.values.iter_mut().enumerate() {
                if removed[j] {
                    *b = 0.0;
                }
            }
        }
        let t = &mut weights.tensors[consumer];
        for i in 0..t.values.len() {
            if removed[input_unit(t, i, units)] {
                t.values[i] = 0.0;
            }
        }
    }
}

/// Marks the `count` units with the smallest L1 norm of incoming weights (one unit always stays).
fn weakest(t: &HostTensor, count: usize) -> Vec<bool> {
    let order = by_strength(t);
    let mut removed = vec![false; order.len()];
    for &u in order.iter().take(count.min(order.len() - 1)) {
        removed[u] = true;
    }
    removed
}

/// The output units of a layer, weakest first by the L1 norm of their incoming weights.
pub fn by_strength(t: &HostTensor) -> Vec<usize> {
    let mut norms = vec![0f64; t.channels()];
    for (i, v) in t.values.iter().enumerate() {
        norms[t.channel_of(i)] += v.abs() as f64;
    }
    let mut order: Vec<usize> = (0..norms.len()).collect();
    order.sort_by(|&a, &b| norms[a].total_cmp(&norms[b]));
    order
}

/// Number of inputs of a layer: rows of a dense `[inputs, outputs]`, input channels of a conv.
pub fn inputs(t: &HostTensor) -> usize {
    if t.shape.len() == 2 { t.shape[0] } else { t.shape[1] }
}

/// Input of element `i` of a layer: the row of a dense weight, the input channel of a kernel.
fn input_of(t: &HostTensor, i: usize) -> usize {
    if t.shape.len() == 2 {
        i / t.shape[1]
    } else {
        (i / (t.shape[2] * t.shape[3])) % t.shape[1]
    }
}

/// The producer unit feeding element `i` of a consumer layer; a dense layer after a convolution
/// sees each channel as a block of `height · width` flattened inputs, a depthwise filter only its
/// own channel.
fn input_unit(consumer: &HostTensor, i: usize, units: usize) -> usize {
    if consumer.is_depthwise() {
        consumer.channel_of(i)
    } else {
        input_of(consumer, i) / (inputs(consumer) / units).max(1)
    }
}

/// Output units with at least one non-zero incoming weight.
pub fn active_outputs(t: &HostTensor) -> usize {
    count_active(t.channels(), t.values.iter().enumerate().map(|(i, v)| (t.channel_of(i), *v)))
}

/// Inputs with at least one non-zero weight.
pub fn active_inputs(t: &HostTensor) -> usize {
    count_active(inputs(t), t.values.iter().enumerate().map(|(i, v)| (input_of(t, i), *v)))
}

fn count_active(n: usize, entries: impl Iterator<Item = (usize, f32)>) -> usize {
    let mut active = vec![false; n];
    for (k, v) in entries {
        active[k] |= v != 0.0;
    }
    active.iter().filter(|&&a| a).count()
}
