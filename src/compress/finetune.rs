//! Fine-tuning a compressed model with its sparsity pattern fixed: the "retrain" of Han et al.
//! (2015) that lets pruned networks recover their accuracy, and the recovery step of gradual
//! pruning (Zhu & Gupta 2017). The weights train as usual; after every optimizer step each pruned
//! weight is multiplied back to exactly zero, so the mask never changes.

use std::future::Future;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::activation_quant::{ActivationQuant, ActivationQuantSpec};
use super::cluster::Codebook;
use super::quantize::QuantizeSpec;
use super::weights::HostWeights;
use crate::error::{Result, ensure};
use crate::model::Classifier;
use crate::spec::{MAX_EPOCHS, ModelSpec};
use crate::train::Hooks;

/// How long and how fast to fine-tune.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FineTuneSpec {
    pub epochs: usize,
    pub learning_rate: f64,
}

impl FineTuneSpec {
    pub fn validate(&self) -> Result<()> {
        ensure((1..=MAX_EPOCHS).contains(&self.epochs), || {
            format!("fine_tune.epochs must be between 1 and {MAX_EPOCHS}, got {}", self.epochs)
        })?;
        ensure(self.learning_rate.is_finite() && self.learning_rate > 0.0 && self.learning_rate <= 10.0, || {
            format!("fine_tune.learning_rate must be a number in (0, 10], got {}", self.learning_rate)
        })
    }
}

/// What stays fixed while fine-tuning (pruned weights always stay zero).
pub enum Constraint {
    /// Only the sparsity pattern.
    Mask,
    /// Quantization-aware training towards this quantizer.
    FakeQuant(QuantizeSpec),
    /// Clustered tensors keep their clusters (one codebook per tensor, `None` for the others).
    Clusters(Vec<Option<Codebook>>),
}

/// What the pipeline steps that need the training data and a device call: an experiment.
pub trait FineTuner {
    /// Fine-tunes `weights` of a model of architecture `model` under `constraint`.
    fn fine_tune(
        &mut self,
        model: &ModelSpec,
        weights: &HostWeights,
        spec: FineTuneSpec,
        constraint: Constraint,
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
        model.map(&mut PerParam { items: &self.masks, next: 0 })
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
