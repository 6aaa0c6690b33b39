//! Knowledge distillation (Hinton, Vinyals & Dean 2015): a student learns from a trained teacher's
//! softened outputs as well as from the labels. The loss is
//! `α · T² · H(softmax(teacher / T), softmax(student / T)) + (1 − α) · CE(student, labels)`; the T²
//! keeps the soft term's gradients on the scale of the hard one. One of the survey's learning
//! techniques: it helps only when the teacher is clearly better than the student.

use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Int, Tensor};
use serde::{Deserialize, Serialize};

use crate::error::{Result, ensure};
use crate::model::Classifier;
use crate::spec::ExperimentSpec;
use crate::train::{Hooks, cross_entropy};

/// Which teacher, and how to weigh it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistillSpec {
    /// The teacher's own spec: it must use the same data and seed (so the same split). Hosts keep
    /// trained teachers and train one from this spec when they have none.
    pub teacher: Box<ExperimentSpec>,
    /// Softmax temperature, > 0 (Hinton et al. use 1–20).
    pub temperature: f64,
    /// Weight of the teacher's soft targets, in [0, 1]; 0 is plain training.
    pub alpha: f64,
}

impl DistillSpec {
    pub fn validate(&self, student: &ExperimentSpec) -> Result<()> {
        ensure(self.temperature.is_finite() && self.temperature > 0.0 && self.temperature <= 100.0, || {
            format!("train.distill.temperature must be in (0, 100], got {}", self.temperature)
        })?;
        ensure(self.alpha.is_finite() && (0.0..=1.0).contains(&self.alpha), || {
            format!("train.distill.alpha must be between 0 and 1, got {}", self.alpha)
        })?;
        ensure(self.teacher.data == student.data && self.teacher.seed == student.seed, || {
            "train.distill.teacher must be trained on the same data set and seed as the student".into()
        })?;
        ensure(self.teacher.train.distill.is_none(), || "a teacher cannot itself be distilled here".into())?;
        self.teacher.validate()
    }

    /// The spec that trains the teacher (its own compression steps do not apply).
    pub fn teacher_spec(&self) -> ExperimentSpec {
        self.teacher.trained_part()
    }
}

/// Training hooks that add the teacher's soft targets to the loss.
pub struct Distillation {
    /// The teacher on the plain device of training (its outputs are constants for autodiff).
    pub teacher: Classifier,
    pub temperature: f32,
    pub alpha: f32,
}

impl Distillation {
    pub fn new(teacher: Classifier, spec: &DistillSpec) -> Self {
        Self { teacher, temperature: spec.temperature as f32, alpha: spec.alpha as f32 }
    }
}

impl Hooks for Distillation {
    fn loss(&self, logits: Tensor<2>, targets: Tensor<1, Int>, inputs: Tensor<2>) -> Tensor<1> {
        let t = self.temperature;
        let soft_targets = softmax(self.teacher.forward(inputs.without_autodiff()) / t, 1);
        let soft = (soft_targets * log_softmax(logits.clone() / t, 1)).sum_dim(1).mean().neg() * (t * t);
        let hard = cross_entropy(logits, targets);
        soft * self.alpha + hard * (1.0 - self.alpha)
    }
}

