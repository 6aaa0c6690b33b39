//! Knowledge distillation (Hinton, Vinyals & Dean 2015): a student learns from a trained teacher's
//! softened outputs as well as from the labels. The loss is
//! `α · T² · H(softmax(teacher / T), softmax(student / T)) + (1 − α) · CE(student, labels)`; the T²
//! keeps the soft term's gradients on the scale of the hard one. The hard term takes the
//! training's label smoothing, if any (Müller et al. 2019 show why a smoothed *teacher* makes a
//! poorer one: its soft targets carry less about how classes resemble each other). One of the survey's learning
//! techniques: it helps only when the teacher is clearly better than the student. Its settings
//! (`distill` in the spec, with the teacher's own spec) are in [`crate::spec::DistillSpec`].

use burn::nn::loss::CrossEntropyLoss;
use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Int, Tensor};

use crate::model::Classifier;
use crate::train::Hooks;

/// Training hooks that add the teacher's soft targets to the loss.
pub struct Distillation {
    /// The teacher on the plain device of training (its outputs are constants for autodiff).
    pub teacher: Classifier,
    pub temperature: f32,
    pub alpha: f32,
}

impl Distillation {
    pub fn new(teacher: Classifier, temperature: f64, alpha: f64) -> Self {
        Self {
            teacher,
            temperature: temperature as f32,
            alpha: alpha as f32,
        }
    }
}

impl Hooks for Distillation {
    fn loss(&self, logits: Tensor<2>, targets: Tensor<1, Int>, inputs: Tensor<2>, labels: &CrossEntropyLoss) -> Tensor<1> {
        let t = self.temperature;
        let soft_targets = softmax(self.teacher.forward(inputs.without_autodiff()) / t, 1);
        let soft = (soft_targets * log_softmax(logits.clone() / t, 1)).sum_dim(1).mean().neg() * (t * t);
        let hard = labels.forward(logits, targets);
        soft * self.alpha + hard * (1.0 - self.alpha)
    }
}
