//! Generated 2D classification sets, in the spirit of TensorFlow Playground and scikit-learn's
//! `make_moons` / `make_circles` / `make_blobs`: small enough to train in a blink and to draw the
//! decision boundary over. Deterministic for a seed.

use std::f32::consts::PI;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

use super::dataset::Dataset;
use super::spec::DataName;
use crate::error::{Error, Result};

/// Number of blobs in the `gaussians` set.
pub const BLOBS: usize = 3;

/// Number of classes of a generated set.
pub fn classes(name: DataName) -> usize {
    if name == DataName::Gaussians { BLOBS } else { 2 }
}

/// Generates `samples` points of the named set, with Gaussian noise of standard deviation `noise`.
///
/// Classes are balanced: point `i` belongs to class `i % classes`.
pub fn generate(name: DataName, samples: usize, noise: f64, seed: u64) -> Result<Dataset> {
    if name.is_image() || name == DataName::Custom || !noise.is_finite() || noise < 0.0 {
        return Err(Error::InvalidSpec(format!("cannot generate {name:?} with noise {noise}")));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let jitter = Normal::new(0.0, noise as f32).map_err(|e| Error::InvalidSpec(e.to_string()))?;
    let classes = classes(name);
    let mut features = Vec::with_capacity(samples * 2);
    let mut labels = Vec::with_capacity(samples);
    for i in 0..samples {
        let class = i % classes;
        let t: f32 = rng.random();
        let [x, y] = clean_point(name, class, t, &mut rng);
        features.push(x + jitter.sample(&mut rng));
        features.push(y + jitter.sample(&mut rng));
        labels.push(class as u32);
    }
    Ok(Dataset {
        features,
        labels,
        n_features: 2,
        n_classes: classes,
        image: None,
    })
}

/// A noise-free point of `class`, placed by `t ∈ [0, 1)` (and `rng` where the set needs more).
fn clean_point(name: DataName, class: usize, t: f32, rng: &mut StdRng) -> [f32; 2] {
    match name {
        DataName::Spiral => {
            // Two arms, each turning 1.75 times, the second rotated by half a turn.
            let radius = t;
            let angle = 1.75 * 2.0 * PI * t + PI * class as f32;
            [radius * angle.sin(), radius * angle.cos()]
        }
        DataName::Moons => {
            let a = PI * t;
            if class == 0 {
                [a.cos(), a.sin()]
            } else {
                [1.0 - a.cos(), 0.5 - a.sin()]
            }
        }
        DataName::Circles => {
            let a = 2.0 * PI * t;
            let radius = if class == 0 { 1.0 } else { 0.5 };
            [radius * a.cos(), radius * a.sin()]
        }
        DataName::Xor => {
            // Quadrants: class 0 where x·y > 0, with a small margin around the axes.
            let sx = if rng.random::<bool>() { 1.0 } else { -1.0 };
            let sy = if class == 0 { sx } else { -sx };
            [sx * (0.1 + 0.9 * t), sy * (0.1 + 0.9 * rng.random::<f32>())]
        }
        DataName::Gaussians => {
            let a = 2.0 * PI * class as f32 / BLOBS as f32;
            let spread = Normal::new(0.0f32, 0.35).expect("constant deviation");
            [a.cos() + spread.sample(rng), a.sin() + spread.sample(rng)]
        }
        DataName::Digits | DataName::Mnist | DataName::Custom => unreachable!("generate() rejects stored sets before sampling"),
    }
}
