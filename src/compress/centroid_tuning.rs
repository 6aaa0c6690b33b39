//! Fine-tuning a clustered model's centroids (Han et al. 2016, *Deep Compression*, §3.3): the
//! weights of a cluster stay tied to one shared value while training goes on. After each optimizer
//! step every weight is set to the mean of its cluster's updated weights — with plain SGD exactly
//! the centroid update by the cluster's summed gradient, divided by its size — and a zero centroid
//! (pruned weights) stays zero.

use burn::module::Module;
use burn::tensor::{Device, IndexingUpdateOp, Int, Tensor, TensorData};

use super::codes::{Codebook, Codes};
use super::compressed::Compressed;
use super::fine_tune::{ParamTransform, PerParam};
use super::technique::FineTuner;
use crate::error::Result;
use crate::model::Classifier;
use crate::train::{FineTuneSpec, Hooks};

/// Fine-tunes with every clustered tensor of `out` tied to its clusters, then stores the moved
/// centroids.
pub async fn tune_centroids(out: &mut Compressed, tune: FineTuneSpec, tuner: &mut impl FineTuner) -> Result<()> {
    let books: Vec<Option<Codebook>> = out
        .codes
        .iter()
        .map(|c| match c {
            Some(Codes::Codebook(book)) => Some(book.clone()),
            _ => None,
        })
        .collect();
    let hooks = |device: &Device| SharedWeights::new(&books.iter().map(Option::as_ref).collect::<Vec<_>>(), device);
    out.weights = tuner.fine_tune(&out.model, &out.weights, tune, hooks).await?;
    for (tensor, codes) in out.weights.tensors.iter().zip(&mut out.codes) {
        if let Some(Codes::Codebook(book)) = codes {
            refresh_centroids(book, &tensor.values);
        }
    }
    Ok(())
}

/// Cluster membership of each clustered tensor, on the training device.
pub struct SharedWeights {
    groups: Vec<Option<Group>>,
}

#[derive(Clone)]
struct Group {
    indices: Tensor<1, Int>,
    /// `1 / size` of each cluster, and 0 for the zero centroid so it stays zero.
    scale: Tensor<1>,
    clusters: usize,
}

impl SharedWeights {
    /// One entry per parameter tensor: its codebook if it was clustered.
    pub fn new(codebooks: &[Option<&Codebook>], device: &Device) -> Self {
        let groups = codebooks.iter().map(|book| book.map(|book| Group::new(book, device))).collect();
        Self { groups }
    }
}

impl Group {
    fn new(book: &Codebook, device: &Device) -> Self {
        let k = book.centroids.len();
        let mut sizes = vec![0f32; k];
        for &i in &book.indices {
            sizes[i as usize] += 1.0;
        }
        let scale: Vec<f32> = sizes
            .iter()
            .zip(&book.centroids)
            .map(|(&n, &c)| if c == 0.0 || n == 0.0 { 0.0 } else { 1.0 / n })
            .collect();
        let indices: Vec<i64> = book.indices.iter().map(|&i| i64::from(i)).collect();
        let n = indices.len();
        Group {
            indices: Tensor::from_data(TensorData::new(indices, [n]), device),
            scale: Tensor::from_data(TensorData::new(scale, [k]), device),
            clusters: k,
        }
    }
}

impl ParamTransform for Group {
    /// Every weight replaced by its cluster's mean.
    fn apply<const D: usize>(&self, w: Tensor<D>) -> Tensor<D> {
        let dims = w.dims();
        let flat: Tensor<1> = w.detach().reshape([dims.iter().product::<usize>()]);
        let sums = Tensor::<1>::zeros([self.clusters], &flat.device()).select_assign(0, self.indices.clone(), flat, IndexingUpdateOp::Add);
        (sums * self.scale.clone()).select(0, self.indices.clone()).reshape(dims)
    }
}

impl Hooks for SharedWeights {
    fn after_step(&self, model: Classifier) -> Classifier {
        model.map(&mut PerParam {
            items: &self.groups,
            next: 0,
        })
    }
}

/// After tuning, each cluster's members share one value: that value is the new centroid.
pub fn refresh_centroids(book: &mut Codebook, values: &[f32]) {
    for (&i, &v) in book.indices.iter().zip(values) {
        book.centroids[i as usize] = v;
    }
}
