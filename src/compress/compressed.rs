//! The running state of a compression pipeline: the architecture (a resize changes it), the host
//! weights, and what the file will store for each tensor — integer codes, low-rank factors — plus
//! the activation calibration a step asked for. Each technique's `apply` updates it.

use super::codes::{Codes, Factors};
use crate::host::{HostTensor, HostWeights};
use crate::model::{ActivationQuant, ModelSpec};

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
    /// Activation quantization to calibrate on the final weights once the steps are done (taken
    /// by the pipeline when it calibrates).
    pub calibration: Option<Calibration>,
    /// Calibrated activation quantization, if the pipeline has that step.
    pub activations: Option<ActivationQuant>,
    /// What a step chose not to do, for the user (a layer a low rank would not shrink).
    pub notes: Vec<String>,
}

/// Activation bits and how many training batches calibrate their ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calibration {
    pub bits: u8,
    pub batches: usize,
}

impl Compressed {
    /// The uncompressed state of a model of architecture `model` with `weights`.
    pub fn new(model: &ModelSpec, weights: &HostWeights) -> Self {
        let n = weights.tensors.len();
        Self {
            model: model.clone(),
            weights: weights.clone(),
            codes: vec![None; n],
            factors: vec![None; n],
            calibration: None,
            activations: None,
            notes: Vec::new(),
        }
    }

    /// Replaces every weight tensor's values by their encoded form (biases stay float).
    pub fn encode_weights(&mut self, mut encode: impl FnMut(&mut HostTensor) -> Codes) {
        self.encode_layers(|_, tensor| Some(encode(tensor)));
    }

    /// Like [`Self::encode_weights`], told each weight tensor's layer (counted from 0); a layer
    /// `encode` answers `None` for keeps what it had.
    pub fn encode_layers(&mut self, mut encode: impl FnMut(usize, &mut HostTensor) -> Option<Codes>) {
        let weights = self.weights.tensors.iter_mut().zip(&mut self.codes).filter(|(t, _)| t.is_weight());
        for (layer, (tensor, codes)) in weights.enumerate() {
            if let Some(encoded) = encode(layer, tensor) {
                *codes = Some(encoded);
            }
        }
    }

    /// After pruning an encoded tensor, points its zeroed weights at the code for zero; a tensor
    /// with no such code (1-bit signs, a codebook without 0) goes back to float storage.
    pub fn recode_zeros(&mut self) {
        for (tensor, slot) in self.weights.tensors.iter().zip(&mut self.codes) {
            let Some(codes) = slot else { continue };
            let zeros = (0..tensor.values.len()).filter(|&i| tensor.values[i] == 0.0);
            if !zeros.into_iter().all(|i| codes.set_zero(tensor, i)) {
                *slot = None;
            }
        }
    }

    /// New float weights (fine-tuned, resized): every tensor is stored as float again.
    pub fn set_float_weights(&mut self, weights: HostWeights) {
        let n = weights.tensors.len();
        self.weights = weights;
        (self.codes, self.factors) = (vec![None; n], vec![None; n]);
    }
}
