//! Footprint measured from a real file. A model is exported to a packed binary — per tensor the
//! smallest of dense, bitmask-sparse (1 bit per element) or index-sparse (positions of the
//! non-zeros) storage of either float32 values or integer codes bit-packed at their width, with the
//! quantizer's scales and zero points, the clustering's codebook or a 16-bit float format — or, for
//! a factorized matrix, its two low-rank factors. The bytes reported are that file's length, split
//! into header and weight payload; the compressed size is its DEFLATE length (flate2).
//! Import checks everything against the data set the file names and against the bytes it holds
//! before allocating, refuses what it cannot read exactly, and rebuilds a model with identical
//! predictions.
//!
//! Layout (byte by byte in `docs/FORMAT.md`): `EPM2`, u32 header length, the header (JSON, raw
//! DEFLATE: experiment spec, input shape and standardisation, the stored architecture if a resize
//! changed it, tensor shapes, calibrated activation ranges), then per tensor a one-byte tag (encoding | storage of the
//! zeros) and its payload (little-endian).

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};

use crate::compress::Compressed;
use crate::compress::cluster::MAX_CLUSTERS;
use crate::compress::codes::{Codebook, Codes, Factors, HalfFormat, HalfTensor, Quantized};
use crate::compress::low_rank;
use crate::data::{self, Normalisation};
use crate::error::{Error, Result};
use crate::host::{HostTensor, HostWeights};
use crate::model::{ActivationQuant, Classifier, InputShape, ModelSpec};
use crate::spec::{self, ExperimentSpec};
use crate::unique_keys::UniqueKeys;

const MAGIC: &[u8; 4] = b"EPM2";
/// Bytes before the header: the magic and the header length.
const PREAMBLE: u64 = 8;
/// The largest header JSON import inflates (a real one is under 2 KiB).
const MAX_HEADER: u64 = 64 * 1024;

/// What a model costs to store and run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    /// Length of the packed export.
    pub bytes: u64,
    /// Of those, the magic, length and JSON header (spec, shapes, standardisation).
    pub header_bytes: u64,
    /// Of those, the tensors: what the weights themselves cost.
    pub payload_bytes: u64,
    /// Length of the export after DEFLATE (level 9).
    pub deflated_bytes: u64,
    pub params: u64,
    pub nonzero_params: u64,
    /// `8 · bytes / params`: everything in the file, header included, per parameter.
    pub bits_per_param: f64,
}

/// The file header: the spec that produced the model (architecture, data, pipeline), the input
/// and its standardisation, and the tensor layout needed to rebuild it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub spec: ExperimentSpec,
    /// The architecture of the stored weights, when the pipeline resized it (else the spec's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resized: Option<ModelSpec>,
    pub input: InputShape,
    /// Applied to raw inputs before the first layer.
    pub normalisation: Normalisation,
    /// The shape of every stored tensor, in file order.
    pub shapes: Vec<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activations: Option<ActivationQuant>,
}

impl Header {
    pub fn new(spec: &ExperimentSpec, input: InputShape, normalisation: &Normalisation, model: &Compressed) -> Self {
        Header {
            spec: spec.clone(),
            resized: (model.model != spec.model).then(|| model.model.clone()),
            input,
            normalisation: normalisation.clone(),
            shapes: model.weights.tensors.iter().map(|t| t.shape.clone()).collect(),
            activations: model.activations.clone(),
        }
    }

    /// The architecture of the stored weights.
    pub fn architecture(&self) -> &ModelSpec {
        self.resized.as_ref().unwrap_or(&self.spec.model)
    }

