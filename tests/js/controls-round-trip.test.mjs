// The page's half of a link's round trip, on the real page's markup (happy-dom): a spec written
// into the form and the compression controls reads back unchanged, for every step kind; a
// pipeline the controls cannot show is kept as given and said to be kept.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { STEPS } from '../../www/src/techniques.js';

let controls;
let form;

before(async () => {
  const window = new Window();
  const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
  window.document.body.innerHTML = html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>'));
  // happy-dom has no `Option` constructor; the page's `new Option(text, value)` means this.
  function Option(text, value) {
    return Object.assign(window.document.createElement('option'), { textContent: text, value });
  }
  Object.assign(globalThis, { document: window.document, Event: window.Event, Option });
  controls = await import('../../www/src/compress-controls.js');
  form = await import('../../www/src/form.js');
  controls.initEditor();
  document.getElementById('f-train-learning-rate').value = '0.005'; // what fine-tuning steps read
});

const tune = (epochs, learning_rate = 0.005) => ({ epochs, learning_rate });

// Every kind, as the engine writes it, in pipelines the controls show exactly.
const SHOWN = [
  [{ kind: 'quantize', bits: 4, symmetric: true, per_channel: true }],
  [{ kind: 'quantize', bits: 8, symmetric: true, per_channel: false, layers: [8, 0, 3] }],
  [{ kind: 'prune', sparsity: 0.5, global: false, layers: [0.9, 0.55, 0] }],
  [{ kind: 'gradual_prune', prune: { sparsity: 0.8, global: false, layers: [0.8, 0.5] }, stages: 3, fine_tune: tune(2) }],
  [{ kind: 'qat', quantize: { bits: 3, symmetric: false, per_channel: false }, fine_tune: tune(2) }],
  [{ kind: 'half', format: 'bfloat16' }],
  [{ kind: 'quantize_activations', bits: 6, calibration_batches: 4 }],
  [
    { kind: 'prune', sparsity: 0.5, global: true },
    { kind: 'fine_tune', ...tune(3) },
  ],
  [{ kind: 'gradual_prune', prune: { sparsity: 0.8, global: false }, stages: 3, fine_tune: tune(2) }],
  [
    { kind: 'structured_prune', fraction: 0.25 },
    { kind: 'fine_tune', ...tune(1) },
  ],
  [{ kind: 'cluster', clusters: 16, init: 'linear', fine_tune: tune(4) }],
  [{ kind: 'low_rank', choose: { rank: 8 }, first_layer_only: true }],
  [{ kind: 'fine_tune', ...tune(5) }],
  [
    { kind: 'resize', width: 0.5, hidden_layers: 2 },
    { kind: 'fine_tune', ...tune(2) },
  ],
  // Several at once, in an order the editor can make.
  [
    { kind: 'resize', width: 2, hidden_layers: null },
    { kind: 'prune', sparsity: 0.75, global: true },
    { kind: 'quantize', bits: 8, symmetric: true, per_channel: false },
    { kind: 'quantize_activations', bits: 8, calibration_batches: 4 },
  ],
  [
    { kind: 'quantize', bits: 8, symmetric: true, per_channel: false },
    { kind: 'prune', sparsity: 0.5, global: true },
  ],
];

// Settings the controls cannot show: kept exactly, and said to be.
const KEPT = [
  [{ kind: 'low_rank', choose: { energy: 0.9 }, first_layer_only: false }],
  [{ kind: 'low_rank', choose: { rank: 8 }, first_layer_only: false }],
  [{ kind: 'cluster', clusters: 10, init: 'linear', fine_tune: null }],
  [{ kind: 'cluster', clusters: 16, init: 'density', fine_tune: null }],
  [{ kind: 'quantize_activations', bits: 8, calibration_batches: 16 }],
  [{ kind: 'fine_tune', ...tune(4, 0.0005) }],
  [
    { kind: 'quantize', bits: 8, symmetric: true, per_channel: false },
    { kind: 'quantize', bits: 4, symmetric: true, per_channel: false },
  ],
  [{ kind: 'resize', width: 0.3, hidden_layers: null }],
];

const pinnedNote = () => document.getElementById('pipeline-pinned');

