//! Reduced-precision float storage: every weight rounded to IEEE half precision (float16: 5-bit
//! exponent, 10-bit mantissa) or bfloat16 (float32's 8-bit exponent, 7-bit mantissa), halving the
//! bytes with no calibration at all — the "free" first step of post-training quantization.
//! Conversions come from the `half` crate.

use half::{bf16, f16};
use serde::{Deserialize, Serialize};

use crate::host::HostTensor;

/// Which 16-bit format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HalfFormat {
    Float16,
    Bfloat16,
}

/// A tensor stored as 16-bit floats (the raw bits of each value).
#[derive(Clone, Debug, PartialEq)]
pub struct HalfTensor {
    pub format: HalfFormat,
    pub codes: Vec<u32>,
}

impl HalfFormat {
    pub fn encode(self, v: f32) -> u16 {
        match self {
            HalfFormat::Float16 => f16::from_f32(v).to_bits(),
            HalfFormat::Bfloat16 => bf16::from_f32(v).to_bits(),
        }
    }

    pub fn decode(self, bits: u16) -> f32 {
        match self {
            HalfFormat::Float16 => f16::from_bits(bits).to_f32(),
            HalfFormat::Bfloat16 => bf16::from_bits(bits).to_f32(),
        }
    }
}

/// Rounds `tensor` to the format in place and returns its 16-bit codes.
pub fn round(tensor: &mut HostTensor, format: HalfFormat) -> HalfTensor {
    let codes: Vec<u32> = tensor.values.iter().map(|&v| u32::from(format.encode(v))).collect();
    for (v, &c) in tensor.values.iter_mut().zip(&codes) {
        *v = format.decode(c as u16);
    }
    HalfTensor { format, codes }
}
