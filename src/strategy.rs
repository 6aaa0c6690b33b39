//! The survey's two strategies for reaching the Pareto frontier (Menghani 2021, §2), as recipes of
//! ordinary pipelines on a trained model, so every point a strategy makes is reproducible from its
//! link and plots like any other:
//! - *Shrink-and-Improve*: shrink (a width multiplier, then quantization), then improve (fine-tune
//!   the shrunk model before quantizing it);
//! - *Grow-Improve-and-Shrink*: grow (Net2Net, Chen et al. 2016: wider with the same function),
//!   improve (fine-tune), then shrink back (quantize).
//!
//! The page runs the stages one by one (`www/src/strategies.js`), choosing the widest `bits` whose
//! file fits the strategy's budget and narrating each stage.

use serde::{Deserialize, Serialize};

use crate::compress::Step;
use crate::compress::quantize::QuantizeSpec;
use crate::compress::resize::ResizeSpec;
use crate::error::Result;
use crate::train::FineTuneSpec;

/// A strategy with its settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Strategy {
    /// Shrink to `width` × the hidden widths and `bits`-bit weights, then improve.
    ShrinkAndImprove { width: f64, bits: u8, tune: FineTuneSpec },
    /// Grow to `width` × the hidden widths, improve, then shrink back to `bits`-bit weights.
    GrowImproveShrink { width: f64, bits: u8, tune: FineTuneSpec },
}

/// One stage: its name and the whole pipeline (from the trained model) that makes its point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub steps: Vec<Step>,
}

impl Strategy {
    /// The stages, in order; each pipeline is checked.
    pub fn stages(&self) -> Result<Vec<Stage>> {
        let stage = |name: &str, steps: Vec<Step>| Stage { name: name.into(), steps };
        let stages = match *self {
            Strategy::ShrinkAndImprove { width, bits, tune } => vec![
                stage("shrunk", vec![resize(width), quantize(bits)]),
                stage("improved", vec![resize(width), Step::FineTune(tune), quantize(bits)]),
            ],
            Strategy::GrowImproveShrink { width, bits, tune } => vec![
                stage("grown", vec![resize(width)]),
                stage("improved", vec![resize(width), Step::FineTune(tune)]),
                stage("shrunk back", vec![resize(width), Step::FineTune(tune), quantize(bits)]),
            ],
        };
        for stage in &stages {
            stage.steps.iter().try_for_each(Step::validate)?;
        }
        Ok(stages)
    }
}

fn resize(width: f64) -> Step {
    Step::Resize(ResizeSpec {
        width,
        hidden_layers: None,
    })
}

fn quantize(bits: u8) -> Step {
    Step::Quantize(QuantizeSpec::uniform(bits, true, true))
}