test('every step kind the controls show reads back unchanged, in the order given', () => {
  const kinds = new Set(SHOWN.flat().map((s) => s.kind));
  assert.deepEqual([...kinds].sort(), Object.keys(STEPS).sort(), 'every kind the page knows (tests/catalog.rs: the engine knows the same)');
  for (const steps of SHOWN) {
    assert.ok(controls.writeSteps(steps), `${JSON.stringify(steps)} is shown exactly`);
    assert.deepEqual(controls.readSteps(), steps);
    assert.deepEqual(controls.pipeline([]), steps, "the spec takes the controls' pipeline");
    assert.ok(pinnedNote().hidden, `${JSON.stringify(steps)} is shown, not kept`);
  }
});

test('a pipeline the controls cannot show is kept as given and said so, until a control moves', () => {
  for (const steps of KEPT) {
    assert.ok(!controls.writeSteps(steps), `${JSON.stringify(steps)} cannot be shown exactly`);
    assert.deepEqual(controls.pipeline(steps), steps, 'the spec keeps it as given');
    assert.ok(!pinnedNote().hidden, `${JSON.stringify(steps)} is said to be kept`);
  }
  controls.release();
  assert.ok(pinnedNote().hidden);
  assert.notDeepEqual(controls.pipeline(KEPT.at(-1)), KEPT.at(-1), 'a moved control replaces it');
});

test('every field of the settings form reads back unchanged, digits and all', () => {
  const defaults = {
    data: { name: 'digits', samples: 600, noise: 0.1, test_fraction: 0.2 },
    model: { kind: 'mlp', hidden: [64], activation: 'relu' },
    train: {
      optimizer: 'adam',
      learning_rate: 0.005,
      epochs: 30,
      batch_size: 64,
      weight_decay: 0,
      momentum: 0.9,
      label_smoothing: 0,
      augment: { shift: 0, rotate: 0, noise: 0 },
    },
    distill: null,
    seed: 42,
    compress: [],
  };
  const element = document.getElementById('controls');
  const specs = [
    defaults,
    {
      ...defaults,
      data: { name: 'moons', samples: 250, noise: 0.234, test_fraction: 0.15 },
      model: { kind: 'mlp', hidden: [12, 7], activation: 'gelu' },
      train: {
        optimizer: 'sgd',
        learning_rate: 0.00123456789,
        epochs: 7,
        batch_size: 48,
        weight_decay: 0.0001,
        momentum: 0.95,
        label_smoothing: 0.1,
        augment: { shift: 0, rotate: 0, noise: 0.25 },
      },
      seed: 987654321,
    },
    {
      ...defaults,
      model: { kind: 'cnn', channels: [3, 5], activation: 'tanh' },
      train: { ...defaults.train, augment: { shift: 2, rotate: 12.5, noise: 0 } },
    },
    { ...defaults, model: { kind: 'mlp', hidden: [], activation: 'sigmoid' } },
    {
      ...defaults,
      model: { kind: 'cnn', channels: [8, 16], activation: 'relu', block: 'separable', head: 'global_average', width: 0.375 },
    },
    { ...defaults, model: { kind: 'cnn', channels: [8, 16], activation: 'relu', head: 'global_average' } },
    { ...defaults, model: { kind: 'cnn', channels: [8, 16], activation: 'relu' } },
  ];
  for (const spec of specs) {
    form.writeSpec(element, spec);
    assert.deepEqual(form.readSpec(element, defaults), spec);
  }
});

test('a spec that leaves out a learning technique (the engine omits unused ones) shows it off', () => {
  const element = document.getElementById('controls');
  const defaults = {
    data: { name: 'digits', samples: 600, noise: 0.1, test_fraction: 0.2 },
    model: { kind: 'mlp', hidden: [64], activation: 'relu' },
    train: { optimizer: 'adam', learning_rate: 0.005, epochs: 30, batch_size: 64, weight_decay: 0, momentum: 0.9 },
    distill: null,
    seed: 42,
    compress: [],
  };
  form.writeSpec(element, {
    ...defaults,
    train: { ...defaults.train, label_smoothing: 0.2, augment: { shift: 1, rotate: 5, noise: 0.1 } },
  });
  form.writeSpec(element, defaults);
  const read = form.readSpec(element, defaults);
  assert.equal(read.train.label_smoothing, 0);
  assert.deepEqual(read.train.augment, { shift: 0, rotate: 0, noise: 0 });
});

