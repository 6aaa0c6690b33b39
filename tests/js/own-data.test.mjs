// The learner's own tables (www/src/own-data.js): a table too small for the recipe's steps gets
// more epochs suggested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestEpochs, MIN_STEPS } from '../../www/src/own-data.js';

test('a table too small for the recipe gets more epochs suggested, enough for MIN_STEPS training steps', () => {
  assert.equal(suggestEpochs(1, 30), MIN_STEPS); // 49 drawn points at batch 64: one step an epoch
  assert.equal(suggestEpochs(7, 30), Math.ceil(MIN_STEPS / 7));
  assert.equal(suggestEpochs(10, 30), null, 'the recipe is enough');
  assert.equal(suggestEpochs(23, 30), null); // the digits' default run
});
