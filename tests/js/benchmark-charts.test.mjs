// The committed benchmark charts are what scripts/plot-benchmarks.mjs draws from their JSON: a
// figure changed without drawing the chart again fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NAMES, render } from '../../scripts/plot-benchmarks.mjs';

test('every chart in docs/benchmarks is drawn from its JSON', async () => {
  assert.deepEqual(NAMES, ['peers', 'downloads']);
  for (const name of NAMES) {
    const committed = readFileSync(new URL(`../../docs/benchmarks/${name}.svg`, import.meta.url), 'utf8');
    assert.equal(committed, await render(name), `docs/benchmarks/${name}.svg: run node scripts/plot-benchmarks.mjs`);
  }
});
