// The URL is a pure function of the store: `parse(serialise(s))` gives back every field it holds,
// for generated states with every step kind, every data set and model kind, teachers, odd numbers
// and every optional part (a property test over seeded random states).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, serialise, HIDEABLE } from '../../www/src/url-state.js';
import { X_AXES, Y_AXES } from '../../www/src/points.js';
import { LESSONS } from '../../www/src/lessons.js';
import { STEPS } from '../../www/src/techniques.js';

// Mulberry32: a small seeded generator, so a failure names the seed that reproduces it.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const r = random(seed);
  const pick = (items) => items[Math.floor(r() * items.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const bool = () => r() < 0.5;
  // Numbers as a person or the engine writes them, and the awkward ones: tiny, huge, many digits.
  const number = () => pick([0, 0.1, 0.005, 1e-7, 123456789, r(), -r(), 2 ** 53 - 1, 1 / 3]);
  const fineTune = () => ({ epochs: int(1, 16), learning_rate: number() });
  const quantize = () => ({
    bits: int(1, 8),
    symmetric: bool(),
    per_channel: bool(),
    ...(bool() ? { layers: [int(0, 8), int(0, 8)] } : {}),
  });
  const prune = () => ({ sparsity: r(), global: bool(), ...(bool() ? { layers: [r(), r()] } : {}) });
  const step = {
    quantize: () => ({ kind: 'quantize', ...quantize() }),
    qat: () => ({ kind: 'qat', quantize: quantize(), fine_tune: fineTune() }),
    half: () => ({ kind: 'half', format: pick(['float16', 'bfloat16']) }),
    quantize_activations: () => ({ kind: 'quantize_activations', bits: int(2, 16), calibration_batches: int(1, 8) }),
    prune: () => ({ kind: 'prune', ...prune() }),
    gradual_prune: () => ({ kind: 'gradual_prune', prune: prune(), stages: int(1, 8), fine_tune: fineTune() }),
    structured_prune: () => ({ kind: 'structured_prune', fraction: r() }),
    cluster: () => ({
      kind: 'cluster',
      clusters: 2 ** int(1, 8),
      init: pick(['linear', 'density', 'random']),
      fine_tune: bool() ? fineTune() : null,
    }),
    low_rank: () => ({ kind: 'low_rank', choose: bool() ? { rank: int(1, 64) } : { energy: r() }, first_layer_only: bool() }),
    fine_tune: () => ({ kind: 'fine_tune', ...fineTune() }),
    resize: () => ({ kind: 'resize', width: pick([0.25, 0.5, 1, 4]), hidden_layers: bool() ? int(1, 8) : null }),
  };
  const data = () =>
    pick([
      { name: pick(['moons', 'circles', 'spirals', 'xor']), samples: int(10, 5000), noise: r(), test_fraction: r() },
      { name: pick(['digits', 'mnist']), samples: int(10, 5000), noise: 0, test_fraction: r(), augment_shift: int(0, 3) },
      {
        name: 'custom',
        samples: 0,
        noise: 0,
        test_fraction: r(),
        table: { name: 'own "data", ünïcode & = ?', rows: int(1, 99), features: 2, classes: 3, hash: 'ab12' },
      },
    ]);
  const model = () =>
    bool()
      ? { kind: 'mlp', hidden: Array.from({ length: int(0, 4) }, () => int(1, 512)), activation: pick(['relu', 'tanh', 'gelu']) }
      : {
          kind: 'cnn',
          channels: [int(1, 64), int(1, 64)],
          activation: 'relu',
          ...(bool() ? { block: 'separable', head: 'gap', width: 2 } : {}),
        };
  const train = () => ({
    optimizer: pick(['adam', 'sgd']),
    learning_rate: number(),
    epochs: int(1, 200),
    batch_size: int(1, 1024),
    weight_decay: number(),
    momentum: r(),
    ...(bool() ? { label_smoothing: r(), stop_after: int(1, 99) } : {}),
  });
  const spec = (teacherDepth) => ({
    data: data(),
    model: model(),
    train: train(),
    distill: teacherDepth > 0 && bool() ? { teacher: spec(teacherDepth - 1), temperature: number(), alpha: r() } : null,
    seed: int(0, 2 ** 32 - 1),
    compress: Array.from({ length: int(0, 5) }, () => step[pick(Object.keys(step))]()),
  });
  return {
    kinds: Object.keys(step),
    state: () => ({
      spec: spec(2),
      axes: { x: pick(Object.keys(X_AXES)), y: pick(Object.keys(Y_AXES)), log: bool() },
      hide: HIDEABLE.filter(() => r() < 0.2),
      backend: pick(['auto', 'cpu', 'webgpu', 'race']),
      lesson: bool() ? { lesson: pick(LESSONS).id, step: int(1, 9) } : null,
      present: bool(),
      focus: bool(),
    }),
  };
}

test('the generator makes every step kind the page knows', () => {
  assert.deepEqual(generator(1).kinds.sort(), Object.keys(STEPS).sort());
});

test('parse(serialise(state)) gives the state back, for 500 generated states', () => {
  for (let seed = 1; seed <= 500; seed += 1) {
    const state = generator(seed).state();
    const read = parse(serialise(state));
    assert.equal(read.error, null, `seed ${seed}`);
    const { spec, axes, hide, backend, lesson, present, focus } = read;
    assert.deepEqual({ spec, axes, hide, backend, lesson, present, focus }, state, `seed ${seed}`);
  }
});

test('every step kind appears in some generated state', () => {
  const seen = new Set();
  for (let seed = 1; seed <= 500; seed += 1) for (const step of generator(seed).state().spec.compress) seen.add(step.kind);
  assert.deepEqual([...seen].sort(), Object.keys(STEPS).sort());
});
