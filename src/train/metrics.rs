//! What training measures: a model's loss and accuracy on a data set, and what each epoch achieved.

use serde::{Deserialize, Serialize};

/// Quality of a model on one data set.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Mean cross-entropy.
    pub loss: f32,
    /// Fraction of examples classified correctly, in [0, 1].
    pub accuracy: f32,
}

/// What one epoch achieved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// 1-based epoch number.
    pub epoch: usize,
    pub train: Quality,
    pub test: Quality,
    /// Wall time of the epoch's training steps (evaluation excluded).
    pub seconds: f64,
}
