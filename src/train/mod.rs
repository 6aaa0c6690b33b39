//! The training loop, written by hand so it runs on every burn device — including WebGPU in a
//! browser, where burn-train's `Learner` does not compile: forward → cross-entropy → `backward()` →
//! `GradientsParams` → optimizer step, one mini-batch at a time. Between batches the host's
//! [`Observer`] sees progress and may cancel; once per epoch the model is evaluated on the train and
//! test sets with an asynchronous read-back (`into_data_async`), the only kind WebGPU allows.

pub mod augment;
pub mod handover;
pub mod metrics;
pub mod spec;

pub use augment::AugmentSpec;
pub use handover::RunState;
pub use metrics::{EpochMetrics, Quality};
pub use spec::{FineTuneSpec, MAX_BATCH, MAX_EPOCHS, OptimizerName, TrainSpec};

use std::future::Future;

use burn::module::Module;
use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::data::{Dataset, Split};
use crate::error::{Error, Result};
use crate::host::read_floats;
use crate::model::Classifier;
use augment::Rows;

/// What the host is told while training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Progress {
    /// A mini-batch step finished (`epoch` is 1-based, `batch` counts from 1 to `batches`).
    Batch {
        epoch: usize,
        epochs: usize,
        batch: usize,
        batches: usize,
    },
    /// An epoch finished and was evaluated.
    Epoch { epochs: usize, metrics: EpochMetrics },
    /// A task made of many evaluations (a sensitivity analysis, a search) finished `done` of `of`.
    Task { task: String, done: usize, of: usize },
}

/// The host's answer to a progress report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
    /// Stop after this epoch and give the run's state to [`Observer::hand_over`], so that another
    /// engine goes on with it (an answer to an epoch's report; a batch's goes on).
    HandOver,
}

/// Receives progress between steps; awaiting it lets a browser host yield to its event loop.
pub trait Observer {
    fn observe(&mut self, progress: Progress) -> impl Future<Output = Control>;

    /// Receives the run's state when [`Control::HandOver`] stopped it (dropped unless kept).
    fn hand_over(&mut self, _state: RunState) {}
}

/// An observer that never stops the run (native tools and tests).
pub struct RunToEnd;

impl Observer for RunToEnd {
    async fn observe(&mut self, _: Progress) -> Control {
        Control::Continue
    }
}

/// How a technique shapes training (the default changes nothing).
pub trait Hooks {
    /// The loss to minimise for a batch: `labels` is the cross-entropy against the labels (with
    /// the spec's label smoothing); distillation adds the teacher's soft targets.
    fn loss(&self, logits: Tensor<2>, targets: Tensor<1, Int>, _inputs: Tensor<2>, labels: &CrossEntropyLoss) -> Tensor<1> {
        labels.forward(logits, targets)
    }

    /// The model the forward pass runs (QAT: fake-quantized weights).
    fn forward_model(&self, model: &Classifier) -> Classifier {
        model.clone()
    }

    /// The model after an optimizer step (fine-tuning: pruned weights back to zero).
    fn after_step(&self, model: Classifier) -> Classifier {
        model
    }
}

/// Plain training.
pub struct NoHooks;

impl Hooks for NoHooks {}

/// A trained model (on the plain, non-autodiff device) and its training history.
#[derive(Debug)]
pub struct Trained {
    pub model: Classifier,
    pub history: Vec<EpochMetrics>,
    pub train_seconds: f64,
}

