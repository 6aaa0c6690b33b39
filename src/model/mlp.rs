//! Multi-layer perceptron: input → hidden layers (burn `Linear` + activation) → class logits.

use burn::module::Module;
use burn::nn::activation::Activation;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Tensor};

use super::{ActivationName, ActivationQuant, LayerInputs};

/// A stack of dense layers with one activation between them (none after the last).
#[derive(Module, Debug)]
pub struct Mlp {
    pub layers: Vec<Linear>,
    pub activation: Activation,
    /// Calibrated layer-input quantization (not a parameter).
    #[module(skip)]
    pub activation_quant: Option<ActivationQuant>,
}

impl Mlp {
    /// `inputs → hidden[0] → … → classes`.
    pub fn new(inputs: usize, hidden: &[usize], classes: usize, act: ActivationName, device: &Device) -> Self {
        let widths: Vec<usize> = std::iter::once(inputs).chain(hidden.iter().copied()).chain([classes]).collect();
        let layers = widths.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Self {
            layers,
            activation: act.build(device),
            activation_quant: None,
        }
    }

    pub fn forward_with(&self, mut x: Tensor<2>, inputs: &mut impl LayerInputs) -> Tensor<2> {
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(inputs.at(i, x));
            if i < last {
                x = self.activation.forward(x);
            }
        }
        x
    }

    /// One MAC per weight per example.
    /// The most floats one example occupies in any layer of the forward pass: its input and output.
    pub fn working_floats(&self) -> usize {
        self.layers.iter().map(|l| l.weight.dims().iter().sum::<usize>()).max().unwrap_or(1)
    }

    pub fn layer_macs(&self) -> Vec<u64> {
        self.layers
            .iter()
            .map(|l| {
                let [i, o] = l.weight.dims();
                (i * o) as u64
            })
            .collect()
    }
}
