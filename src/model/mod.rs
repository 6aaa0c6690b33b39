//! Models: a [`Classifier`] is either an [`Mlp`] or a small [`Cnn`], both plain burn modules built
//! from burn's own layers, so parameters, autodiff and device moves come from burn. This file also
//! counts multiply-accumulates (MACs), which burn does not do.

pub mod activation_ranges;
pub mod cnn;
pub mod init;
pub mod mlp;
pub mod spec;

pub use activation_ranges::{ActivationQuant, LayerInputs, RangeRecorder};
pub use cnn::{Cnn, CnnLayout};
pub use init::{init_model, skeleton};
pub use mlp::Mlp;
pub use spec::{ActivationName, CnnHead, CnnSpec, ConvBlock, MAX_LAYERS, MAX_WIDTH, ModelSpec};

use burn::module::Module;
use burn::tensor::{Device, Tensor};

pub use crate::data::InputShape;

/// Any model the playground trains. Input is `[batch, features]`; output is `[batch, classes]` logits.
// A few models exist at a time, so the CNN variant's extra bytes inline cost nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Classifier {
    Mlp(Mlp),
    Cnn(Cnn),
}

impl Classifier {
    /// Builds the model described by `spec` on `device` (weights drawn from the device's RNG).
    pub fn new(spec: &ModelSpec, input: InputShape, device: &Device) -> Self {
        match spec {
            ModelSpec::Mlp { hidden, activation } => Self::Mlp(Mlp::new(input.features, hidden, input.classes, *activation, device)),
            ModelSpec::Cnn(cnn) => Self::Cnn(Cnn::new(
                cnn_layout(cnn, input),
                input.classes,
                cnn.activation.build(device),
                device,
            )),
        }
    }

    /// Path and shape of every parameter a model of `spec` has, in the order burn visits them,
    /// computed without building it (a model file's declared tensors are checked against this
    /// before anything is allocated).
    pub fn parameter_shapes(spec: &ModelSpec, input: InputShape) -> Vec<(String, Vec<usize>)> {
        let dense = |name: String, i: usize, o: usize| [(format!("{name}.weight"), vec![i, o]), (format!("{name}.bias"), vec![o])];
        match spec {
            ModelSpec::Mlp { hidden, .. } => {
                let widths: Vec<usize> = std::iter::once(input.features)
                    .chain(hidden.iter().copied())
                    .chain([input.classes])
                    .collect();
                widths
                    .windows(2)
                    .enumerate()
                    .flat_map(|(i, w)| dense(format!("Mlp.layers.{i}"), w[0], w[1]))
                    .collect()
            }
            ModelSpec::Cnn(cnn) => cnn_layout(cnn, input).parameter_shapes(input.classes),
        }
    }

    /// MACs for one example of a model of `spec`, computed without building it (what a run will
    /// cost, before it runs): a dense weight `[in, out]` does `in · out`, a convolution's weight
    /// `[out, in / groups, k, k]` that many per pixel of the image it sees.
    pub fn macs_of(spec: &ModelSpec, input: InputShape) -> u64 {
        match spec {
            ModelSpec::Mlp { .. } => Self::parameter_shapes(spec, input)
                .iter()
                .filter(|(_, shape)| shape.len() == 2)
                .map(|(_, shape)| shape.iter().map(|&d| d as u64).product::<u64>())
                .sum(),
            ModelSpec::Cnn(cnn) => cnn_layout(cnn, input).layer_macs(input.classes).iter().sum(),
        }
    }

    /// Logits for a batch of flattened examples (layer inputs quantized if calibrated).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward_with(x, &mut self.activation_quant())
    }

    /// Logits, with every weighted layer's input passed through `inputs` first.
    pub fn forward_with(&self, x: Tensor<2>, inputs: &mut impl LayerInputs) -> Tensor<2> {
        match self {
            Self::Mlp(m) => m.forward_with(x, inputs),
            Self::Cnn(m) => m.forward_with(x, inputs),
        }
    }

    /// The calibrated activation quantization, if any.
    pub fn activation_quant(&self) -> Option<&ActivationQuant> {
        match self {
            Self::Mlp(m) => m.activation_quant.as_ref(),
            Self::Cnn(m) => m.activation_quant.as_ref(),
        }
    }

    /// This model with its layer inputs quantized as `quant` says (or not, for `None`).
    pub fn with_activation_quant(mut self, quant: Option<ActivationQuant>) -> Self {
        match &mut self {
            Self::Mlp(m) => m.activation_quant = quant,
            Self::Cnn(m) => m.activation_quant = quant,
        }
        self
    }

    /// The most floats one example occupies in any layer of the forward pass (batches of bounded
    /// memory are sized by it).
    pub fn working_floats(&self) -> usize {
        match self {
            Self::Mlp(m) => m.working_floats(),
            Self::Cnn(m) => m.working_floats(),
        }
    }

    /// Multiply-accumulate operations for one example.
    pub fn macs(&self) -> u64 {
        self.layer_macs().iter().sum()
    }

    /// MACs of each layer for one example, in the order of the layers' weight tensors.
    pub fn layer_macs(&self) -> Vec<u64> {
        match self {
            Self::Mlp(m) => m.layer_macs(),
            Self::Cnn(m) => m.layer_macs(),
        }
    }
}

/// The layers of a CNN of `spec` on `input`'s images.
fn cnn_layout(spec: &CnnSpec, input: InputShape) -> CnnLayout {
    CnnLayout::new(spec, input.image.unwrap_or([input.features, 1]))
}