/// Trains a model (created on `device`: fresh, or a run another engine handed over) on
/// `split.train`, evaluating on both sets every epoch.
///
/// `device` is the plain device; training runs on its autodiff twin. The batch order is drawn from
/// `seed`, so on a deterministic backend the same inputs give bit-identical weights, handed over
/// or not. `hooks` let a compression step change the forward pass or constrain the weights after
/// each step.
pub async fn train(
    start: impl Into<RunState>,
    split: &Split,
    spec: &TrainSpec,
    seed: u64,
    device: &Device,
    observer: &mut impl Observer,
    hooks: &impl Hooks,
) -> Result<Trained> {
    let start = start.into();
    let ad_device = device.clone().autodiff();
    // `fork` gives the model its own autodiff graph on the device; `train` turns gradients on.
    let mut model = start.model.fork(&ad_device).train();
    let mut optimizer = match start.optimizer {
        Some(bytes) => handover::load_optimizer(optimizer(spec), bytes)?,
        None => optimizer(spec),
    };
    let labels = label_loss(spec, &ad_device);
    let rows = Rows {
        n_features: split.train.n_features,
        image: split.train.image,
        background: split.normalisation.background(),
    };
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0ba7_c4e5);
    let mut order: Vec<usize> = (0..split.train.len()).collect();
    let batches = order.len().div_ceil(spec.batch_size);
    let eval_sets = [tensors(&split.train, device), tensors(&split.test, device)];
    let (mut history, mut train_seconds) = (start.history, start.train_seconds);
    let done = history.len();
    let mut steps = done * batches;
    let stopped = |steps: usize| spec.stop_after.is_some_and(|last| steps >= last);
    // The epochs done elsewhere drew their batch orders from the same generator.
    for _ in 0..done {
        order.shuffle(&mut rng);
    }

    for epoch in done + 1..=spec.epochs {
        let started = Instant::now();
        order.shuffle(&mut rng);
        for (b, chunk) in order.chunks(spec.batch_size).enumerate() {
            let (mut features, targets) = gather(&split.train, chunk);
            if spec.augment.is_on() {
                features = augment::augment(&features, rows, &spec.augment, batch_seed(seed, epoch, b));
            }
            let data = upload(features, targets, split.train.n_features, &ad_device);
            (model, _) = step(model, &mut optimizer, spec.learning_rate, data, &labels, hooks);
            steps += 1;
            let progress = Progress::Batch {
                epoch,
                epochs: spec.epochs,
                batch: b + 1,
                batches,
            };
            if observer.observe(progress).await == Control::Stop {
                return Err(Error::Cancelled {
                    done: epoch - 1,
                    of: spec.epochs,
                    unit: "epochs",
                });
            }
            if stopped(steps) {
                break;
            }
        }
        let plain = model.valid();
        let [train, test] = [&eval_sets[0], &eval_sets[1]];
        let train = evaluate(&plain, &train.0, &train.1).await?;
        // Timed after the first read-back, so queued GPU work is included in the epoch's time.
        let seconds = started.elapsed().as_secs_f64();
        train_seconds += seconds;
        let metrics = EpochMetrics {
            epoch,
            train,
            test: evaluate(&plain, &test.0, &test.1).await?,
            seconds,
        };
        history.push(metrics);
        let progress = Progress::Epoch {
            epochs: spec.epochs,
            metrics,
        };
        match observer.observe(progress).await {
            Control::Continue => {}
            Control::Stop => {
                return Err(Error::Cancelled {
                    done: epoch,
                    of: spec.epochs,
                    unit: "epochs",
                });
            }
            Control::HandOver => {
                observer.hand_over(RunState {
                    model: model.valid(),
                    optimizer: Some(handover::optimizer_bytes(&optimizer)?),
                    history,
                    train_seconds,
                });
                return Err(Error::HandedOver {
                    done: epoch,
                    of: spec.epochs,
                });
            }
        }
        if stopped(steps) {
            break;
        }
    }
    Ok(Trained {
        model: model.valid(),
        history,
        train_seconds,
    })
}

/// One optimisation step on the batch `(x, y)` (on the autodiff device); returns the updated model
/// and the batch's loss (not read back).
fn step(
    model: Classifier,
    optimizer: &mut ModuleOptimizer,
    learning_rate: f64,
    (x, y): (Tensor<2>, Tensor<1, Int>),
    labels: &CrossEntropyLoss,
    hooks: &impl Hooks,
) -> (Classifier, Tensor<1>) {
    let logits = hooks.forward_model(&model).forward(x.clone());
    let loss = hooks.loss(logits, y, x, labels);
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    (hooks.after_step(optimizer.step(learning_rate, model, grads)), loss.detach())
}

