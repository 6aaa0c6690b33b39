// Unit tests of Auto's race (www/src/backend-race.js), run by `node --test`: two scripted runs on a
// fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Race, raceDecision } from '../../www/src/backend-race.js';

// A run of `epochs` epochs of `epochMs` each (the first `firstMs`), or one that fails with `error`
// after `failAfter` ms; stop() makes it fail as cancelled. `race.epoch` is told of each epoch. With
// `handover`, the CPU's run hands over at its next epoch when asked, and WebGPU's resumes: it stops
// its own run and trains the epochs left, from the time it is asked.
function runner(clock, name, { epochs = 3, epochMs = 10, firstMs = epochMs, error = null, failAfter = 0, handover = false }) {
  const self = { stopped: false, done: 0 };
  const train = (from, start, first) =>
    new Promise((resolve, reject) => {
      self.cancel = () => reject(Object.assign(new Error('cancelled after 1 of 3 epochs'), { kind: 'cancelled' }));
      if (error) return clock.at(failAfter, () => reject(error));
      let t = start;
      self.runs = (self.runs ?? 0) + 1;
      const run = self.runs;
      for (let epoch = from; epoch <= epochs; epoch += 1) {
        const ms = epoch === from ? first : epochMs;
        t += ms;
        clock.at(t, () => {
          if (self.stopped || self.runs !== run) return;
          self.done = epoch;
          self.race.epoch(name, { epoch, seconds: ms / 1000 });
          if (self.asked) {
            self.asked({ done: epoch });
            self.stopped = true;
            reject(Object.assign(new Error(`handed over after ${epoch} of ${epochs} epochs`), { kind: 'handed_over' }));
          } else if (epoch === epochs) resolve({ backend: name, from });
        });
      }
    });
  self.run = () => train(1, 0, firstMs);
  self.stop = () => {
    self.stopped = true;
    self.cancel?.();
  };
  if (handover && name === 'cpu') {
    self.handOver = () =>
      new Promise((resolve) => {
        self.asked = resolve;
      });
    self.resume = (state) => {
      self.resumedFrom = state.done;
      self.stopped = false;
      self.asked = null;
      return train(state.done + 1, clock.now, epochMs);
    };
  }
  if (handover && name === 'webgpu') {
    self.resume = (state) => {
      self.resumedFrom = state.done;
      self.cancel();
      return train(state.done + 1, clock.now, epochMs);
    };
  }
  return self;
}

