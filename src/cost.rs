//! What training a spec will cost, counted before it runs, so the page can say how long a run would
//! take and warn before one takes minutes (issue #9). Work is counted in multiply-accumulates (MACs),
//! the survey's footprint metric (Menghani 2021, §2); the page turns it into seconds with the speed
//! it has measured on this machine.

use serde::Serialize;

use crate::data;
use crate::error::Result;
use crate::model::Classifier;
use crate::spec::{ExperimentSpec, Step};

/// A forward and backward pass cost about three forward passes (the backward pass computes the
/// gradients of both the inputs and the weights of every layer).
const TRAIN_PASSES: u64 = 3;

/// The work of training `spec`'s model and every training step of its compression pipeline
/// (fine-tuning, QAT, gradual pruning, centroid tuning), each epoch counted at the trained model's
/// cost (a resize before a fine-tune changes that cost; the estimate does not follow it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cost {
    /// Forward MACs for one example.
    pub macs_per_example: u64,
    pub train_examples: usize,
    pub test_examples: usize,
    pub epochs: usize,
    /// Epochs of the pipeline's training steps, after the model's own.
    pub fine_tune_epochs: usize,
    pub steps_per_epoch: usize,
    /// Training steps over the whole run, the pipeline's included.
    pub steps: usize,
    /// MACs over the whole run: training, then evaluating both splits, every epoch.
    pub macs: f64,
}

/// Counts the work of training `spec` (checked first, so the counts are those of a run that starts).
pub fn of(spec: &ExperimentSpec) -> Result<Cost> {
    spec.validate()?;
    let macs_per_example = Classifier::macs_of(&spec.model, data::input_shape(&spec.data));
    let (train_examples, test_examples) = data::example_counts(&spec.data);
    let epochs = spec.train.epochs;
    let fine_tune_epochs = spec.compress.iter().map(Step::training_epochs).sum::<usize>();
    let steps_per_epoch = train_examples.div_ceil(spec.train.batch_size);
    let per_epoch = macs_per_example * (TRAIN_PASSES * train_examples as u64 + (train_examples + test_examples) as u64);
    let all_epochs = epochs + fine_tune_epochs;
    Ok(Cost {
        macs_per_example,
        train_examples,
        test_examples,
        epochs,
        fine_tune_epochs,
        steps_per_epoch,
        steps: steps_per_epoch * all_epochs,
        macs: per_epoch as f64 * all_epochs as f64,
    })
}
