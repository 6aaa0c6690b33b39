//! A data set in memory: a row-major table of `f32` features with one class label per row.

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
    pub(crate) fn subset(&self, indices: &[usize]) -> Dataset {
        Dataset {
            features: indices.iter().flat_map(|&i| self.row(i).iter().copied()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            n_features: self.n_features,
            n_classes: self.n_classes,
            image: self.image,
        }
    }
}
