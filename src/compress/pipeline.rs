//! A compression pipeline: an ordered list of steps applied to a trained model's weights. Order
//! matters and is part of the spec (prune → quantize keeps pruned weights at exactly zero, since
//! both quantizers represent zero; quantize → prune re-codes the zeroed weights).

use serde::{Deserialize, Serialize};

use super::prune::{self, PruneSpec};
use super::quantize::{self, QuantizeSpec, Quantized};
use super::weights::HostWeights;
use crate::error::Result;

/// One compression step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    Quantize(QuantizeSpec),
    Prune(PruneSpec),
}

impl Step {
    pub fn validate(&self) -> Result<()> {
        match self {
            Step::Quantize(q) => q.validate(),
            Step::Prune(p) => p.validate(),
        }
    }
}

/// Weights after a pipeline, with the integer codes of the tensors that were quantized.
#[derive(Clone, Debug, PartialEq)]
pub struct Compressed {
    pub weights: HostWeights,
    /// One entry per tensor of `weights`, `Some` where the tensor is stored as integer codes.
    pub quantized: Vec<Option<Quantized>>,
}

/// Applies `steps` in order to a copy of `weights`.
pub fn apply(weights: &HostWeights, steps: &[Step]) -> Result<Compressed> {
    let mut out = Compressed { weights: weights.clone(), quantized: vec![None; weights.tensors.len()] };
    for step in steps {
        step.validate()?;
        match *step {
            Step::Quantize(spec) => {
                for (tensor, q) in out.weights.tensors.iter_mut().zip(&mut out.quantized) {
                    if tensor.is_weight() {
                        *q = Some(quantize::quantize(tensor, spec));
                    }
                }
            }
            Step::Prune(spec) => {
                prune::prune(&mut out.weights, spec);
                recode_zeros(&mut out);
            }
        }
    }
    Ok(out)
}

/// After pruning a quantized tensor, point its zeroed weights at the zero code; a 1-bit tensor has
/// no zero code, so it goes back to float storage.
fn recode_zeros(out: &mut Compressed) {
    for (tensor, slot) in out.weights.tensors.iter().zip(&mut out.quantized) {
        let Some(q) = slot else { continue };
        for (i, _) in tensor.values.iter().enumerate().filter(|(_, v)| **v == 0.0) {
            match q.zero_code(tensor.channel_of(i) % q.scales.len()) {
                Some(code) => q.codes[i] = code,
                None => {
                    *slot = None;
                    break;
                }
            }
        }
    }
}