/// Milliseconds per training step of `model` on `device` at the spec's batch size: `warm_up` steps
/// first (shader compilation, allocation), then `steps` timed ones, each timing ended by reading
/// the loss back so queued GPU work is counted. What the page's automatic backend choice compares.
pub async fn time_steps(model: Classifier, split: &Split, spec: &TrainSpec, device: &Device, warm_up: usize, steps: usize) -> Result<f64> {
    let ad_device = device.clone().autodiff();
    let mut model = model.fork(&ad_device).train();
    let mut optimizer = optimizer(spec);
    let labels = label_loss(spec, &ad_device);
    let indices: Vec<usize> = (0..split.train.len()).collect();
    let mut batches = indices.chunks(spec.batch_size).cycle();
    let steps = steps.max(1);
    let mut started = Instant::now();
    for i in 0..warm_up + steps {
        let chunk = batches.next().expect("a cycle of non-empty chunks");
        let loss;
        (model, loss) = step(
            model,
            &mut optimizer,
            spec.learning_rate,
            batch(&split.train, chunk, &ad_device),
            &labels,
            &NoHooks,
        );
        if i + 1 == warm_up {
            read_floats(loss).await?;
            started = Instant::now();
        } else if i + 1 == warm_up + steps {
            read_floats(loss).await?;
        }
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / steps as f64)
}

/// burn's optimizer for the spec (weight decay as an L2 term on the gradients).
fn optimizer(spec: &TrainSpec) -> ModuleOptimizer {
    let decay = (spec.weight_decay > 0.0).then(|| WeightDecayConfig::new(spec.weight_decay as f32));
    match spec.optimizer {
        OptimizerName::Adam => AdamConfig::new().with_weight_decay(decay).init(),
        OptimizerName::Sgd => {
            let momentum = (spec.momentum > 0.0).then(|| MomentumConfig::new().with_momentum(spec.momentum).with_dampening(0.0));
            SgdConfig::new().with_weight_decay(decay).with_momentum(momentum).init()
        }
    }
}

/// Mean cross-entropy of logits against class labels (burn's loss).
fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, targets)
}

/// At most this many floats of one layer's working set are alive at once while evaluating (64 MiB):
/// a data set is evaluated in batches of as many examples as fit, so a wide CNN on all of MNIST
/// needs a bounded amount of memory rather than gigabytes, which wasm never returns (the page's
/// models, digits MLPs and the default CNN, still run in one batch).
pub const EVALUATION_FLOATS: usize = 1 << 24;

/// How many examples of `model` one evaluation batch holds (at least one).
pub fn evaluation_rows(model: &Classifier) -> usize {
    (EVALUATION_FLOATS / model.working_floats().max(1)).max(1)
}

/// The logits of `model` for every row of `x`, computed in batches of [`evaluation_rows`]
/// examples: only one batch's activations are alive at a time, whatever the data set's size.
pub fn logits(model: &Classifier, x: Tensor<2>) -> Tensor<2> {
    logits_in_batches(model, x, evaluation_rows(model))
}

/// The logits of `model` for every row of `x`, `rows` examples at a time.
pub fn logits_in_batches(model: &Classifier, x: Tensor<2>, rows: usize) -> Tensor<2> {
    let [n, _] = x.dims();
    if n <= rows {
        return model.forward(x);
    }
    let batches = (0..n)
        .step_by(rows.max(1))
        .map(|start| model.forward(x.clone().narrow(0, start, rows.min(n - start))));
    Tensor::cat(batches.collect(), 0)
}

