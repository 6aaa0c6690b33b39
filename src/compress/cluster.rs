//! Weight clustering, or weight sharing (Han et al. 2016, *Deep Compression*): the weights of each
//! layer are grouped by 1-D k-means and every weight is replaced by its cluster's centroid, so the
//! layer is stored as a small codebook plus a `log2 k`-bit index per weight. Centroids start evenly
//! spaced over the weight range (linear, which Han et al. found best) or at quantiles (density).
//! Zeros left by pruning are kept out of the clustering and stay exactly zero.

use serde::{Deserialize, Serialize};

use super::centroid_tuning;
use super::codes::{Codebook, Codes};
use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::{Result, ensure};
use crate::host::HostTensor;
use crate::train::FineTuneSpec;

/// Most clusters per layer (an 8-bit index).
pub const MAX_CLUSTERS: usize = 256;
const MAX_ITERATIONS: usize = 50;

/// How to cluster.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// Number of distinct non-zero values per layer, 1 to 256.
    pub clusters: usize,
    pub init: ClusterInit,
    /// Then fine-tune the centroids (weights stay tied to their cluster).
    #[serde(default)]
    pub fine_tune: Option<FineTuneSpec>,
}

/// Where the centroids start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterInit {
    Linear,
    Density,
}

impl Technique for ClusterSpec {
    fn validate(&self) -> Result<()> {
        ensure((1..=MAX_CLUSTERS).contains(&self.clusters), || {
            format!("cluster.clusters must be between 1 and {MAX_CLUSTERS}, got {}", self.clusters)
        })?;
        self.fine_tune.as_ref().map_or(Ok(()), FineTuneSpec::validate)
    }

    fn training_epochs(&self) -> usize {
        self.fine_tune.map_or(0, |f| f.epochs)
    }

    async fn apply(&self, out: &mut Compressed, tuner: &mut impl FineTuner) -> Result<()> {
        out.encode_weights(|t| Codes::Codebook(cluster(t, *self)));
        match self.fine_tune {
            Some(tune) => centroid_tuning::tune_centroids(out, tune, tuner).await,
            None => Ok(()),
        }
    }
}

/// Clusters `tensor` in place (values become their centroids) and returns the codebook.
pub fn cluster(tensor: &mut HostTensor, spec: ClusterSpec) -> Codebook {
    let mut sorted: Vec<f32> = tensor.values.iter().copied().filter(|&v| v != 0.0).collect();
    sorted.sort_unstable_by(f32::total_cmp);
    let mut centroids = kmeans(&sorted, initial_centroids(&sorted, spec));
    if sorted.len() < tensor.values.len() {
        centroids.push(0.0);
        centroids.sort_unstable_by(f32::total_cmp);
    }
    let indices: Vec<u32> = tensor.values.iter().map(|&v| nearest(&centroids, v) as u32).collect();
    for (v, &i) in tensor.values.iter_mut().zip(&indices) {
        *v = centroids[i as usize];
    }
    Codebook { centroids, indices }
}

fn initial_centroids(sorted: &[f32], spec: ClusterSpec) -> Vec<f32> {
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let k = spec.clusters.min(sorted.len());
    (0..k)
        .map(|j| {
            let t = (j as f32 + 0.5) / k as f32;
            match spec.init {
                ClusterInit::Linear => lo + (hi - lo) * t,
                ClusterInit::Density => sorted[((sorted.len() as f32 * t) as usize).min(sorted.len() - 1)],
            }
        })
        .collect()
}

/// Lloyd's algorithm in one dimension: on sorted data each cluster is a contiguous run, so every
/// iteration is one pass. Empty clusters keep their centroid; duplicates are merged at the end.
fn kmeans(sorted: &[f32], mut centroids: Vec<f32>) -> Vec<f32> {
    for _ in 0..MAX_ITERATIONS {
        let mut sums = vec![(0f64, 0usize); centroids.len()];
        for &v in sorted {
            let s = &mut sums[nearest(&centroids, v)];
            *s = (s.0 + v as f64, s.1 + 1);
        }
        let next: Vec<f32> = sums
            .iter()
            .zip(&centroids)
            .map(|(&(sum, n), &c)| if n > 0 { (sum / n as f64) as f32 } else { c })
            .collect();
        if next == centroids {
            break;
        }
        centroids = next;
    }
    centroids.sort_unstable_by(f32::total_cmp);
    centroids.dedup();
    centroids
}

/// Index of the centroid closest to `v` (centroids sorted ascending).
fn nearest(centroids: &[f32], v: f32) -> usize {
    let above = centroids.partition_point(|&c| c < v);
    match (above.checked_sub(1), centroids.get(above)) {
        (Some(below), Some(&up)) if (v - centroids[below]).abs() <= (up - v).abs() => below,
        (Some(below), None) => below,
        _ => above,
    }
}
