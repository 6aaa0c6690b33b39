//! Footprint measured from a real file. A model is exported to a packed binary — per tensor the
//! smallest of dense, bitmask-sparse (1 bit per element) or index-sparse (positions of the
//! non-zeros) storage of either float32 values or integer codes bit-packed at their width, with the
//! quantizer's scales and zero points, the clustering's codebook or a 16-bit float format — or, for
//! a factorized matrix, its two low-rank factors. The bytes reported are that file's length; the
//! compressed size is its DEFLATE length (flate2).
//! Import reads the file back into a model with identical predictions.
//!
//! Layout: `EPM1`, u32 header length, JSON header (experiment spec, final architecture, input
//! shape, calibrated activation ranges, tensor paths and shapes), then per tensor a one-byte tag (encoding | storage of the zeros) and its payload
//! (little-endian).

use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};

use crate::compress::activation_quant::ActivationQuant;
use crate::compress::pipeline::Compressed;
use crate::compress::cluster::{Codebook, MAX_CLUSTERS};
use crate::compress::codes::Codes;
use crate::compress::half_float::{HalfFormat, HalfTensor};
use crate::compress::lowrank::{self, Factors};
use crate::compress::quantize::Quantized;
use crate::compress::weights::{HostTensor, HostWeights};
use crate::error::{Error, Result};
use crate::model::InputShape;
use crate::spec::{ExperimentSpec, ModelSpec};

const MAGIC: &[u8; 4] = b"EPM1";

/// What a model costs to store and run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    /// Length of the packed export.
    pub bytes: u64,
    /// Length of the export after DEFLATE (level 9).
    pub deflated_bytes: u64,
    pub params: u64,
    pub nonzero_params: u64,
    /// `8 · bytes / params`: everything in the file, header included, per parameter.
    pub bits_per_param: f64,
}

/// The file header: the spec that produced the model (architecture, data, pipeline) and the
/// input shape and tensor layout needed to rebuild it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub spec: ExperimentSpec,
    /// The architecture of the stored weights (the spec's, unless the pipeline resized it).
    pub architecture: ModelSpec,
    pub features: usize,
    pub classes: usize,
    pub image: Option<[usize; 2]>,
    pub tensors: Vec<(String, Vec<usize>)>,
    #[serde(default)]
    pub activations: Option<ActivationQuant>,
}

impl Header {
    pub fn new(spec: &ExperimentSpec, input: InputShape, model: &Compressed) -> Self {
        Header {
            spec: spec.clone(),
            architecture: model.model.clone(),
            features: input.features,
            classes: input.classes,
            image: input.image,
            tensors: model.weights.tensors.iter().map(|t| (t.path.clone(), t.shape.clone())).collect(),
            activations: model.activations.clone(),
        }
    }

    pub fn input(&self) -> InputShape {
        InputShape { features: self.features, classes: self.classes, image: self.image }
    }
}

/// Encodings of a tensor, by kind; the sparse variant of each is `kind + 1`.
const FLOAT: u8 = 0;
const AFFINE: u8 = 2;
const CODEBOOK: u8 = 4;
/// Low-rank factors (dense only).
const FACTORS: u8 = 6;
const HALF: u8 = 8;

/// Packs a compressed model into bytes.
pub fn export(header: &Header, model: &Compressed) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("the header is plain data");
    let mut out = Vec::with_capacity(json.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    for ((tensor, codes), factors) in model.weights.tensors.iter().zip(&model.codes).zip(&model.factors) {
        out.extend_from_slice(&smallest_encoding(tensor, codes.as_ref(), factors.as_ref()));
    }
    out
}

/// The footprint of an export.
pub fn measure(bytes: &[u8], weights: &HostWeights) -> Footprint {
    let params = weights.tensors.iter().map(|t| t.values.len() as u64).sum::<u64>();
    let nonzero = weights.tensors.iter().flat_map(|t| &t.values).filter(|v| **v != 0.0).count() as u64;
    Footprint {
        bytes: bytes.len() as u64,
        deflated_bytes: deflated_len(bytes),
        params,
        nonzero_params: nonzero,
        bits_per_param: 8.0 * bytes.len() as f64 / params.max(1) as f64,
    }
}

/// DEFLATE length at the best compression level.
pub fn deflated_len(bytes: &[u8]) -> u64 {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len() as u64
}

/// Reads an export back: its header and the compressed model it stores.
pub fn import(bytes: &[u8]) -> Result<(Header, Compressed)> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err(bad("not a playground model file (wrong magic bytes)"));
    }
    let len = u32::from_le_bytes(r.array()?) as usize;
    let header: Header = serde_json::from_slice(r.take(len)?).map_err(|e| bad(&format!("header: {e}")))?;
    let mut model = Compressed {
        model: header.architecture.clone(),
        weights: HostWeights { tensors: Vec::new() },
        codes: Vec::new(),
        factors: Vec::new(),
        activations: header.activations.clone(),
    };
    for (path, shape) in &header.tensors {
        let n = shape.iter().product::<usize>();
        let mut tensor = HostTensor { path: path.clone(), shape: shape.clone(), values: vec![0.0; n] };
        let (codes, factors) = read_tensor(&mut r, &mut tensor)?;
        model.weights.tensors.push(tensor);
        model.codes.push(codes);
        model.factors.push(factors);
    }
    if r.at != bytes.len() {
        return Err(bad("trailing bytes after the last tensor"));
    }
    Ok((header, model))
}

