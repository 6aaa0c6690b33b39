//! What the page's visualizations show about one model: every weight tensor (for histograms with
//! the quantization levels, pruning-mask heat maps and the first layer's weights drawn as images),
//! each weight matrix's singular-value spectrum (what a low rank keeps), and the confusion matrix
//! on the test set. Everything is measured on the model as it is stored, after compression.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::compress::low_rank;
use crate::data::Dataset;
use crate::error::Result;
use crate::host::HostWeights;
use crate::host::read_floats;
use crate::model::Classifier;
use crate::train;

/// One weight tensor (biases are left out) and its spectrum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerView {
    pub path: String,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
    /// Singular values of the tensor as a `shape[0] × rest` matrix, largest first.
    pub singular_values: Vec<f32>,
}

/// The weights and test-set behaviour of a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub layers: Vec<LayerView>,
    /// `confusion[true class][predicted class]` counts on the test set.
    pub confusion: Vec<Vec<u32>>,
}

/// Inspects `model` with the test set `test` on `device`.
pub async fn inspect(model: &Classifier, test: &Dataset, device: &Device) -> Result<Inspection> {
    let weights = HostWeights::read(model).await?;
    let layers = weights
        .weights()
        .map(|t| LayerView {
            path: t.path.clone(),
            shape: t.shape.clone(),
            values: t.values.clone(),
            singular_values: low_rank::singular_values(t),
        })
        .collect();
    let (x, y) = train::tensors(test, device);
    let predicted = read_floats(train::logits(model, x).argmax(1).float()).await?;
    let truth = read_floats(y.float()).await?;
    let mut confusion = vec![vec![0u32; test.n_classes]; test.n_classes];
    for (t, p) in truth.iter().zip(&predicted) {
        confusion[*t as usize][*p as usize] += 1;
    }
    Ok(Inspection { layers, confusion })
}
