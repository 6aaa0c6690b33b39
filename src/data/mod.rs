//! Data sets: an in-memory table of `f32` features and class labels, the deterministic train/test
//! split and the normalisation that every model sees (and every model file stores). The sets themselves live in
//! [`synthetic`] (generated 2D sets), [`digits`] (the shipped UCI 8×8 digits), [`mnist`] (10,000
//! MNIST digits, handed over when first wanted) and [`custom`] (the learner's own table).

pub mod custom;
pub mod dataset;
pub mod digits;
pub mod mnist;
pub mod spec;
pub mod synthetic;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

pub use dataset::Dataset;
pub use spec::{DataName, DataSpec, MAX_SAMPLES};

use crate::error::{Error, Result};

/// What a model needs to know about its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputShape {
    pub features: usize,
    pub classes: usize,
    pub image: Option<[usize; 2]>,
}

/// The held-out split the engine trains and evaluates on.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
    /// The standardisation both sets went through (statistics of the training set).
    pub normalisation: Normalisation,
}

/// Standardisation `x' = (x − mean) / std`, per feature, or one pair for every feature (length 1).
/// Exported model files carry it, so a file classifies raw inputs on its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalisation {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

/// Loads or generates the set named in `spec`, splits it with `seed` and standardises it with the
/// training set's statistics.
pub fn load(spec: &DataSpec, seed: u64) -> Result<Split> {
    let (train, test) = load_raw(spec, seed)?;
    let normalisation = Normalisation::of(&train);
    Ok(normalisation.apply(train, test))
}

/// Like [`load`], standardised with given statistics (a model file's) instead of the training set's.
pub fn load_with(spec: &DataSpec, seed: u64, normalisation: &Normalisation) -> Result<Split> {
    let (train, test) = load_raw(spec, seed)?;
    normalisation.check(train.n_features).map_err(Error::InvalidSpec)?;
    Ok(normalisation.clone().apply(train, test))
}

/// How many examples of `spec`'s set [`load`] puts in (train, test), without loading it.
pub fn example_counts(spec: &DataSpec) -> (usize, usize) {
    let n = match spec.name {
        DataName::Digits => digits::EXAMPLES,
        DataName::Mnist => mnist::EXAMPLES,
        DataName::Custom => spec.table.as_ref().map_or(0, |t| t.rows),
        _ => spec.samples,
    };
    let test = test_count(n, spec.test_fraction);
    (n - test, test)
}

fn test_count(n: usize, test_fraction: f64) -> usize {
    (n as f64 * test_fraction).ceil() as usize
}

/// The input and output shape of `spec`'s set, without loading it.
pub fn input_shape(spec: &DataSpec) -> InputShape {
    match spec.name {
        DataName::Digits => InputShape {
            features: digits::PIXELS,
            classes: digits::CLASSES,
            image: Some([digits::SIDE; 2]),
        },
        DataName::Mnist => InputShape {
            features: mnist::PIXELS,
            classes: mnist::CLASSES,
            image: Some([mnist::SIDE; 2]),
        },
        DataName::Custom => {
            let (features, classes) = spec.table.as_ref().map_or((0, 0), |t| (t.features, t.classes));
            InputShape {
                features,
                classes,
                image: None,
            }
        }
        name => InputShape {
            features: 2,
            classes: synthetic::classes(name),
            image: None,
        },
    }
}

/// The training and test sets before standardisation (what a model file's reader is given).
pub fn load_raw(spec: &DataSpec, seed: u64) -> Result<(Dataset, Dataset)> {
    Ok(match spec.name {
        DataName::Digits => split(&digits::load()?, spec.test_fraction, seed),
        DataName::Mnist => split(mnist::load()?, spec.test_fraction, seed),
        DataName::Custom => {
            let table = spec
                .table
                .as_ref()
                .ok_or_else(|| Error::InvalidSpec("data.table is missing".into()))?;
            split(&custom::load(table)?, spec.test_fraction, seed)
        }
        name => split(
            &synthetic::generate(name, spec.samples, spec.noise, seed)?,
            spec.test_fraction,
            seed,
        ),
    })
}

/// Shuffles example indices with `seed` and holds out `ceil(test_fraction · n)` of them
/// (the same count as scikit-learn's `train_test_split`); returns (train, test).
pub fn split(full: &Dataset, test_fraction: f64, seed: u64) -> (Dataset, Dataset) {
    let mut order: Vec<usize> = (0..full.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed ^ 0x5eed_0000_5b11_7000));
    let (test, train) = order.split_at(test_count(full.len(), test_fraction));
    (full.subset(train), full.subset(test))
}

impl Normalisation {
    /// Statistics of a training set (no test leakage): per feature for tabular sets, one mean and
    /// deviation over all pixels for images so spatial structure stays.
    pub fn of(train: &Dataset) -> Self {
        let stats: Vec<(f32, f32)> = if train.image.is_some() {
            vec![mean_std(train.features.iter().copied())]
        } else {
            (0..train.n_features)
                .map(|j| mean_std((0..train.len()).map(|i| train.row(i)[j])))
                .collect()
        };
        Normalisation {
            mean: stats.iter().map(|s| s.0).collect(),
            std: stats.iter().map(|s| s.1).collect(),
        }
    }

    /// The standardised value of a raw 0 in the first feature: an empty pixel, for images (which
    /// share one mean and deviation).
    pub fn background(&self) -> f32 {
        -self.mean[0] / self.std[0]
    }

    /// What is wrong with statistics that do not fit `features` inputs or would not give finite
    /// values (the caller says whether that is a bad spec or a bad file).
    pub fn check(&self, features: usize) -> std::result::Result<(), String> {
        let n = self.mean.len();
        if n != self.std.len() || (n != 1 && n != features) {
            return Err(format!(
                "the normalisation has {n} means and {} deviations for {features} features",
                self.std.len()
            ));
        }
        if !(self.mean.iter().all(|m| m.is_finite()) && self.std.iter().all(|s| s.is_finite() && *s > 0.0)) {
            return Err("the normalisation needs finite means and positive, finite deviations".into());
        }
        Ok(())
    }

    /// Standardises both sets in place and returns them as a split.
    fn apply(self, mut train: Dataset, mut test: Dataset) -> Split {
        for set in [&mut train, &mut test] {
            for (k, x) in set.features.iter_mut().enumerate() {
                let j = (k % set.n_features) % self.mean.len();
                *x = (*x - self.mean[j]) / self.std[j];
            }
        }
        Split {
            train,
            test,
            normalisation: self,
        }
    }
}

/// Mean and standard deviation (1 when the values are constant, so they map to 0).
fn mean_std(values: impl Iterator<Item = f32> + Clone) -> (f32, f32) {
    let (n, sum) = values.clone().fold((0usize, 0f64), |(n, s), v| (n + 1, s + v as f64));
    let mean = sum / n.max(1) as f64;
    let var = values.map(|v| (v as f64 - mean).powi(2)).sum::<f64>() / n.max(1) as f64;
    let std = if var > 1e-12 { var.sqrt() } else { 1.0 };
    (mean as f32, std as f32)
}
