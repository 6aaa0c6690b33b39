// Unit tests of the page's automatic backend choice (www/src/backend-choice.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendChoice, describeChoice, describeRace, WORTH } from '../../www/src/backend-choice.js';

const memory = () => {
  const map = new Map();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v) };
};
// An engine whose CPU steps cost `cpu` ms; it records what was timed.
const engine = (cpu) => ({
  timed: [],
  current: 'cpu',
  async useBackend(name) {
    this.current = name;
  },
  async measureStep() {
    this.timed.push(this.current);
    if (cpu instanceof Error) throw cpu;
    return cpu;
  },
});
const spec = (hidden = [64]) => ({
  data: { name: 'digits' },
  model: { kind: 'mlp', hidden },
  train: { batch_size: 64, optimizer: 'adam', epochs: 30 },
  compress: [],
});
// What a race measured (backend-race.js `figures`).
const raced = ({ cpu = 20, webgpu = 5, startMs = 400, started = true, unavailable = null } = {}) => ({
  cpu: { step_ms: cpu, epoch_ms: cpu === null ? null : cpu * 23, epochs: 30 },
  webgpu: { step_ms: webgpu, epoch_ms: webgpu === null ? null : webgpu * 23, epochs: 12 },
  webgpu_start_ms: startMs,
  webgpu_started: started,
  unavailable,
});

test('a run too short for WebGPU to catch up stays on the CPU without racing, and says why', async () => {
  const e = engine(1);
  const choice = await new BackendChoice(e, 'gpu', memory()).choose(spec(), 690, () => {});
  assert.deepEqual(e.timed, ['cpu']);
  assert.equal(choice.chosen, 'cpu');
  assert.equal(choice.webgpu, null);
  assert.match(
    describeChoice(choice, 64),
    /^Auto: 1\.00 ms per training step on the CPU \(this model, batch 64\), about 0\.7 s for the whole run: too short for WebGPU to catch up \(it needs about 1\.0 s to start on this adapter\), so the CPU trains\.$/,
  );
});

test('a long run races; what the race measured decides the next runs, per adapter and across visits', async () => {
  const storage = memory();
  const steps = (WORTH * 1000) / 20; // the CPU run is exactly WORTH times the first guess of WebGPU's start
  const choice = new BackendChoice(engine(20), 'gpu', storage);
  assert.equal((await choice.choose(spec(), steps, () => {})).chosen, 'race');
  assert.equal((await choice.choose(spec(), steps - 1, () => {})).chosen, 'cpu');
  choice.record(spec(), raced({ cpu: 18, webgpu: 5 }));
  // A later visit on the same adapter: no timing, no race.
  const again = engine(20);
  const next = await new BackendChoice(again, 'gpu', storage).choose(spec(), steps, () => {});
  assert.deepEqual(again.timed, []);
  assert.equal(next.chosen, 'webgpu');
  assert.match(
    describeChoice(next, 64),
    /^Auto: 18\.0 ms per training step on the CPU, 5\.00 ms on WebGPU \(this model, batch 64\): WebGPU trains\.$/,
  );
  // Another adapter starts afresh.
  const other = engine(20);
  assert.equal((await new BackendChoice(other, 'another gpu', storage).choose(spec(), steps, () => {})).chosen, 'race');
  assert.deepEqual(other.timed, ['cpu']);
});

test('what WebGPU needs to start is learnt from the race: a quick start makes shorter runs race, a slow one longer', async () => {
  const choice = new BackendChoice(engine(1), 'gpu', memory());
  choice.record(spec([512]), raced({ startMs: 100 }));
  assert.equal(choice.probeMs(), 100);
  assert.equal((await choice.choose(spec([32]), WORTH * 100, () => {})).chosen, 'race');
  // WebGPU had not finished an epoch when the CPU won a 30 s race: it needs at least that long.
  choice.record(spec([32]), raced({ cpu: 1, webgpu: null, startMs: 30_000, started: false }));
  assert.equal(choice.probeMs(), 30_000);
  assert.equal((await choice.choose(spec([32]), WORTH * 30_000 - 1, () => {})).chosen, 'cpu');
  assert.equal((await choice.choose(spec([32]), WORTH * 30_000, () => {})).chosen, 'race');
});

test("a software adapter never races: it emulates the GPU on the CPU's own cores", async () => {
  const choice = await new BackendChoice(engine(20), 'swiftshader', memory(), { software: true }).choose(spec(), 1e7, () => {});
  assert.equal(choice.chosen, 'cpu');
  assert.equal(choice.why_not, 'software');
  assert.match(
    describeChoice(choice, 64),
    /^Auto: 20\.0 ms per training step on the CPU \(this model, batch 64\); this WebGPU adapter is a software one, emulated on the same cores: it cannot beat the CPU, so the CPU trains without a race \(choose \*Race\* to see one\)\.$/,
  );
});