/// Loss and accuracy of `model` on `(x, y)` (in batches of bounded memory), read back in one
/// asynchronous transfer.
pub async fn evaluate(model: &Classifier, x: &Tensor<2>, y: &Tensor<1, Int>) -> Result<Quality> {
    let logits = logits(model, x.clone());
    let loss = cross_entropy(logits.clone(), y.clone());
    let accuracy = logits.argmax(1).flatten::<1>(0, 1).equal(y.clone()).float().mean();
    let values = read_floats(Tensor::cat(vec![loss.reshape([1]), accuracy.reshape([1])], 0)).await?;
    Ok(Quality {
        loss: values[0],
        accuracy: values[1],
    })
}

/// A whole data set as device tensors.
pub fn tensors(set: &Dataset, device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    let all: Vec<usize> = (0..set.len()).collect();
    batch(set, &all, device)
}

/// The examples at `indices`, gathered on the host and uploaded as one batch.
fn batch(set: &Dataset, indices: &[usize], device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    let (features, labels) = gather(set, indices);
    upload(features, labels, set.n_features, device)
}

/// The features (row-major) and labels of the examples at `indices`.
fn gather(set: &Dataset, indices: &[usize]) -> (Vec<f32>, Vec<i64>) {
    let features = indices.iter().flat_map(|&i| set.row(i).iter().copied()).collect();
    (features, indices.iter().map(|&i| set.labels[i] as i64).collect())
}

fn upload(features: Vec<f32>, labels: Vec<i64>, n_features: usize, device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    let n = labels.len();
    let x = Tensor::from_data(TensorData::new(features, [n, n_features]), device);
    (x, Tensor::from_data(TensorData::new(labels, [n]), device))
}

/// The seed of batch `batch` of epoch `epoch`'s augmentation: every batch of a run differs, and a
/// run repeats exactly.
fn batch_seed(seed: u64, epoch: usize, batch: usize) -> u64 {
    seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ ((epoch as u64) << 32) ^ batch as u64
}

/// The cross-entropy training minimises: smoothed as the spec says (evaluation reports plain
/// cross-entropy, so losses stay comparable).
pub fn label_loss(spec: &TrainSpec, device: &Device) -> CrossEntropyLoss {
    let smoothing = (spec.label_smoothing > 0.0).then_some(spec.label_smoothing as f32);
    CrossEntropyLossConfig::new().with_smoothing(smoothing).init(device)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Int, Tensor, TensorData};

    use super::{TrainSpec, label_loss};
    use crate::backend;
    use crate::host::read_floats;

    /// The training loss of logits `[ln 3, 0]` (probabilities 0.75, 0.25) for class 0.
    fn loss_with_smoothing(label_smoothing: f64) -> f32 {
        let device = backend::cpu();
        let logits = Tensor::<2>::from_data(TensorData::new(vec![3f32.ln(), 0.0], [1, 2]), &device);
        let target = Tensor::<1, Int>::from_data(TensorData::new(vec![0i64], [1]), &device);
        let loss = label_loss(
            &TrainSpec {
                label_smoothing,
                ..TrainSpec::default()
            },
            &device,
        )
        .forward(logits, target);
        pollster::block_on(read_floats(loss)).unwrap()[0]
    }

    #[test]
    fn without_smoothing_the_loss_is_the_cross_entropy() {
        assert!((loss_with_smoothing(0.0) - (4f32 / 3.0).ln()).abs() < 1e-6);
    }

    #[test]
    fn label_smoothing_aims_at_one_minus_epsilon_plus_epsilon_over_the_classes() {
        // ε = 0.2 over 2 classes: targets 0.9 and 0.1, so −(0.9 ln 0.75 + 0.1 ln 0.25).
        let expected = -(0.9 * 0.75f32.ln() + 0.1 * 0.25f32.ln());
        assert!(
            (loss_with_smoothing(0.2) - expected).abs() < 1e-6,
            "{} vs {expected}",
            loss_with_smoothing(0.2)
        );
    }
}
