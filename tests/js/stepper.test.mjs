// Step by step (www/src/stepper.js), run by `node --test`: each stop is the form's spec trained for
// enough epochs and stopped at the step count; a whole epoch needs no stop; the key ignores length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextStop, stepKey, describeStop } from '../../www/src/stepper.js';

const spec = { data: { name: 'moons' }, train: { epochs: 30, batch_size: 64 }, compress: [{ kind: 'quantize', bits: 4 }] };

test('one batch, then to the end of the epoch, then one more epoch', () => {
  const first = nextStop(spec, 0, 4, 'batch');
  assert.deepEqual(first, { spec: { ...spec, train: { epochs: 1, batch_size: 64, stop_after: 1 }, compress: [] }, steps: 1 });
  const epoch = nextStop(first.spec, first.steps, 4, 'epoch');
  assert.deepEqual(epoch.spec.train, { epochs: 1, batch_size: 64 });
  assert.equal(epoch.steps, 4);
  const second = nextStop(epoch.spec, 4, 4, 'epoch');
  assert.deepEqual([second.spec.train.epochs, second.spec.train.stop_after, second.steps], [2, undefined, 8]);
  assert.deepEqual(nextStop(second.spec, 8, 4, 'batch').spec.train, { epochs: 3, batch_size: 64, stop_after: 9 });
});

test('a stepped run is known whatever its length', () => {
  assert.equal(stepKey(nextStop(spec, 5, 4, 'batch').spec), stepKey(spec));
  assert.notEqual(stepKey({ ...spec, seed: 7 }), stepKey(spec));
  assert.equal(describeStop(9, 4), 'epoch 3, batch 1 of 4 (9 steps)');
  assert.equal(describeStop(1, 4), 'epoch 1, batch 1 of 4 (1 step)');
});