test('a distilled run does not race; a bad spec fails as training would', async () => {
  const choice = await new BackendChoice(engine(1), 'gpu', memory()).choose({ ...spec(), distill: { teacher: {} } }, 1e7, () => {});
  assert.equal(choice.chosen, 'cpu');
  assert.match(describeChoice(choice, 64), /WebGPU races only runs without distillation/);
  await assert.rejects(
    new BackendChoice(engine(new Error('model.hidden …')), 'gpu', memory()).choose(spec(), 10, () => {}),
    /model\.hidden/,
  );
});

test('a WebGPU engine that did not load decides nothing: WebGPU races again next time', async () => {
  const storage = memory();
  const missing = 'the WebGPU engine did not load: it is still being built';
  const choice = new BackendChoice(engine(1), 'gpu', storage);
  await choice.choose(spec(), 1e7, () => {});
  choice.record(spec(), raced({ webgpu: null, startMs: 50, started: false, unavailable: missing }));
  assert.equal(choice.probeMs(), 1000);
  assert.equal((await new BackendChoice(engine(1), 'gpu', storage).choose(spec(), 1e7, () => {})).chosen, 'race');
  assert.equal(
    describeRace({ winner: 'cpu', wall_ms: 900, figures: raced({ unavailable: missing }) }, 64, 30),
    `Auto: WebGPU could not race (${missing}), so the CPU trained, and WebGPU races next time.`,
  );
});

test('a race is described by who won, how far the other got and what each step cost', () => {
  assert.equal(
    describeRace({ winner: 'webgpu', wall_ms: 5900, figures: raced({ cpu: 20, webgpu: 5 }) }, 64, 30),
    'Auto: raced the CPU against WebGPU (in a second worker) on this model: WebGPU finished first, in 5.9 s, when the CPU had done 30 of 30 epochs, ' +
      "so its model is kept; this page's engine took its model over, so compressing it runs on WebGPU too. Per training step (batch 64): 20.0 ms on the CPU, 5.00 ms on WebGPU.",
  );
  assert.match(
    describeRace({ winner: 'cpu', wall_ms: 3200, figures: raced({ cpu: 2.1, webgpu: null, started: false }) }, 64, 30),
    /the CPU finished first, in 3\.2 s, when WebGPU had done 12 of 30 epochs, so its model is kept\. Per training step \(batch 64\): 2\.10 ms on the CPU, not measured on WebGPU \(no epoch after its first\)\.$/,
  );
  assert.match(
    describeRace({ winner: 'cpu', wall_ms: 3200, figures: raced({ cpu: 2.1, webgpu: Infinity }) }, 64, 30),
    /when WebGPU failed on this model/,
  );
  assert.match(
    describeRace({ winner: 'cpu', wall_ms: 3200, figures: { ...raced({ cpu: 2.1, webgpu: 2.5 }), webgpu_gave_up_after: 3 } }, 64, 30),
    /the CPU finished first, in 3\.2 s, when WebGPU had stopped after 3 of 30 epochs, as it could no longer catch up, so its model is kept\. Per training step \(batch 64\): 2\.10 ms on the CPU, 2\.50 ms on WebGPU\.$/,
  );
  // A CPU that had not finished two epochs: its timing before the race stands in.
  assert.match(
    describeRace({ winner: 'webgpu', wall_ms: 900, figures: raced({ cpu: null, webgpu: 0.5 }) }, 64, 30, 3),
    /Per training step \(batch 64\): 3\.00 ms on the CPU, 0\.50 ms on WebGPU\.$/,
  );
  // The user's own race (the Race backend) says so.
  assert.match(
    describeRace({ winner: 'cpu', wall_ms: 900, figures: raced() }, 64, 30, null, 'Race'),
    /^Race: raced the CPU against WebGPU/,
  );
});

test('damaged stored figures are ignored', async () => {
  const storage = memory();
  for (const damaged of [
    '{not json',
    '{"gpu": 5}',
    '{"gpu": {"choices": null, "probe_ms": "x"}}',
    '{"gpu": {"choices": {"x": 1}, "probe_ms": null}}',
  ]) {
    storage.setItem('efficiency-playground.auto-backend.v1', damaged);
    const e = engine(1);
    assert.equal((await new BackendChoice(e, 'gpu', storage).choose(spec(), 10, () => {})).chosen, 'cpu');
    assert.deepEqual(e.timed, ['cpu']);
  }
});

test('two tabs that time different models both keep their figures', async () => {
  const storage = memory();
  const tabA = new BackendChoice(engine(2), 'gpu', storage);
  const tabB = new BackendChoice(engine(3), 'gpu', storage); // opened before A timed anything
  await tabA.choose(spec(), 690, () => {});
  await tabB.choose({ ...spec(), model: { kind: 'mlp', hidden: [8], activation: 'relu' } }, 690, () => {});
  const saved = JSON.parse(storage.getItem('efficiency-playground.auto-backend.v1'));
  assert.equal(Object.keys(saved.gpu.choices).length, 2);
});
