//! The stored forms of compressed tensors, whichever technique produced them: affine codes from
//! quantization (`(code − zero point) × scale`), indices into a codebook from clustering, the bits
//! of 16-bit floats, and low-rank factors. The export stores these bit-packed; import turns them
//! back into the same values. They sit below the techniques, which produce them, and the model
//! file, which stores them.

use half::{bf16, f16};
use serde::{Deserialize, Serialize};

use crate::host::HostTensor;

/// The integer form of one tensor: `value = (code − zero_point) × scale` of its channel.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantized {
    pub bits: u8,
    pub scales: Vec<f32>,
    pub zero_points: Vec<u32>,
    pub codes: Vec<u32>,
}

impl Quantized {
    /// Value of element `i` of a tensor with `channel_of(i)`.
    /// 1-bit codes are signs: `value = (2·code − 1) × scale`.
    pub fn value(&self, i: usize, channel: usize) -> f32 {
        let code = self.codes[i] as f32;
        if self.bits == 1 {
            (2.0 * code - 1.0) * self.scales[channel]
        } else {
            (code - self.zero_points[channel] as f32) * self.scales[channel]
        }
    }

    /// Code that represents exactly zero in `channel`, if there is one (not for 1-bit sign codes).
    pub fn zero_code(&self, channel: usize) -> Option<u32> {
        (self.bits > 1).then_some(self.zero_points[channel])
    }
}

/// A clustered tensor: `value[i] = centroids[indices[i]]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Codebook {
    pub centroids: Vec<f32>,
    pub indices: Vec<u32>,
}

impl Codebook {
    /// Index width in bits: enough for every centroid, at least 1.
    pub fn bits(&self) -> u8 {
        (usize::BITS - (self.centroids.len().max(2) - 1).leading_zeros()) as u8
    }

    /// Index of the centroid that is exactly zero, if any.
    pub fn zero_index(&self) -> Option<u32> {
        self.centroids.iter().position(|&c| c == 0.0).map(|i| i as u32)
    }
}

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

/// A factorized matrix: `W = left · right`, `left` is rows × rank, `right` rank × cols.
#[derive(Clone, Debug, PartialEq)]
pub struct Factors {
    pub rank: usize,
    pub left: Vec<f32>,
    pub right: Vec<f32>,
}

impl Factors {
    /// `left · right` as a row-major rows × cols matrix; export and import both use it, so the
    /// imported weights are bit-identical.
    pub fn product(&self, [rows, cols]: [usize; 2]) -> Vec<f32> {
        let mut w = vec![0f32; rows * cols];
        for i in 0..rows {
            for k in 0..self.rank {
                let a = self.left[i * self.rank + k];
                for (o, w) in w[i * cols..(i + 1) * cols].iter_mut().enumerate() {
                    *w += a * self.right[k * cols + o];
                }
            }
        }
        w
    }

    /// MACs of the two thin layers, given the MACs of the full layer they replace.
    pub fn macs(&self, [rows, cols]: [usize; 2], full_macs: u64) -> u64 {
        full_macs * (self.rank * (rows + cols)) as u64 / (rows * cols) as u64
    }
}

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

    pub fn codes_mut(&mut self) -> &mut Vec<u32> {
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
