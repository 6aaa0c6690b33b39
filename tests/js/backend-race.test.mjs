// Unit tests of Auto's race (www/src/backend-race.js), run by `node --test`: two scripted runs on a
// fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Race } from '../../www/src/backend-race.js';

// A run that finishes after `epochs` epochs of `epochMs` each (the first `firstMs`), or fails with
// `error` after `failAfter` ms; stop() makes it fail as cancelled. `race.epoch` is told of each epoch.
function runner(clock, name, { epochs = 3, epochMs = 10, firstMs = epochMs, error = null, failAfter = 0 }) {
  const self = { stopped: false };
  self.run = () => new Promise((resolve, reject) => {
    self.cancel = () => reject(Object.assign(new Error('cancelled after 1 of 3 epochs'), { kind: 'cancelled' }));
    if (error) return clock.at(failAfter, () => reject(error));
    let t = 0;
    for (let epoch = 1; epoch <= epochs; epoch += 1) {
      t += epoch === 1 ? firstMs : epochMs;
      clock.at(t, () => {
        if (self.stopped) return;
        self.race.epoch(name, { epoch, seconds: (epoch === 1 ? firstMs : epochMs) / 1000 });
        if (epoch === epochs) resolve({ backend: name });
      });
    }
  });
  self.stop = () => {
    self.stopped = true;
    self.cancel?.();
  };
  return self;
}

// Timers in fake milliseconds, run in order by `advance`.
function fakeClock() {
  const clock = { now: 0, timers: [] };
  clock.at = (t, fn) => clock.timers.push({ t, fn });
  clock.advance = async () => {
    for (const timer of clock.timers.sort((a, b) => a.t - b.t)) {
      clock.now = timer.t;
      timer.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return clock;
}

function race(cpu, webgpu, stepsPerEpoch = 10) {
  const clock = fakeClock();
  const runners = { cpu: runner(clock, 'cpu', cpu), webgpu: runner(clock, 'webgpu', webgpu) };
  const r = new Race(runners, stepsPerEpoch, () => clock.now);
  for (const each of Object.values(runners)) each.race = r;
  const outcome = r.run();
  clock.advance();
  return { outcome, runners, race: r };
}

test('the first run to finish wins and the other is stopped; each backend\'s warm step and WebGPU\'s start are measured', async () => {
  const { outcome, runners } = race({ epochs: 3, epochMs: 30 }, { epochs: 3, epochMs: 10, firstMs: 60 });
  const result = await outcome;
  assert.equal(result.winner, 'webgpu');
  assert.deepEqual(result.point, { backend: 'webgpu' });
  assert.equal(result.wall_ms, 80);
  assert.ok(runners.cpu.stopped);
  assert.ok(!runners.webgpu.stopped);
  assert.deepEqual(result.figures.cpu, { step_ms: 3, epoch_ms: 30, epochs: 2 });
  assert.deepEqual(result.figures.webgpu, { step_ms: 1, epoch_ms: 10, epochs: 3 });
  assert.equal(result.figures.webgpu_start_ms, 50); // its first epoch ended at 60 ms, of which 10 were training
  assert.equal(result.figures.webgpu_started, true);
});

test('a WebGPU run that has not finished an epoch when the CPU wins: the race\'s length bounds its start', async () => {
  const result = await race({ epochs: 2, epochMs: 10 }, { epochs: 3, epochMs: 1, firstMs: 500 }).outcome;
  assert.equal(result.winner, 'cpu');
  assert.equal(result.figures.webgpu.step_ms, null);
  assert.equal(result.figures.webgpu_start_ms, 20);
  assert.equal(result.figures.webgpu_started, false);
});

test('a WebGPU run that fails leaves the CPU\'s; a missing engine says nothing of the model, a failure on it counts as slowest', async () => {
  const missing = Object.assign(new Error('the WebGPU engine did not load: offline'), { kind: 'engine_unavailable' });
  const unavailable = await race({ epochs: 3 }, { error: missing, failAfter: 5 }).outcome;
  assert.equal(unavailable.winner, 'cpu');
  assert.equal(unavailable.figures.unavailable, missing.message);
  assert.equal(unavailable.figures.webgpu.step_ms, null);
  const lost = await race({ epochs: 3 }, { error: Object.assign(new Error('device lost'), { kind: 'backend' }), failAfter: 5 }).outcome;
  assert.equal(lost.figures.webgpu.step_ms, Infinity);
  assert.equal(lost.figures.unavailable, null);
});

test('when both fail the CPU\'s error is the race\'s; Cancel stops both', async () => {
  const bad = Object.assign(new Error('invalid spec: model.hidden'), { kind: 'invalid_spec' });
  await assert.rejects(race({ error: bad, failAfter: 1 }, { error: new Error('also'), failAfter: 2 }).outcome, /model\.hidden/);
  const { outcome, runners, race: r } = race({ epochs: 3 }, { epochs: 3 });
  r.stop();
  await assert.rejects(outcome, (error) => error.kind === 'cancelled');
  assert.ok(runners.cpu.stopped && runners.webgpu.stopped);
});
