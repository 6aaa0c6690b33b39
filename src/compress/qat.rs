//! Quantization-aware training (Jacob et al. 2018): fine-tune with the weights fake-quantized in
//! the forward pass — quantized then dequantized with the same arithmetic as post-training
//! quantization — while gradients pass straight through the rounding to the float weights
//! (the straight-through estimator, Bengio et al. 2013: `w + (q(w) − w).detach()`). The model
//! learns to live with its quantization error; the step then quantizes the tuned weights for real.

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::compressed::Compressed;
use super::fine_tune::Masks;
use super::quantize::QuantizeSpec;
use super::technique::{FineTuner, Technique};
use crate::error::Result;
use crate::model::Classifier;
use crate::train::FineTuneSpec;
use crate::train::Hooks;

/// QAT: the quantizer to train for (per layer, with `quantize.layers`), and how long.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QatSpec {
    pub quantize: QuantizeSpec,
    pub fine_tune: FineTuneSpec,
}

impl Technique for QatSpec {
    fn validate(&self) -> Result<()> {
        Technique::validate(&self.quantize)?;
        self.fine_tune.validate()
    }

    fn training_epochs(&self) -> usize {
        self.fine_tune.epochs
    }

    /// Fine-tunes with fake-quantized forward passes (pruned weights held at zero), then quantizes
    /// for real.
    async fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> Result<()> {
        let hooks = |device: &Device| FakeQuant {
            spec: self.quantize.clone(),
            masks: Masks::new(&out.weights, device),
        };
        let tuned = tuner.fine_tune(&out.model, &out.weights, self.fine_tune, hooks).await?;
        out.set_float_weights(tuned);
        self.quantize.encode(out)?;
        out.recode_zeros();
        Ok(())
    }
}

/// Training hooks for QAT: fake-quantized forward passes, pruned weights kept at zero.
pub struct FakeQuant {
    pub spec: QuantizeSpec,
    pub masks: Masks,
}

impl Hooks for FakeQuant {
    fn forward_model(&self, model: &Classifier) -> Classifier {
        model.clone().map(&mut FakeQuantMapper {
            spec: &self.spec,
            layer: 0,
        })
    }

    fn after_step(&self, model: Classifier) -> Classifier {
        self.masks.after_step(model)
    }
}

/// Visits the weights in layer order, as `QuantizeSpec::encode` does.
struct FakeQuantMapper<'a> {
    spec: &'a QuantizeSpec,
    layer: usize,
}

impl ModuleMapper for FakeQuantMapper<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        if D < 2 {
            return param; // biases stay float
        }
        self.layer += 1;
        let Some(spec) = self.spec.at(self.layer - 1) else {
            return param; // a layer mixed precision keeps float
        };
        param.map(|w| {
            let q = fake_quantize(w.clone(), &spec);
            w.clone() + (q - w).detach()
        })
    }
}

/// Quantize-dequantize on the device, per tensor or per output channel (dense weights are
/// `[inputs, outputs]`, conv kernels `[out, in, kh, kw]`), matching `quantize::quantize`.
pub fn fake_quantize<const D: usize>(w: Tensor<D>, spec: &QuantizeSpec) -> Tensor<D> {
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

#[cfg(test)]
mod tests {
    use burn::tensor::{Tensor, TensorData};

    use super::fake_quantize;
    use crate::backend;
    use crate::compress::quantize::{QuantizeSpec, quantize};
    use crate::host::{HostTensor, read_floats};

    /// Weights of a dense `[inputs, outputs]` layer and a conv kernel, spread over ±1.
    fn tensors() -> Vec<HostTensor> {
        let values = |n: usize| {
            (0..n)
                .map(|i| ((i * 37 % 101) as f32 / 50.0 - 1.0) * (1.0 + (i % 7) as f32 / 3.0))
                .collect()
        };
        vec![
            HostTensor {
                path: "dense.weight".into(),
                shape: vec![12, 5],
                values: values(60),
            },
            HostTensor {
                path: "conv.weight".into(),
                shape: vec![4, 3, 3, 3],
                values: values(108),
            },
        ]
    }

    /// `t` fake-quantized on the CPU device and read back.
    fn on_device<const D: usize>(t: &HostTensor, spec: &QuantizeSpec) -> Vec<f32> {
        let w = Tensor::<D>::from_data(TensorData::new(t.values.clone(), t.shape.clone()), &backend::cpu());
        pollster::block_on(read_floats(fake_quantize(w, spec))).unwrap()
    }

    #[test]
    fn fake_quantization_on_the_device_matches_the_host_quantizer_for_every_bit_width_and_scale_mode() {
        for bits in 1..=8 {
            for symmetric in [true, false] {
                for per_channel in [true, false] {
                    let spec = QuantizeSpec::uniform(bits, symmetric, per_channel);
                    for tensor in tensors() {
                        let device = if tensor.shape.len() == 2 {
                            on_device::<2>(&tensor, &spec)
                        } else {
                            on_device::<4>(&tensor, &spec)
                        };
                        let mut host = tensor.clone();
                        quantize(&mut host, spec.clone());
                        for (i, (h, d)) in host.values.iter().zip(&device).enumerate() {
                            assert!((h - d).abs() <= 1e-5, "{spec:?} {} [{i}]: host {h}, device {d}", tensor.path);
                        }
                    }
                }
            }
        }
    }
}
