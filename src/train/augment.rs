//! Data augmentation, one of the survey's learning techniques (Menghani 2021, §3.2): every
//! training batch is transformed afresh — images shifted by up to `shift` pixels and rotated by up
//! to `rotate` degrees (the distortions Simard, Steinkraus & Platt 2003 used on digits), every input
//! given Gaussian noise of deviation `noise` — so the model sees more variety than the data set
//! holds. Labels never change, and test data is never augmented. The transformation is a pure
//! function of a seed, which the training loop derives from the run's seed, the epoch and the
//! batch, so a run repeats exactly.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::error::{Result, ensure};

/// How much to move and disturb each training example; all zero (the default) is off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AugmentSpec {
    /// Largest shift of an image, in pixels, along each axis (0 to 2).
    pub shift: usize,
    /// Largest rotation of an image, in degrees either way (0 to 30).
    pub rotate: f64,
    /// Deviation of the Gaussian noise added to every input, in standardised units (0 to 1).
    pub noise: f64,
}

pub const MAX_SHIFT: usize = 2;
pub const MAX_ROTATE: f64 = 30.0;
pub const MAX_NOISE: f64 = 1.0;

impl AugmentSpec {
    /// Whether anything changes.
    pub fn is_on(&self) -> bool {
        self.moves_pixels() || self.noise > 0.0
    }

    pub fn is_off(&self) -> bool {
        !self.is_on()
    }

    /// Whether it shifts or rotates, which only images can be.
    pub fn moves_pixels(&self) -> bool {
        self.shift > 0 || self.rotate > 0.0
    }

    pub(crate) fn validate(&self) -> Result<()> {
        ensure(self.shift <= MAX_SHIFT, || {
            format!("train.augment.shift must be between 0 and {MAX_SHIFT} pixels, got {}", self.shift)
        })?;
        ensure(self.rotate.is_finite() && (0.0..=MAX_ROTATE).contains(&self.rotate), || {
            format!(
                "train.augment.rotate must be between 0 and {MAX_ROTATE} degrees, got {}",
                self.rotate
            )
        })?;
        ensure(self.noise.is_finite() && (0.0..=MAX_NOISE).contains(&self.noise), || {
            format!("train.augment.noise must be between 0 and {MAX_NOISE}, got {}", self.noise)
        })
    }
}

/// Where the examples of a batch come from: `image` holds the side lengths when rows are images,
/// `background` the standardised value of an empty pixel (what a shift or a rotation brings in).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rows {
    pub n_features: usize,
    pub image: Option<[usize; 2]>,
    pub background: f32,
}

/// The rows of `features` augmented as `spec` says, drawn from `seed`.
pub fn augment(features: &[f32], rows: Rows, spec: &AugmentSpec, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    let noise = Normal::new(0.0, spec.noise as f32).expect("validated: a finite deviation ≥ 0");
    features
        .chunks_exact(rows.n_features)
        .flat_map(|row| {
            let mut row = match rows.image {
                Some(side) if spec.moves_pixels() => {
                    let shift = spec.shift as i64;
                    let (dx, dy) = (rng.random_range(-shift..=shift), rng.random_range(-shift..=shift));
                    let angle = (rng.random_range(-spec.rotate..=spec.rotate) as f32).to_radians();
                    transform(row, side, rows.background, [dx as f32, dy as f32], angle)
                }
                _ => row.to_vec(),
            };
            if spec.noise > 0.0 {
                row.iter_mut().for_each(|v| *v += noise.sample(&mut rng));
            }
            row
        })
        .collect()
}

/// One image rotated by `angle` radians about its centre, then shifted by `[dx, dy]` pixels
/// (bilinear; `background` outside the image).
pub fn transform(image: &[f32], [height, width]: [usize; 2], background: f32, [dx, dy]: [f32; 2], angle: f32) -> Vec<f32> {
    let (cy, cx) = ((height as f32 - 1.0) / 2.0, (width as f32 - 1.0) / 2.0);
    let (sin, cos) = angle.sin_cos();
    (0..height * width)
        .map(|k| {
            // The source of output pixel (y, x): undo the shift, then the rotation.
            let (y, x) = ((k / width) as f32 - dy - cy, (k % width) as f32 - dx - cx);
            let (sy, sx) = (cos * y - sin * x + cy, sin * y + cos * x + cx);
            bilinear(image, [height, width], [sy, sx], background)
        })
        .collect()
}

