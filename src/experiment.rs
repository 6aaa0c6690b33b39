//! Spec → point: loads the data, builds the model, trains it, applies the compression pipeline
//! and measures the result on the test set and as an exported file. The [`Point`] is what the page
//! plots and stores, and it carries its spec for provenance. [`Experiment::recompress`] re-applies
//! a different pipeline to the same trained model without retraining (the slider path).

use std::rc::Rc;
use std::sync::Mutex;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::backend::{self, BackendKind};
use crate::compress::weights::HostWeights;
use crate::compress::centroid_tuning::SharedWeights;
use crate::compress::finetune::{Constraint, FineTuneSpec, FineTuner, Masks};
use crate::compress::qat::FakeQuant;
use crate::compress::{Compressed, Step, pipeline};
use crate::data::{self, Split};
use crate::error::Result;
use crate::footprint::{self, Footprint, Header};
use crate::model::{Classifier, InputShape};
use crate::spec::{ExperimentSpec, TrainSpec};
use crate::distill::Distillation;
use crate::train::{self, EpochMetrics, Hooks, NoHooks, Observer, Quality};

/// One model's quality and footprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub spec: ExperimentSpec,
    pub backend: BackendKind,
    pub test_accuracy: f32,
    pub test_loss: f32,
    pub train_accuracy: f32,
    /// Trainable parameters (weights and biases).
    pub params: u64,
    /// Size of the parameters stored as plain float32 (the uncompressed reference).
    pub float32_bytes: u64,
    /// The exported file: its bytes, deflated bytes, non-zero parameters.
    pub footprint: Footprint,
    /// Multiply-accumulates for one example's forward pass, as built (dense).
    pub macs: u64,
    /// MACs when factorized layers run as two thin layers.
    pub effective_macs: u64,
    pub train_seconds: f64,
    pub history: Vec<EpochMetrics>,
}

/// A trained model and everything needed to compress, evaluate and export it again.
#[derive(Debug)]
pub struct Experiment {
    pub spec: ExperimentSpec,
    pub backend: BackendKind,
    pub device: Device,
    pub split: Split,
    pub input: InputShape,
    /// The trained, uncompressed model (plain device).
    pub trained: Classifier,
    /// Its parameters on the host, read once.
    pub weights: HostWeights,
    pub history: Vec<EpochMetrics>,
    pub train_seconds: f64,
}

/// The outcome of applying a pipeline: the point, the model it describes and its export.
#[derive(Debug)]
pub struct Variant {
    pub point: Point,
    pub model: Classifier,
    pub export: Vec<u8>,
}

/// The models trained in this session, newest last: teachers for distillation, and the latest
/// one for re-compression. Bounded, so a long workshop does not exhaust memory.
#[derive(Debug, Default)]
pub struct Session {
    trained: Vec<Rc<Experiment>>,
}

/// How many trained models a session keeps.
pub const SESSION_MODELS: usize = 8;

impl Session {
    /// The most recently trained model.
    pub fn latest(&self) -> Option<Rc<Experiment>> {
        self.trained.last().cloned()
    }

    fn remember(&mut self, experiment: Rc<Experiment>) {
        if self.trained.len() == SESSION_MODELS {
            self.trained.remove(0);
        }
        self.trained.push(experiment);
    }

    /// A trained model whose spec (compression aside) is `spec`.
    fn find(&self, spec: &ExperimentSpec) -> Option<Rc<Experiment>> {
        self.trained.iter().rev().find(|e| e.spec.trained_part() == *spec).cloned()
    }
}

/// Serialises weight initialisation: the CPU backend's RNG is process-global, so seeding and
/// drawing must not interleave with another thread's (parallel native tests).
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// Trains `spec` on `device` (a plain device of kind `backend`), reporting to `observer`, applies
/// `spec.compress`, and remembers the trained model in `session`. A distillation teacher comes from
/// the session, or is trained first from its spec.
pub async fn run(
    spec: &ExperimentSpec,
    device: &Device,
    backend: BackendKind,
    observer: &mut impl Observer,
    session: &mut Session,
) -> Result<(Rc<Experiment>, Variant)> {
    spec.validate()?;
    let experiment = match &spec.train.distill {
        None => train_model(spec, device, backend, observer, &NoHooks).await?,
        Some(distill) => {
            let teacher_spec = distill.teacher_spec();
            let teacher = match session.find(&teacher_spec) {
                Some(teacher) => teacher,
                None => {
                    let teacher = Rc::new(train_model(&teacher_spec, device, backend, observer, &NoHooks).await?);
                    session.remember(teacher.clone());
                    teacher
                }
            };
            // Rebuilt from its host weights, so a teacher trained on another backend works too.
            let teacher_model = teacher.weights.write(init_model(&teacher.spec, teacher.input)).to_device(device);
            train_model(spec, device, backend, observer, &Distillation::new(teacher_model, distill)).await?
        }
    };
    let experiment = Rc::new(experiment);
    session.remember(experiment.clone());
    let variant = experiment.recompress(&spec.compress, observer).await?;
    Ok((experiment, variant))
}

