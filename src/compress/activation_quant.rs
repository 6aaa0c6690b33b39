//! Activation quantization with calibration (Jacob et al. 2018, *Quantization and Training of Neural
//! Networks for Efficient Integer-Arithmetic-Only Inference*; Krishnamoorthi 2018, §3): with the
//! weights in integers, the inputs of every weighted layer must be integers too for integer-only
//! inference. Their ranges are not known from the weights, so a few training batches are run
//! through the final model (calibration) and each layer's input range `[min, max]` is recorded;
//! inference then rounds every layer input to the `bits`-bit asymmetric grid over that range. The
//! ranges (two floats per layer) are stored in the export.

use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use crate::error::{Result, ensure};
use crate::model::LayerInputs;
use crate::train::read_floats;

/// Activation bits and how many training batches calibrate the ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationQuantSpec {
    /// 2 to 16.
    pub bits: u8,
    /// 1 to 100 batches of the training batch size, taken in order.
    pub calibration_batches: usize,
}

/// Calibrated input ranges, one `[min, max]` per weighted layer, in layer order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivationQuant {
    pub bits: u8,
    pub ranges: Vec<[f32; 2]>,
}

impl ActivationQuantSpec {
    pub fn validate(&self) -> Result<()> {
        ensure((2..=16).contains(&self.bits), || {
            format!("quantize_activations.bits must be between 2 and 16, got {}", self.bits)
        })?;
        ensure((1..=100).contains(&self.calibration_batches), || {
            format!("quantize_activations.calibration_batches must be between 1 and 100, got {}", self.calibration_batches)
        })
    }
}

impl LayerInputs for Option<&ActivationQuant> {
    /// Rounds layer `layer`'s input to its calibrated grid (unchanged without quantization).
    fn at<const D: usize>(&mut self, layer: usize, x: Tensor<D>) -> Tensor<D> {
        match self {
            Some(q) => quantize_to_range(x, q.ranges[layer], q.bits),
            None => x,
        }
    }
}

/// Quantize-dequantize `x` on the asymmetric `bits`-bit grid spanning `[min, max]` widened to
/// include zero, so zero (ReLU's floor, padding) stays exact; values outside are clamped.
pub fn quantize_to_range<const D: usize>(x: Tensor<D>, [min, max]: [f32; 2], bits: u8) -> Tensor<D> {
    let levels = ((1u32 << bits) - 1) as f32;
    let (low, high) = (min.min(0.0), max.max(0.0));
    let scale = if high > low { (high - low) / levels } else { 1.0 };
    let zero = (-low / scale).round();
    x.div_scalar(scale).round().add_scalar(zero).clamp(0.0, levels).sub_scalar(zero).mul_scalar(scale)
}

/// Records the range of every layer input seen during calibration forward passes.
#[derive(Default)]
pub struct RangeRecorder {
    /// Per layer, the `[min, max]` of each batch (read back once at the end).
    seen: Vec<Vec<Tensor<1>>>,
}

impl LayerInputs for RangeRecorder {
    fn at<const D: usize>(&mut self, layer: usize, x: Tensor<D>) -> Tensor<D> {
        if self.seen.len() <= layer {
            self.seen.resize_with(layer + 1, Vec::new);
        }
        let flat: Tensor<1> = x.clone().flatten(0, D - 1);
        self.seen[layer].push(Tensor::cat(vec![flat.clone().min(), flat.max()], 0));
        x
    }
}

impl RangeRecorder {
    /// The overall `[min, max]` of each layer's input over all recorded batches.
    pub async fn into_ranges(self) -> Result<Vec<[f32; 2]>> {
        let mut ranges = Vec::with_capacity(self.seen.len());
        for per_batch in self.seen {
            let values = read_floats(Tensor::cat(per_batch, 0)).await?;
            let fold = values.chunks_exact(2).fold([f32::INFINITY, f32::NEG_INFINITY], |[lo, hi], p| [lo.min(p[0]), hi.max(p[1])]);
            ranges.push(fold);
        }
        Ok(ranges)
    }
}
