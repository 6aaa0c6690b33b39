//! Post-training weight quantization (Jacob et al. 2018; Krishnamoorthi 2018 whitepaper): each
//! weight becomes a `bits`-bit integer code with a float scale (and, asymmetric, a zero point) per
//! tensor or per output channel. Values are dequantized in place so evaluation measures exactly the
//! stored model; the codes go to the packed export. burn's own quantization covers int8/int4/int2
//! with its own storage; the playground needs every width from 1 to 8 and a byte-exact export, so
//! the arithmetic is written here. With `layers`, each weighted layer gets its own width (mixed
//! precision, as HAQ searches for: Wang et al. 2019), or stays float.

use serde::{Deserialize, Serialize};

use super::codes::{Codes, Quantized};
use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::{Error, Result, ensure};
use crate::host::HostTensor;

/// How the weight tensors are quantized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantizeSpec {
    /// 1 to 8. Symmetric uses `2^bits − 1` levels (zero included; 1 bit is sign × scale).
    pub bits: u8,
    pub symmetric: bool,
    pub per_channel: bool,
    /// Mixed precision: the bits of each weighted layer in layer order (0 keeps the layer float),
    /// in place of `bits`; empty (left out): every layer at `bits`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<u8>,
}

impl Technique for QuantizeSpec {
    fn validate(&self) -> Result<()> {
        ensure((1..=8).contains(&self.bits), || {
            format!("quantize.bits must be between 1 and 8, got {}", self.bits)
        })?;
        match self.layers.iter().find(|&&b| b > 8) {
            Some(b) => Err(Error::InvalidSpec(format!(
                "quantize.layers holds bits per layer between 0 (float) and 8, got {b}"
            ))),
            None => Ok(()),
        }
    }

    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        self.encode(out)
    }
}

impl QuantizeSpec {
    /// The same quantizer at `bits` for every layer.
    pub fn uniform(bits: u8, symmetric: bool, per_channel: bool) -> Self {
        Self {
            bits,
            symmetric,
            per_channel,
            layers: Vec::new(),
        }
    }

    /// Quantizes the weight tensors of `out`, each at its layer's bits.
    pub fn encode(&self, out: &mut Compressed) -> Result<()> {
        let layers = out.weights.weights().count();
        ensure(self.layers.is_empty() || self.layers.len() == layers, || {
            format!(
                "quantize.layers has {} entries, but the model has {layers} weighted layers",
                self.layers.len()
            )
        })?;
        out.encode_layers(|layer, t| self.at(layer).map(|spec| Codes::Affine(quantize(t, spec))));
        Ok(())
    }

    /// The uniform quantizer of weighted layer `layer`, `None` where it stays float.
    pub fn at(&self, layer: usize) -> Option<Self> {
        let bits = self.layers.get(layer).copied().unwrap_or(self.bits);
        (bits > 0).then(|| Self::uniform(bits, self.symmetric, self.per_channel))
    }
}

/// Quantizes `tensor` in place (its values become the dequantized ones) and returns the codes.
pub fn quantize(tensor: &mut HostTensor, spec: QuantizeSpec) -> Quantized {
    let groups = if spec.per_channel { tensor.channels() } else { 1 };
    let group_of = |i: usize| if spec.per_channel { tensor.channel_of(i) } else { 0 };
    let mut ranges = vec![(0f32, 0f32, 0f32, 0usize); groups]; // min, max, sum |w|, count
    for (i, &v) in tensor.values.iter().enumerate() {
        let r = &mut ranges[group_of(i)];
        *r = (r.0.min(v), r.1.max(v), r.2 + v.abs(), r.3 + 1);
    }
    let (scales, zero_points): (Vec<f32>, Vec<u32>) = ranges.iter().map(|&r| grid(&spec, r)).unzip();
    let codes: Vec<u32> = tensor
        .values
        .iter()
        .enumerate()
        .map(|(i, &v)| code(&spec, v, scales[group_of(i)], zero_points[group_of(i)]))
        .collect();
    let q = Quantized {
        bits: spec.bits,
        scales,
        zero_points,
        codes,
    };
    let per_element: Vec<usize> = (0..tensor.values.len()).map(group_of).collect();
    for (i, v) in tensor.values.iter_mut().enumerate() {
        *v = q.value(i, per_element[i]);
    }
    q
}

/// Scale and zero point for a group with the given (min, max, Σ|w|, count).
fn grid(spec: &QuantizeSpec, (min, max, abs_sum, count): (f32, f32, f32, usize)) -> (f32, u32) {
    let safe = |s: f32| if s > 0.0 && s.is_finite() { s } else { 1.0 };
    if spec.bits == 1 {
        // Sign codes {0, 1} ↦ {−s, +s} with s = mean |w| (the XNOR-Net binary scale).
        return (safe(abs_sum / count.max(1) as f32), 0);
    }
    if spec.symmetric {
        let q_max = (1u32 << (spec.bits - 1)) - 1;
        (safe(min.abs().max(max.abs()) / q_max as f32), q_max)
    } else {
        // The range always includes 0 so that zero (pruned weights) stays exactly representable.
        let levels = (1u32 << spec.bits) - 1;
        let scale = safe((max - min) / levels as f32);
        (scale, ((-min / scale).round_ties_even() as u32).min(levels))
    }
}

/// Halves round to even, as burn's `round` does on the device, so quantization-aware training
/// (`qat::fake_quantize`) trains towards exactly these codes.
fn code(spec: &QuantizeSpec, v: f32, scale: f32, zero_point: u32) -> u32 {
    if spec.bits == 1 {
        return u32::from(v >= 0.0);
    }
    let top = if spec.symmetric { 2 * zero_point } else { (1u32 << spec.bits) - 1 };
    ((v / scale).round_ties_even() + zero_point as f32).clamp(0.0, top as f32) as u32
}