/// Loads the data, initialises the model from the seed and trains it with `hooks`.
async fn train_model(
    spec: &ExperimentSpec,
    device: &Device,
    backend: BackendKind,
    observer: &mut impl Observer,
    hooks: &impl Hooks,
) -> Result<Experiment> {
    let split = data::load(&spec.data, spec.seed)?;
    let input = InputShape { features: split.train.n_features, classes: split.train.n_classes, image: split.train.image };
    let model = init_model(spec, input);
    let trained = train::train(model, &split, &spec.train, spec.seed, device, observer, hooks).await?;
    let weights = HostWeights::read(&trained.model).await?;
    Ok(Experiment {
        spec: spec.clone(),
        backend,
        device: device.clone(),
        split,
        input,
        trained: trained.model,
        weights,
        history: trained.history,
        train_seconds: trained.train_seconds,
    })
}

impl Experiment {
    /// Applies `steps` to the trained weights, evaluates the result and measures its export.
    /// Fine-tuning steps report their epochs to `observer`, which may cancel them.
    pub async fn recompress(&self, steps: &[Step], observer: &mut impl Observer) -> Result<Variant> {
        let spec = ExperimentSpec { compress: steps.to_vec(), ..self.spec.clone() };
        spec.validate()?;
        let compressed = pipeline::apply(&self.weights, steps, &mut Tuner { experiment: self, observer }).await?;
        let model = compressed.weights.write(self.trained.clone());
        let export = footprint::export(&Header::new(&spec, self.input, &compressed.weights), &compressed);
        let point = self.measure(spec, &model, &compressed, &export).await?;
        Ok(Variant { point, model, export })
    }

    /// Evaluates `model` (the weights of `compressed`) on both splits and measures its export.
    async fn measure(&self, spec: ExperimentSpec, model: &Classifier, compressed: &Compressed, export: &[u8]) -> Result<Point> {
        let footprint = footprint::measure(export, &compressed.weights);
        let [train, test] = [quality(model, &self.split.train, &self.device).await?, quality(model, &self.split.test, &self.device).await?];
        Ok(Point {
            spec,
            backend: self.backend,
            test_accuracy: test.accuracy,
            test_loss: test.loss,
            train_accuracy: train.accuracy,
            params: footprint.params,
            float32_bytes: footprint.params * 4,
            footprint,
            macs: model.macs(),
            effective_macs: compressed.effective_macs(&model.layer_macs()),
            train_seconds: self.train_seconds,
            history: self.history.clone(),
        })
    }
}

/// Fine-tunes on the experiment's training data and device, with the pruning mask fixed.
struct Tuner<'a, O> {
    experiment: &'a Experiment,
    observer: &'a mut O,
}

impl<O: Observer> FineTuner for Tuner<'_, O> {
    async fn fine_tune(&mut self, weights: &HostWeights, spec: FineTuneSpec, constraint: Constraint) -> Result<HostWeights> {
        let exp = self.experiment;
        let train_spec = TrainSpec { epochs: spec.epochs, learning_rate: spec.learning_rate, ..exp.spec.train.clone() };
        let ad_device = exp.device.clone().autodiff();
        let model = weights.write(exp.trained.clone());
        let (split, seed, device) = (&exp.split, exp.spec.seed, &exp.device);
        let tuned = match constraint {
            Constraint::Mask => {
                let masks = Masks::new(weights, &ad_device);
                train::train(model, split, &train_spec, seed, device, self.observer, &masks).await?
            }
            Constraint::FakeQuant(spec) => {
                let hooks = FakeQuant { spec, masks: Masks::new(weights, &ad_device) };
                train::train(model, split, &train_spec, seed, device, self.observer, &hooks).await?
            }
            Constraint::Clusters(books) => {
                let hooks = SharedWeights::new(&books.iter().map(Option::as_ref).collect::<Vec<_>>(), &ad_device);
                train::train(model, split, &train_spec, seed, device, self.observer, &hooks).await?
            }
        };
        HostWeights::read(&tuned.model).await
    }
}

async fn quality(model: &Classifier, set: &data::Dataset, device: &Device) -> Result<Quality> {
    let (x, y) = train::tensors(set, device);
    train::evaluate(model, &x, &y).await
}

/// Rebuilds a model from an export and evaluates it on its own spec's data (CPU).
pub async fn import(bytes: &[u8]) -> Result<Point> {
    let (header, compressed) = footprint::import(bytes)?;
    header.spec.validate()?;
    let split = data::load(&header.spec.data, header.spec.seed)?;
    let model = compressed.weights.write(init_model(&header.spec, header.input()));
    let experiment = Experiment {
        spec: header.spec.clone(),
        backend: BackendKind::Cpu,
        device: backend::cpu(),
        split,
        input: header.input(),
        trained: model.clone(),
        weights: compressed.weights.clone(),
        history: Vec::new(),
        train_seconds: 0.0,
    };
    experiment.measure(header.spec, &model, &compressed, bytes).await
}

/// Draws the initial weights on the CPU from `spec.seed`, so every backend starts from the same
/// model; training moves it to the chosen device.
fn init_model(spec: &ExperimentSpec, input: InputShape) -> Classifier {
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