test('a sweep is a list of pipelines: the swept step at each value, the other steps as they are', () => {
  const steps = [
    { kind: 'prune', sparsity: 0.5, global: false, layers: [0.9, 0.1] },
    { kind: 'fine_tune', ...tune(2) },
    { kind: 'qat', quantize: { bits: 4, symmetric: true, per_channel: false, layers: [8, 2] }, fine_tune: tune(1) },
  ];
  const bits = controls.sweepPipelines('quantize', steps);
  assert.deepEqual(
    bits.map((p) => p[2].quantize),
    [8, 7, 6, 5, 4, 3, 2, 1].map((b) => ({ bits: b, symmetric: true, per_channel: false })),
    'every layer at the swept width: the per-layer list gives way, as when the slider moves',
  );
  assert.ok(bits.every((p) => p[0] === steps[0] && p[1] === steps[1]));
  const sparsity = controls.sweepPipelines('prune', steps);
  assert.deepEqual(sparsity[2][0], { kind: 'prune', sparsity: 0.5, global: false });
  assert.deepEqual(controls.sweepPipelines('prune', [{ kind: 'structured_prune', fraction: 0.1 }])[1], [
    { kind: 'structured_prune', fraction: 0.25 },
  ]);
  assert.deepEqual(
    controls.sweepPipelines('prune', [
      { kind: 'gradual_prune', prune: { sparsity: 0.8, global: true }, stages: 2, fine_tune: tune(1) },
    ])[0][0].prune,
    { sparsity: 0, global: true },
  );
  assert.deepEqual(
    controls.sweepPipelines('cluster', [{ kind: 'cluster', clusters: 16, init: 'linear', fine_tune: null }]).map((p) => p[0].clusters),
    [256, 128, 64, 32, 16, 8, 4, 2],
  );
  assert.deepEqual(
    controls.sweepPipelines('low_rank', [{ kind: 'low_rank', choose: { energy: 0.9 }, first_layer_only: true }])[0][0].choose,
    { rank: 31 },
  );
  // Each value is one the controls can show: written, it reads back as the sweep made it.
  for (const name of ['resize', 'low_rank', 'prune', 'cluster', 'quantize', 'quantize_activations']) {
    const start = {
      resize: [{ kind: 'resize', width: 1, hidden_layers: null }],
      low_rank: [{ kind: 'low_rank', choose: { rank: 8 }, first_layer_only: true }],
      prune: [{ kind: 'prune', sparsity: 0.5, global: true }],
      cluster: [{ kind: 'cluster', clusters: 16, init: 'linear', fine_tune: null }],
      quantize: [{ kind: 'quantize', bits: 8, symmetric: true, per_channel: false }],
      quantize_activations: [{ kind: 'quantize_activations', bits: 8, calibration_batches: 4 }],
    }[name];
    for (const pipeline of controls.sweepPipelines(name, start)) {
      assert.ok(controls.writeSteps(pipeline), `${name}: ${JSON.stringify(pipeline)} is shown exactly`);
      assert.deepEqual(controls.readSteps(), pipeline);
    }
  }
});

test('the sweep swept is the technique moved last if it is in the pipeline, else the last one there', async () => {
  const { chooseSweep } = await import('../../www/src/sweep.js');
  assert.equal(chooseSweep('quantize', ['prune', 'quantize']), 'quantize');
  assert.equal(chooseSweep('prune', ['prune', 'quantize']), 'prune');
  assert.equal(chooseSweep('cluster', ['prune', 'quantize']), 'quantize');
  assert.equal(chooseSweep(null, ['quantize', 'fine_tune', 'half']), 'quantize');
  assert.equal(chooseSweep('half', ['half']), null);
  assert.deepEqual(controls.groupsOf([{ kind: 'qat' }, { kind: 'prune' }, { kind: 'fine_tune' }, { kind: 'quantize' }]), [
    'quantize',
    'prune',
    'fine_tune',
  ]);
});
