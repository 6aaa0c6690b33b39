// The page's two engines trained under Node on Dawn's WebGPU (npm `webgpu`, the implementation inside
// Chromium): every case of benches/backend-cases.json on the CPU engine (pkg/engine_cpu) and on the
// WebGPU engine (pkg/engine_webgpu), then what the page's *Auto* backend (www/src/backend-choice.js,
// run here as the page runs it on a first visit) costs: its timing plus the run on its choice,
// against the faster backend's run straight away. One JSON line per case; the same cases run natively
// with `cargo run --release --features webgpu --example bench_backends -- cpu webgpu`.
// Usage: node scripts/bench-dawn.mjs [dawn options, e.g. backend=null] [case name filter]
import { readFile } from 'node:fs/promises';
import { BackendChoice } from '../www/src/backend-choice.js';
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
  // Auto as the page runs it on a first visit (nothing stored): its timing, then the run on its choice.
  let current = 'cpu';
  const both = { useBackend: async (backend) => { current = backend; }, measureStep: (s) => engines[current].measureStep(s) };
  const started = performance.now();
  const choice = await new BackendChoice(both, dawnOptions, null).choose(spec, steps, () => {});
  const timingMs = performance.now() - started;
  // Then each backend's run: the probes compiled WebGPU's shaders, as they do for the page.
  const runs = { cpu: await train('cpu', spec), webgpu: await train('webgpu', spec) };
  const best = runs.cpu.wallMs <= runs.webgpu.wallMs ? 'cpu' : 'webgpu';
  const autoMs = timingMs + runs[choice.chosen].wallMs;
  const figures = (run) => ({ warm_ms_per_epoch: round(run.epochMs), warm_ms_per_step: round(run.stepMs), first_epoch_ms: round(run.firstMs), run_ms: round(run.wallMs) });
  console.log(JSON.stringify({
    where: 'wasm under Node + Dawn', dawn: dawnOptions || 'default adapter', case: name, epochs: spec.train.epochs,
    cpu: figures(runs.cpu), webgpu: figures(runs.webgpu),
    auto: {
      step_ms: { cpu: round(choice.cpu), webgpu: choice.webgpu === null ? null : round(choice.webgpu) },
      timing_ms: round(timingMs), chosen: choice.chosen, best, run_ms: round(autoMs),
      slower_than_best_pct: round((autoMs / runs[best].wallMs - 1) * 100),
    },
  }));
}
process.exit(0); // Dawn keeps the event loop alive
