//! Gradual magnitude pruning (Zhu & Gupta 2017, *To prune, or not to prune*): instead of removing
//! all weights at once, sparsity rises over `n` stages along the cubic schedule
//! `s_k = s_f · (1 − (1 − k/n)³)` — fast at first, while there are many redundant weights, then
//! slower — with fine-tuning under the fixed mask after each stage, so the network adapts as it
//! shrinks.

use serde::{Deserialize, Serialize};

use super::compressed::Compressed;
use super::fine_tune::fine_tune_masked;
use super::prune::{self, PruneSpec};
use super::technique::{FineTuner, Technique};
use crate::error::{Result, ensure};
use crate::train::FineTuneSpec;

/// Most pruning stages.
pub const MAX_STAGES: usize = 20;

/// Final sparsity (per layer, with `prune.layers`), number of stages and the fine-tuning after each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradualSpec {
    pub prune: PruneSpec,
    pub stages: usize,
    /// Fine-tuning after every stage.
    pub fine_tune: FineTuneSpec,
}

impl Technique for GradualSpec {
    fn validate(&self) -> Result<()> {
        Technique::validate(&self.prune)?;
        self.fine_tune.validate()?;
        ensure((1..=MAX_STAGES).contains(&self.stages), || {
            format!("gradual_prune.stages must be between 1 and {MAX_STAGES}, got {}", self.stages)
        })
    }

    fn training_epochs(&self) -> usize {
        self.stages * self.fine_tune.epochs
    }

    /// Prunes stage by stage, fine-tuning under the mask after each; the result is float.
    async fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> Result<()> {
        for stage in self.schedule() {
            prune::prune(&mut out.weights, &stage)?;
            let tuned = fine_tune_masked(out, self.fine_tune, tuner).await?;
            out.set_float_weights(tuned);
        }
        Ok(())
    }
}

impl GradualSpec {
    /// The pruning of each stage, ending at the final sparsity (of every layer).
    pub fn schedule(&self) -> Vec<PruneSpec> {
        let n = self.stages as f64;
        (1..=self.stages)
            .map(|k| {
                let share = 1.0 - (1.0 - k as f64 / n).powi(3);
                PruneSpec {
                    sparsity: self.prune.sparsity * share,
                    global: self.prune.global,
                    layers: self.prune.layers.iter().map(|s| s * share).collect(),
                }
            })
            .collect()
    }
}
