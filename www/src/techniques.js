// Every compression step the engine knows, one entry per `kind` (the name of its Rust file in
// src/compress/, checked by tests/catalog.rs): the family it is coloured and counted as on the
// chart, how a step reads in words, and whether it trains (seconds of work, progress, Cancel).
// The controls that make each step are in compress-controls.js.

// Chart families: colour and legend label. `baseline`, `distill` and `pipeline` are not steps.
export const FAMILIES = {
  baseline: { label: 'float32 baseline', color: '#111827' },
  quantize: { label: 'quantization', color: '#2563eb' },
  prune: { label: 'pruning', color: '#dc2626' },
  cluster: { label: 'clustering', color: '#16a34a' },
  low_rank: { label: 'low rank', color: '#d97706' },
  resize: { label: 'resize', color: '#7c3aed' },
  distill: { label: 'distilled', color: '#db2777' },
  pipeline: { label: 'several techniques', color: '#0891b2' },
};

import { paper, JACOB, HAN, DEEP, ZHU, DENTON } from './papers.js';

const $ = (id) => document.getElementById(id);

const WIDTHS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** Fine-tuning and QAT train with the epochs set here and the training learning rate. */
export function fineTuneSpec() {
  return { epochs: Number($('c-fine-tune-epochs').value), learning_rate: Number($('f-train-learning-rate').value) };
}

// A per-layer list ("8, 3, 5"; empty: the same for every layer); a bad entry throws a message
// naming the field.
function readLayers(id, label, valid, expected) {
  const text = $(id).value.trim();
  if (!text) return [];
  const values = text.split(/[\s,]+/).map(Number);
  if (!values.every(valid)) throw new Error(`${label} takes ${expected}, one per weighted layer, got "${text}"`);
  return values;
}
const writeLayers = (layers, show) => (layers?.length ? layers.map(show).join(', ') : '');

const tuneAfter = (checkbox) => ($(checkbox).checked ? [{ kind: 'fine_tune', ...fineTuneSpec() }] : []);
const clusterCount = () => 2 ** Number($('c-clusters').value);

// A sweep's value on every layer: a per-layer list gives way to it, as when its slider moves.
function setSparsity(step, sparsity) {
  if (step.kind === 'structured_prune') return { ...step, fraction: sparsity };
  const { layers: _all, ...prune } = step.kind === 'gradual_prune' ? step.prune : step;
  return step.kind === 'gradual_prune' ? { ...step, prune: { ...prune, sparsity } } : { ...prune, sparsity };
}
function setBits(step, bits) {
  const { layers: _all, ...quantize } = step.kind === 'qat' ? step.quantize : step;
  return step.kind === 'qat' ? { ...step, quantize: { ...quantize, bits } } : { ...quantize, bits };
}