// Timers in fake milliseconds, run in order (the earliest first, also of those set meanwhile).
function fakeClock() {
  const clock = { now: 0, timers: [] };
  clock.at = (t, fn) => clock.timers.push({ t, fn });
  clock.advance = async () => {
    while (clock.timers.length) {
      clock.timers.sort((a, b) => a.t - b.t);
      const timer = clock.timers.shift();
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
  const epochs = Math.max(cpu.epochs ?? 3, webgpu.epochs ?? 3);
  const r = new Race(runners, { stepsPerEpoch, epochs }, () => clock.now);
  for (const each of Object.values(runners)) each.race = r;
  const outcome = r.run();
  clock.advance();
  return { outcome, runners, race: r };
}

test("the first run to finish wins and the other is stopped; each backend's warm step and WebGPU's start are measured", async () => {
  const { outcome, runners } = race({ epochs: 3, epochMs: 30 }, { epochs: 3, epochMs: 10, firstMs: 60 });
  const result = await outcome;
  assert.equal(result.winner, 'webgpu');
  assert.deepEqual(result.point, { backend: 'webgpu', from: 1 });
  assert.equal(result.wall_ms, 80);
  assert.ok(runners.cpu.stopped);
  assert.ok(!runners.webgpu.stopped);
  assert.deepEqual(result.figures.cpu, { step_ms: 3, epoch_ms: 30, epochs: 2 });
  assert.deepEqual(result.figures.webgpu, { step_ms: 1, epoch_ms: 10, epochs: 3 });
  assert.equal(result.figures.webgpu_start_ms, 50); // its first epoch ended at 60 ms, of which 10 were training
  assert.equal(result.figures.webgpu_started, true);
  assert.equal(result.figures.handed_over_after, null);
});

test("a WebGPU run that has not finished an epoch when the CPU wins: the race's length bounds its start", async () => {
  const result = await race({ epochs: 2, epochMs: 10 }, { epochs: 3, epochMs: 1, firstMs: 500 }).outcome;
  assert.equal(result.winner, 'cpu');
  assert.equal(result.figures.webgpu.step_ms, null);
  assert.equal(result.figures.webgpu_start_ms, 20);
  assert.equal(result.figures.webgpu_started, false);
});

test("a WebGPU run that fails leaves the CPU's; a missing engine says nothing of the model, a failure on it counts as slowest", async () => {
  const missing = Object.assign(new Error('the WebGPU engine did not load: offline'), { kind: 'engine_unavailable' });
  const unavailable = await race({ epochs: 3 }, { error: missing, failAfter: 5 }).outcome;
  assert.equal(unavailable.winner, 'cpu');
  assert.equal(unavailable.figures.unavailable, missing.message);
  assert.equal(unavailable.figures.webgpu.step_ms, null);
  const lost = await race({ epochs: 3 }, { error: Object.assign(new Error('device lost'), { kind: 'backend' }), failAfter: 5 }).outcome;
  assert.equal(lost.figures.webgpu.step_ms, Infinity);
  assert.equal(lost.figures.unavailable, null);
});

test("when both fail the CPU's error is the race's; Cancel stops both", async () => {
  const bad = Object.assign(new Error('invalid spec: model.hidden'), { kind: 'invalid_spec' });
  await assert.rejects(race({ error: bad, failAfter: 1 }, { error: new Error('also'), failAfter: 2 }).outcome, /model\.hidden/);
  const { outcome, runners, race: r } = race({ epochs: 3 }, { epochs: 3 });
  r.stop();
  await assert.rejects(outcome, (error) => error.kind === 'cancelled');
  assert.ok(runners.cpu.stopped && runners.webgpu.stopped);
});

test("once WebGPU trains faster and the CPU is ahead, WebGPU takes the CPU's run over after its next epoch", async () => {
  // The CPU: 20 epochs of 30 ms (600 ms). WebGPU: 200 ms to start, then 10 ms an epoch (390 ms on
  // its own). At 210 ms WebGPU has two epochs and the CPU 7: handed over after the CPU's 8th
  // (240 ms), WebGPU trains the 12 left: done at 360 ms.
  const { outcome, runners } = race({ epochs: 20, epochMs: 30, handover: true }, { epochs: 20, epochMs: 10, firstMs: 200, handover: true });
  const result = await outcome;
  assert.equal(result.winner, 'webgpu');
  assert.deepEqual(result.point, { backend: 'webgpu', from: 9 });
  assert.equal(runners.webgpu.resumedFrom, 8);
  assert.equal(result.wall_ms, 360);
  assert.equal(result.figures.handed_over_after, 8);
  assert.equal(result.figures.cpu.epochs, 8);
  assert.equal(result.figures.webgpu.step_ms, 1);
});

test('no hand-over when WebGPU is slower per epoch, or far enough ahead to win by itself', async () => {
  const slower = await race({ epochs: 20, epochMs: 10, handover: true }, { epochs: 20, epochMs: 20, firstMs: 50, handover: true }).outcome;
  assert.equal(slower.winner, 'cpu');
  assert.equal(slower.figures.handed_over_after, null);
  // WebGPU starts at once and passes the CPU before it has two epochs: nothing to take over.
  const ahead = await race({ epochs: 20, epochMs: 30, handover: true }, { epochs: 20, epochMs: 10, firstMs: 5, handover: true }).outcome;
  assert.equal(ahead.winner, 'webgpu');
  assert.deepEqual(ahead.point, { backend: 'webgpu', from: 1 });
  assert.equal(ahead.figures.handed_over_after, null);
});

test('WebGPU stops once it would end after the CPU: it could no longer win, and would slow the CPU down', async () => {
  // The CPU: 20 epochs of 10 ms. WebGPU: 50 ms to start, then 20 ms an epoch. At 70 ms WebGPU has two
  // epochs (18 left: 360 ms) and the CPU 7 (13 left: 130 ms): WebGPU stops, its step measured.
  const { outcome, runners } = race({ epochs: 20, epochMs: 10, handover: true }, { epochs: 20, epochMs: 20, firstMs: 50, handover: true });
  const result = await outcome;
  assert.equal(result.winner, 'cpu');
  assert.equal(result.wall_ms, 200);
  assert.ok(runners.webgpu.stopped);
  assert.equal(runners.webgpu.done, 2);
  assert.equal(result.figures.webgpu_gave_up_after, 2);
  assert.deepEqual(result.figures.webgpu, { step_ms: 2, epoch_ms: 20, epochs: 2 });
  // Slower per epoch but far enough ahead to finish first, it goes on (and wins).
  const ahead = await race({ epochs: 20, epochMs: 10 }, { epochs: 20, epochMs: 10.2, firstMs: 1 }).outcome;
  assert.equal(ahead.winner, 'webgpu');
  assert.equal(ahead.figures.webgpu_gave_up_after, null);
});

test("a hand-over that does not happen (the CPU's run ended first) leaves the race as it was", async () => {
  const { outcome, runners } = race({ epochs: 20, epochMs: 30, handover: true }, { epochs: 20, epochMs: 10, firstMs: 200, handover: true });
  runners.cpu.handOver = () =>
    Promise.reject(Object.assign(new Error('the run ended before it could be handed over'), { kind: 'not_handed_over' }));
  const result = await outcome;
  assert.deepEqual(result.point, { backend: 'webgpu', from: 1 });
  assert.equal(result.wall_ms, 390);
  assert.equal(result.figures.handed_over_after, null);
  assert.equal(runners.webgpu.resumedFrom, undefined);
});

test('should WebGPU fail after taking the run over, the CPU goes on with it', async () => {
  const { outcome, runners } = race({ epochs: 20, epochMs: 30, handover: true }, { epochs: 20, epochMs: 10, firstMs: 200, handover: true });
  runners.webgpu.resume = () => {
    runners.webgpu.stop(); // its own run, as resume does
    return Promise.reject(Object.assign(new Error('backend error: device lost'), { kind: 'backend' }));
  };
  const result = await outcome;
  assert.equal(result.winner, 'cpu');
  assert.deepEqual(result.point, { backend: 'cpu', from: 9 });
  assert.equal(runners.cpu.resumedFrom, 8);
  assert.equal(result.wall_ms, 240 + 12 * 30);
  assert.equal(result.figures.webgpu.step_ms, Infinity);
});

// The policy alone, on given figures: epochs reported at `at` ms into the race.
const reported = (...ats) => ats.map((at, i) => ({ epoch: i + 1, at }));

test('raceDecision: nothing is decided before the CPU has an epoch and WebGPU two', () => {
  const options = { totalEpochs: 60, canHandOver: true };
  assert.equal(raceDecision({ cpu: [], webgpu: reported(5000, 5040) }, options), null);
  assert.equal(raceDecision({ cpu: reported(400), webgpu: reported(5000) }, options), null);
});

test('raceDecision: WebGPU faster per epoch and the CPU ahead: hand over, if the runners can', () => {
  // CPU: 400 ms an epoch, 12 done at 4.8 s. WebGPU: started late (5 s) but 40 ms an epoch.
  const epochs = { cpu: reported(...Array.from({ length: 12 }, (_, i) => 400 * (i + 1))), webgpu: reported(5000, 5040) };
  assert.equal(raceDecision(epochs, { totalEpochs: 60, canHandOver: true }), 'handover');
  // Without hand-over WebGPU still ends first (5.04 + 58·0.04 s against 4.8 + 48·0.4 s): it races on.
  assert.equal(raceDecision(epochs, { totalEpochs: 60, canHandOver: false }), null);
});

test('raceDecision: WebGPU that would end after the CPU gives up; one ahead by itself races on', () => {
  const options = { totalEpochs: 500, canHandOver: true };
  // CPU 54 ms an epoch; WebGPU 12 s to start, then 400 ms an epoch: it ends long after the CPU.
  const cpu = reported(...Array.from({ length: 220 }, (_, i) => 54 * (i + 1)));
  assert.equal(raceDecision({ cpu, webgpu: reported(12000, 12400) }, options), 'give_up');
  // WebGPU far ahead (the CPU held back): it wins by itself, no hand-over, no giving up.
  assert.equal(raceDecision({ cpu: reported(20000), webgpu: reported(1000, 1010, 1020) }, options), null);
});

test("raceDecision: no hand-over with fewer than two of the CPU's epochs left", () => {
  const cpu = reported(...Array.from({ length: 59 }, (_, i) => 400 * (i + 1)));
  assert.equal(raceDecision({ cpu, webgpu: reported(1000, 1040) }, { totalEpochs: 60, canHandOver: true }), null);
});

test('a scripted policy replaces the figures: the race carries out what it decides', async () => {
  const clock = fakeClock();
  const runners = {
    cpu: runner(clock, 'cpu', { epochs: 6, epochMs: 10, handover: true }),
    webgpu: runner(clock, 'webgpu', { epochs: 6, epochMs: 50, firstMs: 5, handover: true }),
  };
  const decide = ({ cpu, webgpu }) => (cpu.length >= 1 && webgpu.length >= 1 ? 'handover' : null);
  const r = new Race(runners, { stepsPerEpoch: 10, epochs: 6, decide }, () => clock.now);
  for (const each of Object.values(runners)) each.race = r;
  const outcome = r.run();
  await clock.advance();
  const { winner, figures } = await outcome;
  assert.equal(winner, 'webgpu');
  assert.equal(figures.handed_over_after, 1); // asked at the CPU's first epoch (these fakes hand over at once)
});
