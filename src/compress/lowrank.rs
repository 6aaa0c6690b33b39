//! Low-rank factorization (Denton et al. 2014; Sainath et al. 2013): a dense layer's weight matrix
//! `W` (inputs × outputs) is replaced by its truncated SVD `W ≈ (U_r Σ_r)(V_rᵀ)`, two thinner layers
//! of rank `r` with `r · (inputs + outputs)` weights and MACs instead of `inputs · outputs`. The rank
//! is given, or the smallest keeping a fraction of the spectrum's energy (Σ σ²). The SVD comes from
//! nalgebra. The model evaluates the product of the stored factors, so its accuracy is that of the
//! exported pair; convolution kernels are left as they are.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::weights::HostTensor;
use crate::error::{Error, Result, ensure};

/// Which layers to factorize and to what rank.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LowRankSpec {
    pub choose: RankChoice,
    /// Only the first dense layer (the largest for digits), as in REFERENCE.md.
    pub first_layer_only: bool,
}

/// A fixed rank, or the smallest rank keeping this fraction of the energy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankChoice {
    Rank(usize),
    Energy(f64),
}

/// A factorized matrix: `W = left · right`, `left` is inputs × rank, `right` rank × outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Factors {
    pub rank: usize,
    pub left: Vec<f32>,
    pub right: Vec<f32>,
}

impl LowRankSpec {
    pub fn validate(&self) -> Result<()> {
        match self.choose {
            RankChoice::Rank(r) => ensure(r >= 1, || "low_rank.rank must be at least 1".into()),
            RankChoice::Energy(e) => ensure(e.is_finite() && e > 0.0 && e < 1.0, || {
                format!("low_rank.energy must be in (0, 1), got {e}")
            }),
        }
    }
}

impl Factors {
    /// `left · right` as a row-major inputs × outputs matrix; export and import both use it, so the
    /// imported weights are bit-identical.
    pub fn product(&self, inputs: usize, outputs: usize) -> Vec<f32> {
        let mut w = vec![0f32; inputs * outputs];
        for i in 0..inputs {
            for k in 0..self.rank {
                let a = self.left[i * self.rank + k];
                for (o, w) in w[i * outputs..(i + 1) * outputs].iter_mut().enumerate() {
                    *w += a * self.right[k * outputs + o];
                }
            }
        }
        w
    }

    /// Multiply-accumulates of the two thin layers for one example.
    pub fn macs(&self, inputs: usize, outputs: usize) -> u64 {
        (self.rank * (inputs + outputs)) as u64
    }
}

/// Is this a dense weight matrix (rank-2), the only kind factorized?
pub fn applies_to(tensor: &HostTensor) -> bool {
    tensor.shape.len() == 2
}

/// Factorizes a dense weight matrix in place (values become the product) and returns the factors.
/// A rank at or above `min(inputs, outputs)` would not save anything, so it is an error.
pub fn factorize(tensor: &mut HostTensor, choose: RankChoice) -> Result<Factors> {
    let [inputs, outputs] = [tensor.shape[0], tensor.shape[1]];
    let svd = DMatrix::from_row_slice(inputs, outputs, &tensor.values).svd(true, true);
    let (Some(u), Some(v_t)) = (svd.u, svd.v_t) else {
        return Err(Error::Backend(format!("SVD of {} did not converge", tensor.path)));
    };
    let sigma = svd.singular_values;
    let full = inputs.min(outputs);
    let rank = match choose {
        RankChoice::Rank(r) => r,
        RankChoice::Energy(e) => energy_rank(sigma.as_slice(), e),
    };
    ensure(rank < full, || format!("rank {rank} of {} does not shrink it: use a rank below {full}", tensor.path))?;
    let left = (0..inputs).flat_map(|i| (0..rank).map(move |k| (i, k))).map(|(i, k)| u[(i, k)] * sigma[k]).collect();
    let right = (0..rank).flat_map(|k| (0..outputs).map(move |o| (k, o))).map(|(k, o)| v_t[(k, o)]).collect();
    let factors = Factors { rank, left, right };
    tensor.values = factors.product(inputs, outputs);
    Ok(factors)
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
