//! Calibrated activation ranges and the rounding of each layer's input to them (Jacob et al. 2018;
//! the `quantize_activations` step in [`crate::compress::quantize_activations`] chooses bits and
//! calibration). The model applies them in its forward pass, so they live with the model, beside
//! [`LayerInputs`], the hook every layer's input passes through.

use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::host::read_floats;

/// What happens to the input of each weighted layer on the way through a model: nothing, rounding
/// to calibrated activation grids, or recording ranges for calibration. Layers count from 0 in the
/// order of their weight tensors.
pub trait LayerInputs {
    fn at<const D: usize>(&mut self, layer: usize, x: Tensor<D>) -> Tensor<D>;
}

/// Calibrated input ranges, one `[min, max]` per weighted layer, in layer order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationQuant {
    pub bits: u8,
    pub ranges: Vec<[f32; 2]>,
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
    let zero = (-low / scale).round_ties_even(); // halves to even, as docs/FORMAT.md says
    x.div_scalar(scale)
        .round()
        .add_scalar(zero)
        .clamp(0.0, levels)
        .sub_scalar(zero)
        .mul_scalar(scale)
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
            let fold = values
                .chunks_exact(2)
                .fold([f32::INFINITY, f32::NEG_INFINITY], |[lo, hi], p| [lo.min(p[0]), hi.max(p[1])]);
            ranges.push(fold);
        }
        Ok(ranges)
    }
}
