//! Reduced-precision float storage: every weight rounded to IEEE half precision (float16: 5-bit
//! exponent, 10-bit mantissa) or bfloat16 (float32's 8-bit exponent, 7-bit mantissa), halving the
//! bytes with no calibration at all — the "free" first step of post-training quantization.
//! Conversions come from the `half` crate.

use serde::{Deserialize, Serialize};

use super::codes::{Codes, HalfFormat, HalfTensor};
use super::compressed::Compressed;
use super::technique::{FineTuner, Technique};
use crate::error::Result;
use crate::host::HostTensor;

/// The `half` step: which 16-bit format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HalfSpec {
    pub format: HalfFormat,
}

impl Technique for HalfSpec {
    fn validate(&self) -> Result<()> {
        Ok(())
    }

    async fn apply(&self, out: &mut Compressed, _: &mut impl FineTuner) -> Result<()> {
        out.encode_weights(|t| Codes::Half(round(t, self.format)));
        Ok(())
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
