//! A small convolutional network for one-channel images (LeNet-like): conv 3×3 → activation →
//! max-pool 2×2 → conv 3×3 → activation → max-pool 2×2 → dense → class logits. Two efficient
//! variants (Howard et al. 2017, *MobileNets*; Lin et al. 2014, *Network in Network*): the second
//! convolution as a depthwise-separable block (depthwise 3×3 → activation → pointwise 1×1), and a
//! global-average-pooling head in place of the second pooling and the flattening. [`CnnLayout`]
//! says which layers a spec has, so the parameter shapes and MACs of a model are known before it is
//! built and agree with what burn builds.

use burn::module::Module;
use burn::nn::activation::Activation;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor};

use super::spec::{CnnHead, CnnSpec, ConvBlock};
use super::{ActivationQuant, LayerInputs};
use crate::host::DEPTHWISE;

pub(crate) const KERNEL: usize = 3;
const POOL: usize = 2;

/// Convolutions with pooling, then one dense layer. Exactly one of `conv2` and
/// (`depthwise`, `pointwise`) is present.
#[derive(Module, Debug)]
pub struct Cnn {
    pub conv1: Conv2d,
    pub conv2: Option<Conv2d>,
    pub depthwise: Option<Conv2d>,
    pub pointwise: Option<Conv2d>,
    pub pool: MaxPool2d,
    pub average: Option<AdaptiveAvgPool2d>,
    pub head: Linear,
    pub activation: Activation,
    /// The layers this model was built from (input image size, channels, block, head).
    #[module(skip)]
    pub layout: CnnLayout,
    /// Calibrated layer-input quantization (not a parameter).
    #[module(skip)]
    pub activation_quant: Option<ActivationQuant>,
}

/// One convolution of a CNN: where burn keeps it, its channels and kernel, whether it is
/// depthwise (one filter per channel), and the image size it runs over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConvLayer {
    pub name: &'static str,
    pub inputs: usize,
    pub outputs: usize,
    pub kernel: usize,
    pub depthwise: bool,
    pub image: [usize; 2],
}

impl ConvLayer {
    /// Kernel shape as burn stores it: `[out, in / groups, k, k]`.
    pub fn weight_shape(&self) -> Vec<usize> {
        let per_group = if self.depthwise { 1 } else { self.inputs };
        vec![self.outputs, per_group, self.kernel, self.kernel]
    }

    /// Floats one example occupies while this convolution runs: its output and, for backends that
    /// unfold the input into columns (im2col), one column of kernel inputs per output pixel.
    pub fn working_floats(&self) -> usize {
        let [h, w] = self.image;
        let per_group = if self.depthwise { 1 } else { self.inputs };
        (self.kernel * self.kernel * per_group + self.outputs) * h * w
    }

    /// MACs for one example: every output pixel costs one MAC per kernel weight of its channel.
    pub fn macs(&self) -> u64 {
        let [h, w] = self.image;
        (h * w) as u64 * self.weight_shape().iter().map(|&d| d as u64).product::<u64>()
    }

    fn build(&self, device: &Device) -> Conv2d {
        let groups = if self.depthwise { self.inputs } else { 1 };
        Conv2dConfig::new([self.inputs, self.outputs], [self.kernel, self.kernel])
            .with_padding(PaddingConfig2d::Same)
            .with_groups(groups)
            .init(device)
    }
}

/// The layers a CNN spec describes on an image of a given size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CnnLayout {
    pub image: [usize; 2],
    pub channels: [usize; 2],
    pub block: ConvBlock,
    pub head: CnnHead,
}

impl CnnLayout {
    pub fn new(spec: &CnnSpec, image: [usize; 2]) -> Self {
        Self {
            image,
            channels: spec.scaled_channels(),
            block: spec.block,
            head: spec.head,
        }
    }

    /// The convolutions in the order burn visits them.
    pub fn convs(&self) -> Vec<ConvLayer> {
        let [c1, c2] = self.channels;
        let conv = |name, inputs, outputs, kernel, depthwise, image| ConvLayer {
            name,
            inputs,
            outputs,
            kernel,
            depthwise,
            image,
        };
        let second = pooled(self.image);
        let mut layers = vec![conv("conv1", 1, c1, KERNEL, false, self.image)];
        match self.block {
            ConvBlock::Plain => layers.push(conv("conv2", c1, c2, KERNEL, false, second)),
            ConvBlock::Separable => {
                layers.push(conv(DEPTHWISE, c1, c1, KERNEL, true, second));
                layers.push(conv("pointwise", c1, c2, 1, false, second));
            }
        }
        layers
    }

