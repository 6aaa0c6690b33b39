//! Magnitude pruning (Han et al. 2015; Zhu & Gupta 2017): the weights of smallest absolute value
//! are set to zero, either the smallest fraction of each layer (layer-wise) or of all weights
//! together (global threshold). Zeros only save bytes once the export stores them sparsely or is
//! compressed — which the footprint shows. With `layers`, each weighted layer has its own
//! sparsity (what a sensitivity analysis suggests: prune the layers that tolerate it).

use serde::{Deserialize, Serialize};

use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::{Error, Result, ensure};
use crate::host::HostWeights;

/// Which weights to zero.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PruneSpec {
    /// Fraction of weights set to zero, in [0, 1).
    pub sparsity: f64,
    /// One threshold over all layers instead of the same fraction in each layer.
    pub global: bool,
    /// The sparsity of each weighted layer in layer order, in place of `sparsity`; empty (left
    /// out): `sparsity` everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<f64>,
}

impl Technique for PruneSpec {
    fn validate(&self) -> Result<()> {
        let fraction = |s: f64| s.is_finite() && (0.0..1.0).contains(&s);
        ensure(fraction(self.sparsity), || {
            format!("prune.sparsity must be in [0, 1), got {}", self.sparsity)
        })?;
        if let Some(s) = self.layers.iter().find(|&&s| !fraction(s)) {
            return Err(Error::InvalidSpec(format!(
                "prune.layers holds a sparsity per layer in [0, 1), got {s}"
            )));
        }
        ensure(!self.global || self.layers.is_empty(), || {
            "prune.layers sets each layer's sparsity, so prune.global must be false".into()
        })
    }

    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        prune(&mut out.weights, self)?;
        out.recode_zeros();
        Ok(())
    }
}

/// Zeros the smallest-magnitude weights; returns how many weights are zero afterwards.
pub fn prune(weights: &mut HostWeights, spec: &PruneSpec) -> Result<usize> {
    let layers = weights.weights().count();
    ensure(spec.layers.is_empty() || spec.layers.len() == layers, || {
        format!(
            "prune.layers has {} entries, but the model has {layers} weighted layers",
            spec.layers.len()
        )
    })?;
    if spec.global {
        let all: Vec<f32> = weights.weights().flat_map(|t| t.values.iter().map(|v| v.abs())).collect();
        let threshold = kth_smallest(all, spec.sparsity);
        return Ok(weights.weights_mut().map(|t| zero_below(&mut t.values, threshold)).sum());
    }
    let sparsity = |layer: usize| spec.layers.get(layer).copied().unwrap_or(spec.sparsity);
    Ok(weights
        .weights_mut()
        .enumerate()
        .map(|(layer, t)| {
            let threshold = kth_smallest(t.values.iter().map(|v| v.abs()).collect(), sparsity(layer));
            zero_below(&mut t.values, threshold)
        })
        .sum())
}

/// The magnitude at or below which `fraction` of the values lie (`None`: prune nothing).
fn kth_smallest(mut magnitudes: Vec<f32>, fraction: f64) -> Option<f32> {
    let k = (magnitudes.len() as f64 * fraction).round() as usize;
    if k == 0 {
        return None;
    }
    magnitudes.sort_unstable_by(f32::total_cmp);
    Some(magnitudes[k - 1])
}

/// Zeros values with magnitude at or below the threshold (exact ties, rare in trained floats, may
/// add a few). Returns the number of zeros in the tensor.
fn zero_below(values: &mut [f32], threshold: Option<f32>) -> usize {
    if let Some(t) = threshold {
        for v in values.iter_mut().filter(|v| v.abs() <= t) {
            *v = 0.0;
        }
    }
    values.iter().filter(|v| **v == 0.0).count()
}
