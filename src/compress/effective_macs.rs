//! MACs as the file stores a model: factorized layers run as two thin ones, and output or input
//! units that are entirely zero (structured pruning) cost nothing.

use super::compressed::Compressed;
use super::low_rank;
use super::structured_prune;

impl Compressed {
    /// MACs per example given each layer's dense MACs (`layer_macs`, one per weight tensor).
    pub fn effective_macs(&self, layer_macs: &[u64]) -> u64 {
        let weights = self.weights.tensors.iter().zip(&self.factors).filter(|(t, _)| t.is_weight());
        weights
            .zip(layer_macs)
            .map(|((t, f), &dense)| match f {
                Some(f) => f.macs(low_rank::matrix_shape(t), dense),
                None => {
                    let (outputs, inputs) = (structured_prune::active_outputs(t), structured_prune::active_inputs(t));
                    let (all_out, all_in) = (t.channels(), structured_prune::inputs(t));
                    dense * (outputs * inputs) as u64 / (all_out * all_in).max(1) as u64
                }
            })
            .sum()
    }
}
