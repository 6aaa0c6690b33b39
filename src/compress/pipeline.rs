//! A compression pipeline: an ordered list of steps applied to a trained model's weights. Order
//! matters and is part of the spec (prune → quantize keeps pruned weights at exactly zero, since
//! both quantizers represent zero; quantize → prune re-codes the zeroed weights). A fine-tuning
//! step keeps the zeros but returns float weights, so quantize after it — the usual
//! prune → fine-tune → quantize of Deep Compression (Han et al. 2016). Low-rank factors are stored
//! only if no later step changes the matrix. A resize changes the architecture, so the steps after
//! it work on the resized model; activation ranges are calibrated on the final weights, wherever
//! that step stands.

use std::rc::Rc;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::centroid_tuning;
use super::centroid_tuning::SharedWeights;
use super::cluster::{self, ClusterSpec, Codebook};
use super::codes::Codes;
use super::fine_tune::{FineTuner, Masks};
use super::gradual_prune::GradualSpec;
use super::half::{self, HalfFormat};
use super::low_rank::{self, Factors, LowRankSpec};
use super::prune::{self, PruneSpec};
use super::qat::FakeQuant;
use super::qat::QatSpec;
use super::quantize::{self, QuantizeSpec};
use super::quantize_activations::ActivationQuantSpec;
use super::resize::{self, ResizeSpec};
use super::structured_prune::{self, StructuredSpec};
use crate::error::{Error, Result, ensure};
use crate::host::{HostTensor, HostWeights};
use crate::model::ActivationQuant;
use crate::model::ModelSpec;
use crate::train::{FineTuneSpec, Hooks};

/// One compression step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    Quantize(QuantizeSpec),
    Prune(PruneSpec),
    Cluster(ClusterSpec),
    LowRank(LowRankSpec),
    FineTune(FineTuneSpec),
    Qat(QatSpec),
    GradualPrune(GradualSpec),
    StructuredPrune(StructuredSpec),
    /// Store weights as 16-bit floats.
    Half {
        format: HalfFormat,
    },
    QuantizeActivations(ActivationQuantSpec),
    Resize(ResizeSpec),
}

impl Step {
    /// Whether the step trains (seconds of work, progress reports).
    pub fn trains(&self) -> bool {
        match self {
            Step::FineTune(_) | Step::Qat(_) | Step::GradualPrune(_) => true,
            Step::Cluster(c) => c.fine_tune.is_some(),
            _ => false,
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            Step::Quantize(q) => q.validate(),
            Step::Prune(p) => p.validate(),
            Step::Cluster(c) => c.validate(),
            Step::LowRank(l) => l.validate(),
            Step::FineTune(f) => f.validate(),
            Step::Qat(q) => q.validate(),
            Step::GradualPrune(g) => g.validate(),
            Step::StructuredPrune(s) => s.validate(),
            Step::Half { .. } => Ok(()),
            Step::QuantizeActivations(a) => a.validate(),
            Step::Resize(r) => r.validate(),
        }
    }
}

/// Weights after a pipeline, with the integer codes of the tensors quantized or clustered.
#[derive(Clone, Debug, PartialEq)]
pub struct Compressed {
    /// The architecture (changed by resize steps).
    pub model: ModelSpec,
    pub weights: HostWeights,
    /// One entry per tensor of `weights`, `Some` where the tensor is stored as integer codes.
    pub codes: Vec<Option<Codes>>,
    /// One entry per tensor, `Some` where a dense matrix is stored as low-rank factors.
    pub factors: Vec<Option<Factors>>,
    /// Calibrated activation quantization, if the pipeline has that step.
    pub activations: Option<ActivationQuant>,
    /// What a step chose not to do, for the user (a layer a low rank would not shrink).
    pub notes: Vec<String>,
}

impl Compressed {
    /// MACs per example given each layer's dense MACs (`layer_macs`, one per weight tensor):
    /// factorized layers run as two thin ones, and output or input units that are entirely zero
    /// (structured pruning) cost nothing.
    pub fn effective_macs(&self, layer_macs: &[u64]) -> u64 {
        let weights = self.weights.tensors.iter().zip(&self.factors).filter(|(t, _)| t.is_weight());
        weights
            .zip(layer_macs)
            .map(|((t, f), &dense)| match f {
                Some(f) => f.macs(low_rank::matrix_shape(t), dense),
                None => {
                    let (outputs, inputs) = (structured_prune::active_outputs(t), structured_prune::active_inputs(t));
                    let (all_out, all_in) = (t.channels(), structured_prune::inputs(t));
                    dense * (outputs * inputs) as u64 / (all_out * all_in).max(1) as u64
                }
            })
            .sum()
    }
}

