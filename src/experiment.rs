//! Spec → point: loads the data, builds the model, trains it, applies the compression pipeline
//! and measures the result on the test set and as an exported file. The [`Point`] is what the page
//! plots and stores, and it carries its spec for provenance. [`Experiment::recompress`] re-applies
//! a different pipeline to the same trained model without retraining (the slider path), resuming
//! after the last pipeline's fine-tuning when the new one starts with the same steps.

use std::cell::RefCell;
use std::rc::Rc;

use burn::module::Module;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::backend::{self, BackendKind};
use crate::compress::pipeline::{self, Checkpoint};
use crate::compress::{Compressed, FineTuner, Step};
use crate::data::{self, InputShape, Split};
use crate::distill::Distillation;
use crate::error::{Error, Result};
use crate::footprint::{self, Footprint, Header};
use crate::handover_file;
use crate::host::HostWeights;
use crate::model::{Classifier, ModelSpec, RangeRecorder, init_model, skeleton};
use crate::spec::ExperimentSpec;
use crate::train::handover::with_param_ids;
use crate::train::{self, EpochMetrics, FineTuneSpec, Hooks, NoHooks, Observer, Quality, RunState};

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
    /// MACs as the file stores the model: factorized layers run as two thin layers, units that
    /// structured pruning emptied cost nothing.
    pub effective_macs: u64,
    /// What the pipeline chose not to do (a layer a low rank would not shrink, kept dense).
    #[serde(default)]
    pub notes: Vec<String>,
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
    /// The last pipeline's state after its fine-tuning, reused by the next pipeline that starts
    /// with the same steps (the slider path).
    checkpoint: RefCell<Option<Rc<Checkpoint>>>,
}

/// The outcome of applying a pipeline: the point, the model it describes and its export.
#[derive(Debug)]
pub struct Variant {
    pub point: Point,
    pub model: Classifier,
    pub export: Vec<u8>,
}

/// The models trained in this session, newest last: teachers for distillation and the models
/// the page re-compresses. Bounded, so a long workshop does not exhaust memory.
#[derive(Debug, Default)]
pub struct Session {
    trained: Vec<Rc<Experiment>>,
}

/// How many trained models a session keeps.
pub const SESSION_MODELS: usize = 8;

impl Session {
    /// Keeps a trained model (the oldest goes when the session is full).
    pub fn remember(&mut self, experiment: Rc<Experiment>) {
        if self.trained.len() == SESSION_MODELS {
            self.trained.remove(0);
        }
        self.trained.push(experiment);
    }

    /// A trained model whose spec (compression aside) is `spec`.
    pub fn find(&self, spec: &ExperimentSpec) -> Option<Rc<Experiment>> {
        self.trained.iter().rev().find(|e| e.spec.trained_part() == *spec).cloned()
    }
}

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
    let experiment = match &spec.distill {
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
            let teacher_model = teacher
                .weights
                .write(skeleton(&teacher.spec.model, teacher.input))
                .to_device(device);
            train_model(
                spec,
                device,
                backend,
                observer,
                &Distillation::new(teacher_model, distill.temperature, distill.alpha),
            )
            .await?
        }
    };
    keep(experiment, spec, observer, session).await
}

/// Remembers a trained model in `session` and applies `spec.compress` to it.
async fn keep(
    experiment: Experiment,
    spec: &ExperimentSpec,
    observer: &mut impl Observer,
    session: &mut Session,
) -> Result<(Rc<Experiment>, Variant)> {
    let experiment = Rc::new(experiment);
    session.remember(experiment.clone());
    let variant = experiment.recompress(&spec.compress, observer).await?;
    Ok((experiment, variant))
}

/// The bytes of a run of `spec` that stopped to be handed over ([`train::Control::HandOver`]):
/// what [`resume`] goes on from in another engine.
pub async fn hand_over(spec: &ExperimentSpec, state: RunState) -> Result<Vec<u8>> {
    let split = data::load(&spec.data, spec.seed)?;
    handover_file::write(spec, input_shape(&split), &split.normalisation, state).await
}

/// Goes on with a run of `spec` that another engine handed over after some epochs (`bytes`, from
/// [`hand_over`]): its model, optimizer state and history, the batch order drawn again from the
/// seed. Then as [`run`]: the pipeline applied, the model remembered in `session`.
pub async fn resume(
    spec: &ExperimentSpec,
    bytes: &[u8],
    device: &Device,
    backend: BackendKind,
    observer: &mut impl Observer,
    session: &mut Session,
) -> Result<(Rc<Experiment>, Variant)> {
    spec.validate()?;
    let run = handover_file::read(bytes)?;
    if run.header.spec != spec.trained_part() || spec.distill.is_some() {
        return Err(Error::File(
            "this run's state is of another model or spec (and a distilled one is never handed over)".into(),
        ));
    }
    let split = data::load_with(&spec.data, spec.seed, &run.header.normalisation)?;
    let model = run.weights.write(skeleton(&spec.model, run.header.input)).to_device(device);
    let start = RunState {
        model: with_param_ids(model, &run.param_ids)?,
        optimizer: Some(run.optimizer),
        history: run.history,
        train_seconds: run.train_seconds,
    };
    let experiment = train_on(spec, device, backend, observer, &NoHooks, split, start).await?;
    keep(experiment, spec, observer, session).await
}

