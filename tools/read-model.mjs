#!/usr/bin/env node
// A reference reader of the playground's model files (EPM2, docs/FORMAT.md), written from the
// format document alone and independent of the engine: plain JavaScript and Node's zlib, no packages. It
// decodes every tensor encoding and runs the model on raw inputs, applying the file's own
// standardisation and activation quantization.
//
//   node tools/read-model.mjs model.epm                # what the file holds, as JSON
//   node tools/read-model.mjs model.epm inputs.json    # predicted classes of raw input rows
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const FLOAT = 0, AFFINE = 2, CODEBOOK = 4, FACTORS = 6, HALF = 8;
const DENSE = 0x00, BITMASK = 0x01, INDICES = 0x10;

/** Parses a model file: its header and every tensor's values (Float32Array) and encoding. */
export function readModel(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== 'EPM2') throw new Error(`not an EPM2 model file (magic ${JSON.stringify(magic)})`);
  const length = view.getUint32(4, true);
  const header = JSON.parse(inflateRawSync(bytes.subarray(8, 8 + length)).toString('utf8'));
  const reader = { view, bytes, at: 8 + length };
  const tensors = header.shapes.map((shape) => readTensor(reader, shape));
  if (reader.at !== bytes.length) throw new Error('trailing bytes after the last tensor');
  const infinite = tensors.findIndex((t) => t.values.some((v) => !Number.isFinite(v)));
  if (infinite >= 0) throw new Error(`tensor ${infinite}: a weight decodes to a value that is not finite`);
  return { header, tensors };
}

function readTensor(r, shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const tag = u8(r);
  if (tag === FACTORS) return readFactors(r, shape, n);
  const kind = tag & 0x0e, storage = tag & 0x11;
  let decode, bits, encoding;
  if (kind === AFFINE) {
    bits = u8(r);
    const groups = u32(r);
    const scales = Array.from({ length: groups }, () => f32(r));
    const zeros = Array.from({ length: groups }, () => u8(r));
    const group = (i) => (groups === 1 ? 0 : channelOf(shape, n, i));
    decode = (code, i) => (bits === 1 ? (2 * code - 1) : code - zeros[group(i)]) * scales[group(i)];
    encoding = `int${bits} (${groups} scale${groups === 1 ? '' : 's'})`;
  } else if (kind === CODEBOOK) {
    const centroids = Array.from({ length: u16(r) }, () => f32(r));
    bits = (Math.max(2, centroids.length) - 1).toString(2).length; // enough for every index
    decode = (code) => centroids[code];
    encoding = `codebook of ${centroids.length}`;
  } else if (kind === HALF) {
    const bfloat = u8(r) === 1;
    bits = 16;
    decode = bfloat ? fromBfloat16 : fromFloat16;
    encoding = bfloat ? 'bfloat16' : 'float16';
  } else if (kind !== FLOAT) {
    throw new Error(`unknown tensor tag ${tag}`);
  }
  const positions = readPositions(r, storage, n);
  const values = new Float32Array(n);
  if (kind === FLOAT) {
    for (const i of positions) values[i] = f32(r);
    encoding = 'float32';
  } else {
    const packed = take(r, Math.ceil((positions.length * bits) / 8));
    positions.forEach((i, k) => { values[i] = decode(unpack(packed, k, bits), i); });
  }
  return { shape, values, encoding, storage: { [DENSE]: 'dense', [BITMASK]: 'bitmask', [INDICES]: 'indices' }[storage] };
}

/** The positions of the stored elements: all, those set in a bitmask, or a list. */
function readPositions(r, storage, n) {
  if (storage === DENSE) return Array.from({ length: n }, (_, i) => i);
  if (storage === BITMASK) {
    const mask = take(r, Math.ceil(n / 8));
    return Array.from({ length: n }, (_, i) => i).filter((i) => (mask[i >> 3] >> (i & 7)) & 1);
  }
  const count = u32(r);
  return Array.from({ length: count }, () => (n <= 65536 ? u16(r) : u32(r)));
}

