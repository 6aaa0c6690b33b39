// The page's engine trained under Node, on Dawn's WebGPU (npm `webgpu`; pkg/engine_webgpu) or on the
// CPU backend (pkg/engine_cpu):
// digits MLP 64 at batch 32 and 256 (the page's default model), warm ms per step and per epoch.
// Usage: node scripts/bench-dawn.mjs <webgpu|cpu> [dawn options, e.g. backend=null]
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [backend = 'webgpu', dawnOptions = ''] = process.argv.slice(2);
const { create, globals } = createRequire(import.meta.url)('webgpu'); // found through NODE_PATH
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(dawnOptions ? dawnOptions.split(',') : []) } });
globalThis.Window = class {}; // wgpu looks for a window (or a worker) to find navigator.gpu

const name = backend === 'cpu' ? 'engine_cpu' : 'engine_webgpu';
const engine = await import(new URL(`../pkg/${name}.js`, import.meta.url));
await engine.default({ module_or_path: await readFile(new URL(`../pkg/${name}_bg.wasm`, import.meta.url)) });
await engine.useBackend(backend);

const EPOCHS = 4; // the first is warm-up (shader compilation, allocation)
for (const batch of [32, 256]) {
  const defaults = engine.defaultSpec();
  const spec = { ...defaults, train: { ...defaults.train, epochs: EPOCHS, batch_size: batch } };
  let steps = 0;
  const point = await engine.run(spec, (p) => {
    if (p.kind === 'batch') steps++;
    return true;
  });
  const warm = point.history.slice(1).map((h) => h.seconds * 1000);
  const epochMs = warm.reduce((a, b) => a + b, 0) / warm.length;
  const perEpoch = steps / EPOCHS;
  console.log(JSON.stringify({
    backend, dawn: dawnOptions || 'default adapter', model: 'digits MLP 64', batch,
    warm_ms_per_epoch: Number(epochMs.toFixed(1)), warm_ms_per_step: Number((epochMs / perEpoch).toFixed(2)),
    first_epoch_ms: Number((point.history[0].seconds * 1000).toFixed(0)),
  }));
}
process.exit(0); // Dawn keeps the event loop alive
