// The page's two engines trained under Node on Dawn's WebGPU (npm `webgpu`, the implementation inside
// Chromium): every case of benches/backend-cases.json on the CPU engine (pkg/engine_cpu) and on the
// WebGPU engine (pkg/engine_webgpu), then what the page's *Auto* backend costs on a first visit, run
// as the page runs it: www/src/backend-choice.js times the CPU, and when the run is long enough
// www/src/backend-race.js races the CPU engine (in its own thread, as the page's worker, timed there) against the
// WebGPU engine, which takes the CPU's run over once it trains faster, and a WebGPU winner's model is handed to another engine; against the faster
// backend's run straight away. One JSON line per case; the same cases run natively with
// `cargo run --release --features webgpu --example bench_backends -- cpu webgpu`.
// Usage: node scripts/bench-dawn.mjs [dawn options, e.g. backend=null] [case name filter]
// (HANDOVER=0: the race without WebGPU taking the CPU's run over, for comparison).
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { BackendChoice } from '../www/src/backend-choice.js';
import { Race } from '../www/src/backend-race.js';
import { useDawn, loadEngine } from './dawn.mjs';

const [dawnOptions = '', only = ''] = process.argv.slice(2);
useDawn(dawnOptions ? dawnOptions.split(',') : []);
const engines = { cpu: await loadEngine('engine_cpu', 'cpu'), webgpu: await loadEngine('engine_webgpu', 'webgpu') };

const round = (x) => Number(x.toFixed(2));
const { cases } = JSON.parse(await readFile(new URL('../benches/backend-cases.json', import.meta.url)));
const defaults = engines.cpu.defaultSpec();

// One whole run: wall milliseconds, and warm ms per epoch and step (training steps of the epochs after the first).
async function train(backend, spec) {
  const started = performance.now();
  const point = await engines[backend].run(spec, () => true);
  const wallMs = performance.now() - started;
  const warm = point.history.slice(1).map((h) => h.seconds * 1000);
  const epochMs = warm.reduce((a, b) => a + b, 0) / warm.length;
  const perEpoch = engines.cpu.runCost(spec).steps_per_epoch;
  return { wallMs, epochMs, stepMs: epochMs / perEpoch, firstMs: point.history[0].seconds * 1000 };
}

for (const { name, spec: partial } of cases.filter((c) => c.name.includes(only))) {
  const spec = { ...defaults, ...partial, train: { ...defaults.train, ...partial.train }, compress: [] };
  const { steps } = engines.cpu.runCost(spec);
  // Auto as the page runs it on a first visit (nothing stored): the CPU timed in the page's engine,
  // then the run on its choice, or the race.
  const page = await pageEngine();
  const started = performance.now();
  const choice = await new BackendChoice(
    { useBackend: async () => {}, measureStep: (s) => page.request('measure', s) },
    dawnOptions,
    null,
  ).choose(spec, steps, () => {});
  const timingMs = performance.now() - started;
  const raced = choice.chosen === 'race' ? await race(spec, page) : null;
  const autoMs = raced ? performance.now() - started : null;
  await page.thread.terminate();
  // Then each backend's run: the race compiled WebGPU's shaders, as it does for the page.
  const runs = { cpu: await train('cpu', spec), webgpu: await train('webgpu', spec) };
  const best = runs.cpu.wallMs <= runs.webgpu.wallMs ? 'cpu' : 'webgpu';
  const auto = raced ? autoMs : timingMs + runs[choice.chosen].wallMs;
  const figures = (run) => ({
    warm_ms_per_epoch: round(run.epochMs),
    warm_ms_per_step: round(run.stepMs),
    first_epoch_ms: round(run.firstMs),
    run_ms: round(run.wallMs),
  });
  console.log(
    JSON.stringify({
      where: 'wasm under Node + Dawn',
      dawn: dawnOptions || 'default adapter',
      case: name,
      epochs: spec.train.epochs,
      cpu: figures(runs.cpu),
      webgpu: figures(runs.webgpu),
      auto: {
        cpu_step_ms: round(choice.cpu),
        timing_ms: round(timingMs),
        chosen: choice.chosen,
        race: raced && {
          winner: raced.winner,
          race_ms: round(raced.wall_ms),
          adopt_ms: raced.adoptMs === null ? null : round(raced.adoptMs),
          figures: raced.figures,
        },
        best,
        run_ms: round(auto),
        slower_than_best_pct: round((auto / runs[best].wallMs - 1) * 100),
      },
    }),
  );
}

// The page's engine worker: the CPU engine in a thread of its own (race-cpu-thread.mjs), loaded.
async function pageEngine() {
  const thread = new Worker(new URL('./race-cpu-thread.mjs', import.meta.url));
  const pending = new Map();
  let nextId = 0;
  let onEpoch = () => {};
  await new Promise((resolve) => {
    thread.on('message', (m) => {
      if (m.ready) resolve();
      else if (m.epoch) onEpoch(m.epoch);
      else {
        const { resolve: ok, reject } = pending.get(m.id);
        pending.delete(m.id);
        if ('error' in m) reject(Object.assign(new Error(m.error), { kind: m.kind }));
        else ok(m.value);
      }
    });
  });
  thread.on('exit', () => {
    for (const { reject } of pending.values()) reject(Object.assign(new Error('stopped'), { kind: 'cancelled' }));
  });
  const request = (type, spec) =>
    new Promise((resolve, reject) => {
      pending.set(++nextId, { resolve, reject });
      thread.postMessage({ id: nextId, type, spec });
    });
  return {
    thread,
    request,
    set onEpoch(fn) {
      onEpoch = fn;
    },
  };
}

// Auto's race: the CPU in the page's engine (its thread), WebGPU here, which may take the CPU's run
// over; a WebGPU winner's model is exported and adopted by another engine (in the page, the page's
// engine adopts it).
async function race(spec, page) {
  let stopped = false;
  const onProgress = (p) => {
    if (p.kind === 'epoch') contest.epoch('webgpu', p.metrics);
    return !stopped;
  };
  let ownRun;
  const cpu = { run: () => page.request('run', spec), stop: () => page.thread.terminate(), handOver: () => page.request('handover') };
  const webgpu = {
    run: () => (ownRun = engines.webgpu.run(spec, onProgress)),
    resume: async (state) => {
      stopped = true;
      await ownRun.catch(() => {});
      stopped = false;
      return engines.webgpu.resume(spec, state, onProgress);
    },
    stop: () => {
      stopped = true;
    },
  };
  if (process.env.HANDOVER === '0') delete cpu.handOver; // the race as before the hand-over, to compare
  const contest = new Race({ cpu, webgpu }, { stepsPerEpoch: engines.cpu.runCost(spec).steps_per_epoch, epochs: spec.train.epochs });
  page.onEpoch = (metrics) => contest.epoch('cpu', metrics);
  const outcome = await contest.run();
  await contest.settled;
  let adoptMs = null;
  if (outcome.winner === 'webgpu') {
    const started = performance.now();
    await engines.cpu.adoptModel(engines.webgpu.exportModel(spec), outcome.point);
    adoptMs = performance.now() - started;
  }
  return { ...outcome, adoptMs };
}

process.exit(0); // Dawn keeps the event loop alive