/// How a tensor's zeros are left out: not at all, by a bitmask of the non-zeros (1 bit per element),
/// or by the list of their positions (16 or 32 bits per non-zero: smaller when very sparse).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Storage {
    Dense = 0,
    Bitmask = 1,
    Indices = 0x10,
}

fn smallest_encoding(tensor: &HostTensor, codes: Option<&Codes>, factors: Option<&Factors>) -> Vec<u8> {
    let mask: Vec<bool> = tensor.values.iter().map(|v| *v != 0.0).collect();
    let candidates = [Storage::Dense, Storage::Bitmask, Storage::Indices].map(|storage| match codes {
        Some(codes) => encode_codes(tensor, codes, &mask, storage),
        None => encode_floats(tensor, &mask, storage),
    });
    let factored = factors.map(encode_factors);
    candidates.into_iter().chain(factored).min_by_key(Vec::len).expect("dense is always a candidate")
}

fn encode_factors(f: &Factors) -> Vec<u8> {
    let mut out = vec![FACTORS];
    out.extend_from_slice(&(f.rank as u32).to_le_bytes());
    f.left.iter().chain(&f.right).for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out
}

fn encode_floats(tensor: &HostTensor, mask: &[bool], storage: Storage) -> Vec<u8> {
    let mut out = vec![FLOAT | storage as u8];
    let kept = push_storage(&mut out, mask, storage);
    for (_, v) in tensor.values.iter().enumerate().filter(|(i, _)| kept(*i)) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Tag, the decoding parameters (scales and zero points, the codebook, the float format), which
/// elements are stored, and the bit-packed codes of the stored elements.
fn encode_codes(tensor: &HostTensor, codes: &Codes, mask: &[bool], storage: Storage) -> Vec<u8> {
    let sparse = storage as u8;
    let mut out = Vec::new();
    match codes {
        Codes::Affine(q) => {
            out.extend([AFFINE | sparse, q.bits]);
            out.extend_from_slice(&(q.scales.len() as u32).to_le_bytes());
            q.scales.iter().for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
            out.extend(q.zero_points.iter().map(|&z| z as u8));
        }
        Codes::Codebook(c) => {
            out.push(CODEBOOK | sparse);
            out.extend_from_slice(&(c.centroids.len() as u16).to_le_bytes());
            c.centroids.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        }
        Codes::Half(h) => out.extend([HALF | sparse, u8::from(h.format == HalfFormat::Bfloat16)]),
    }
    debug_assert_eq!(mask.len(), tensor.values.len());
    let kept = push_storage(&mut out, mask, storage);
    let stored = codes.codes().iter().enumerate().filter(|(i, _)| kept(*i)).map(|(_, &c)| c);
    out.extend(pack_bits(stored, codes.bits()));
    out
}

/// Writes which elements are stored (nothing, the bitmask, or the positions) and returns the test.
fn push_storage<'a>(out: &mut Vec<u8>, mask: &'a [bool], storage: Storage) -> impl Fn(usize) -> bool + 'a {
    match storage {
        Storage::Dense => {}
        Storage::Bitmask => {
            out.extend(mask.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |b, (k, &m)| b | (u8::from(m) << k))));
        }
        Storage::Indices => {
            let positions: Vec<usize> = (0..mask.len()).filter(|&i| mask[i]).collect();
            out.extend_from_slice(&(positions.len() as u32).to_le_bytes());
            for i in positions {
                if mask.len() <= 1 << 16 {
                    out.extend_from_slice(&(i as u16).to_le_bytes());
                } else {
                    out.extend_from_slice(&(i as u32).to_le_bytes());
                }
            }
        }
    }
    move |i| storage == Storage::Dense || mask[i]
}

/// Packs `bits`-wide codes LSB-first into bytes.
pub fn pack_bits(codes: impl Iterator<Item = u32>, bits: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut filled) = (0u64, 0u32);
    for c in codes {
        acc |= u64::from(c) << filled;
        filled += u32::from(bits);
        while filled >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            filled -= 8;
        }
    }
    if filled > 0 {
        out.push(acc as u8);
    }
    out
}

