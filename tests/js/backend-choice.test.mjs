// Unit tests of the page's automatic backend choice (www/src/backend-choice.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendChoice, describeChoice, WORTH } from '../../www/src/backend-choice.js';

const memory = () => {
  const map = new Map();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v) };
};
// An engine whose steps cost `ms[backend]`; it records what was timed.
const engine = (ms) => ({
  timed: [],
  current: 'cpu',
  async useBackend(name) { this.current = name; },
  async measureStep() {
    this.timed.push(this.current);
    if (ms[this.current] instanceof Error) throw ms[this.current];
    return ms[this.current];
  },
});
const spec = (hidden = [64]) => ({ data: { name: 'digits' }, model: { kind: 'mlp', hidden }, train: { batch_size: 64, optimizer: 'adam' }, compress: [] });

test('a run too short to pay for timing WebGPU stays on the CPU without timing it, and says why', async () => {
  const e = engine({ cpu: 1, webgpu: 0.1 });
  const choice = await new BackendChoice(e, 'gpu', memory()).choose(spec(), 690, () => {});
  assert.deepEqual(e.timed, ['cpu']);
  assert.equal(choice.chosen, 'cpu');
  assert.equal(choice.webgpu, null);
  assert.match(describeChoice(choice, 64), /^Auto: 1\.00 ms per training step on the CPU \(this model, batch 64\), about 0\.7 s for the whole run: too short to pay for timing WebGPU \(about 1\.0 s on this adapter\), so the CPU trains\.$/);
});

test('a long run times both and trains on the faster; the figures are kept per adapter across visits', async () => {
  const storage = memory();
  const e = engine({ cpu: 20, webgpu: 5 });
  const steps = (WORTH * 1000) / 20; // the CPU run is exactly WORTH times the first guess of WebGPU's timing
  const choice = await new BackendChoice(e, 'gpu', storage).choose(spec(), steps, () => {});
  assert.deepEqual(e.timed, ['cpu', 'webgpu']);
  assert.equal(choice.chosen, 'webgpu');
  assert.match(describeChoice(choice, 64), /20\.0 ms per training step on the CPU, 5\.00 ms on WebGPU .*: WebGPU trains\.$/);
  // A later visit on the same adapter: no timing at all.
  const again = engine({ cpu: 20, webgpu: 5 });
  assert.equal((await new BackendChoice(again, 'gpu', storage).choose(spec(), steps, () => {})).chosen, 'webgpu');
  assert.deepEqual(again.timed, []);
  // Another adapter starts afresh.
  const other = engine({ cpu: 20, webgpu: 50 });
  assert.equal((await new BackendChoice(other, 'another gpu', storage).choose(spec(), steps, () => {})).chosen, 'cpu');
  assert.deepEqual(other.timed, ['cpu', 'webgpu']);
});

test('what timing WebGPU cost is learnt: a cheap timing makes shorter runs worth timing', async () => {
  const storage = memory();
  const e = engine({ cpu: 1, webgpu: 0.5 });
  const choice = new BackendChoice(e, 'gpu', storage);
  await choice.choose(spec([512]), 100_000, () => {}); // long: WebGPU is timed (here in well under a second)
  assert.ok(choice.probeMs() < 1000);
  e.timed.length = 0;
  const short = await choice.choose(spec([32]), Math.ceil((WORTH * choice.probeMs()) / 1) + 1, () => {});
  assert.deepEqual(e.timed, ['cpu', 'webgpu']);
  assert.equal(short.chosen, 'webgpu');
});

test('a run that grows long enough is timed on WebGPU without timing the CPU again', async () => {
  const storage = memory();
  const e = engine({ cpu: 1, webgpu: 0.5 });
  await new BackendChoice(e, 'gpu', storage).choose(spec(), 10, () => {});
  assert.deepEqual(e.timed, ['cpu']);
  const choice = await new BackendChoice(e, 'gpu', storage).choose(spec(), 1_000_000, () => {});
  assert.deepEqual(e.timed, ['cpu', 'webgpu']);
  assert.equal(choice.chosen, 'webgpu');
});

test('WebGPU failing leaves the CPU; a bad spec fails as training would', async () => {
  const failing = await new BackendChoice(engine({ cpu: 1, webgpu: new Error('device lost') }), 'gpu', memory()).choose(spec(), 1e7, () => {});
  assert.equal(failing.chosen, 'cpu');
  assert.match(describeChoice(failing, 64), /failed on WebGPU/);
  await assert.rejects(new BackendChoice(engine({ cpu: new Error('model.hidden …') }), 'gpu', memory()).choose(spec(), 10, () => {}), /model\.hidden/);
});

test('a WebGPU engine that did not load decides nothing: the CPU trains and WebGPU is timed next time', async () => {
  const storage = memory();
  const missing = Object.assign(new Error('the WebGPU engine did not load: it is still being built'), { kind: 'engine_unavailable' });
  const first = await new BackendChoice(engine({ cpu: 1, webgpu: missing }), 'gpu', storage).choose(spec(), 1e7, () => {});
  assert.equal(first.chosen, 'cpu');
  assert.equal(first.webgpu, null);
  assert.match(describeChoice(first, 64), /^Auto: 1\.00 ms per training step on the CPU \(this model, batch 64\); WebGPU could not be timed \(the WebGPU engine did not load: it is still being built\), so the CPU trains, and WebGPU is timed next time\.$/);
  const loaded = engine({ cpu: 1, webgpu: 0.5 });
  const next = await new BackendChoice(loaded, 'gpu', storage).choose(spec(), 1e7, () => {});
  assert.deepEqual(loaded.timed, ['webgpu']);
  assert.equal(next.chosen, 'webgpu');
});

test('damaged stored figures are ignored', async () => {
  const storage = memory();
  for (const damaged of ['{not json', '{"gpu": 5}', '{"gpu": {"choices": null, "probe_ms": "x"}}']) {
    storage.setItem('efficiency-playground.auto-backend.v1', damaged);
    const e = engine({ cpu: 1, webgpu: 2 });
    assert.equal((await new BackendChoice(e, 'gpu', storage).choose(spec(), 10, () => {})).chosen, 'cpu');
    assert.deepEqual(e.timed, ['cpu']);
  }
});