// The page's techniques, one entry each, in their canonical pipeline order; the entry's name is its
// `hide=` name in links. name → {label, family: the chart family its points are counted as (null:
// none of its own), hide: its `hide=` name when it shares another's, aliases: earlier versions'
// hide= names, kinds: the step kinds it reads to, toggle: the control that enables it, controls:
// its other controls (moving one turns the technique on), sweep: the values a "Sweep" walks (in
// the step's own units) and set(step, value) giving the step at one of them, read() → its steps,
// write(step, tuned) → its controls show the step, show() → its sliders' values are written out}.
export const TECHNIQUES = {
  resize: {
    explain: {
      'c-resize': {
        short: 'Makes the trained model narrower or wider.',
        long: 'Shrinking keeps the strongest units; growing copies units and halves their outgoing weights (Net2Net), so the wider model computes exactly the same function before it is trained further.',
        paper: paper('Chen et al. 2016, Net2Net', 'https://arxiv.org/abs/1511.05641'),
      },
    },
    show() {
      $('c-width-out').textContent = WIDTHS[Number($('c-width').value)];
    },
    family: 'resize',
    label: 'resize',
    toggle: 'c-resize',
    controls: ['c-width', 'c-depth', 'c-resize-tune'],
    sweep: { label: 'width', values: [4, 3, 2, 1.5, 1, 0.75, 0.5, 0.25], set: (step, width) => ({ ...step, width }) },
    kinds: ['resize'],
    read() {
      const depth = $('c-depth').value;
      return [
        { kind: 'resize', width: WIDTHS[Number($('c-width').value)], hidden_layers: depth === '' ? null : Number(depth) },
        ...tuneAfter('c-resize-tune'),
      ];
    },
    write(step, tuned) {
      $('c-width').value = Math.max(0, WIDTHS.indexOf(step.width));
      $('c-depth').value = step.hidden_layers ?? '';
      $('c-resize-tune').checked = tuned;
    },
  },
  low_rank: {
    explain: {
      'c-low-rank': {
        short: 'Replaces a layer by two thin ones (truncated SVD).',
        long: 'A weight matrix of rank r can be written as the product of two matrices with r columns: fewer weights and MACs when r is small. The spectrum in Inside the model shows how much each rank keeps.',
        paper: DENTON,
      },
      'c-rank': {
        short: 'How many singular values are kept.',
        long: "The largest singular values carry most of a layer's function; dropping the small ones costs little accuracy.",
        paper: DENTON,
      },
    },
    show() {
      $('c-rank-out').textContent = $('c-rank').value;
    },
    family: 'low_rank',
    aliases: ['low-rank'], // its hide= name in links of earlier versions
    label: 'low rank',
    toggle: 'c-low-rank',
    controls: ['c-rank'],
    sweep: { label: 'rank', values: [31, 24, 16, 12, 8, 6, 4, 2, 1], set: (step, rank) => ({ ...step, choose: { rank } }) },
    kinds: ['low_rank'],
    read: () => [{ kind: 'low_rank', choose: { rank: Number($('c-rank').value) }, first_layer_only: true }],
    write(step) {
      if (step.choose.rank) $('c-rank').value = step.choose.rank;
    },
  },
  prune: {
    explain: {
      'c-prune': {
        short: 'Sets the smallest weights to zero.',
        long: 'Magnitude pruning removes the weights that matter least; the zeros are left out of the file. One-shot pruning of many weights hurts, fine-tuning afterwards recovers.',
        paper: HAN,
      },
      'c-sparsity': {
        short: 'The fraction of weights set to zero.',
        long: 'Sparsity 0.8 keeps one weight in five. The file shrinks only when enough weights are zero to pay for storing where the rest are.',
        paper: HAN,
      },
      'c-global': {
        short: 'One threshold for all layers instead of the same fraction per layer.',
        long: 'A global threshold prunes more where weights are small (often the big first layer) and less where every weight counts.',
        paper: HAN,
      },
      'c-structured': {
        short: 'Removes whole units or channels, not single weights.',
        long: 'Structured pruning makes layers narrower, so MACs and latency drop as well as bytes, at a larger cost in accuracy than pruning single weights.',
        paper: paper('Li et al. 2017, Pruning Filters for Efficient ConvNets', 'https://arxiv.org/abs/1608.08710'),
      },
      'c-fine-tune': {
        short: 'Retrains the remaining weights after pruning.',
        long: 'After pruning, a few epochs of training with the zeros held at zero let the other weights make up for the ones removed.',
        paper: HAN,
      },
      'c-stages': {
        short: 'Prunes a little at a time, fine-tuning between stages.',
        long: 'Gradual pruning raises the sparsity along a cubic schedule, so the model adapts as weights go: better than pruning everything at once.',
        paper: ZHU,
      },
    },
    show() {
      $('c-sparsity-out').textContent = `${Math.round(100 * Number($('c-sparsity').value))} %`;
    },
    family: 'prune',
    label: 'prune',
    toggle: 'c-prune',
    controls: ['c-sparsity', 'c-layer-sparsity', 'c-global', 'c-structured', 'c-fine-tune', 'c-stages'],
    sweep: { label: 'sparsity', values: [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95], set: setSparsity },
    kinds: ['prune', 'structured_prune', 'gradual_prune'],
    read() {
      const layers = readLayers('c-layer-sparsity', 'Per-layer sparsity', (x) => x >= 0 && x < 100, 'percentages from 0 to 99').map(
        (x) => x / 100,
      );
      const prune = {
        sparsity: Number($('c-sparsity').value),
        global: $('c-global').checked && !layers.length,
        ...(layers.length ? { layers } : {}),
      };
      const stages = Number($('c-stages').value);
      if ($('c-structured').checked) return [{ kind: 'structured_prune', fraction: prune.sparsity }, ...tuneAfter('c-fine-tune')];
      if ($('c-fine-tune').checked && stages > 1) return [{ kind: 'gradual_prune', prune, stages, fine_tune: fineTuneSpec() }];
      return [{ kind: 'prune', ...prune }, ...tuneAfter('c-fine-tune')];
    },
    write(step, tuned) {
      const prune = step.kind === 'gradual_prune' ? step.prune : step;
      $('c-sparsity').value = step.kind === 'structured_prune' ? step.fraction : prune.sparsity;
      if (step.kind !== 'structured_prune') $('c-global').checked = prune.global;
      $('c-layer-sparsity').value =
        step.kind === 'structured_prune' ? '' : writeLayers(prune.layers, (x) => Math.round(100 * x * 1e6) / 1e6);
      $('c-structured').checked = step.kind === 'structured_prune';
      $('c-stages').value = step.kind === 'gradual_prune' ? step.stages : 1;
      $('c-fine-tune').checked = tuned || step.kind === 'gradual_prune';
      const tuning = step.fine_tune;
      if (tuning) $('c-fine-tune-epochs').value = tuning.epochs;
    },
  },
  cluster: {
    explain: {
      'c-cluster': {
        short: 'Weights share a few values (a codebook).',
        long: 'k-means clustering replaces each weight by the nearest of k centroids; the file stores the centroids and, per weight, an index of log2(k) bits.',
        paper: DEEP,
      },
      'c-clusters': {
        short: 'The number of shared values per layer.',
        long: "16 clusters need 4-bit indices. Unlike quantization's evenly spaced levels, centroids sit where the weights are.",
        paper: DEEP,
      },
    },
    show() {
      $('c-clusters-out').textContent = clusterCount();
      $('c-clusters').setAttribute('aria-valuetext', `${clusterCount()} clusters`);
    },
    family: 'cluster',
    label: 'cluster',
    toggle: 'c-cluster',
    controls: ['c-clusters', 'c-cluster-tune'],
    sweep: { label: 'clusters', values: [256, 128, 64, 32, 16, 8, 4, 2], set: (step, clusters) => ({ ...step, clusters }) },
    kinds: ['cluster'],
    read: () => [
      { kind: 'cluster', clusters: clusterCount(), init: 'linear', fine_tune: $('c-cluster-tune').checked ? fineTuneSpec() : null },
    ],
    write(step) {
      $('c-clusters').value = Math.round(Math.log2(step.clusters));
      $('c-cluster-tune').checked = Boolean(step.fine_tune);
      if (step.fine_tune) $('c-fine-tune-epochs').value = step.fine_tune.epochs;
    },
  },
  half: {
    explain: {
      'c-half': {
        short: 'Stores floats in 16 bits instead of 32.',
        long: "float16 and bfloat16 halve the file with little loss for most weights; bfloat16 keeps float32's range with less precision.",
        paper: paper('Micikevicius et al. 2018, Mixed Precision Training', 'https://arxiv.org/abs/1710.03740'),
      },
    },
    family: 'quantize',
    label: '16-bit floats',
    toggle: 'c-half',
    controls: [],
    hide: 'quantize',
    kinds: ['half'],
    read: () => [{ kind: 'half', format: $('c-half').value }],
    write(step) {
      $('c-half').value = step.format;
    },
  },
  quantize: {
    explain: {
      'c-quantize': {
        short: 'Stores each weight in a few bits instead of 32.',
        long: "Post-training quantization maps each weight to one of 2^bits levels between a scale's limits: 8 bits make the file about 4× smaller, usually at little cost in accuracy.",
        paper: JACOB,
      },
      'c-bits': {
        short: 'Bits per weight: 2^bits levels.',
        long: 'Each bit fewer halves the levels. Around 4 bits most small models still hold up; at 2 bits the rounding error usually shows.',
        paper: JACOB,
      },
      'c-per-channel': {
        short: 'One scale per output unit instead of one per layer.',
        long: 'With one scale per layer, a single large weight (an outlier) stretches the scale, and every small weight rounds to the same few levels. A scale per channel lets each unit use its own range.',
        paper: JACOB,
      },
      'c-symmetric': {
        short: 'Levels placed symmetrically around zero.',
        long: "Symmetric quantization keeps zero exact and needs no offset; asymmetric quantization fits the levels to each range's min and max, which helps ranges that are not centred on zero.",
        paper: JACOB,
      },
      'c-qat': {
        short: 'Fine-tunes with the rounding in the forward pass.',
        long: 'Quantization-aware training lets the model adapt to its own rounding, which recovers most of what low bit widths lose.',
        paper: JACOB,
      },
    },
    show() {
      $('c-bits-out').textContent = $('c-bits').value;
    },
    family: 'quantize',
    label: 'quantize weights',
    toggle: 'c-quantize',
    controls: ['c-bits', 'c-layer-bits', 'c-symmetric', 'c-per-channel', 'c-qat'],
    sweep: { label: 'bits', values: [8, 7, 6, 5, 4, 3, 2, 1], set: setBits },
    kinds: ['quantize', 'qat'],
    read() {
      const layers = readLayers(
        'c-layer-bits',
        'Per-layer bits',
        (b) => Number.isInteger(b) && b >= 0 && b <= 8,
        'whole numbers from 0 (float) to 8',
      );
      const quantize = {
        bits: Number($('c-bits').value),
        symmetric: $('c-symmetric').checked,
        per_channel: $('c-per-channel').checked,
        ...(layers.length ? { layers } : {}),
      };
      return [$('c-qat').checked ? { kind: 'qat', quantize, fine_tune: fineTuneSpec() } : { kind: 'quantize', ...quantize }];
    },
    write(step) {
      const quantize = step.kind === 'qat' ? step.quantize : step;
      $('c-bits').value = quantize.bits;
      $('c-symmetric').checked = quantize.symmetric;
      $('c-per-channel').checked = quantize.per_channel;
      $('c-layer-bits').value = writeLayers(quantize.layers, (b) => b);
      $('c-qat').checked = step.kind === 'qat';
      if (step.fine_tune) $('c-fine-tune-epochs').value = step.fine_tune.epochs;
    },
  },
  fine_tune: {
    explain: {
      'c-fine-tune-epochs': {
        short: 'Epochs of retraining used by every fine-tuning step.',
        long: "Compression steps that retrain (fine-tuning, QAT, gradual pruning) run this many epochs at the training settings' learning rate.",
      },
    },
    family: null,
    aliases: ['fine-tune'], // its hide= name in links of earlier versions
    label: 'fine-tune',
    toggle: 'c-tune-step',
    controls: [],
    kinds: ['fine_tune'],
    read: () => [{ kind: 'fine_tune', ...fineTuneSpec() }],
    write(step) {
      $('c-fine-tune-epochs').value = step.epochs;
    },
  },
  quantize_activations: {
    explain: {
      'c-activations': {
        short: 'Also quantizes the values flowing between layers.',
        long: 'Integer-only inference needs the inputs of each layer quantized too; their ranges are calibrated on a few training batches.',
        paper: JACOB,
      },
    },
    show() {
      $('c-activation-bits-out').textContent = $('c-activation-bits').value;
    },
    family: 'quantize',
    aliases: ['activations'], // its hide= name in links of earlier versions
    label: 'quantize activations',
    toggle: 'c-activations',
    controls: ['c-activation-bits'],
    sweep: { label: 'activation bits', values: [16, 12, 8, 6, 4, 3, 2], set: (step, bits) => ({ ...step, bits }) },
    kinds: ['quantize_activations'],
    read: () => [{ kind: 'quantize_activations', bits: Number($('c-activation-bits').value), calibration_batches: 4 }],
    write(step) {
      $('c-activation-bits').value = step.bits;
    },
  },
};

