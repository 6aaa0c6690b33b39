//! What a model is: its kind (MLP or CNN), widths and non-linearity. Part of every experiment spec
//! (`model`), checked before anything is built.

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
    /// Small CNN for images: conv → pool → conv → pool → dense.
    Cnn { channels: [usize; 2], activation: ActivationName },
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
        match (f.kind, f.hidden, f.channels) {
            (ModelKind::Mlp, Some(hidden), None) => Ok(Self::Mlp {
                hidden,
                activation: f.activation,
            }),
            (ModelKind::Cnn, None, Some(channels)) => Ok(Self::Cnn {
                channels,
                activation: f.activation,
            }),
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

impl ModelSpec {
    pub(crate) fn validate(&self, data: DataName) -> Result<()> {
        if let ModelSpec::Cnn { .. } = self {
            ensure(data == DataName::Digits, || {
                "model.kind \"cnn\" needs an image data set (digits); use \"mlp\" for 2D sets".into()
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
            ModelSpec::Cnn { channels, .. } => check_widths("model.channels", channels),
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
