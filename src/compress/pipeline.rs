//! A compression pipeline: an ordered list of steps applied to a trained model's weights. Order
//! matters and is part of the spec (prune → quantize keeps pruned weights at exactly zero, since
//! both quantizers represent zero; quantize → prune re-codes the zeroed weights). A fine-tuning
//! step keeps the zeros but returns float weights, so quantize after it — the usual
//! prune → fine-tune → quantize of Deep Compression (Han et al. 2016). Low-rank factors are stored
//! only if no later step changes the matrix. A resize changes the architecture, so the steps after
//! it work on the resized model; activation ranges are calibrated on the final weights, wherever
//! that step stands.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use strum::VariantNames;

use super::cluster::ClusterSpec;
pub use super::compressed::Compressed;
use super::gradual_prune::GradualSpec;
use super::half::HalfSpec;
use super::low_rank::LowRankSpec;
use super::prune::PruneSpec;
use super::qat::QatSpec;
use super::quantize::QuantizeSpec;
use super::quantize_activations::ActivationQuantSpec;
use super::resize::ResizeSpec;
use super::structured_prune::StructuredSpec;
use super::technique::{FineTuner, Technique};
use crate::error::{Result, ensure};
use crate::host::HostWeights;
use crate::model::{ActivationQuant, ModelSpec};
use crate::train::FineTuneSpec;

/// The step list: one line per technique, `Variant(Spec)`, whose spec implements [`Technique`] in
/// the technique's file. The serde `kind` is the variant in snake_case — the file's name.
macro_rules! step_list {
    ($($(#[$doc:meta])* $variant:ident($spec:ty),)*) => {
        /// One compression step.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, VariantNames)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum Step {
            $($(#[$doc])* $variant($spec),)*
        }

        impl Step {
            /// Checks the step's values, with a message naming the field.
            pub fn validate(&self) -> Result<()> {
                match self { $(Step::$variant(spec) => spec.validate(),)* }
            }

            /// The epochs of training the step runs (0 for one that does not train).
            pub fn training_epochs(&self) -> usize {
                match self { $(Step::$variant(spec) => spec.training_epochs(),)* }
            }

            /// Whether the step trains (seconds of work, progress reports).
            pub fn trains(&self) -> bool {
                self.training_epochs() > 0
            }

            fn keeps_factors(&self) -> bool {
                match self { $(Step::$variant(spec) => spec.keeps_factors(),)* }
            }

            async fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> Result<()> {
                match self { $(Step::$variant(spec) => spec.apply(out, tuner).await,)* }
            }
        }
    };
}

step_list! {
    Quantize(QuantizeSpec),
    Prune(PruneSpec),
    Cluster(ClusterSpec),
    LowRank(LowRankSpec),
    FineTune(FineTuneSpec),
    Qat(QatSpec),
    GradualPrune(GradualSpec),
    StructuredPrune(StructuredSpec),
    /// Store weights as 16-bit floats.
    Half(HalfSpec),
    QuantizeActivations(ActivationQuantSpec),
    Resize(ResizeSpec),
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
    let calibrations = steps.iter().filter(|s| matches!(s, Step::QuantizeActivations(_))).count();
    ensure(calibrations <= 1, || "the pipeline may quantize activations only once".into())?;
    let resumed = resume.as_ref().filter(|c| steps.starts_with(&c.steps));
    let (mut out, done) = match resumed {
        Some(c) => (c.state.clone(), c.steps.len()),
        None => (Compressed::new(model, weights), 0),
    };
    let mut checkpoint = resume;
    for (i, step) in steps.iter().enumerate().skip(done) {
        if !step.keeps_factors() {
            // Any later change to the values makes stored factors stale: keep the full matrix.
            out.factors.fill(None);
        }
        step.apply(&mut out, tuner).await?;
        if step.trains() {
            checkpoint = Some(Rc::new(Checkpoint {
                steps: steps[..=i].to_vec(),
                state: out.clone(),
            }));
        }
    }
    if let Some(calibration) = out.calibration.take() {
        let ranges = tuner.calibrate(&out.model, &out.weights, calibration.batches).await?;
        out.activations = Some(ActivationQuant {
            bits: calibration.bits,
            ranges,
        });
    }
    Ok((out, checkpoint))
}