/// Reads one tensor's values; returns its codes or factors, as stored.
fn read_tensor(r: &mut Reader, t: &mut HostTensor) -> Result<(Option<Codes>, Option<Factors>)> {
    let n = t.values.len();
    let tag = r.take(1)?[0];
    let (kind, storage) = (tag & 0x0E, tag & 0x11);
    if tag == FACTORS {
        return Ok((None, Some(read_factors(r, t)?)));
    }
    let mut codes = match kind {
        FLOAT => None,
        AFFINE => Some(Codes::Affine(read_affine(r, t)?)),
        CODEBOOK => Some(Codes::Codebook(read_codebook(r, n)?)),
        HALF => {
            let format = if r.take(1)?[0] == 1 { HalfFormat::Bfloat16 } else { HalfFormat::Float16 };
            Some(Codes::Half(HalfTensor { format, codes: vec![0; n] }))
        }
        _ => return Err(bad(&format!("unknown tensor encoding {tag} in {}", t.path))),
    };
    let stored = read_storage(r, storage, n).map_err(|e| bad(&format!("{e} in {}", t.path)))?;
    match &mut codes {
        None => {
            for &i in &stored {
                t.values[i] = f32::from_le_bytes(r.array()?);
            }
        }
        Some(codes) => {
            let bits = codes.bits();
            let packed = r.take((stored.len() * bits as usize).div_ceil(8))?;
            let unpacked: Vec<u32> = (0..stored.len()).map(|k| unpack_bits(packed, k, bits)).collect();
            let slots = codes.codes_mut();
            for (&i, &code) in stored.iter().zip(&unpacked) {
                slots[i] = code;
            }
            if let Codes::Codebook(c) = codes {
                if c.indices.iter().any(|&i| i as usize >= c.centroids.len()) {
                    return Err(bad(&format!("codebook index out of range in {}", t.path)));
                }
            }
            for &i in &stored {
                t.values[i] = codes.value(t, i);
            }
        }
    }
    Ok((codes, None))
}

/// The positions a tensor stores, as written by `push_storage`.
fn read_storage(r: &mut Reader, storage: u8, n: usize) -> std::result::Result<Vec<usize>, &'static str> {
    let truncated = |_| "truncated positions";
    if storage == Storage::Dense as u8 {
        Ok((0..n).collect())
    } else if storage == Storage::Bitmask as u8 {
        let bytes = r.take(n.div_ceil(8)).map_err(truncated)?;
        Ok((0..n).filter(|&i| bytes[i / 8] >> (i % 8) & 1 == 1).collect())
    } else if storage == Storage::Indices as u8 {
        let count = u32::from_le_bytes(r.array().map_err(truncated)?) as usize;
        let width = if n <= 1 << 16 { 2 } else { 4 };
        let bytes = r.take(count.checked_mul(width).ok_or("bad count")?).map_err(truncated)?;
        let positions: Vec<usize> = bytes
            .chunks(width)
            .map(|b| if width == 2 { u16::from_le_bytes([b[0], b[1]]) as usize } else { u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize })
            .collect();
        let increasing = positions.windows(2).all(|w| w[0] < w[1]);
        if !increasing || positions.last().is_some_and(|&p| p >= n) {
            return Err("positions out of order or out of range");
        }
        Ok(positions)
    } else {
        Err("unknown storage")
    }
}

fn read_factors(r: &mut Reader, t: &mut HostTensor) -> Result<Factors> {
    let rank = u32::from_le_bytes(r.array()?) as usize;
    let [rows, cols] = lowrank::matrix_shape(t);
    if !t.is_weight() || !(1..rows.min(cols)).contains(&rank) {
        return Err(bad(&format!("bad low-rank factors in {}", t.path)));
    }
    let mut floats = |n: usize| (0..n).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<Vec<f32>>>();
    let factors = Factors { rank, left: floats(rows * rank)?, right: floats(rank * cols)? };
    t.values = factors.product([rows, cols]);
    Ok(factors)
}

fn read_affine(r: &mut Reader, t: &HostTensor) -> Result<Quantized> {
    let bits = r.take(1)?[0];
    let groups = u32::from_le_bytes(r.array()?) as usize;
    if !(1..=8).contains(&bits) || (groups != 1 && groups != t.channels()) {
        return Err(bad(&format!("bad quantization parameters in {}", t.path)));
    }
    let scales = (0..groups).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<_>>()?;
    let zero_points = r.take(groups)?.iter().map(|&z| u32::from(z)).collect();
    Ok(Quantized { bits, scales, zero_points, codes: vec![0; t.values.len()] })
}

fn read_codebook(r: &mut Reader, n: usize) -> Result<Codebook> {
    let k = u16::from_le_bytes(r.array()?) as usize;
    if k == 0 || k > MAX_CLUSTERS + 1 {
        return Err(bad("bad codebook size"));
    }
    let centroids = (0..k).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<_>>()?;
    Ok(Codebook { centroids, indices: vec![0; n] })
}

fn unpack_bits(packed: &[u8], k: usize, bits: u8) -> u32 {
    let start = k * bits as usize;
    (0..bits as usize).fold(0, |c, b| {
        let bit = start + b;
        c | (u32::from(packed[bit / 8] >> (bit % 8) & 1) << b)
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| bad("file is truncated"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("take returned N bytes"))
    }
}

fn bad(message: &str) -> Error {
    Error::File(message.to_string())
}