/** W = left · right, accumulated in float32 in the order the engine uses. */
function readFactors(r, shape, n) {
  const rows = shape[0], cols = n / rows, rank = u32(r);
  const left = Float32Array.from({ length: rows * rank }, () => f32(r));
  const right = Float32Array.from({ length: rank * cols }, () => f32(r));
  const values = new Float32Array(n);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rank; k++) {
      const a = left[i * rank + k];
      for (let o = 0; o < cols; o++) values[i * cols + o] += Math.fround(a * right[k * cols + o]);
    }
  }
  return { shape, values, encoding: `rank-${rank} factors`, storage: 'dense' };
}

/** Output channel of element i: dense [inputs, outputs] → column; conv [out, in, kh, kw] → first index. */
const channelOf = (shape, n, i) => (shape.length === 2 ? i % shape[1] : Math.floor(i / (n / shape[0])));

function unpack(packed, k, bits) {
  let code = 0;
  for (let b = 0; b < bits; b++) {
    const bit = k * bits + b;
    code |= ((packed[bit >> 3] >> (bit & 7)) & 1) << b;
  }
  return code >>> 0;
}

function fromFloat16(h) {
  const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function fromBfloat16(b) {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, b << 16);
  return view.getFloat32(0);
}

const take = (r, count) => {
  if (r.at + count > r.bytes.length) throw new Error('file is truncated');
  const out = r.bytes.subarray(r.at, r.at + count);
  r.at += count;
  return out;
};
const u8 = (r) => take(r, 1)[0];
const u16 = (r) => { take(r, 2); return r.view.getUint16(r.at - 2, true); };
const u32 = (r) => { take(r, 4); return r.view.getUint32(r.at - 4, true); };
const f32 = (r) => { take(r, 4); return r.view.getFloat32(r.at - 4, true); };

// ---- Inference on raw inputs ----------------------------------------------------------------

const ACTIVATIONS = {
  relu: (x) => Math.max(0, x),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
};

/** The predicted class of each raw input row (an array of numbers, as in the data set). */
export function predict({ header, tensors }, rows) {
  const model = header.resized ?? header.spec.model;
  const act = ACTIVATIONS[model.activation];
  const { mean, std } = header.normalisation;
  const quant = header.activations;
  const layerInput = (layer, x) => (quant ? x.map((v) => quantizeToRange(v, quant.ranges[layer], quant.bits)) : x);
  return rows.map((raw) => {
    const x = raw.map((v, j) => Math.fround(Math.fround(Math.fround(v) - mean[j % mean.length]) / std[j % std.length]));
    const logits = model.kind === 'cnn'
      ? cnn(x, tensors, model, header.input, act, layerInput)
      : mlp(x, tensors, act, layerInput);
    return logits.indexOf(Math.max(...logits));
  });
}

function mlp(x, tensors, act, layerInput) {
  const layers = tensors.length / 2;
  for (let l = 0; l < layers; l++) {
    x = dense(layerInput(l, x), tensors[2 * l], tensors[2 * l + 1]);
    if (l < layers - 1) x = x.map(act);
  }
  return x;
}

/**
 * conv 3×3 (same) → act → max-pool 2×2 → conv 3×3 → act (a "separable" block: depthwise 3×3 → act
 * → pointwise 1×1 → act) → max-pool 2×2 (a "global_average" head: the mean of each channel) → dense.
 */
function cnn(x, tensors, model, input, act, layerInput) {
  const [h, w] = input.image;
  let image = { c: 1, h, w, data: layerInput(0, x) };
  image = pool(conv(image, tensors[0], tensors[1], act));
  const convs = model.block === 'separable' ? 2 : 1;
  for (let l = 1; l <= convs; l++) {
    image = conv({ ...image, data: layerInput(l, image.data) }, tensors[2 * l], tensors[2 * l + 1], act);
  }
  image = model.head === 'global_average' ? average(image) : pool(image);
  return dense(layerInput(convs + 1, image.data), tensors[2 * convs + 2], tensors[2 * convs + 3]);
}

