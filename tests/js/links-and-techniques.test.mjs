// Reading links (unknown axes named, partial specs completed, wrong values kept for the engine to
// name) and the table of compression steps (techniques.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, withDefaults } from '../../www/src/url-state.js';
import { STEPS, FAMILIES, TECHNIQUES, describePipeline, trains, familyOf, techniqueOf } from '../../www/src/techniques.js';
import { sameJson } from '../../www/src/compress-controls.js';

const defaults = {
  data: { name: 'digits', samples: 600, noise: 0.1, test_fraction: 0.2 },
  model: { kind: 'mlp', hidden: [64], activation: 'relu' },
  train: { optimizer: 'adam', learning_rate: 0.005, epochs: 30, batch_size: 64, weight_decay: 0, momentum: 0.9 },
  distill: null,
  seed: 42,
  compress: [],
};

test('an unknown chart axis in a link is named and left at its default', () => {
  const read = parse('?x=bogus&y=loss');
  assert.deepEqual(read.axes, { y: 'loss' });
  assert.match(read.error, /x=bogus is not one of bytes, deflated/);
  assert.equal(parse('?x=__proto__').axes.x, undefined);
  assert.equal(parse('?x=macs').error, null);
});

test('a partial link takes the defaults for what it leaves out, and keeps what it gives', () => {
  const spec = withDefaults({ data: { name: 'moons' }, train: { epochs: 5 } }, defaults);
  assert.deepEqual(spec.data, { name: 'moons', samples: 600, noise: 0.1, test_fraction: 0.2 });
  assert.equal(spec.train.epochs, 5);
  assert.equal(spec.train.batch_size, 64);
  assert.deepEqual(spec.model, defaults.model);
  assert.deepEqual(withDefaults({ model: { hidden: [8] } }, defaults).model, { kind: 'mlp', hidden: [8], activation: 'relu' });
  // Another model kind is not mixed with the default's fields; wrong values stay for the engine to name.
  assert.deepEqual(withDefaults({ model: { kind: 'cnn', channels: [4, 8] } }, defaults).model, { kind: 'cnn', channels: [4, 8] });
  assert.equal(withDefaults({ model: null }, defaults).model, null);
  assert.equal(withDefaults({ data: 'moons' }, defaults).data, 'moons');
});

// One example step of every kind, as the engine writes it.
const EXAMPLES = [
  { kind: 'quantize', bits: 4, symmetric: true, per_channel: true },
  { kind: 'qat', quantize: { bits: 2, symmetric: false, per_channel: false }, fine_tune: { epochs: 3, learning_rate: 0.001 } },
  { kind: 'half', format: 'bfloat16' },
  { kind: 'quantize_activations', bits: 8, calibration_batches: 4 },
  { kind: 'prune', sparsity: 0.5, global: false },
  { kind: 'gradual_prune', prune: { sparsity: 0.9, global: true }, stages: 3, fine_tune: { epochs: 2, learning_rate: 0.001 } },
  { kind: 'structured_prune', fraction: 0.25 },
  { kind: 'cluster', clusters: 16, init: 'density', fine_tune: null },
  { kind: 'low_rank', choose: { energy: 0.9 }, first_layer_only: false },
  { kind: 'fine_tune', epochs: 4, learning_rate: 0.0005 },
  { kind: 'resize', width: 0.5, hidden_layers: 2 },
];

test('every step kind is described in words, and the table has no kind without an example', () => {
  assert.deepEqual(EXAMPLES.map((s) => s.kind).sort(), Object.keys(STEPS).sort());
  assert.equal(
    describePipeline(EXAMPLES),
    'int4 per-channel · QAT 3 → int2 asym · bfloat16 · activations int8 · prune 50 % per layer · prune 90 % in 3 stages × fine-tune 2 · ' +
      'structured 25 % · 16 clusters (density) · 90 % energy · fine-tune 4 · width ×0.5, 2 hidden layers',
  );
  assert.equal(describePipeline([]), 'float32');
  assert.equal(describePipeline([{ kind: 'from_the_future' }]), 'from_the_future (unknown step)');
});

