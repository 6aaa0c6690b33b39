//! A small convolutional network for one-channel images (LeNet-like): conv 3×3 → activation →
//! max-pool 2×2 → conv 3×3 → activation → max-pool 2×2 → dense → class logits.

use burn::module::Module;
use burn::nn::activation::Activation;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor};

use super::{ActivationName, ActivationQuant, LayerInputs};

pub(crate) const KERNEL: usize = 3;
const POOL: usize = 2;

/// Two same-padded convolutions with pooling, then one dense layer.
#[derive(Module, Debug)]
pub struct Cnn {
    pub conv1: Conv2d,
    pub conv2: Conv2d,
    pub pool: MaxPool2d,
    pub head: Linear,
    pub activation: Activation,
    /// `[height, width]` of the input image.
    pub image: [usize; 2],
    /// Calibrated layer-input quantization (not a parameter).
    #[module(skip)]
    pub activation_quant: Option<ActivationQuant>,
}

impl Cnn {
    pub fn new(image: [usize; 2], channels: [usize; 2], classes: usize, act: ActivationName, device: &Device) -> Self {
        let conv = |i, o| {
            Conv2dConfig::new([i, o], [KERNEL, KERNEL])
                .with_padding(PaddingConfig2d::Same)
                .init(device)
        };
        let [h, w] = head_image(image);
        Self {
            conv1: conv(1, channels[0]),
            conv2: conv(channels[0], channels[1]),
            pool: MaxPool2dConfig::new([POOL, POOL]).with_strides([POOL, POOL]).init(),
            head: LinearConfig::new(channels[1] * h * w, classes).init(device),
            activation: act.build(device),
            image,
            activation_quant: None,
        }
    }

    pub fn forward_with(&self, x: Tensor<2>, inputs: &mut impl LayerInputs) -> Tensor<2> {
        let [batch, _] = x.dims();
        let [h, w] = self.image;
        let x = inputs.at(0, x.reshape([batch, 1, h, w]));
        let x = self.pool.forward(self.activation.forward(self.conv1.forward(x)));
        let x = inputs.at(1, x);
        let x = self.pool.forward(self.activation.forward(self.conv2.forward(x)));
        self.head.forward(inputs.at(2, x.flatten(1, 3)))
    }

    /// MACs: each output pixel of a convolution costs `in · out · k²`; the head one per weight.
    pub fn layer_macs(&self) -> Vec<u64> {
        let conv_macs = |conv: &Conv2d, [h, w]: [usize; 2]| {
            let [out, inp, kh, kw] = conv.weight.dims();
            (h * w * out * inp * kh * kw) as u64
        };
        let [hi, wi] = self.head.weight.dims();
        vec![
            conv_macs(&self.conv1, self.image),
            conv_macs(&self.conv2, pooled(self.image)),
            (hi * wi) as u64,
        ]
    }
}

/// Image size the head sees: after both poolings.
pub(crate) fn head_image(image: [usize; 2]) -> [usize; 2] {
    pooled(pooled(image))
}

/// Image size after one 2×2 pooling (floor, as burn's pooling does).
pub(crate) fn pooled([h, w]: [usize; 2]) -> [usize; 2] {
    [h / POOL, w / POOL]
}