    /// Checks the header against the data set it names and the architecture it declares, and
    /// returns every tensor's path and shape, so nothing is allocated from an unchecked size.
    fn check(&self) -> Result<Vec<(String, Vec<usize>)>> {
        self.spec.validate().map_err(|e| bad(&format!("its spec is not valid: {e}")))?;
        self.architecture()
            .validate_shape()
            .map_err(|e| bad(&format!("its architecture is not valid: {e}")))?;
        let data = data::input_shape(&self.spec.data);
        if self.input != data {
            let name = serde_json::to_string(&self.spec.data.name).unwrap_or_default();
            return Err(bad(&format!(
                "it is for {}, but the data set {name} has {}",
                describe(self.input),
                describe(data)
            )));
        }
        self.normalisation.check(data.features).map_err(|problem| bad(&problem))?;
        let tensors = Classifier::parameter_shapes(self.architecture(), self.input);
        if let Some(k) = (0..tensors.len().max(self.shapes.len())).find(|&k| tensors.get(k).map(|t| &t.1) != self.shapes.get(k)) {
            return Err(bad(&match (tensors.get(k), self.shapes.get(k)) {
                (Some((path, want)), Some(got)) => format!("tensor {k} ({path}) is declared {got:?}; its architecture needs {want:?}"),
                _ => format!("it declares {} tensors; its architecture has {}", self.shapes.len(), tensors.len()),
            }));
        }
        if let Some(a) = &self.activations {
            check_activations(a, tensors.iter().filter(|t| t.1.len() >= 2).count())?;
        }
        Ok(tensors)
    }
}

/// "64 inputs and 10 classes, as 8×8 images".
fn describe(input: InputShape) -> String {
    let image = input.image.map_or(String::new(), |[h, w]| format!(", as {h}×{w} images"));
    format!("{} inputs and {} classes{image}", input.features, input.classes)
}

