// Unit tests of the page's run-time estimate (www/src/cost-estimate.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CostEstimate, describeEstimate, measuredSeconds, LONG_SECONDS, RECENT } from '../../www/src/cost-estimate.js';

const KEY = 'efficiency-playground.speed.v1';
const memory = (entries = {}) => {
  const map = new Map(Object.entries(entries));
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), map };
};
const cost = (steps, macs) => ({ steps, macs, epochs: 10, steps_per_epoch: steps / 10 });

test("seconds add the steps' overhead and the arithmetic at the backend's speed", () => {
  const estimate = new CostEstimate(memory());
  const [steps, macs] = estimate.terms(cost(1000, 6e9), 'cpu');
  assert.equal(steps, (1000 * estimate.speed.cpu.step_ms) / 1000);
  assert.equal(macs, 6e9 / (estimate.speed.cpu.gmacs * 1e9));
  assert.equal(estimate.seconds(cost(1000, 6e9), 'cpu'), steps + macs);
});

test('a run dominated by steps recalibrates the step cost; one dominated by arithmetic, the throughput', () => {
  const storage = memory();
  const estimate = new CostEstimate(storage);
  const { gmacs } = estimate.speed.cpu;
  estimate.learn(cost(1000, 0), 'cpu', 2);
  assert.equal(estimate.speed.cpu.step_ms, 2);
  assert.equal(estimate.speed.cpu.gmacs, gmacs);
  assert.equal(estimate.seconds(cost(1000, 0), 'cpu'), 2);
  estimate.learn(cost(0, 1e12), 'webgpu', 10);
  assert.equal(estimate.speed.webgpu.gmacs, 100);
  // Kept for the next visit, per backend.
  assert.deepEqual(new CostEstimate(storage).speed, estimate.speed);
});

test('a damaged or nonsensical stored speed falls back to the prior', () => {
  const prior = new CostEstimate(memory()).speed;
  for (const stored of ['not json', '{"cpu": {"step_ms": -1, "gmacs": 3}}', '{"cpu": null}']) {
    assert.deepEqual(new CostEstimate(memory({ [KEY]: stored })).speed, prior, stored);
  }
});

test('a measurement that is not a positive number teaches nothing', () => {
  const estimate = new CostEstimate(memory());
  const before = structuredClone(estimate.speed);
  for (const measured of [0, -1, NaN, Infinity]) estimate.learn(cost(1000, 1e9), 'cpu', measured);
  assert.deepEqual(estimate.speed, before);
});

test("a run's seconds are its typical warm epoch times its epochs", () => {
  const history = [5, 1, 1, 1.2, 1, 0.8].map((seconds) => ({ seconds }));
  assert.equal(measuredSeconds({ history }), 1 * 6); // warm half: 1.2, 1, 0.8 → median 1
});

test('the estimate reads as a duration, says what it counts and warns of a long run', () => {
  const c = { epochs: 30, steps_per_epoch: 23, macs: 8.68e8 };
  assert.deepEqual(describeEstimate(1.234, c, 'cpu'), {
    text: 'Training: about 1.2 s on the CPU',
    detail: '30 epochs × 23 steps, 8.7 × 10⁸ multiply-adds, at the speed this browser measured',
  });
  const long = describeEstimate(600, c, 'webgpu');
  assert.equal(long.text, 'A long run: about 10 min on WebGPU');
  assert.match(long.detail, /; Cancel stops a run within a second$/);
  assert.equal(describeEstimate(7200, c, 'cpu').text, 'A long run: about 2.0 h on the CPU');
  assert.equal(describeEstimate(LONG_SECONDS, c, 'cpu').text, 'Training: about 60 s on the CPU');
  // A run too short to round to a tenth of a second is not "about 0.0 s".
  assert.equal(describeEstimate(0.049, c, 'cpu').text, 'Training: under 0.1 s on the CPU');
  assert.equal(describeEstimate(0.05, c, 'cpu').text, 'Training: about 0.1 s on the CPU');
});

test('runs of both shapes fit both figures: learning MNIST no longer spoils the digits, or the other way round', () => {
  // A machine whose steps cost 1.5 ms and whose arithmetic runs at 0.9 GMAC/s: the digits' run is
  // mostly steps, an MNIST MLP's mostly arithmetic; each alone corrects only its own term.
  const seconds = (c) => c.steps * 0.0015 + c.macs / 0.9e9;
  const digits = cost(690, 8.7e8);
  const mnist = cost(3750, 5.2e10);
  const estimate = new CostEstimate(memory());
  estimate.learn(digits, 'cpu', seconds(digits));
  estimate.learn(mnist, 'cpu', seconds(mnist));
  assert.ok(
    Math.abs(estimate.speed.cpu.step_ms - 1.5) < 1e-6 && Math.abs(estimate.speed.cpu.gmacs - 0.9) < 1e-6,
    JSON.stringify(estimate.speed.cpu),
  );
  for (const run of [digits, mnist, cost(100, 1e11)]) {
    assert.ok(Math.abs(estimate.seconds(run, 'cpu') / seconds(run) - 1) < 1e-6, `${run.steps} steps, ${run.macs} MACs`);
  }
});

test('runs of one shape move only their dominant figure; only the last RECENT runs count', () => {
  const estimate = new CostEstimate(memory());
  const { gmacs } = estimate.speed.cpu;
  estimate.learn(cost(1000, 1e6), 'cpu', 2);
  estimate.learn(cost(2000, 2e6), 'cpu', 4.4);
  assert.equal(estimate.speed.cpu.gmacs, gmacs, 'nothing learnt of the arithmetic');
  assert.ok(estimate.speed.cpu.step_ms > 2 && estimate.speed.cpu.step_ms < 2.2);
  for (let i = 0; i < 20; i++) estimate.learn(cost(1000, 1e6), 'cpu', 1);
  assert.equal(estimate.speed.cpu.runs.length, RECENT);
});

test("a new model shape's first WebGPU run: the kernels' compile time is learnt from first epochs and said", async () => {
  const { startOf } = await import('../../www/src/cost-estimate.js');
  // A first epoch of 12.4 s where the typical one takes 0.4 s: 12 s went to compiling kernels.
  const point = { history: [12.4, 0.5, 0.4, 0.4, 0.4, 0.45].map((seconds) => ({ seconds })) };
  assert.ok(Math.abs(startOf(point) - 12) < 1e-9);
  assert.equal(startOf({ history: [{ seconds: 3 }] }), null, 'one epoch says nothing of it');
  const storage = memory();
  const estimate = new CostEstimate(storage);
  assert.equal(estimate.startSeconds('webgpu'), 0, 'nothing known before a first run');
  estimate.learnStart('webgpu', 12);
  estimate.learnStart('webgpu', 10);
  estimate.learnStart('webgpu', 30);
  assert.equal(estimate.startSeconds('webgpu'), 12, 'the median of the first runs');
  assert.equal(new CostEstimate(storage).startSeconds('webgpu'), 12, 'kept for the next visit');
  const c = { epochs: 10, steps_per_epoch: 23, macs: 2.9e8 };
  assert.equal(
    describeEstimate(4.6, c, 'webgpu', 12).text,
    "Training: about 17 s on WebGPU (12 s of it compiling the model's kernels, the first time)",
  );
  assert.equal(describeEstimate(4.6, c, 'webgpu', 0).text, 'Training: about 4.6 s on WebGPU');
});
