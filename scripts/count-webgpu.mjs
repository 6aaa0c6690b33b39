// What the WebGPU engine (pkg/engine_webgpu) asks of WebGPU while it trains, on Dawn's null adapter
// under Node (npm `webgpu`, found through NODE_PATH; see scripts/count-webgpu): the WebGPU methods are
// wrapped to count their calls (and the WGSL a shader module is given) and to time them, for the first
// epoch, which compiles the model's kernels, and per step of the epochs after it: the step's wall time
// (its share of each epoch's evaluation included), the time spent inside WebGPU calls, and the time
// spent waiting for read-backs (`mapAsync`: on a real GPU, the GPU's work and its latency). Prints one
// JSON object.
// Usage: [DAWN=dawn options] node scripts/count-webgpu.mjs ['{"train":{"batch_size":32}}']
// (DAWN defaults to `backend=null`; DAWN= is the machine's own adapter.)
import { useDawn, loadEngine } from './dawn.mjs';

const dawnOptions = process.env.DAWN ?? 'backend=null';
useDawn(dawnOptions ? dawnOptions.split(',') : []);

const counts = {};
const ms = { in_webgpu_calls: 0, waiting_for_map: 0 };
let wgslChars = 0;
function count(prototype, method, measure = () => {}) {
  const original = prototype[method];
  prototype[method] = function (...args) {
    counts[method] = (counts[method] ?? 0) + 1;
    measure(...args);
    const started = performance.now();
    const result = original.apply(this, args);
    ms.in_webgpu_calls += performance.now() - started;
    const waited = () => {
      ms.waiting_for_map += performance.now() - started;
    };
    if (method === 'mapAsync') result.then(waited, waited); // the engine sees a failed read-back itself
    return result;
  };
}
for (const method of ['createComputePipeline', 'createBuffer', 'createBindGroup', 'createCommandEncoder'])
  count(GPUDevice.prototype, method);
count(GPUDevice.prototype, 'createShaderModule', ({ code }) => {
  wgslChars += code.length;
});
for (const method of ['submit', 'writeBuffer']) count(GPUQueue.prototype, method);
count(GPUBuffer.prototype, 'mapAsync');

const engine = await loadEngine('engine_webgpu', 'webgpu');

const defaults = engine.defaultSpec();
const fragment = JSON.parse(process.argv[2] || '{}');
const spec = {
  ...defaults,
  ...fragment,
  compress: [],
  train: { ...defaults.train, epochs: 3, ...fragment.train },
};
let steps = 0;
let firstEpoch = null;
let firstMs = null;
const started = performance.now();
await engine.run(spec, (progress) => {
  if (progress.kind === 'batch') steps += 1;
  if (progress.kind === 'epoch' && !firstEpoch) {
    firstEpoch = { steps, calls: { ...counts }, wgsl_chars: wgslChars, ms: Math.round(performance.now() - started) };
    firstMs = { ...ms, wall: performance.now() };
  }
  return true;
});
const later = steps - firstEpoch.steps;
const perStep = (now, then) =>
  Object.fromEntries(Object.entries(now).map(([key, n]) => [key, Number(((n - (then[key] ?? 0)) / later).toFixed(2))]));
console.log(
  JSON.stringify(
    {
      adapter: dawnOptions || 'default',
      model: spec.model,
      data: spec.data.name,
      batch_size: spec.train.batch_size,
      first_epoch: firstEpoch,
      per_later_step: perStep(counts, firstEpoch.calls),
      ms_per_later_step: perStep({ ...ms, wall: performance.now() }, firstMs),
    },
    null,
    2,
  ),
);
process.exit(0); // Dawn keeps the event loop alive