/// Calibrated activation ranges: one finite `[min ≤ max]` per weighted layer, 2 to 16 bits.
fn check_activations(a: &ActivationQuant, layers: usize) -> Result<()> {
    if !(2..=16).contains(&a.bits) {
        return Err(bad(&format!("activation quantization has {} bits; 2 to 16 are possible", a.bits)));
    }
    if a.ranges.len() != layers {
        return Err(bad(&format!(
            "it has {} activation ranges for {layers} weighted layers",
            a.ranges.len()
        )));
    }
    match a.ranges.iter().position(|[lo, hi]| !(lo.is_finite() && hi.is_finite() && lo <= hi)) {
        Some(k) => Err(bad(&format!("activation range {k} {:?} is not a finite [min, max]", a.ranges[k]))),
        None => Ok(()),
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
    let packed = pack_header(header);
    let mut out = Vec::with_capacity(packed.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
    out.extend_from_slice(&packed);
    for ((tensor, codes), factors) in model.weights.tensors.iter().zip(&model.codes).zip(&model.factors) {
        out.extend_from_slice(&smallest_encoding(tensor, codes.as_ref(), factors.as_ref()));
    }
    out
}

/// The header as stored: its JSON without null fields (they read back as absent), raw DEFLATE
/// compressed — about 40 % smaller, and small models are mostly header.
fn pack_header(header: &Header) -> Vec<u8> {
    let mut json = serde_json::to_value(header).expect("the header is plain data");
    drop_nulls(&mut json);
    deflate(&serde_json::to_vec(&json).expect("plain data"))
}

fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Inflates a stored header, refusing one that would grow past [`MAX_HEADER`] bytes.
fn unpack_header(packed: &[u8]) -> Result<Header> {
    let mut json = Vec::new();
    let mut inflate = DeflateDecoder::new(packed);
    (&mut inflate)
        .take(MAX_HEADER + 1)
        .read_to_end(&mut json)
        .map_err(|e| bad(&format!("header: {e}")))?;
    if json.len() as u64 > MAX_HEADER {
        return Err(bad(&format!("its header inflates to more than {MAX_HEADER} bytes")));
    }
    if inflate.total_in() != packed.len() as u64 {
        return Err(bad("its header has bytes after the end of its DEFLATE stream"));
    }
    serde_json::from_slice::<UniqueKeys>(&json).map_err(|e| bad(&format!("header: {e}")))?;
    let mut header: serde_json::Value = serde_json::from_slice(&json).map_err(|e| bad(&format!("header: {e}")))?;
    check_objects(&header)?;
    if let Some(spec) = header.get_mut("spec") {
        *spec = spec::migrate(spec.take());
    }
    serde_json::from_value(header).map_err(|e| bad(&format!("header: {e}")))
}

/// The header and its `spec`, `input`, `normalisation` and `activations` are JSON objects, as
/// docs/FORMAT.md says (serde would also read a struct from an array of its fields in order).
fn check_objects(header: &serde_json::Value) -> Result<()> {
    if !header.is_object() {
        return Err(bad("its header is not a JSON object"));
    }
    let not_object = ["spec", "input", "normalisation", "activations", "resized"]
        .into_iter()
        .find(|&field| header.get(field).is_some_and(|v| !v.is_object() && !v.is_null()));
    match not_object {
        Some(field) => Err(bad(&format!("header: `{field}` is not a JSON object"))),
        None => Ok(()),
    }
}

/// The footprint of an export.
pub fn measure(bytes: &[u8], weights: &HostWeights) -> Footprint {
    let params = weights.tensors.iter().map(|t| t.values.len() as u64).sum::<u64>();
    let nonzero = weights.tensors.iter().flat_map(|t| &t.values).filter(|v| **v != 0.0).count() as u64;
    let header_bytes = PREAMBLE + bytes.get(4..8).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
    Footprint {
        bytes: bytes.len() as u64,
        header_bytes,
        payload_bytes: bytes.len() as u64 - header_bytes,
        deflated_bytes: deflated_len(bytes),
        params,
        nonzero_params: nonzero,
        bits_per_param: 8.0 * bytes.len() as f64 / params.max(1) as f64,
    }
}

/// DEFLATE length at the best compression level.
pub fn deflated_len(bytes: &[u8]) -> u64 {
    deflate(bytes).len() as u64
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Reads an export back: its header and the compressed model it stores. Every size is checked
/// against the header's architecture and the bytes left before anything is allocated.
pub fn import(bytes: &[u8]) -> Result<(Header, Compressed)> {
    let mut r = Reader { bytes, at: 0 };
    match r.take(4) {
        Ok(b"EPM1") => {
            return Err(bad(
                "it was written by an earlier version of the playground (EPM1): export it again",
            ));
        }
        Ok(magic) if magic == MAGIC => {}
        _ => return Err(bad("not a playground model file (wrong magic bytes)")),
    }
    let len = u32::from_le_bytes(r.array()?) as usize;
    let header = unpack_header(r.take(len)?)?;
    let tensors = header.check()?;
    let mut model = Compressed {
        model: header.architecture().clone(),
        weights: HostWeights { tensors: Vec::new() },
        codes: Vec::new(),
        factors: Vec::new(),
        calibration: None,
        activations: header.activations.clone(),
        notes: Vec::new(),
    };
    for (path, shape) in tensors {
        // Its values are allocated once the bytes that hold them are known to be there.
        let mut tensor = HostTensor {
            path,
            shape,
            values: Vec::new(),
        };
        let (codes, factors) = read_tensor(&mut r, &mut tensor)?;
        model.weights.tensors.push(tensor);
        model.codes.push(codes);
        model.factors.push(factors);
    }
    if r.at != bytes.len() {
        return Err(bad("trailing bytes after the last tensor"));
    }
    if let Some(t) = model.weights.tensors.iter().find(|t| t.values.iter().any(|v| !v.is_finite())) {
        return Err(bad(&format!("{}: a weight decodes to a value that is not finite", t.path)));
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
    candidates
        .into_iter()
        .chain(factored)
        .min_by_key(Vec::len)
        .expect("dense is always a candidate")
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
    let without_zero_centroid;
    let codes = match codes {
        Codes::Codebook(c) if storage != Storage::Dense => {
            without_zero_centroid = Codes::Codebook(without_zero(c));
            &without_zero_centroid
        }
        _ => codes,
    };
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

/// A sparse tensor stores no zeros, so its codebook needs no zero centroid: dropping it can save
/// an index bit (8 clusters after pruning are 9 centroids, 4 bits, with it; 3 bits without).
fn without_zero(c: &Codebook) -> Codebook {
    let Some(zero) = c.zero_index() else { return c.clone() };
    let centroids = c
        .centroids
        .iter()
        .enumerate()
        .filter(|&(k, _)| k as u32 != zero)
        .map(|(_, &v)| v)
        .collect();
    let indices = c.indices.iter().map(|&i| if i > zero { i - 1 } else { i }).collect();
    Codebook { centroids, indices }
}

/// Writes which elements are stored (nothing, the bitmask, or the positions) and returns the test.
fn push_storage<'a>(out: &mut Vec<u8>, mask: &'a [bool], storage: Storage) -> impl Fn(usize) -> bool + 'a {
    match storage {
        Storage::Dense => {}
        Storage::Bitmask => {
            out.extend(
                mask.chunks(8)
                    .map(|c| c.iter().enumerate().fold(0u8, |b, (k, &m)| b | (u8::from(m) << k))),
            );
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
    let tag = r.take(1)?[0];
    let (kind, storage) = (tag & 0x0E, tag & 0x11);
    let known = tag == FACTORS || (tag & 0xE0 == 0 && storage != 0x11 && matches!(kind, FLOAT | AFFINE | CODEBOOK | HALF));
    if !known {
        return Err(bad(&format!("{}: unknown tensor tag 0x{tag:02x}", t.path)));
    }
    let path = t.path.clone();
    let in_tensor = |e: Error| match e {
        Error::File(m) => bad(&format!("{path}: {m}")),
        other => other,
    };
    if tag == FACTORS {
        return Ok((None, Some(read_factors(r, t).map_err(in_tensor)?)));
    }
    read_values(r, t, kind, storage).map(|codes| (codes, None)).map_err(in_tensor)
}

/// The decoding parameters, stored positions and values of a tensor that is not factorized. Nothing
/// the size of the tensor is allocated before the bytes of its stored values are known to exist.
fn read_values(r: &mut Reader, t: &mut HostTensor, kind: u8, storage: u8) -> Result<Option<Codes>> {
    let n = t.shape.iter().product::<usize>();
    let codes = match kind {
        AFFINE => Some(Codes::Affine(read_affine(r, t)?)),
        CODEBOOK => Some(Codes::Codebook(read_codebook(r)?)),
        HALF => Some(Codes::Half(HalfTensor {
            format: read_half_format(r)?,
            codes: Vec::new(),
        })),
        _ => None,
    };
    let stored = read_storage(r, storage, n)?;
    let bits = codes.as_ref().map_or(32, |c| usize::from(c.bits()));
    let packed = r.take((stored.count() * bits).div_ceil(8))?;
    t.values = vec![0.0; n];
    let Some(mut codes) = codes else {
        for (i, value) in stored.positions().zip(packed.chunks_exact(4)) {
            t.values[i] = f32::from_le_bytes(value.try_into().expect("chunks of 4 bytes"));
        }
        return Ok(None);
    };
    check_padding(packed, stored.count() * bits, "codes")?;
    let slots = codes.codes_mut();
    *slots = vec![0; n];
    for (k, i) in stored.positions().enumerate() {
        slots[i] = unpack_bits(packed, k, bits as u8);
    }
    if let Codes::Codebook(c) = &codes
        && stored.positions().any(|i| c.indices[i] as usize >= c.centroids.len())
    {
        return Err(bad("a codebook index is out of range"));
    }
    for i in stored.positions() {
        t.values[i] = codes.value(t, i);
    }
    Ok(Some(codes))
}

/// The bits after the last used one in a packed run must be zero: a writer sets none.
fn check_padding(bytes: &[u8], used_bits: usize, what: &str) -> Result<()> {
    let spare = bytes.len() * 8 - used_bits;
    match bytes.last() {
        Some(&last) if spare > 0 && last >> (8 - spare) != 0 => Err(bad(&format!("the padding bits after the {what} are not zero"))),
        _ => Ok(()),
    }
}

/// The positions a tensor stores, as written by `push_storage`: every one, those set in a bitmask
/// (read in place, not collected), or a list.
enum Stored<'a> {
    All(usize),
    Bitmask(&'a [u8], usize),
    Listed(Vec<usize>),
}

impl Stored<'_> {
    fn count(&self) -> usize {
        match self {
            Stored::All(n) => *n,
            Stored::Bitmask(bytes, _) => bytes.iter().map(|b| b.count_ones() as usize).sum(),
            Stored::Listed(positions) => positions.len(),
        }
    }

    fn positions(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        match self {
            Stored::All(n) => Box::new(0..*n),
            Stored::Bitmask(bytes, n) => Box::new((0..*n).filter(|&i| bytes[i / 8] >> (i % 8) & 1 == 1)),
            Stored::Listed(positions) => Box::new(positions.iter().copied()),
        }
    }
}

/// The positions a tensor of `n` elements stores, as written by `push_storage`.
fn read_storage<'a>(r: &mut Reader<'a>, storage: u8, n: usize) -> Result<Stored<'a>> {
    if storage == Storage::Dense as u8 {
        Ok(Stored::All(n))
    } else if storage == Storage::Bitmask as u8 {
        let bytes = r.take(n.div_ceil(8))?;
        check_padding(bytes, n, "bitmask")?;
        Ok(Stored::Bitmask(bytes, n))
    } else {
        let count = u32::from_le_bytes(r.array()?) as usize;
        if count > n {
            return Err(bad(&format!("it lists {count} stored positions for {n} elements")));
        }
        let width = if n <= 1 << 16 { 2 } else { 4 };
        let bytes = r.take(count * width)?;
        let positions: Vec<usize> = bytes
            .chunks(width)
            .map(|b| {
                if width == 2 {
                    u16::from_le_bytes([b[0], b[1]]) as usize
                } else {
                    u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
                }
            })
            .collect();
        let increasing = positions.windows(2).all(|w| w[0] < w[1]);
        if !increasing || positions.last().is_some_and(|&p| p >= n) {
            return Err(bad("stored positions are out of order or out of range"));
        }
        Ok(Stored::Listed(positions))
    }
}

fn read_factors(r: &mut Reader, t: &mut HostTensor) -> Result<Factors> {
    let rank = u32::from_le_bytes(r.array()?) as usize;
    let [rows, cols] = low_rank::matrix_shape(t);
    if !t.is_weight() || !low_rank::saves(rank, [rows, cols]) {
        return Err(bad(&format!(
            "rank {rank} factors of a {rows}×{cols} matrix would not be smaller than the matrix"
        )));
    }
    let mut floats = |n: usize| {
        let bytes = r.take(n * 4)?;
        Ok::<_, Error>(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("chunks of 4 bytes")))
                .collect(),
        )
    };
    let factors = Factors {
        rank,
        left: floats(rows * rank)?,
        right: floats(rank * cols)?,
    };
    t.values = factors.product([rows, cols]);
    Ok(factors)
}

