//! Low-rank factorization (Denton et al. 2014; Sainath et al. 2013): a layer's weight matrix `W`
//! (`rows × cols`) is replaced by its truncated SVD `W ≈ (U_r Σ_r)(V_rᵀ)`, two thinner layers of rank
//! `r` with `r · (rows + cols)` weights instead of `rows · cols`, and MACs cut by the same ratio. A
//! dense weight is `inputs × outputs`; a convolution kernel `[out, in, kh, kw]` is reshaped to
//! `out × (in·kh·kw)` — a k×k convolution to `r` channels followed by a 1×1 convolution (Jaderberg
//! et al. 2014). A depthwise kernel is left alone: its filters never mix channels, so factors would
//! cost more MACs than they save. The rank is given, or the smallest keeping a fraction of the spectrum's energy
//! (Σ σ²). The SVD comes from nalgebra. The model evaluates the product of the stored factors, so its
//! accuracy is that of the exported pair.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::codes::Factors;
use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::{Error, Result, ensure};
use crate::host::HostTensor;

/// Which layers to factorize and to what rank.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LowRankSpec {
    pub choose: RankChoice,
    /// Only the first layer (for the digits MLP the largest), as in REFERENCE.md.
    pub first_layer_only: bool,
}

/// A fixed rank, or the smallest rank keeping this fraction of the energy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankChoice {
    Rank(usize),
    Energy(f64),
}

impl Technique for LowRankSpec {
    fn validate(&self) -> Result<()> {
        match self.choose {
            RankChoice::Rank(r) => ensure(r >= 1, || "low_rank.rank must be at least 1".into()),
            RankChoice::Energy(e) => ensure(e.is_finite() && e > 0.0 && e < 1.0, || {
                format!("low_rank.energy must be in (0, 1), got {e}")
            }),
        }
    }

    fn keeps_factors(&self) -> bool {
        true
    }

    /// Factorizes the weight tensors (or only the first one).
    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        let tensors = &out.weights.tensors;
        let layers = (0..tensors.len()).filter(|&i| tensors[i].is_weight() && !tensors[i].is_depthwise());
        let chosen: Vec<usize> = if self.first_layer_only {
            layers.take(1).collect()
        } else {
            layers.collect()
        };
        for i in chosen {
            let tensor = &mut out.weights.tensors[i];
            match factorize(tensor, self.choose)? {
                Some(factors) => (out.factors[i], out.codes[i]) = (Some(factors), None),
                None => out.notes.push(format!(
                    "low rank kept {} dense: the rank its energy needs would not make it smaller",
                    tensor.path
                )),
            }
        }
        Ok(())
    }
}

/// The matrix a weight tensor is factorized as: `[shape[0], everything else]`, row-major.
pub fn matrix_shape(tensor: &HostTensor) -> [usize; 2] {
    let rows = tensor.shape[0];
    [rows, tensor.shape[1..].iter().product()]
}

/// The singular values of a weight tensor's matrix, largest first (the spectrum a rank cuts).
pub fn singular_values(tensor: &HostTensor) -> Vec<f32> {
    let [rows, cols] = matrix_shape(tensor);
    DMatrix::from_row_slice(rows, cols, &tensor.values)
        .singular_values()
        .as_slice()
        .to_vec()
}

/// Whether rank-`rank` factors (`rank · (rows + cols)` values and the rank) are smaller than the
/// `rows · cols` matrix, so that storing and running them saves something.
pub fn saves(rank: usize, shape: [usize; 2]) -> bool {
    (1..=max_saving_rank(shape)).contains(&rank)
}

/// The largest rank `r` with `r · (rows + cols) + 1 < rows · cols` (0 when none saves).
fn max_saving_rank([rows, cols]: [usize; 2]) -> usize {
    (rows * cols).saturating_sub(2) / (rows + cols).max(1)
}

/// Factorizes a weight tensor in place (values become the product) and returns the factors, or
/// `None` when the rank chosen by energy would not save anything (the matrix is kept as it is).
/// A given rank that would not save anything is an error.
pub fn factorize(tensor: &mut HostTensor, choose: RankChoice) -> Result<Option<Factors>> {
    let [inputs, outputs] = matrix_shape(tensor);
    let svd = DMatrix::from_row_slice(inputs, outputs, &tensor.values).svd(true, true);
    let (Some(u), Some(v_t)) = (svd.u, svd.v_t) else {
        return Err(Error::Backend(format!("SVD of {} did not converge", tensor.path)));
    };
    let sigma = svd.singular_values;
    let rank = match choose {
        RankChoice::Rank(r) => r,
        RankChoice::Energy(e) => energy_rank(sigma.as_slice(), e),
    };
    if !saves(rank, [inputs, outputs]) {
        let advice = match max_saving_rank([inputs, outputs]) {
            0 => "no rank makes it smaller".to_string(),
            most => format!("use a rank of at most {most}"),
        };
        return match choose {
            RankChoice::Energy(_) => Ok(None),
            RankChoice::Rank(_) => Err(Error::InvalidSpec(format!(
                "rank {rank} factors of {} ({inputs}×{outputs}) would store more than the matrix: {advice}",
                tensor.path
            ))),
        };
    }
    let left = (0..inputs)
        .flat_map(|i| (0..rank).map(move |k| (i, k)))
        .map(|(i, k)| u[(i, k)] * sigma[k])
        .collect();
    let right = (0..rank)
        .flat_map(|k| (0..outputs).map(move |o| (k, o)))
        .map(|(k, o)| v_t[(k, o)])
        .collect();
    let factors = Factors { rank, left, right };
    tensor.values = factors.product([inputs, outputs]);
    Ok(Some(factors))
}

/// The smallest rank whose singular values hold `energy` of Σ σ² (singular values descending).
fn energy_rank(sigma: &[f32], energy: f64) -> usize {
    let total: f64 = sigma.iter().map(|&s| (s as f64).powi(2)).sum();
    let mut kept = 0.0;
    for (r, &s) in sigma.iter().enumerate() {
        kept += (s as f64).powi(2);
        if kept >= energy * total - 1e-12 {
            return r + 1;
        }
    }
    sigma.len()
}