/// For pipelines without fine-tuning (host-only tools and tests): any fine-tuning step is an error.
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

    async fn calibrate(&mut self, _: &ModelSpec, _: &HostWeights, _: ActivationQuantSpec) -> Result<ActivationQuant> {
        Err(Error::InvalidSpec(
            "calibration needs a trained experiment (its data and device)".into(),
        ))
    }
}

/// The state after the steps of a pipeline up to its last training step: re-applying a pipeline
/// that starts with these steps resumes from here instead of fine-tuning again, so a slider after a
/// fine-tuning step moves at the speed of the cheap steps after it.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub steps: Vec<Step>,
    pub state: Compressed,
}

/// Applies `steps` in order to a copy of `weights` (a model of architecture `model`); `tuner` runs
/// the steps that need the training data (fine-tuning, calibration).
pub async fn apply(model: &ModelSpec, weights: &HostWeights, steps: &[Step], tuner: &mut impl FineTuner) -> Result<Compressed> {
    apply_resuming(model, weights, steps, tuner, None).await.map(|(out, _)| out)
}

/// Like [`apply`], but resumes from `resume` when `steps` start with its steps. Returns the result
/// and the checkpoint for the next call: after this pipeline's last training step, or `resume`.
pub async fn apply_resuming(
    model: &ModelSpec,
    weights: &HostWeights,
    steps: &[Step],
    tuner: &mut impl FineTuner,
    resume: Option<Rc<Checkpoint>>,
) -> Result<(Compressed, Option<Rc<Checkpoint>>)> {
    steps.iter().try_for_each(Step::validate)?;
    let mut calibrations = steps.iter().filter_map(|s| match s {
        Step::QuantizeActivations(spec) => Some(*spec),
        _ => None,
    });
    let calibration = calibrations.next();
    ensure(calibrations.next().is_none(), || {
        "the pipeline may quantize activations only once".into()
    })?;
    let resumed = resume.as_ref().filter(|c| steps.starts_with(&c.steps));
    let (mut out, done) = match resumed {
        Some(c) => (c.state.clone(), c.steps.len()),
        None => {
            let n = weights.tensors.len();
            let fresh = Compressed {
                model: model.clone(),
                weights: weights.clone(),
                codes: vec![None; n],
                factors: vec![None; n],
                activations: None,
                notes: Vec::new(),
            };
            (fresh, 0)
        }
    };
    let mut checkpoint = resume;
    for (i, step) in steps.iter().enumerate().skip(done) {
        apply_step(&mut out, step, tuner).await?;
        if step.trains() {
            checkpoint = Some(Rc::new(Checkpoint {
                steps: steps[..=i].to_vec(),
                state: out.clone(),
            }));
        }
    }
    if let Some(spec) = calibration {
        out.activations = Some(tuner.calibrate(&out.model, &out.weights, spec).await?);
    }
    Ok((out, checkpoint))
}

