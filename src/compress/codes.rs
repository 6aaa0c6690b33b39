//! The integer form of a compressed tensor, whichever technique produced it: affine codes from
//! quantization (`(code − zero point) × scale`), indices into a codebook from clustering, or the
//! bits of 16-bit floats. The
//! export stores these codes bit-packed; import turns them back into the same values.

use super::cluster::Codebook;
use super::half::HalfTensor;
use super::quantize::Quantized;
use crate::host::HostTensor;

/// A tensor stored as integer codes.
#[derive(Clone, Debug, PartialEq)]
pub enum Codes {
    Affine(Quantized),
    Codebook(Codebook),
    Half(HalfTensor),
}

impl Codes {
    /// Width of one code in bits.
    pub fn bits(&self) -> u8 {
        match self {
            Codes::Affine(q) => q.bits,
            Codes::Codebook(c) => c.bits(),
            Codes::Half(_) => 16,
        }
    }

    pub fn codes(&self) -> &[u32] {
        match self {
            Codes::Affine(q) => &q.codes,
            Codes::Codebook(c) => &c.indices,
            Codes::Half(h) => &h.codes,
        }
    }

    pub fn codes_mut(&mut self) -> &mut [u32] {
        match self {
            Codes::Affine(q) => &mut q.codes,
            Codes::Codebook(c) => &mut c.indices,
            Codes::Half(h) => &mut h.codes,
        }
    }

    /// The value element `i` of `tensor` decodes to.
    pub fn value(&self, tensor: &HostTensor, i: usize) -> f32 {
        match self {
            Codes::Affine(q) => q.value(i, tensor.channel_of(i) % q.scales.len()),
            Codes::Codebook(c) => c.centroids[c.indices[i] as usize],
            Codes::Half(h) => h.format.decode(h.codes[i] as u16),
        }
    }

    /// Points element `i` at a code meaning exactly zero; false if there is none.
    pub fn set_zero(&mut self, tensor: &HostTensor, i: usize) -> bool {
        let zero = match self {
            Codes::Affine(q) => q.zero_code(tensor.channel_of(i) % q.scales.len()),
            Codes::Codebook(c) => c.zero_index(),
            Codes::Half(_) => Some(0), // +0.0 in both formats
        };
        let Some(zero) = zero else { return false };
        self.codes_mut()[i] = zero;
        true
    }
}
