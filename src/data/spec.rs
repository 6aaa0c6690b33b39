//! What a data set is made of: which set, how many generated points, how much noise, how much is
//! held out. Part of every experiment spec (`data`).

use serde::{Deserialize, Serialize};

use super::custom::TableRef;
use crate::error::{Result, ensure};

/// Which data set, and how to generate or split it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSpec {
    pub name: DataName,
    /// Number of generated points (synthetic sets only).
    pub samples: usize,
    /// Standard deviation of the Gaussian noise added to generated points (synthetic sets only).
    pub noise: f64,
    /// Fraction of the examples held out for testing.
    pub test_fraction: f64,
    /// The learner's own table (`name: "custom"` only): which one, by id, name and shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<TableRef>,
}

/// The shipped and generated data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataName {
    Spiral,
    Moons,
    Circles,
    Xor,
    Gaussians,
    Digits,
    Mnist,
    /// The learner's own data: drawn points or a CSV file ([`super::custom`]).
    Custom,
}

impl DataName {
    /// Whether examples are one-channel images (CNNs, shifts and rotations need them).
    pub fn is_image(self) -> bool {
        matches!(self, DataName::Digits | DataName::Mnist)
    }
}

impl Default for DataSpec {
    fn default() -> Self {
        Self {
            name: DataName::Digits,
            samples: 600,
            noise: 0.1,
            test_fraction: 0.2,
            table: None,
        }
    }
}

/// Most generated points accepted, so that a typo cannot freeze a browser tab for hours.
pub const MAX_SAMPLES: usize = 50_000;

impl DataSpec {
    pub(crate) fn validate(&self) -> Result<()> {
        ensure(self.name != DataName::Custom || self.table.is_some(), || {
            "your own data is not chosen yet: draw points or open a CSV file (data.table is missing)".into()
        })?;
        ensure(self.name == DataName::Custom || self.table.is_none(), || {
            "data.table names the learner's own data, and goes with data.name \"custom\" only".into()
        })?;
        ensure((20..=MAX_SAMPLES).contains(&self.samples), || {
            format!("data.samples must be between 20 and {MAX_SAMPLES}, got {}", self.samples)
        })?;
        ensure(self.noise.is_finite() && (0.0..=5.0).contains(&self.noise), || {
            format!("data.noise must be a number between 0 and 5, got {}", self.noise)
        })?;
        ensure(self.test_fraction.is_finite() && (0.05..=0.5).contains(&self.test_fraction), || {
            format!("data.test_fraction must be between 0.05 and 0.5, got {}", self.test_fraction)
        })
    }
}
