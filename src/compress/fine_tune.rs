//! Fine-tuning a compressed model with its sparsity pattern fixed: the "retrain" of Han et al.
//! (2015) that lets pruned networks recover their accuracy, and the recovery step of gradual
//! pruning (Zhu & Gupta 2017). The weights train as usual; after every optimizer step each pruned
//! weight is multiplied back to exactly zero, so the mask never changes.

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::Result;
use crate::host::HostWeights;
use crate::model::Classifier;
use crate::train::{FineTuneSpec, Hooks};

/// The `fine_tune` step: retrain for a while, pruned weights held at zero.
impl Technique for FineTuneSpec {
    fn validate(&self) -> Result<()> {
        FineTuneSpec::validate(self)
    }

    fn training_epochs(&self) -> usize {
        self.epochs
    }

    async fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> Result<()> {
        let tuned = fine_tune_masked(out, *self, tuner).await?;
        out.set_float_weights(tuned);
        Ok(())
    }
}

/// Fine-tunes `out`'s weights with the pruned ones held at zero.
pub async fn fine_tune_masked(out: &Compressed, spec: FineTuneSpec, tuner: &mut impl FineTuner) -> Result<HostWeights> {
    tuner
        .fine_tune(&out.model, &out.weights, spec, |device: &Device| Masks::new(&out.weights, device))
        .await
}

/// The zero pattern of each weight tensor (`None` where nothing is pruned), on a device.
pub struct Masks {
    masks: Vec<Option<Tensor<1>>>,
}

impl Masks {
    /// Masks of `weights` on `device` (the device the model trains on).
    pub fn new(weights: &HostWeights, device: &Device) -> Self {
        let masks = weights
            .tensors
            .iter()
            .map(|t| {
                (t.is_weight() && t.values.contains(&0.0)).then(|| {
                    let mask: Vec<f32> = t.values.iter().map(|&v| f32::from(u8::from(v != 0.0))).collect();
                    Tensor::from_data(TensorData::new(mask, [t.values.len()]), device)
                })
            })
            .collect();
        Self { masks }
    }
}

impl Hooks for Masks {
    /// `model` with every masked weight set back to zero (a fresh leaf for autodiff).
    fn after_step(&self, model: Classifier) -> Classifier {
        model.map(&mut PerParam {
            items: &self.masks,
            next: 0,
        })
    }
}

/// A change applied to one parameter tensor after an optimizer step.
pub trait ParamTransform: Clone {
    fn apply<const D: usize>(&self, tensor: Tensor<D>) -> Tensor<D>;
}

impl ParamTransform for Tensor<1> {
    /// Multiplies by a (flattened) 0/1 mask.
    fn apply<const D: usize>(&self, tensor: Tensor<D>) -> Tensor<D> {
        let dims = tensor.dims();
        tensor.detach() * self.clone().reshape(dims)
    }
}

/// Maps the float parameters of a module, in visiting order, through their transform (if any); the
/// result is a fresh autodiff leaf, so the optimizer keeps training it.
pub struct PerParam<'a, T> {
    pub items: &'a [Option<T>],
    pub next: usize,
}

impl<T: ParamTransform> ModuleMapper for PerParam<'_, T> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let item = self.items[self.next].clone();
        self.next += 1;
        match item {
            None => param,
            Some(item) => param.map(|t| item.apply(t).detach().require_grad()),
        }
    }
}