/// The input and output shape of a model for `split`.
fn input_shape(split: &Split) -> InputShape {
    InputShape {
        features: split.train.n_features,
        classes: split.train.n_classes,
        image: split.train.image,
    }
}

/// Milliseconds per training step of `spec`'s model on `device` (3 warm-up steps, then 10 timed
/// ones): what an automatic backend choice compares, on the model the user is about to train.
pub async fn step_ms(spec: &ExperimentSpec, device: &Device) -> Result<f64> {
    spec.validate()?;
    let split = data::load(&spec.data, spec.seed)?;
    let input = input_shape(&split);
    train::time_steps(init_model(&spec.model, input, spec.seed), &split, &spec.train, device, 3, 10).await
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
    let model = init_model(&spec.model, input_shape(&split), spec.seed);
    train_on(spec, device, backend, observer, hooks, split, model.into()).await
}

/// Trains from `start` (a fresh model, or a run handed over) on `split`.
async fn train_on(
    spec: &ExperimentSpec,
    device: &Device,
    backend: BackendKind,
    observer: &mut impl Observer,
    hooks: &impl Hooks,
    split: Split,
    start: RunState,
) -> Result<Experiment> {
    let trained = train::train(start, &split, &spec.train, spec.seed, device, observer, hooks).await?;
    Experiment::new(spec, backend, device, split, trained.model, trained.history, trained.train_seconds).await
}

/// `spec`'s model as initialised from its seed, not trained, with its data: what a search sizes a
/// candidate on (the file's bytes, MACs and latency follow from the shapes and the pipeline, not
/// from the values of the weights).
pub async fn untrained(spec: &ExperimentSpec, device: &Device, backend: BackendKind) -> Result<Experiment> {
    spec.validate()?;
    let split = data::load(&spec.data, spec.seed)?;
    let model = init_model(&spec.model, input_shape(&split), spec.seed).to_device(device);
    Experiment::new(spec, backend, device, split, model, Vec::new(), 0.0).await
}

impl Experiment {
    async fn new(
        spec: &ExperimentSpec,
        backend: BackendKind,
        device: &Device,
        split: Split,
        trained: Classifier,
        history: Vec<EpochMetrics>,
        train_seconds: f64,
    ) -> Result<Self> {
        Ok(Experiment {
            spec: spec.clone(),
            backend,
            device: device.clone(),
            input: input_shape(&split),
            split,
            weights: HostWeights::read(&trained).await?,
            trained,
            history,
            train_seconds,
            checkpoint: RefCell::default(),
        })
    }

    /// Applies `steps` to the trained weights, evaluates the result and measures its export.
    /// Fine-tuning steps report their epochs to `observer`, which may cancel them.
    pub async fn recompress(&self, steps: &[Step], observer: &mut impl Observer) -> Result<Variant> {
        let spec = self.spec_with(steps)?;
        let mut tuner = Tuner {
            experiment: self,
            observer,
        };
        let resume = self.checkpoint.borrow().clone();
        let (compressed, checkpoint) = pipeline::apply_resuming(&self.spec.model, &self.weights, steps, &mut tuner, resume).await?;
        *self.checkpoint.borrow_mut() = checkpoint;
        let model = self
            .model_of(&compressed.model, &compressed.weights)
            .with_activation_quant(compressed.activations.clone());
        let export = self.export(&spec, &compressed);
        let point = self.measure(spec, &model, &compressed, &export).await?;
        Ok(Variant { point, model, export })
    }

    /// The file that `steps` make of the trained weights, not evaluated: what a byte budget checks.
    pub async fn file(&self, steps: &[Step], observer: &mut impl Observer) -> Result<Vec<u8>> {
        let spec = self.spec_with(steps)?;
        let mut tuner = Tuner {
            experiment: self,
            observer,
        };
        let compressed = pipeline::apply(&self.spec.model, &self.weights, steps, &mut tuner).await?;
        Ok(self.export(&spec, &compressed))
    }