/// The image's value at a fractional position.
fn bilinear(image: &[f32], [height, width]: [usize; 2], [y, x]: [f32; 2], background: f32) -> f32 {
    let pixel = |r: f32, c: f32| {
        let inside = r >= 0.0 && c >= 0.0 && (r as usize) < height && (c as usize) < width;
        if inside {
            image[r as usize * width + c as usize]
        } else {
            background
        }
    };
    let (r0, c0) = (y.floor(), x.floor());
    let (fy, fx) = (y - r0, x - c0);
    let top = pixel(r0, c0) * (1.0 - fx) + pixel(r0, c0 + 1.0) * fx;
    let bottom = pixel(r0 + 1.0, c0) * (1.0 - fx) + pixel(r0 + 1.0, c0 + 1.0) * fx;
    top * (1.0 - fy) + bottom * fy
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: Rows = Rows {
        n_features: 9,
        image: Some([3, 3]),
        background: -1.0,
    };
    const IMAGE: [f32; 9] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];

    #[test]
    fn a_shift_moves_every_pixel_and_brings_in_the_background() {
        assert_eq!(
            transform(&IMAGE, [3, 3], -1.0, [1.0, 0.0], 0.0),
            [-1.0, 1.0, 2.0, -1.0, 4.0, 5.0, -1.0, 7.0, 8.0]
        );
        assert_eq!(
            transform(&IMAGE, [3, 3], -1.0, [0.0, -1.0], 0.0),
            [4.0, 5.0, 6.0, 7.0, 8.0, 9.0, -1.0, -1.0, -1.0]
        );
    }

    #[test]
    fn a_quarter_turn_turns_the_image_about_its_centre() {
        let turned = transform(&IMAGE, [3, 3], -1.0, [0.0, 0.0], std::f32::consts::FRAC_PI_2);
        let expected = [7.0, 4.0, 1.0, 8.0, 5.0, 2.0, 9.0, 6.0, 3.0];
        assert!(turned.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-5), "{turned:?}");
    }

    #[test]
    fn augmentation_is_a_pure_function_of_its_seed() {
        let batch: Vec<f32> = (0..36).map(|i| i as f32).collect();
        let spec = AugmentSpec {
            shift: 2,
            rotate: 15.0,
            noise: 0.1,
        };
        assert_eq!(augment(&batch, ROWS, &spec, 7), augment(&batch, ROWS, &spec, 7));
        assert_ne!(augment(&batch, ROWS, &spec, 7), augment(&batch, ROWS, &spec, 8));
        assert_eq!(augment(&batch, ROWS, &AugmentSpec::default(), 7), batch, "all zero is off");
    }

    #[test]
    fn rows_that_are_not_images_only_get_noise() {
        let rows = Rows {
            n_features: 2,
            image: None,
            background: 0.0,
        };
        let points = [0.5, -0.5, 1.0, 2.0];
        let noisy = augment(
            &points,
            rows,
            &AugmentSpec {
                shift: 2,
                rotate: 10.0,
                noise: 0.05,
            },
            1,
        );
        assert_eq!(noisy.len(), 4);
        assert!(noisy.iter().zip(points).all(|(a, b)| a != &b && (a - b).abs() < 0.5), "{noisy:?}");
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let error = AugmentSpec {
            shift: 3,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(error.to_string().contains("train.augment.shift must be between 0 and 2"), "{error}");
        assert!(
            AugmentSpec {
                rotate: f64::NAN,
                ..Default::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            AugmentSpec {
                noise: 1.5,
                ..Default::default()
            }
            .validate()
            .is_err()
        );
    }
}
