// The lessons' content (www/src/lessons.js), run by `node --test`: every lesson has a paper, steps
// whose highlighted control exists on the real page, questions with choices, a challenge and a model
// answer; a step's measurement answers only the point that does what the step says, and picks the
// choice the figures give; a challenge is met only by points that reach its target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LESSONS, judge, scope } from '../../www/src/lessons.js';

const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
const lesson = (id) => LESSONS.find((l) => l.id === id);
const point = (compress, test_accuracy, bytes, extra = {}) => ({
  spec: { data: { name: 'digits' }, model: { kind: 'mlp', hidden: [64] }, compress, ...extra.spec },
  test_accuracy,
  footprint: { bytes, nonzero_params: extra.nonzero ?? 4810 },
  effective_macs: extra.macs ?? 4736,
});
const float = point([], 0.978, 19535);
const quantize = (bits, per_channel = true) => ({ kind: 'quantize', bits, symmetric: true, per_channel });

test('seven lessons, each with a paper, steps on controls the page has, and a challenge with an answer', () => {
  assert.deepEqual(
    LESSONS.map((l) => l.id),
    ['pareto', 'boundaries', 'quantization', 'pruning', 'clustering', 'low-rank', 'distillation'],
  );
  for (const l of LESSONS) {
    assert.match(l.paper.url, /^https:\/\/arxiv\.org\/abs\//, l.id);
    assert.ok(l.steps.length >= 3, l.id);
    for (const s of l.steps) {
      assert.ok(s.text.length > 40, `${l.id}: ${s.text}`);
      assert.ok(html.includes(`id="${s.control}"`), `${l.id}: #${s.control} is on the page`);
      if (s.predict) assert.ok(s.predict.choices.length >= 2 && typeof s.measure === 'function', l.id);
    }
    assert.ok(
      l.steps.some((s) => s.predict),
      `${l.id} asks for a prediction`,
    );
    assert.ok(l.challenge.text && l.challenge.answer, l.id);
  }
});

test('a step measures only the point that does what it says, and picks the choice its figures give', () => {
  const [, eight, twoPerLayer, twoPerChannel] = lesson('quantization').steps;
  assert.equal(eight.measure(point([quantize(4)], 0.97, 3000), { float }), null);
  assert.equal(eight.measure(point([quantize(8)], 0.975, 5383), { float }).choice, 0);
  const low = twoPerLayer.measure(point([quantize(2, false)], 0.156, 928), { float });
  assert.equal(low.choice, 2);
  assert.match(low.text, /^15\.6 % at 928 B: −82\.2 points against float\. One large weight/);
  assert.equal(twoPerLayer.measure(point([quantize(2, true)], 0.7, 1833), { float }), null);
  const previous = { test_accuracy: 0.156, footprint: { bytes: 928 } };
  const up = twoPerChannel.measure(point([quantize(2, true)], 0.7, 1833), { float, previous });
  assert.equal(up.choice, 0);
  assert.match(up.text, /\+54\.4 points, for 905 more bytes of scales/);

  const [, , tuned, gradual] = lesson('pruning').steps;
  const prune = { kind: 'prune', sparsity: 0.8, global: true };
  assert.equal(tuned.measure(point([prune], 0.875, 4996), { float }), null);
  assert.equal(tuned.measure(point([prune, { kind: 'fine_tune', epochs: 10, learning_rate: 0.005 }], 0.969, 5013), { float }).choice, 0);
  assert.equal(gradual.measure(point([{ kind: 'gradual_prune', prune, stages: 4 }], 0.9, 3134), { float }).choice, 2);

  const distilled = lesson('distillation').steps[2];
  const student = (accuracy, distill) => point([], accuracy, 5176, { spec: { model: { kind: 'mlp', hidden: [16] }, distill } });
  const alone = student(0.964, null);
  assert.equal(distilled.measure(student(0.981, { temperature: 4 }), { runs: [alone] }).choice, 0);
  assert.equal(distilled.measure(student(0.961, { temperature: 4 }), { runs: [alone] }).choice, 1);
  assert.equal(distilled.measure(student(0.961, { temperature: 4 }), { runs: [] }).choice, null);
});

test('a challenge is met only at its target', () => {
  const { met } = lesson('quantization').challenge;
  assert.equal(met(point([quantize(3)], 0.983, 2743)), true);
  assert.equal(met(point([quantize(4, false)], 0.983, 2924)), false); // too many bytes
  assert.equal(met(point([quantize(2)], 0.7, 1833)), false); // too inaccurate
  assert.equal(lesson('pruning').challenge.met(point([], 0.96, 3121, { nonzero: 548 })), true);
  assert.equal(lesson('low-rank').challenge.met(point([], 0.975, 11381, { macs: 2688 })), true);
  assert.equal(lesson('low-rank').challenge.met(point([], 0.944, 7284, { macs: 2048 })), false);
});

test('a challenge counts only the points that qualify for it, says which, and credits the smallest', () => {
  const { challenge } = lesson('quantization');
  assert.equal(scope(challenge), 'points on digits that use quantization');
  assert.equal(scope(lesson('pareto').challenge), 'points on digits, any technique');
  // The Pareto lesson's 4-cluster point meets the numbers but is not quantization: not counted.
  const clustered = point([{ kind: 'cluster', clusters: 4, init: 'linear', fine_tune: null }], 0.981, 1833);
  const elsewhere = { ...point([quantize(3)], 0.99, 500), spec: { ...point([quantize(3)], 0, 0).spec, data: { name: 'moons' } } };
  const int4 = point([quantize(4)], 0.975, 2780);
  const int3 = point([quantize(3)], 0.976, 2745);
  const pipeline = point([{ kind: 'prune', sparsity: 0.5, global: true }, quantize(2)], 0.96, 2100);
  assert.deepEqual(judge(challenge, [clustered, elsewhere]), { counted: [], best: null });
  assert.deepEqual(judge(challenge, [clustered, int4, float, int3]), { counted: [int4, int3], best: int3 });
  assert.equal(judge(challenge, [int3, pipeline]).best, pipeline, 'a pipeline that quantizes counts');
  // Sizes other than bytes: pruning counts non-zero parameters, low rank MACs.
  const pruned = (nonzero, bytes) => point([{ kind: 'prune', sparsity: 0.9, global: true }], 0.96, bytes, { nonzero });
  assert.equal(judge(lesson('pruning').challenge, [pruned(590, 2000), pruned(548, 3121)]).best.footprint.nonzero_params, 548);
  const rank = (r, macs) => point([{ kind: 'low_rank', choose: { rank: r }, first_layer_only: true }], 0.975, 11381, { macs });
  assert.equal(judge(lesson('low-rank').challenge, [rank(16, 2688), point([], 0.99, 100, { macs: 100 })]).best.effective_macs, 2688);
  // Distillation counts distilled students only; the circles challenge its own data.
  const student = point([], 0.97, 5176, { spec: { distill: { temperature: 4 } } });
  assert.deepEqual(judge(lesson('distillation').challenge, [point([], 0.97, 5176), student]).counted, [student]);
  const circles = { ...point([], 0.96, 480), spec: { ...float.spec, data: { name: 'circles' } } };
  assert.equal(judge(lesson('boundaries').challenge, [float, circles]).best, circles);
});
