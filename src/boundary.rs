//! The decision boundary of a model trained on a 2D set: the predicted class and its confidence on
//! a regular grid covering the data, plus the data points themselves, so the page can paint the
//! regions and draw the points on top (as TensorFlow Playground does).

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::data::Split;
use crate::error::{Error, Result};
use crate::host::read_floats;
use crate::model::Classifier;

/// Largest grid side accepted (the grid has `resolution²` cells).
pub const MAX_RESOLUTION: usize = 256;

/// Predictions on a `resolution × resolution` grid over `[x_min, x_max] × [y_min, y_max]`
/// (normalised feature space), row by row from `y_min` up, and the points of both splits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boundary {
    pub x_range: [f32; 2],
    pub y_range: [f32; 2],
    pub resolution: usize,
    pub classes: usize,
    /// Predicted class of each cell.
    pub predicted: Vec<u8>,
    /// Softmax probability of the predicted class, in [0, 1].
    pub confidence: Vec<f32>,
    /// `[x, y, label, is_test]` for every example.
    pub points: Vec<[f32; 4]>,
}

/// Evaluates `model` on a grid around the data of `split`.
pub async fn decision_boundary(model: &Classifier, split: &Split, resolution: usize, device: &Device) -> Result<Boundary> {
    if split.train.n_features != 2 {
        return Err(Error::InvalidSpec("a decision boundary needs a 2D data set".into()));
    }
    if !(2..=MAX_RESOLUTION).contains(&resolution) {
        return Err(Error::InvalidSpec(format!("resolution must be between 2 and {MAX_RESOLUTION}")));
    }
    let points = points(split);
    let (x_range, y_range) = (padded_range(&points, 0), padded_range(&points, 1));
    let step = |[lo, hi]: [f32; 2], i: usize| lo + (hi - lo) * (i as f32 + 0.5) / resolution as f32;
    let grid: Vec<f32> = (0..resolution * resolution)
        .flat_map(|k| [step(x_range, k % resolution), step(y_range, k / resolution)])
        .collect();
    let x = Tensor::from_data(TensorData::new(grid, [resolution * resolution, 2]), device);
    let probabilities = read_floats(softmax(crate::train::logits(model, x), 1)).await?;
    let classes = split.train.n_classes;
    let (predicted, confidence) = probabilities
        .chunks(classes)
        .map(|p| {
            let (class, best) = p
                .iter()
                .enumerate()
                .fold((0, f32::MIN), |a, (c, &v)| if v > a.1 { (c, v) } else { a });
            (class as u8, best)
        })
        .unzip();
    Ok(Boundary {
        x_range,
        y_range,
        resolution,
        classes,
        predicted,
        confidence,
        points,
    })
}

fn points(split: &Split) -> Vec<[f32; 4]> {
    [(&split.train, 0.0), (&split.test, 1.0)]
        .into_iter()
        .flat_map(|(set, is_test)| (0..set.len()).map(move |i| [set.row(i)[0], set.row(i)[1], set.labels[i] as f32, is_test]))
        .collect()
}

/// Range of coordinate `axis` over the points, widened by 10 % on each side.
fn padded_range(points: &[[f32; 4]], axis: usize) -> [f32; 2] {
    let (lo, hi) = points
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p[axis]), hi.max(p[axis])));
    let pad = ((hi - lo) * 0.1).max(1e-3);
    [lo - pad, hi + pad]
}