test('a pipeline trains when a step fine-tunes', () => {
  const training = EXAMPLES.filter((s) => trains([s])).map((s) => s.kind);
  assert.deepEqual(training, ['qat', 'gradual_prune', 'fine_tune']);
  assert.ok(trains([{ kind: 'cluster', clusters: 4, init: 'linear', fine_tune: { epochs: 1, learning_rate: 0.01 } }]));
});

test('a point is coloured by the family of its steps; fine-tuning alone changes nothing', () => {
  const spec = (compress, distill = null) => ({ compress, distill });
  assert.equal(familyOf(spec([])), 'baseline');
  assert.equal(familyOf(spec([EXAMPLES[9]])), 'baseline');
  assert.equal(familyOf(spec([EXAMPLES[1], EXAMPLES[0]])), 'quantize');
  assert.equal(familyOf(spec([EXAMPLES[0]], { alpha: 0.5 })), 'pipeline');
  for (const technique of Object.values(TECHNIQUES)) assert.ok(technique.family === null || technique.family in FAMILIES);
  // Every step kind belongs to exactly one technique: one vocabulary.
  for (const kind of Object.keys(STEPS)) {
    assert.equal(Object.values(TECHNIQUES).filter((t) => t.kinds.includes(kind)).length, 1, kind);
    assert.ok(techniqueOf(kind) in TECHNIQUES);
  }
});

test("a technique's hide= name is its name (half shares quantize's); earlier versions' names still work", () => {
  assert.deepEqual(parse('?hide=low-rank,activations,fine-tune').hide, ['low_rank', 'quantize_activations', 'fine_tune']);
  assert.deepEqual(parse('?hide=low_rank,quantize').hide, ['low_rank', 'quantize']);
  assert.equal(parse('?hide=low-rank').error, null);
});

test('pipelines compare as JSON values whatever their key order', () => {
  assert.ok(sameJson({ kind: 'prune', sparsity: 0.5, global: true }, { global: true, kind: 'prune', sparsity: 0.5 }));
  assert.ok(!sameJson({ kind: 'prune', sparsity: 0.5 }, { kind: 'prune', sparsity: 0.5, global: true }));
  assert.ok(!sameJson([{ a: 1 }], [{ a: '1' }]));
  assert.ok(sameJson({ fine_tune: null }, { fine_tune: null }));
});

test('a link may name a strategy to run once its model is trained, with a budget; anything else is named', () => {
  assert.deepEqual(parse('?strategy=shrink&budget=2000').strategy, { name: 'shrink', budget: 2000 });
  assert.deepEqual(parse('?strategy=grow').strategy, { name: 'grow', budget: null });
  assert.deepEqual(parse('?strategy=grow&budget=-5').strategy, { name: 'grow', budget: null });
  const bad = parse('?strategy=prune');
  assert.equal(bad.strategy, null);
  assert.equal(bad.error, "The link's strategy=prune is not one of shrink, grow; no strategy runs.");
});

test('a link whose spec nests too deep (teachers inside teachers) is refused before the engine sees it', () => {
  let spec = {};
  for (let i = 0; i < 800; i += 1) spec = { distill: { teacher: spec, temperature: 2, alpha: 0.5 } };
  const read = parse(`?spec=${encodeURIComponent(JSON.stringify(spec))}`);
  assert.equal(read.spec, null);
  assert.match(
    read.error,
    /^The link's spec nests more than 16 levels deep \(a teacher inside a teacher\?\); the page starts from the defaults\.$/,
  );
  // A whole spec with a teacher is well within the limit.
  const taught = { ...defaults, distill: { teacher: defaults, temperature: 2, alpha: 0.5 } };
  assert.equal(parse(`?spec=${encodeURIComponent(JSON.stringify(taught))}`).error, null);
});

test("a link's unknown hide= names and backend are named, not ignored", () => {
  const read = parse('?hide=automaton,inspect,inpsect&backend=gpu');
  assert.deepEqual(read.hide, ['inspect']);
  assert.equal(read.backend, null);
  assert.match(read.error, /The link's hide=automaton,inpsect are not parts of the page \(data, .*\); they are shown\./);
  assert.match(read.error, /The link's backend=gpu is not one of auto, cpu, webgpu, race; the page chooses\./);
  assert.equal(parse('?hide=inspect&backend=cpu').error, null);
});