    /// This model's spec with the pipeline `steps`, checked.
    fn spec_with(&self, steps: &[Step]) -> Result<ExperimentSpec> {
        let spec = ExperimentSpec {
            compress: steps.to_vec(),
            ..self.spec.clone()
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The model file of `compressed`, made by `spec`.
    fn export(&self, spec: &ExperimentSpec, compressed: &Compressed) -> Vec<u8> {
        footprint::export(&Header::new(spec, self.input, &self.split.normalisation, compressed), compressed)
    }

    /// A model of `architecture` with `weights`, on the experiment's device.
    fn model_of(&self, architecture: &ModelSpec, weights: &HostWeights) -> Classifier {
        if *architecture == self.spec.model {
            weights.write(self.trained.clone())
        } else {
            weights.write(skeleton(architecture, self.input)).to_device(&self.device)
        }
    }

    /// Evaluates `model` (the weights of `compressed`) on both splits and measures its export.
    async fn measure(&self, spec: ExperimentSpec, model: &Classifier, compressed: &Compressed, export: &[u8]) -> Result<Point> {
        let footprint = footprint::measure(export, &compressed.weights);
        let [train, test] = [
            quality(model, &self.split.train, &self.device).await?,
            quality(model, &self.split.test, &self.device).await?,
        ];
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
            notes: compressed.notes.clone(),
            train_seconds: self.train_seconds,
            history: self.history.clone(),
        })
    }
}

/// Fine-tunes and calibrates on the experiment's training data and device.
struct Tuner<'a, O> {
    experiment: &'a Experiment,
    observer: &'a mut O,
}

impl<O: Observer> FineTuner for Tuner<'_, O> {
    async fn fine_tune<H: Hooks>(
        &mut self,
        architecture: &ModelSpec,
        weights: &HostWeights,
        spec: FineTuneSpec,
        hooks: impl FnOnce(&Device) -> H,
    ) -> Result<HostWeights> {
        let exp = self.experiment;
        let hooks = hooks(&exp.device.clone().autodiff());
        let (model, train_spec) = (exp.model_of(architecture, weights), spec.applied_to(&exp.spec.train));
        let tuned = train::train(model, &exp.split, &train_spec, exp.spec.seed, &exp.device, self.observer, &hooks).await?;
        HostWeights::read(&tuned.model).await
    }

    /// Calibrates on the first batches of the training set, in order (deterministic).
    async fn calibrate(&mut self, architecture: &ModelSpec, weights: &HostWeights, batches: usize) -> Result<Vec<[f32; 2]>> {
        let exp = self.experiment;
        let model = exp.model_of(architecture, weights);
        let (x, _) = train::tensors(&exp.split.train, &exp.device);
        let (batch, examples) = (exp.spec.train.batch_size, exp.split.train.len());
        let mut recorder = RangeRecorder::default();
        for start in (0..examples.min(batch * batches)).step_by(batch) {
            model.forward_with(x.clone().narrow(0, start, batch.min(examples - start)), &mut recorder);
        }
        recorder.into_ranges().await
    }
}

async fn quality(model: &Classifier, set: &data::Dataset, device: &Device) -> Result<Quality> {
    let (x, y) = train::tensors(set, device);
    train::evaluate(model, &x, &y).await
}

/// Rebuilds a model from an export (checked by [`footprint::import`]) and evaluates it on its own
/// spec's data, standardised with the file's statistics (CPU).
pub async fn import(bytes: &[u8]) -> Result<Point> {
    let (header, compressed) = footprint::import(bytes)?;
    let split = data::load_with(&header.spec.data, header.spec.seed, &header.normalisation)?;
    let model = compressed
        .weights
        .write(skeleton(&compressed.model, header.input))
        .with_activation_quant(compressed.activations.clone());
    let experiment = Experiment {
        spec: header.spec.clone(),
        backend: BackendKind::Cpu,
        device: backend::cpu(),
        split,
        input: header.input,
        trained: model.clone(),
        weights: compressed.weights.clone(),
        history: Vec::new(),
        train_seconds: 0.0,
        checkpoint: RefCell::default(),
    };
    experiment.measure(header.spec, &model, &compressed, bytes).await
}

/// Takes over a model that another engine trained: its float model file (the export of the
/// point of `point.spec`, which has no compression) and that point. The page's Auto backend races
/// two engines, one per Web Worker, and keeps the first to finish; the page's own engine adopts
/// the winner's model, so the sliders compress it on `device` as if it had trained it here.
pub async fn adopt(bytes: &[u8], point: Point, device: &Device, backend: BackendKind) -> Result<(Experiment, Variant)> {
    let (header, compressed) = footprint::import(bytes)?;
    let float = compressed.codes.iter().all(Option::is_none) && compressed.factors.iter().all(Option::is_none);
    if !point.spec.compress.is_empty() || header.spec != point.spec || !float {
        return Err(Error::File(
            "only a trained model's own float file can be handed over, with its point".into(),
        ));
    }
    let spec = point.spec.clone();
    let split = data::load_with(&spec.data, spec.seed, &header.normalisation)?;
    let trained = compressed.weights.write(skeleton(&spec.model, header.input)).to_device(device);
    let experiment = Experiment::new(
        &spec,
        backend,
        device,
        split,
        trained.clone(),
        point.history.clone(),
        point.train_seconds,
    )
    .await?;
    let variant = Variant {
        point,
        model: trained,
        export: bytes.to_vec(),
    };
    Ok((experiment, variant))
}
