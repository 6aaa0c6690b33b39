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

// kind → {family (null: does not change what the point is counted as), describe(step), trains(step)}.
export const STEPS = {
  quantize: { family: 'quantize', describe: describeQuantize, trains: never },
  qat: { family: 'quantize', describe: (s) => `QAT ${s.fine_tune.epochs} → ${describeQuantize(s.quantize)}`, trains: always },
  half: { family: 'quantize', describe: (s) => s.format, trains: never },
  quantize_activations: { family: 'quantize', describe: (s) => `activations int${s.bits}`, trains: never },
  prune: { family: 'prune', describe: describePrune, trains: never },
  gradual_prune: {
    family: 'prune',
    describe: (s) => `${describePrune(s.prune)} in ${s.stages} stages × fine-tune ${s.fine_tune.epochs}`,
    trains: always,
  },
  structured_prune: { family: 'prune', describe: (s) => `structured ${percent(s.fraction)}`, trains: never },
  cluster: {
    family: 'cluster',
    describe: (s) =>
      `${s.clusters} clusters${s.init && s.init !== 'linear' ? ` (${s.init})` : ''}${s.fine_tune ? ` tuned ${s.fine_tune.epochs}` : ''}`,
    trains: (s) => Boolean(s.fine_tune),
  },
  low_rank: {
    family: 'low_rank',
    describe: (s) =>
      ('rank' in s.choose ? `rank ${s.choose.rank}` : `${percent(s.choose.energy)} energy`) + (s.first_layer_only ? ' (first layer)' : ''),
    trains: never,
  },
  fine_tune: { family: null, describe: (s) => `fine-tune ${s.epochs}`, trains: always },
  resize: {
    family: 'resize',
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

// Whether any step trains, and so takes seconds and reports progress.
export function trains(steps) {
  return steps.some((s) => STEPS[s.kind]?.trains(s));
}

// The family a spec is shown as: the one its steps belong to (fine-tuning does not count), with
// distillation as one more; several make a 'pipeline'.
export function familyOf(spec) {
  const used = new Set(spec.compress.map((s) => STEPS[s.kind]?.family).filter(Boolean));
  if (spec.distill) used.add('distill');
  if (used.size === 0) return 'baseline';
  return used.size === 1 ? [...used][0] : 'pipeline';
}