fn read_affine(r: &mut Reader, t: &HostTensor) -> Result<Quantized> {
    let bits = r.take(1)?[0];
    let groups = u32::from_le_bytes(r.array()?) as usize;
    if !(1..=8).contains(&bits) || (groups != 1 && groups != t.channels()) {
        return Err(bad(&format!(
            "{bits}-bit quantization in {groups} groups does not fit a tensor of {} channels",
            t.channels()
        )));
    }
    let scales: Vec<f32> = (0..groups).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<_>>()?;
    if let Some(s) = scales.iter().find(|s| !(s.is_finite() && **s >= 0.0)) {
        return Err(bad(&format!("a quantization scale is {s}; scales are finite and not negative")));
    }
    let zero_points: Vec<u32> = r.take(groups)?.iter().map(|&z| u32::from(z)).collect();
    if let Some(z) = zero_points.iter().find(|&&z| z >= 1 << bits) {
        return Err(bad(&format!("a zero point of {z} is not a {bits}-bit code")));
    }
    Ok(Quantized {
        bits,
        scales,
        zero_points,
        codes: Vec::new(),
    })
}

fn read_codebook(r: &mut Reader) -> Result<Codebook> {
    let k = u16::from_le_bytes(r.array()?) as usize;
    if k == 0 || k > MAX_CLUSTERS + 1 {
        return Err(bad(&format!("a codebook of {k} centroids; 1 to {} are possible", MAX_CLUSTERS + 1)));
    }
    let centroids: Vec<f32> = (0..k).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<_>>()?;
    if let Some(c) = centroids.iter().find(|c| !c.is_finite()) {
        return Err(bad(&format!("a centroid is {c}")));
    }
    Ok(Codebook {
        centroids,
        indices: Vec::new(),
    })
}

fn read_half_format(r: &mut Reader) -> Result<HalfFormat> {
    match r.take(1)?[0] {
        0 => Ok(HalfFormat::Float16),
        1 => Ok(HalfFormat::Bfloat16),
        other => Err(bad(&format!("16-bit float format {other} is unknown (0 is float16, 1 bfloat16)"))),
    }
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
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| bad("file is truncated"))?;
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
