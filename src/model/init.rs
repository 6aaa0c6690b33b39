//! A model's initial weights: drawn on the CPU from the experiment's seed, so every backend starts
//! from the same model (training moves it to the chosen device).

use std::sync::Mutex;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::Tensor;

use super::{Classifier, InputShape, ModelSpec};
use crate::backend;

/// Serialises weight initialisation: the CPU backend's RNG is process-global, so seeding and
/// drawing must not interleave with another thread's (parallel native tests).
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// Draws the initial weights on the CPU from `seed`, so every backend starts from the same
/// model; training moves it to the chosen device.
pub fn init_model(architecture: &ModelSpec, input: InputShape, seed: u64) -> Classifier {
    build_on_cpu(architecture, input, Some(seed))
}

/// A model of `architecture` on the CPU whose weights are about to be overwritten.
pub fn skeleton(architecture: &ModelSpec, input: InputShape) -> Classifier {
    build_on_cpu(architecture, input, None)
}

/// Builds a model on the CPU with every parameter drawn now (from `seed`, if given).
fn build_on_cpu(architecture: &ModelSpec, input: InputShape, seed: Option<u64>) -> Classifier {
    let cpu = backend::cpu();
    let _guard = INIT_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(seed) = seed {
        cpu.seed(seed);
    }
    let model = Classifier::new(architecture, input, &cpu);
    model.visit(&mut InitialiseNow);
    model
}

/// burn initialises parameters lazily, on first use; touching each one draws it now, while the
/// seeded RNG is ours, instead of later on whichever device the model has moved to.
struct InitialiseNow;

impl ModuleVisitor for InitialiseNow {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let _ = param.val();
    }
}
