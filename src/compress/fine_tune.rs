//! Fine-tuning a compressed model with its sparsity pattern fixed: the "retrain" of Han et al.
//! (2015) that lets pruned networks recover their accuracy, and the recovery step of gradual
//! pruning (Zhu & Gupta 2017). The weights train as usual; after every optimizer step each pruned
//! weight is multiplied back to exactly zero, so the mask never changes.

use std::future::Future;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::quantize_activations::ActivationQuantSpec;
use crate::error::Result;
use crate::host::HostWeights;
use crate::model::ActivationQuant;
use crate::model::Classifier;
use crate::model::ModelSpec;
use crate::train::{FineTuneSpec, Hooks};

/// What the pipeline steps that need the training data and a device call: an experiment.
pub trait FineTuner {
    /// Fine-tunes `weights` of a model of architecture `model` with the training hooks the
    /// calling technique builds on the training (autodiff) device: what stays fixed is the
    /// technique's business (pruned weights at zero, fake quantization, shared centroids).
    fn fine_tune<H: Hooks>(
        &mut self,
        model: &ModelSpec,
        weights: &HostWeights,
        spec: FineTuneSpec,
        hooks: impl FnOnce(&Device) -> H,
    ) -> impl Future<Output = Result<HostWeights>>;

    /// Runs training batches through the model and records each layer's input range.
    fn calibrate(
        &mut self,
        model: &ModelSpec,
        weights: &HostWeights,
        spec: ActivationQuantSpec,
    ) -> impl Future<Output = Result<ActivationQuant>>;
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
