//! Models: a [`Classifier`] is either an [`Mlp`] or a small [`Cnn`], both plain burn modules built
//! from burn's own layers, so parameters, autodiff and device moves come from burn. This file also
//! counts multiply-accumulates (MACs), which burn does not do.

pub mod cnn;
pub mod mlp;

pub use cnn::Cnn;
pub use mlp::Mlp;

use burn::module::Module;
use burn::nn::activation::{Activation, ActivationConfig};
use burn::tensor::{Device, Tensor};

use crate::spec::{ActivationName, ModelSpec};

/// What a model needs to know about its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputShape {
    pub features: usize,
    pub classes: usize,
    pub image: Option<[usize; 2]>,
}

/// Any model the playground trains. Input is `[batch, features]`; output is `[batch, classes]` logits.
#[derive(Module, Debug)]
pub enum Classifier {
    Mlp(Mlp),
    Cnn(Cnn),
}

impl Classifier {
    /// Builds the model described by `spec` on `device` (weights drawn from the device's RNG).
    pub fn new(spec: &ModelSpec, input: InputShape, device: &Device) -> Self {
        match spec {
            ModelSpec::Mlp { hidden, activation } => {
                Self::Mlp(Mlp::new(input.features, hidden, input.classes, *activation, device))
            }
            ModelSpec::Cnn { channels, activation } => {
                let image = input.image.unwrap_or([input.features, 1]);
                Self::Cnn(Cnn::new(image, *channels, input.classes, *activation, device))
            }
        }
    }

    /// Logits for a batch of flattened examples.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Mlp(m) => m.forward(x),
            Self::Cnn(m) => m.forward(x),
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

/// burn's activation layer for a spec name.
pub(crate) fn activation(name: ActivationName, device: &Device) -> Activation {
    let config = match name {
        ActivationName::Relu => ActivationConfig::Relu,
        ActivationName::Tanh => ActivationConfig::Tanh,
        ActivationName::Sigmoid => ActivationConfig::Sigmoid,
        ActivationName::Gelu => ActivationConfig::Gelu,
    };
    config.init(device)
}
