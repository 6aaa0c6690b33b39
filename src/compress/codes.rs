//! The integer form of a compressed tensor, whichever technique produced it: affine codes from
//! quantization (`(code − zero point) × scale`) or indices into a codebook from clustering. The
//! export stores these codes bit-packed; import turns them back into the same values.

use super::cluster::Codebook;
use super::quantize::Quantized;
use super::weights::HostTensor;

/// A tensor stored as integer codes.
#[derive(Clone, Debug, PartialEq)]
pub enum Codes {
    Affine(Quantized),
    Codebook(Codebook),
}

impl Codes {
    /// Width of one code in bits.
    pub fn bits(&self) -> u8 {
        match self {
            Codes::Affine(q) => q.bits,
            Codes::Codebook(c) => c.bits(),
        }
    }

    pub fn codes(&self) -> &[u32] {
        match self {
            Codes::Affine(q) => &q.codes,
            Codes::Codebook(c) => &c.indices,
        }
    }

    /// The value element `i` of `tensor` decodes to.
    pub fn value(&self, tensor: &HostTensor, i: usize) -> f32 {
        match self {
            Codes::Affine(q) => q.value(i, tensor.channel_of(i) % q.scales.len()),
            Codes::Codebook(c) => c.centroids[c.indices[i] as usize],
        }
    }

    /// Points element `i` at a code meaning exactly zero; false if there is none.
    pub fn set_zero(&mut self, tensor: &HostTensor, i: usize) -> bool {
        let zero = match self {
            Codes::Affine(q) => q.zero_code(tensor.channel_of(i) % q.scales.len()),
            Codes::Codebook(c) => c.zero_index(),
        };
        let Some(zero) = zero else { return false };
        match self {
            Codes::Affine(q) => q.codes[i] = zero,
            Codes::Codebook(c) => c.indices[i] = zero,
        }
        true
    }
}