    /// Inputs of the dense head: every pixel of every channel after the second pooling, or one
    /// mean per channel.
    pub fn head_inputs(&self) -> usize {
        let [h, w] = pooled(pooled(self.image));
        match self.head {
            CnnHead::Dense => self.channels[1] * h * w,
            CnnHead::GlobalAverage => self.channels[1],
        }
    }

    /// Path and shape of every parameter, in burn's order.
    pub fn parameter_shapes(&self, classes: usize) -> Vec<(String, Vec<usize>)> {
        let convs = self.convs().into_iter().flat_map(|c| {
            [
                (format!("Cnn.{}.weight", c.name), c.weight_shape()),
                (format!("Cnn.{}.bias", c.name), vec![c.outputs]),
            ]
        });
        convs
            .chain([
                ("Cnn.head.weight".into(), vec![self.head_inputs(), classes]),
                ("Cnn.head.bias".into(), vec![classes]),
            ])
            .collect()
    }

    /// The most floats one example occupies in any layer of the forward pass.
    pub fn working_floats(&self, classes: usize) -> usize {
        let head = self.head_inputs() + classes;
        self.convs().iter().map(ConvLayer::working_floats).fold(head, usize::max)
    }

    /// MACs of each weighted layer for one example (pooling and averaging are not MACs).
    pub fn layer_macs(&self, classes: usize) -> Vec<u64> {
        self.convs()
            .iter()
            .map(ConvLayer::macs)
            .chain([(self.head_inputs() * classes) as u64])
            .collect()
    }
}

impl Cnn {
    pub fn new(layout: CnnLayout, classes: usize, activation: Activation, device: &Device) -> Self {
        let convs = layout.convs();
        let find = |name: &str| convs.iter().find(|c| c.name == name).map(|c| c.build(device));
        Self {
            conv1: convs[0].build(device),
            conv2: find("conv2"),
            depthwise: find(DEPTHWISE),
            pointwise: find("pointwise"),
            pool: MaxPool2dConfig::new([POOL, POOL]).with_strides([POOL, POOL]).init(),
            average: (layout.head == CnnHead::GlobalAverage).then(|| AdaptiveAvgPool2dConfig::new([1, 1]).init()),
            head: LinearConfig::new(layout.head_inputs(), classes).init(device),
            activation,
            layout,
            activation_quant: None,
        }
    }

    pub fn forward_with(&self, x: Tensor<2>, inputs: &mut impl LayerInputs) -> Tensor<2> {
        let [batch, _] = x.dims();
        let [h, w] = self.layout.image;
        let x = inputs.at(0, x.reshape([batch, 1, h, w]));
        let x = self.pool.forward(self.activation.forward(self.conv1.forward(x)));
        let mut layer = 1;
        let mut conv = |x: Tensor<4>, conv: &Conv2d| {
            let x = self.activation.forward(conv.forward(inputs.at(layer, x)));
            layer += 1;
            x
        };
        let x = self.second_convs().fold(x, &mut conv);
        let x = match &self.average {
            Some(average) => average.forward(x),
            None => self.pool.forward(x),
        };
        self.head.forward(inputs.at(layer, x.flatten(1, 3)))
    }

    /// The convolutions after the first pooling, in order.
    fn second_convs(&self) -> impl Iterator<Item = &Conv2d> {
        [&self.conv2, &self.depthwise, &self.pointwise].into_iter().flatten()
    }

    /// The most floats one example occupies in any layer of the forward pass.
    pub fn working_floats(&self) -> usize {
        let [_, classes] = self.head.weight.dims();
        self.layout.working_floats(classes)
    }

    /// MACs of each weighted layer for one example.
    pub fn layer_macs(&self) -> Vec<u64> {
        let [_, classes] = self.head.weight.dims();
        self.layout.layer_macs(classes)
    }
}

/// Image size after one 2×2 pooling (floor, as burn's pooling does).
pub(crate) fn pooled([h, w]: [usize; 2]) -> [usize; 2] {
    [h / POOL, w / POOL]
}
