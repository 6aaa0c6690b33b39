//! What a model is: its kind (MLP or CNN), widths and non-linearity, and for a CNN its block
//! (plain or depthwise-separable), head (dense or global average pooling) and width multiplier.
//! Part of every experiment spec (`model`), checked before anything is built.

use burn::nn::activation::{Activation, ActivationConfig};
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::data::DataName;
use crate::error::{Result, ensure};

/// The model architecture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ModelFields")]
pub enum ModelSpec {
    /// Fully connected: input → hidden layers of the given widths → classes.
    Mlp { hidden: Vec<usize>, activation: ActivationName },
    /// Small CNN for images: conv → pool → conv (or a separable block) → pool → dense (or global
    /// average pooling → dense).
    Cnn(CnnSpec),
}

/// A small CNN's design (see [`crate::model::cnn`]). Fields at their default are left out when
/// written, so a plain CNN's spec reads as it always did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CnnSpec {
    /// Channels of the two convolutions, before the width multiplier.
    pub channels: [usize; 2],
    pub activation: ActivationName,
    #[serde(skip_serializing_if = "is_default")]
    pub block: ConvBlock,
    #[serde(skip_serializing_if = "is_default")]
    pub head: CnnHead,
    /// MobileNet's width multiplier α: every channel count is `round(α · channels)` (at least 1).
    #[serde(skip_serializing_if = "is_one")]
    pub width: f64,
}

/// The second convolution: a full 3×3 convolution, or MobileNet's depthwise-separable block
/// (Howard et al. 2017): a 3×3 depthwise convolution, one filter per channel, then a 1×1 pointwise
/// convolution that mixes channels — `k² · c_in + c_in · c_out` weights instead of `k² · c_in · c_out`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConvBlock {
    #[default]
    Plain,
    Separable,
}

/// What turns the last feature maps into class scores: a dense layer over every pooled pixel, or
/// global average pooling (Lin et al. 2014, *Network in Network*) — one mean per channel — then a
/// dense layer from channels to classes, whose size no longer depends on the image's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CnnHead {
    #[default]
    Dense,
    GlobalAverage,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn is_one(value: &f64) -> bool {
    *value == 1.0
}

impl CnnSpec {
    /// A plain CNN with these channels: full convolutions, a dense head, width 1.
    pub fn new(channels: [usize; 2], activation: ActivationName) -> Self {
        Self {
            channels,
            activation,
            block: ConvBlock::Plain,
            head: CnnHead::Dense,
            width: 1.0,
        }
    }

    /// The channels the network has: `channels` times the width multiplier, rounded, at least 1.
    pub fn scaled_channels(&self) -> [usize; 2] {
        self.channels.map(|c| ((c as f64 * self.width).round() as usize).max(1))
    }
}

/// A model spec as written, read field by field (so that a bad value is named by its path,
/// `model.hidden[0]`, which serde cannot do inside a tagged enum), then checked for its kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFields {
    kind: ModelKind,
    hidden: Option<Vec<usize>>,
    channels: Option<[usize; 2]>,
    activation: ActivationName,
    block: Option<ConvBlock>,
    head: Option<CnnHead>,
    width: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ModelKind {
    Mlp,
    Cnn,
}

impl TryFrom<ModelFields> for ModelSpec {
    type Error = &'static str;

    fn try_from(f: ModelFields) -> std::result::Result<Self, Self::Error> {
        let cnn_only = f.block.is_some() || f.head.is_some() || f.width.is_some();
        match (f.kind, f.hidden, f.channels) {
            (ModelKind::Mlp, Some(_), None) if cnn_only => {
                Err("\"block\", \"head\" and \"width\" belong to a CNN; an MLP's widths are \"hidden\"")
            }
            (ModelKind::Mlp, Some(hidden), None) => Ok(Self::Mlp {
                hidden,
                activation: f.activation,
            }),
            (ModelKind::Cnn, None, Some(channels)) => Ok(Self::Cnn(CnnSpec {
                block: f.block.unwrap_or_default(),
                head: f.head.unwrap_or_default(),
                width: f.width.unwrap_or(1.0),
                ..CnnSpec::new(channels, f.activation)
            })),
            (ModelKind::Mlp, _, Some(_)) => Err("an MLP has no \"channels\" (its widths are \"hidden\")"),
            (ModelKind::Mlp, None, None) => Err("an MLP needs \"hidden\", its hidden widths"),
            (ModelKind::Cnn, Some(_), _) => Err("a CNN has no \"hidden\" (its widths are \"channels\")"),
            (ModelKind::Cnn, None, None) => Err("a CNN needs \"channels\", two numbers"),
        }
    }
}

/// Non-linearities offered between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationName {
    Relu,
    Tanh,
    Sigmoid,
    Gelu,
}

impl ActivationName {
    /// burn's activation layer for this name.
    pub fn build(self, device: &Device) -> Activation {
        let config = match self {
            ActivationName::Relu => ActivationConfig::Relu,
            ActivationName::Tanh => ActivationConfig::Tanh,
            ActivationName::Sigmoid => ActivationConfig::Sigmoid,
            ActivationName::Gelu => ActivationConfig::Gelu,
        };
        config.init(device)
    }
}

impl Default for ModelSpec {
    fn default() -> Self {
        Self::Mlp {
            hidden: vec![64],
            activation: ActivationName::Relu,
        }
    }
}

/// Largest values accepted, so that a typo cannot freeze a browser tab for hours.
pub const MAX_WIDTH: usize = 2048;
pub const MAX_LAYERS: usize = 8;
/// The CNN width multipliers accepted (MobileNet used 0.25–1).
pub const WIDTH_MULTIPLIERS: std::ops::RangeInclusive<f64> = 0.125..=4.0;

impl ModelSpec {
    pub(crate) fn validate(&self, data: DataName) -> Result<()> {
        if let ModelSpec::Cnn { .. } = self {
            ensure(data.is_image(), || {
                "model.kind \"cnn\" needs an image data set (digits or mnist); use \"mlp\" for 2D sets".into()
            })?;
        }
        self.validate_shape()
    }

    /// Checks the layer count and widths.
    pub fn validate_shape(&self) -> Result<()> {
        match self {
            ModelSpec::Mlp { hidden, .. } => {
                ensure(hidden.len() <= MAX_LAYERS, || {
                    format!("model.hidden has {} layers; at most {MAX_LAYERS} are allowed", hidden.len())
                })?;
                check_widths("model.hidden", hidden)
            }
            ModelSpec::Cnn(cnn) => {
                ensure(cnn.width.is_finite() && WIDTH_MULTIPLIERS.contains(&cnn.width), || {
                    format!(
                        "model.width must be a multiplier between {} and {}, got {}",
                        WIDTH_MULTIPLIERS.start(),
                        WIDTH_MULTIPLIERS.end(),
                        cnn.width
                    )
                })?;
                check_widths("model.channels", &cnn.channels)?;
                check_widths("model.channels × model.width", &cnn.scaled_channels())
            }
        }
    }
}

fn check_widths(field: &str, widths: &[usize]) -> Result<()> {
    for (i, &w) in widths.iter().enumerate() {
        ensure((1..=MAX_WIDTH).contains(&w), || {
            format!("{field}[{i}] must be between 1 and {MAX_WIDTH}, got {w}")
        })?;
    }
    Ok(())
}
