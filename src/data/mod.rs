//! Data sets: an in-memory table of `f32` features and class labels, the deterministic train/test
//! split and the normalisation that every model sees. The sets themselves live in
//! [`synthetic`] (generated 2D sets) and [`digits`] (the shipped UCI 8×8 digits).

pub mod digits;
pub mod synthetic;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::error::Result;
use crate::spec::{DataName, DataSpec};

/// Examples stored row-major: `features[i * n_features..(i + 1) * n_features]` is example `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub features: Vec<f32>,
    pub labels: Vec<u32>,
    pub n_features: usize,
    pub n_classes: usize,
    /// `Some([height, width])` when each example is a one-channel image.
    pub image: Option<[usize; 2]>,
}

/// The held-out split the engine trains and evaluates on.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
}

impl Dataset {
    /// Number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no examples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Feature row of example `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// A new set holding the given examples, in that order.
    fn subset(&self, indices: &[usize]) -> Dataset {
        Dataset {
            features: indices.iter().flat_map(|&i| self.row(i).iter().copied()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            n_features: self.n_features,
            n_classes: self.n_classes,
            image: self.image,
        }
    }
}

/// Loads or generates the set named in `spec`, splits it with `seed` and normalises it.
pub fn load(spec: &DataSpec, seed: u64) -> Result<Split> {
    let full = match spec.name {
        DataName::Digits => digits::load()?,
        name => synthetic::generate(name, spec.samples, spec.noise, seed)?,
    };
    let mut split = split(&full, spec.test_fraction, seed);
    normalise(&mut split);
    Ok(split)
}

/// Shuffles example indices with `seed` and holds out `ceil(test_fraction · n)` of them
/// (the same count as scikit-learn's `train_test_split`).
pub fn split(full: &Dataset, test_fraction: f64, seed: u64) -> Split {
    let mut order: Vec<usize> = (0..full.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed ^ 0x5eed_0000_5b11_7000));
    let n_test = (full.len() as f64 * test_fraction).ceil() as usize;
    let (test, train) = order.split_at(n_test);
    Split { train: full.subset(train), test: full.subset(test) }
}

/// Standardises features with statistics of the training set only (no test leakage): per feature
/// for tabular sets, one mean and deviation over all pixels for images so spatial structure stays.
pub fn normalise(split: &mut Split) {
    let train = &split.train;
    let stats: Vec<(f32, f32)> = if train.image.is_some() {
        vec![mean_std(train.features.iter().copied()); train.n_features]
    } else {
        (0..train.n_features)
            .map(|j| mean_std((0..train.len()).map(|i| train.row(i)[j])))
            .collect()
    };
    for set in [&mut split.train, &mut split.test] {
        for (k, x) in set.features.iter_mut().enumerate() {
            let (mean, std) = stats[k % set.n_features];
            *x = (*x - mean) / std;
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
