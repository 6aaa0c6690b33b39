//! Quantization-aware training (Jacob et al. 2018): fine-tune with the weights fake-quantized in
//! the forward pass — quantized then dequantized with the same arithmetic as post-training
//! quantization — while gradients pass straight through the rounding to the float weights
//! (the straight-through estimator, Bengio et al. 2013: `w + (q(w) − w).detach()`). The model
//! learns to live with its quantization error; the step then quantizes the tuned weights for real.

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use super::fine_tune::Masks;
use super::quantize::QuantizeSpec;
use crate::error::Result;
use crate::model::Classifier;
use crate::train::FineTuneSpec;
use crate::train::Hooks;

/// QAT: the quantizer to train for, and how long.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QatSpec {
    pub quantize: QuantizeSpec,
    pub fine_tune: FineTuneSpec,
}

impl QatSpec {
    pub fn validate(&self) -> Result<()> {
        self.quantize.validate()?;
        self.fine_tune.validate()
    }
}

/// Training hooks for QAT: fake-quantized forward passes, pruned weights kept at zero.
pub struct FakeQuant {
    pub spec: QuantizeSpec,
    pub masks: Masks,
}

impl Hooks for FakeQuant {
    fn forward_model(&self, model: &Classifier) -> Classifier {
        model.clone().map(&mut FakeQuantMapper { spec: self.spec })
    }

    fn after_step(&self, model: Classifier) -> Classifier {
        self.masks.after_step(model)
    }
}

struct FakeQuantMapper {
    spec: QuantizeSpec,
}

impl ModuleMapper for FakeQuantMapper {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        if D < 2 {
            return param; // biases stay float
        }
        let spec = self.spec;
        param.map(|w| {
            let q = fake_quantize(w.clone(), spec);
            w.clone() + (q - w).detach()
        })
    }
}

/// Quantize-dequantize on the device, per tensor or per output channel (dense weights are
/// `[inputs, outputs]`, conv kernels `[out, in, kh, kw]`), matching `quantize::quantize`.
pub fn fake_quantize<const D: usize>(w: Tensor<D>, spec: QuantizeSpec) -> Tensor<D> {
    let dims = w.dims();
    let n: usize = dims.iter().product();
    let (m, axis): (Tensor<2>, usize) = match (spec.per_channel, D) {
        (false, _) => (w.reshape([1, n]), 1),
        (true, 2) => (w.reshape([dims[0], dims[1]]), 0),
        (true, _) => (w.reshape([dims[0], n / dims[0]]), 1),
    };
    let q = if spec.bits == 1 {
        let scale = m.clone().abs().mean_dim(axis);
        (m.greater_equal_elem(0.0).float() * 2.0 - 1.0) * scale
    } else if spec.symmetric {
        let q_max = ((1u32 << (spec.bits - 1)) - 1) as f32;
        let scale = (m.clone().abs().max_dim(axis) / q_max).clamp_min(f32::MIN_POSITIVE);
        (m / scale.clone()).round().clamp(-q_max, q_max) * scale
    } else {
        let levels = ((1u32 << spec.bits) - 1) as f32;
        let low = m.clone().min_dim(axis).clamp_max(0.0);
        let high = m.clone().max_dim(axis).clamp_min(0.0);
        let scale = ((high - low.clone()) / levels).clamp_min(f32::MIN_POSITIVE);
        let zero = (low.neg() / scale.clone()).round().clamp(0.0, levels);
        (((m / scale.clone()).round() + zero.clone()).clamp(0.0, levels) - zero) * scale
    };
    q.reshape(dims)
}