/** The quantization scheme the controls set ({symmetric, per_channel}), on or off. */
export const quantizeScheme = () => ({ symmetric: $('c-symmetric').checked, per_channel: $('c-per-channel').checked });

const percent = (x) => `${Math.round(100 * x)} %`;
// Per-layer settings (mixed precision, a sensitivity probe) read layer by layer: "int8/3/float".
const perLayer = (values, show) => values.map(show).join('/');
const describePrune = (s) =>
  s.layers?.length
    ? `prune ${perLayer(s.layers, (x) => Math.round(100 * x))} % by layer`
    : `prune ${percent(s.sparsity)}${s.global ? '' : ' per layer'}`;
const describeQuantize = (s) =>
  `${s.layers?.length ? `int${perLayer(s.layers, (b) => (b ? b : 'float'))}` : `int${s.bits}`}` +
  `${s.symmetric ? '' : ' asym'}${s.per_channel ? ' per-channel' : ''}`;
const never = () => false;
const always = () => true;

// kind → {describe(step), trains(step)}: how a step reads in words, and whether it trains.
export const STEPS = {
  quantize: { describe: describeQuantize, trains: never },
  qat: { describe: (s) => `QAT ${s.fine_tune.epochs} → ${describeQuantize(s.quantize)}`, trains: always },
  half: { describe: (s) => s.format, trains: never },
  quantize_activations: { describe: (s) => `activations int${s.bits}`, trains: never },
  prune: { describe: describePrune, trains: never },
  gradual_prune: {
    describe: (s) => `${describePrune(s.prune)} in ${s.stages} stages × fine-tune ${s.fine_tune.epochs}`,
    trains: always,
  },
  structured_prune: { describe: (s) => `structured ${percent(s.fraction)}`, trains: never },
  cluster: {
    describe: (s) =>
      `${s.clusters} clusters${s.init && s.init !== 'linear' ? ` (${s.init})` : ''}${s.fine_tune ? ` tuned ${s.fine_tune.epochs}` : ''}`,
    trains: (s) => Boolean(s.fine_tune),
  },
  low_rank: {
    describe: (s) =>
      ('rank' in s.choose ? `rank ${s.choose.rank}` : `${percent(s.choose.energy)} energy`) + (s.first_layer_only ? ' (first layer)' : ''),
    trains: never,
  },
  fine_tune: { describe: (s) => `fine-tune ${s.epochs}`, trains: always },
  resize: {
    describe: (s) => `width ×${s.width}${s.hidden_layers ? `, ${s.hidden_layers} hidden layers` : ''}`,
    trains: never,
  },
};

// "prune 50 % · int4 per-channel", or "float32" for an uncompressed model; an unknown kind (a file
// from a newer version) is named, not dropped.
export function describePipeline(steps) {
  if (!steps.length) return 'float32';
  return steps.map((s) => STEPS[s.kind]?.describe(s) ?? `${s.kind} (unknown step)`).join(' · ');
}

/** The technique (a TECHNIQUES name) that step kind `kind` belongs to, or undefined. */
export const techniqueOf = (kind) => Object.keys(TECHNIQUES).find((name) => TECHNIQUES[name].kinds.includes(kind));

// Whether any step trains, and so takes seconds and reports progress.
export function trains(steps) {
  return steps.some((s) => STEPS[s.kind]?.trains(s));
}

// The family a spec is shown as: the one its steps belong to (fine-tuning does not count), with
// distillation as one more; several make a 'pipeline'.
export function familyOf(spec) {
  const used = new Set(spec.compress.map((s) => TECHNIQUES[techniqueOf(s.kind)]?.family).filter(Boolean));
  if (spec.distill) used.add('distill');
  if (used.size === 0) return 'baseline';
  return used.size === 1 ? [...used][0] : 'pipeline';
}
