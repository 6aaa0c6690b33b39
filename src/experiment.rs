//! Spec → point: loads the data, builds the model, trains it and measures the result. The
//! [`Point`] is what the page plots and stores, and it carries its spec for provenance.

use std::sync::Mutex;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::backend::{self, BackendKind};
use crate::data::{self, Split};
use crate::error::Result;
use crate::model::{Classifier, InputShape};
use crate::spec::ExperimentSpec;
use crate::train::{self, EpochMetrics, Observer, Trained};

/// One trained model's quality and footprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub spec: ExperimentSpec,
    pub backend: BackendKind,
    pub test_accuracy: f32,
    pub test_loss: f32,
    pub train_accuracy: f32,
    /// Trainable parameters (weights and biases).
    pub params: u64,
    /// Size of the parameters stored as float32.
    pub float32_bytes: u64,
    /// Multiply-accumulates for one example's forward pass.
    pub macs: u64,
    pub train_seconds: f64,
    pub history: Vec<EpochMetrics>,
}

/// A finished run: its point plus what later steps (visualisation, compression) need.
#[derive(Debug)]
pub struct Experiment {
    pub point: Point,
    pub trained: Trained,
    pub split: Split,
}

/// Serialises weight initialisation: the CPU backend's RNG is process-global, so seeding and
/// drawing must not interleave with another thread's (parallel native tests).
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// Runs `spec` on `device` (a plain device of kind `backend`), reporting to `observer`.
pub async fn run(
    spec: &ExperimentSpec,
    device: &Device,
    backend: BackendKind,
    observer: &mut impl Observer,
) -> Result<Experiment> {
    spec.validate()?;
    let split = data::load(&spec.data, spec.seed)?;
    let model = init_model(spec, &split);
    let trained = train::train(model, &split, &spec.train, spec.seed, device, observer).await?;
    let last = trained.history.last().copied().expect("validation guarantees at least one epoch");
    let params = trained.model.num_params() as u64;
    let point = Point {
        spec: spec.clone(),
        backend,
        test_accuracy: last.test.accuracy,
        test_loss: last.test.loss,
        train_accuracy: last.train.accuracy,
        params,
        float32_bytes: params * 4,
        macs: trained.model.macs(),
        train_seconds: trained.train_seconds,
        history: trained.history.clone(),
    };
    Ok(Experiment { point, trained, split })
}

/// Draws the initial weights on the CPU from `spec.seed`, so every backend starts from the same
/// model; training moves it to the chosen device.
fn init_model(spec: &ExperimentSpec, split: &Split) -> Classifier {
    let input = InputShape {
        features: split.train.n_features,
        classes: split.train.n_classes,
        image: split.train.image,
    };
    let cpu = backend::cpu();
    let _guard = INIT_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cpu.seed(spec.seed);
    let model = Classifier::new(&spec.model, input, &cpu);
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
