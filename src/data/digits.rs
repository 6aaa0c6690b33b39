//! The UCI optical-recognition 8×8 handwritten digits (Alpaydin & Kaynak, 1998), as shipped in
//! scikit-learn: 1,797 images of 64 pixels (values 0–16) with labels 0–9. The gzipped CSV is
//! compiled into the engine so the browser loads no data from the network.

use std::io::Read;

use flate2::read::GzDecoder;

use super::dataset::Dataset;
use crate::error::{Error, Result};

const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits.csv.gz");
pub(crate) const SIDE: usize = 8;
pub(crate) const PIXELS: usize = SIDE * SIDE;
pub(crate) const CLASSES: usize = 10;
/// Rows in the shipped file.
pub(crate) const EXAMPLES: usize = 1797;

/// Decodes the shipped digits (pixel values unscaled, 0–16).
pub fn load() -> Result<Dataset> {
    let mut csv = String::new();
    GzDecoder::new(DIGITS_CSV_GZ)
        .read_to_string(&mut csv)
        .map_err(|e| Error::Data(format!("digits.csv.gz: {e}")))?;
    parse(&csv)
}

/// Parses rows of 64 pixel values followed by the label.
fn parse(csv: &str) -> Result<Dataset> {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (line_no, line) in csv.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let bad = |what: &str| Error::Data(format!("digits.csv line {}: {what}", line_no + 1));
        let values: Vec<f32> = line
            .split(',')
            .map(|v| v.trim().parse::<f32>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("not a number"))?;
        if values.len() != PIXELS + 1 {
            return Err(bad("expected 65 values"));
        }
        let label = values[PIXELS];
        if label.fract() != 0.0 || !(0.0..CLASSES as f32).contains(&label) {
            return Err(bad("label is not a digit"));
        }
        features.extend_from_slice(&values[..PIXELS]);
        labels.push(label as u32);
    }
    Ok(Dataset {
        features,
        labels,
        n_features: PIXELS,
        n_classes: CLASSES,
        image: Some([SIDE, SIDE]),
    })
}
