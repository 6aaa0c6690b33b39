//! What the engine offers, for a page to build its controls from instead of restating it: the
//! compression step kinds (their names in the spec, each the name of its file in `compress/`) and
//! the largest values a spec may hold. The page sets its inputs' ranges from [`Limits`], and
//! `tests/catalog.rs` checks that the page has one entry per step kind.

use serde::Serialize;
use strum::VariantNames;

use crate::compress::Step;
use crate::compress::cluster::MAX_CLUSTERS;
use crate::compress::gradual_prune::MAX_STAGES;
use crate::data::MAX_SAMPLES;
use crate::model::{MAX_LAYERS, MAX_WIDTH};
use crate::train::augment::{MAX_NOISE, MAX_ROTATE, MAX_SHIFT};
use crate::train::spec::MAX_SMOOTHING;
use crate::train::{MAX_BATCH, MAX_EPOCHS};

/// The step kinds and the limits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Catalog {
    pub steps: &'static [&'static str],
    pub limits: Limits,
}

/// Largest accepted values (smallest ones are 1 unless the field's message says otherwise).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limits {
    /// Generated points of a 2D set (`data.samples`).
    pub samples: usize,
    /// Units of a hidden layer or channels of a convolution.
    pub width: usize,
    /// Hidden layers of an MLP.
    pub layers: usize,
    /// Training or fine-tuning epochs.
    pub epochs: usize,
    pub batch_size: usize,
    /// Clusters per layer.
    pub clusters: usize,
    /// Stages of gradual pruning.
    pub stages: usize,
    /// Label smoothing ε.
    pub label_smoothing: f64,
    /// Augmentation: image shift in pixels, rotation in degrees, input noise.
    pub augment_shift: usize,
    pub augment_rotate: f64,
    pub augment_noise: f64,
}

pub fn catalog() -> Catalog {
    Catalog {
        steps: Step::VARIANTS,
        limits: Limits {
            samples: MAX_SAMPLES,
            width: MAX_WIDTH,
            layers: MAX_LAYERS,
            epochs: MAX_EPOCHS,
            batch_size: MAX_BATCH,
            clusters: MAX_CLUSTERS,
            stages: MAX_STAGES,
            label_smoothing: MAX_SMOOTHING,
            augment_shift: MAX_SHIFT,
            augment_rotate: MAX_ROTATE,
            augment_noise: MAX_NOISE,
        },
    }
}