/** y[o] = b[o] + Σ_i x[i] · W[i, o] for a weight stored [inputs, outputs]. */
function dense(x, weight, bias) {
  const [inputs, outputs] = weight.shape;
  return Array.from({ length: outputs }, (_, o) => {
    let sum = bias.values[o];
    for (let i = 0; i < inputs; i++) sum += x[i] * weight.values[i * outputs + o];
    return sum;
  });
}

/**
 * Same-padded convolution; a kernel stored [out, in / groups, kh, kw] has `c / (in / groups)`
 * groups (a depthwise kernel, [c, 1, k, k], one per channel): output o reads its group's inputs.
 */
function conv({ c, h, w, data }, weight, bias, act) {
  const [out, perGroup, kh, kw] = weight.shape;
  const outPerGroup = out / (c / perGroup);
  const result = new Array(out * h * w);
  for (let o = 0; o < out; o++) {
    const first = Math.floor(o / outPerGroup) * perGroup;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = bias.values[o];
        for (let j = 0; j < perGroup; j++) {
          const i = first + j;
          for (let dy = 0; dy < kh; dy++) {
            for (let dx = 0; dx < kw; dx++) {
              const sy = y + dy - (kh >> 1), sx = x + dx - (kw >> 1);
              if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
              sum += data[(i * h + sy) * w + sx] * weight.values[((o * perGroup + j) * kh + dy) * kw + dx];
            }
          }
        }
        result[(o * h + y) * w + x] = act(sum);
      }
    }
  }
  return { c: out, h, w, data: result };
}

function pool({ c, h, w, data }) {
  const [ph, pw] = [Math.floor(h / 2), Math.floor(w / 2)];
  const result = new Array(c * ph * pw);
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        const at = (dy, dx) => data[(k * h + 2 * y + dy) * w + 2 * x + dx];
        result[(k * ph + y) * pw + x] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
      }
    }
  }
  return { c, h: ph, w: pw, data: result };
}

/** Global average pooling: one mean per channel. */
function average({ c, h, w, data }) {
  const result = Array.from({ length: c }, (_, k) => {
    let sum = 0;
    for (let p = 0; p < h * w; p++) sum += data[k * h * w + p];
    return sum / (h * w);
  });
  return { c, h: 1, w: 1, data: result };
}

/** Rounds to the `bits`-bit asymmetric grid over [min, max] widened to include 0 (ties to even). */
function quantizeToRange(v, [min, max], bits) {
  const levels = 2 ** bits - 1;
  const low = Math.min(min, 0), high = Math.max(max, 0);
  const scale = high > low ? Math.fround((high - low) / levels) : 1;
  const zero = roundEven(Math.fround(-low / scale));
  const q = Math.min(levels, Math.max(0, roundEven(Math.fround(v / scale)) + zero)) - zero;
  return Math.fround(q * scale);
}

function roundEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The error function: its Taylor series below 2.5, the continued fraction of erfc above. */
function erf(x) {
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t;
    for (let n = 1; n < 60; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let fraction = 0;
  for (let n = 60; n >= 1; n--) fraction = (n / 2) / (t + fraction);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + fraction));
}

// ---- Command line ---------------------------------------------------------------------------

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, inputs] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tools/read-model.mjs model.epm [inputs.json]');
    process.exit(2);
  }
  const model = readModel(readFileSync(file));
  if (inputs) {
    console.log(JSON.stringify(predict(model, JSON.parse(readFileSync(inputs, 'utf8')))));
  } else {
    const tensors = model.tensors.map((t) => ({ shape: t.shape, encoding: t.encoding, storage: t.storage }));
    console.log(JSON.stringify({ ...model.header, tensors }, null, 1));
  }
}
