//! Activation quantization with calibration (Jacob et al. 2018, *Quantization and Training of Neural
//! Networks for Efficient Integer-Arithmetic-Only Inference*; Krishnamoorthi 2018, §3): with the
//! weights in integers, the inputs of every weighted layer must be integers too for integer-only
//! inference. Their ranges are not known from the weights, so a few training batches are run
//! through the final model (calibration) and each layer's input range `[min, max]` is recorded;
//! inference then rounds every layer input to the `bits`-bit asymmetric grid over that range. The
//! ranges (two floats per layer) are stored in the export. The step's settings live here; the
//! ranges, their recording and the rounding live with the model ([`crate::model::activation_ranges`]).

use serde::{Deserialize, Serialize};

use super::compressed::{Calibration, Compressed};
use super::technique::{FineTuner, Technique};
use crate::error::{Result, ensure};

/// Activation bits and how many training batches calibrate the ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationQuantSpec {
    /// 2 to 16.
    pub bits: u8,
    /// 1 to 100 batches of the training batch size, taken in order.
    pub calibration_batches: usize,
}

impl Technique for ActivationQuantSpec {
    fn validate(&self) -> Result<()> {
        ensure((2..=16).contains(&self.bits), || {
            format!("quantize_activations.bits must be between 2 and 16, got {}", self.bits)
        })?;
        ensure((1..=100).contains(&self.calibration_batches), || {
            format!(
                "quantize_activations.calibration_batches must be between 1 and 100, got {}",
                self.calibration_batches
            )
        })
    }

    /// Asks for calibration on the final weights, wherever the step stands (the pipeline runs it
    /// after its last step); a pipeline calibrates once.
    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        ensure(out.calibration.is_none(), || {
            "the pipeline may quantize activations only once".into()
        })?;
        out.calibration = Some(Calibration {
            bits: self.bits,
            batches: self.calibration_batches,
        });
        Ok(())
    }
}
