//! What a compression technique is to the pipeline: settings that check themselves and apply to
//! the pipeline's running state ([`Compressed`]). Each technique's file implements [`Technique`]
//! for its spec; one that trains builds its own training hooks and hands them to the
//! [`FineTuner`] — the experiment, which has the data and the device and knows no technique.

use std::future::Future;

use burn::tensor::Device;

use super::compressed::Compressed;
use crate::error::{Error, Result};
use crate::host::HostWeights;
use crate::model::ModelSpec;
use crate::train::{FineTuneSpec, Hooks};

/// One compression step's settings.
pub trait Technique {
    /// Checks every value's range, with a message naming the field.
    fn validate(&self) -> Result<()>;

    /// The epochs of training the step runs (0 for one that does not train): seconds of work and
    /// progress reports, counted before a run starts.
    fn training_epochs(&self) -> usize {
        0
    }

    /// Whether low-rank factors stored by an earlier step stay valid after this one (only if it
    /// changes no value).
    fn keeps_factors(&self) -> bool {
        false
    }

    /// Applies the step to `out`; `tuner` runs the training it needs.
    fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> impl Future<Output = Result<()>>;
}

/// What the steps that need the training data and a device call: an experiment.
pub trait FineTuner {
    /// Fine-tunes `weights` of a model of architecture `model` with the training hooks the calling
    /// technique builds on the training (autodiff) device: what stays fixed is the technique's
    /// business (pruned weights at zero, fake quantization, shared centroids).
    fn fine_tune<H: Hooks>(
        &mut self,
        model: &ModelSpec,
        weights: &HostWeights,
        spec: FineTuneSpec,
        hooks: impl FnOnce(&Device) -> H,
    ) -> impl Future<Output = Result<HostWeights>>;

    /// Runs the first `batches` training batches through the model and returns each weighted
    /// layer's input range `[min, max]`, in layer order.
    fn calibrate(&mut self, model: &ModelSpec, weights: &HostWeights, batches: usize) -> impl Future<Output = Result<Vec<[f32; 2]>>>;
}

/// For pipelines without training (host-only tools and tests): a step that trains is an error.
pub struct NoFineTuning;

impl FineTuner for NoFineTuning {
    async fn fine_tune<H: Hooks>(
        &mut self,
        _: &ModelSpec,
        _: &HostWeights,
        _: FineTuneSpec,
        _: impl FnOnce(&Device) -> H,
    ) -> Result<HostWeights> {
        Err(Error::InvalidSpec(
            "fine-tuning needs a trained experiment (its data and device)".into(),
        ))
    }

    async fn calibrate(&mut self, _: &ModelSpec, _: &HostWeights, _: usize) -> Result<Vec<[f32; 2]>> {
        Err(Error::InvalidSpec(
            "calibration needs a trained experiment (its data and device)".into(),
        ))
    }
}
