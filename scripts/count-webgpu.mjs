// What the WebGPU engine (pkg/engine_webgpu) asks of WebGPU while it trains, on Dawn's null adapter
// under Node (npm `webgpu`, found through NODE_PATH; see scripts/count-webgpu): the WebGPU methods are
// wrapped to count their calls (and the WGSL a shader module is given), for the first epoch, which
// compiles the model's kernels, and per step of the epochs after it. Prints one JSON object.
// Usage: node scripts/count-webgpu.mjs ['{"train":{"batch_size":32}}']
import { useDawn, loadEngine } from './dawn.mjs';

useDawn(['backend=null']);

const counts = {};
let wgslChars = 0;
function count(prototype, method, measure = () => {}) {
  const original = prototype[method];
  prototype[method] = function (...args) {
    counts[method] = (counts[method] ?? 0) + 1;
    measure(...args);
    return original.apply(this, args);
  };
}
for (const method of ['createComputePipeline', 'createBuffer', 'createBindGroup']) count(GPUDevice.prototype, method);
count(GPUDevice.prototype, 'createShaderModule', ({ code }) => { wgslChars += code.length; });
for (const method of ['submit', 'writeBuffer']) count(GPUQueue.prototype, method);
count(GPUBuffer.prototype, 'mapAsync');

const engine = await loadEngine('engine_webgpu', 'webgpu');

const defaults = engine.defaultSpec();
const fragment = JSON.parse(process.argv[2] || '{}');
const spec = {
  ...defaults, ...fragment, compress: [],
  train: { ...defaults.train, epochs: 3, ...fragment.train },
};
let steps = 0;
let firstEpoch = null;
await engine.run(spec, (progress) => {
  if (progress.kind === 'batch') steps += 1;
  if (progress.kind === 'epoch' && !firstEpoch) firstEpoch = { steps, calls: { ...counts }, wgsl_chars: wgslChars };
  return true;
});
const later = steps - firstEpoch.steps;
const perStep = Object.fromEntries(Object.entries(counts)
  .map(([method, n]) => [method, Number(((n - (firstEpoch.calls[method] ?? 0)) / later).toFixed(2))]));
console.log(JSON.stringify({ model: spec.model, data: spec.data.name, batch_size: spec.train.batch_size, first_epoch: firstEpoch, per_later_step: perStep }, null, 2));
process.exit(0); // Dawn keeps the event loop alive
