//! Mixed precision under a byte budget (the idea of HAQ, Wang et al. 2019, done simply): from a
//! quantization [`Sensitivity`] analysis, start every layer at 8 bits and take one bit at a time
//! from the layer whose accuracy (as the analysis measured it for that layer alone) drops least
//! per weight that loses the bit, until the exported file fits the budget. The file's size is
//! measured from the bytes produced at every step, header included; the result is an ordinary
//! quantize step with per-layer bits, so its point sits on the chart beside the uniform widths.

use serde::{Deserialize, Serialize};

use crate::compress::Step;
use crate::compress::quantize::QuantizeSpec;
use crate::error::{Error, Result, ensure};
use crate::experiment::Experiment;
use crate::sensitivity::{BITS, LayerCurve, Probe, Sensitivity, report};
use crate::train::Observer;

/// The file size to reach and the quantization scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixedPrecisionSpec {
    /// Largest file, in bytes (the exported model, header included).
    pub budget_bytes: u64,
    pub symmetric: bool,
    pub per_channel: bool,
}

/// Chooses per-layer bits for `experiment`'s model within `spec.budget_bytes`, with `sensitivity`
/// (a quantization analysis with the same scheme; see [`crate::sensitivity::analyse`]).
pub async fn choose(
    experiment: &Experiment,
    sensitivity: &Sensitivity,
    spec: MixedPrecisionSpec,
    observer: &mut impl Observer,
) -> Result<QuantizeSpec> {
    let probe = Probe::Quantize {
        symmetric: spec.symmetric,
        per_channel: spec.per_channel,
    };
    ensure(sensitivity.probe == probe, || {
        "mixed precision needs a quantization sensitivity analysis with the same scheme".into()
    })?;
    let curves = &sensitivity.layers;
    let mut quantize = QuantizeSpec {
        layers: vec![8; curves.len()],
        ..QuantizeSpec::uniform(8, spec.symmetric, spec.per_channel)
    };
    let most_steps = curves.len() * (BITS.len() - 1) + 1;
    for done in 1..=most_steps {
        let bytes = experiment
            .recompress(&[Step::Quantize(quantize.clone())], observer)
            .await?
            .point
            .footprint
            .bytes;
        if bytes <= spec.budget_bytes {
            return Ok(quantize);
        }
        report(observer, "mixed precision", done, most_steps).await?;
        let Some(layer) = cheapest_bit(curves, &quantize.layers) else {
            return Err(Error::InvalidSpec(format!(
                "no mixed precision fits in {} bytes: with 1 bit per weight the file is {bytes} bytes",
                spec.budget_bytes
            )));
        };
        quantize.layers[layer] -= 1;
    }
    // Each round takes a bit, so the last one measured every layer at 1 bit and returned.
    Err(Error::InvalidSpec(format!(
        "no mixed precision fits in {} bytes",
        spec.budget_bytes
    )))
}

/// The layer whose next bit down costs the least accuracy per weight, by its sensitivity curve;
/// `None` when every layer is at 1 bit.
fn cheapest_bit(curves: &[LayerCurve], bits: &[u8]) -> Option<usize> {
    let accuracy = |curve: &LayerCurve, b: u8| curve.test_accuracy[BITS.iter().position(|&x| x == b).expect("1 to 8 bits")];
    (0..curves.len())
        .filter(|&l| bits[l] > 1)
        .map(|l| {
            let c = &curves[l];
            let drop = (accuracy(c, bits[l]) - accuracy(c, bits[l] - 1)).max(0.0);
            (l, f64::from(drop) / c.params as f64, c.params)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then(b.2.cmp(&a.2))) // a tie: the larger layer saves more
        .map(|(l, ..)| l)
}
