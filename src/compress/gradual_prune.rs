//! Gradual magnitude pruning (Zhu & Gupta 2017, *To prune, or not to prune*): instead of removing
//! all weights at once, sparsity rises over `n` stages along the cubic schedule
//! `s_k = s_f · (1 − (1 − k/n)³)` — fast at first, while there are many redundant weights, then
//! slower — with fine-tuning under the fixed mask after each stage, so the network adapts as it
//! shrinks.

use serde::{Deserialize, Serialize};

use super::prune::PruneSpec;
use crate::error::{Result, ensure};
use crate::train::FineTuneSpec;

/// Most pruning stages.
pub const MAX_STAGES: usize = 20;

/// Final sparsity, number of stages and the fine-tuning after each.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradualSpec {
    pub prune: PruneSpec,
    pub stages: usize,
    /// Fine-tuning after every stage.
    pub fine_tune: FineTuneSpec,
}

impl GradualSpec {
    pub fn validate(&self) -> Result<()> {
        self.prune.validate()?;
        self.fine_tune.validate()?;
        ensure((1..=MAX_STAGES).contains(&self.stages), || {
            format!("gradual_prune.stages must be between 1 and {MAX_STAGES}, got {}", self.stages)
        })
    }

    /// The pruning of each stage, ending at the final sparsity.
    pub fn schedule(&self) -> Vec<PruneSpec> {
        let n = self.stages as f64;
        (1..=self.stages)
            .map(|k| PruneSpec {
                sparsity: self.prune.sparsity * (1.0 - (1.0 - k as f64 / n).powi(3)),
                ..self.prune
            })
            .collect()
    }
}
