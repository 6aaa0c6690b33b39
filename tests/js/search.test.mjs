// Unit tests of the page's search driver (www/src/search.js), run by `node --test`: it asks the
// engine for each rung's trials, trains them on the pool, passes every evaluation back, records
// every point with its latency, and names the best with the figures measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSearch, describeSearch, describeCandidate } from '../../www/src/search.js';

const candidates = [
  { id: 0, width: 8, depth: 1, bits: 4, sparsity: 0, cost: 900 },
  { id: 1, width: 16, depth: 2, bits: 0, sparsity: 0.5, cost: 2400 },
];
const spec = { budget: { kind: 'bytes', limit: 2500 } };
const trial = (candidate, rung, epochs) => ({ candidate, rung, spec: { candidate, train: { epochs } } });

// A fake engine with two rungs: both candidates for 3 epochs, then the better one for 9.
function engine() {
  return {
    asked: [],
    async searchPlan() {
      return candidates;
    },
    async searchNext(_, __, evaluations) {
      this.asked.push(evaluations.map((e) => ({ ...e })));
      if (evaluations.length === 0) return { kind: 'trials', rung: 0, rungs: 2, epochs: 3, trials: [trial(0, 0, 3), trial(1, 0, 3)] };
      if (evaluations.length === 2) return { kind: 'trials', rung: 1, rungs: 2, epochs: 9, trials: [trial(1, 1, 9)] };
      return { kind: 'done', best: evaluations[2] };
    },
  };
}
// A pool of one fake engine whose accuracy grows with width and epochs.
const pool = {
  size: 1,
  async map(items, work, done) {
    for (const item of items) done(item, await work(this.worker, item));
  },
  worker: {
    async run(s) {
      return {
        spec: s,
        test_accuracy: (50 + candidates[s.candidate].width + s.train.epochs) / 100,
        footprint: { bytes: candidates[s.candidate].cost },
      };
    },
    async measureLatency() {
      return { median_ms: 0.01 };
    },
  },
};

test('the driver runs each rung the engine names, hands back every evaluation and records every point', async () => {
  const e = engine();
  const recorded = [];
  const progress = [];
  const found = await runSearch({ engine: e, pool, spec, record: (p) => recorded.push(p), progress: (p) => progress.push(p) });
  assert.deepEqual(e.asked[1], [
    { candidate: 0, rung: 0, test_accuracy: 0.61, bytes: 900 },
    { candidate: 1, rung: 0, test_accuracy: 0.69, bytes: 2400 },
  ]);
  assert.equal(recorded.length, 3);
  assert.ok(recorded.every((p) => p.latency.median_ms === 0.01));
  assert.equal(found.best.point, recorded[2]);
  assert.deepEqual(progress.at(-1), { kind: 'task', task: 'search rung 2 of 2 (9 epochs each, 1 worker)', done: 1, of: 1 });
  const sentence = describeSearch({ ...found, sizing: 0.21, seconds: 1.25 }, spec, 1);
  assert.equal(
    sentence,
    'Searched 2 candidates within 2500 B in 3 trials (1.3 s on 1 worker, 0.2 s of it sizing). Best: width 16 × 2 layers, float, 50 % pruned: 75.0 % test accuracy at 2400 B, after 9 epochs.',
  );
});

test('a candidate is described by its shape and compression', () => {
  assert.equal(describeCandidate(candidates[0]), 'width 8 × 1 layer, int4');
});