/// Applies one step (activation quantization is calibrated at the end, by the caller).
async fn apply_step(out: &mut Compressed, step: &Step, tuner: &mut impl FineTuner) -> Result<()> {
    if !matches!(step, Step::LowRank(_)) {
        // Any later change to the values makes stored factors stale: keep the full matrix.
        out.factors.fill(None);
    }
    match *step {
        Step::Quantize(spec) => encode_weights(out, |t| Codes::Affine(quantize::quantize(t, spec))),
        Step::Cluster(spec) => {
            encode_weights(out, |t| Codes::Codebook(cluster::cluster(t, spec)));
            if let Some(tune) = spec.fine_tune {
                tune_centroids(out, tune, tuner).await?;
            }
        }
        Step::Half { format } => encode_weights(out, |t| Codes::Half(half::round(t, format))),
        Step::Prune(spec) => {
            prune::prune(&mut out.weights, spec);
            recode_zeros(out);
        }
        Step::StructuredPrune(spec) => {
            structured_prune::prune_units(&mut out.weights, spec);
            recode_zeros(out);
        }
        Step::GradualPrune(spec) => {
            for stage in spec.schedule() {
                prune::prune(&mut out.weights, stage);
                out.weights = fine_tune_masked(out, spec.fine_tune, tuner).await?;
            }
            out.codes.fill(None);
        }
        Step::LowRank(spec) => low_rank(out, spec)?,
        Step::FineTune(spec) => {
            out.weights = fine_tune_masked(out, spec, tuner).await?;
            out.codes.fill(None);
        }
        Step::Qat(spec) => {
            let hooks = |device: &Device| FakeQuant {
                spec: spec.quantize,
                masks: Masks::new(&out.weights, device),
            };
            out.weights = tuner.fine_tune(&out.model, &out.weights, spec.fine_tune, hooks).await?;
            encode_weights(out, |t| Codes::Affine(quantize::quantize(t, spec.quantize)));
            recode_zeros(out);
        }
        Step::Resize(spec) => {
            let to = spec.architecture(&out.model)?;
            out.weights = resize::resize(&out.weights, &to);
            out.model = to;
            let n = out.weights.tensors.len();
            (out.codes, out.factors) = (vec![None; n], vec![None; n]);
        }
        Step::QuantizeActivations(_) => {} // calibrated at the end, on the final weights
    }
    Ok(())
}

/// Fine-tunes with every clustered tensor tied to its clusters, then stores the moved centroids.
async fn tune_centroids(out: &mut Compressed, tune: FineTuneSpec, tuner: &mut impl FineTuner) -> Result<()> {
    let books = out.codes.iter().map(|c| match c {
        Some(Codes::Codebook(book)) => Some(book.clone()),
        _ => None,
    });
    let books: Vec<Option<Codebook>> = books.collect();
    let hooks = |device: &Device| SharedWeights::new(&books.iter().map(Option::as_ref).collect::<Vec<_>>(), device);
    out.weights = tuner.fine_tune(&out.model, &out.weights, tune, hooks).await?;
    for (tensor, codes) in out.weights.tensors.iter().zip(&mut out.codes) {
        if let Some(Codes::Codebook(book)) = codes {
            centroid_tuning::refresh_centroids(book, &tensor.values);
        }
    }
    Ok(())
}

/// Fine-tunes with the pruned weights held at zero.
async fn fine_tune_masked(out: &Compressed, spec: FineTuneSpec, tuner: &mut impl FineTuner) -> Result<HostWeights> {
    tuner
        .fine_tune(&out.model, &out.weights, spec, |device: &Device| Masks::new(&out.weights, device))
        .await
}

/// Factorizes the weight tensors (or only the first one).
fn low_rank(out: &mut Compressed, spec: LowRankSpec) -> Result<()> {
    let layers = (0..out.weights.tensors.len()).filter(|&i| out.weights.tensors[i].is_weight());
    let chosen: Vec<usize> = if spec.first_layer_only {
        layers.take(1).collect()
    } else {
        layers.collect()
    };
    for i in chosen {
        let tensor = &mut out.weights.tensors[i];
        match low_rank::factorize(tensor, spec.choose)? {
            Some(factors) => (out.factors[i], out.codes[i]) = (Some(factors), None),
            None => out.notes.push(format!(
                "low rank kept {} dense: the rank its energy needs would not make it smaller",
                tensor.path
            )),
        }
    }
    Ok(())
}

/// Replaces every weight tensor's values by their encoded form (biases stay float).
fn encode_weights(out: &mut Compressed, mut encode: impl FnMut(&mut HostTensor) -> Codes) {
    for (tensor, codes) in out.weights.tensors.iter_mut().zip(&mut out.codes) {
        if tensor.is_weight() {
            *codes = Some(encode(tensor));
        }
    }
}

/// After pruning an encoded tensor, point its zeroed weights at the code for zero; a tensor with
/// no such code (1-bit signs, a codebook without 0) goes back to float storage.
fn recode_zeros(out: &mut Compressed) {
    for (tensor, slot) in out.weights.tensors.iter().zip(&mut out.codes) {
        let Some(codes) = slot else { continue };
        let zeros = (0..tensor.values.len()).filter(|&i| tensor.values[i] == 0.0);
        if !zeros.into_iter().all(|i| codes.set_zero(tensor, i)) {
            *slot = None;
        }
    }
}
