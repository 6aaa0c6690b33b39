import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
const { create, globals } = createRequire(import.meta.url)('webgpu');
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(['backend=null']) } });
globalThis.Window = class {};
const counts = {};
for (const m of ['createComputePipeline', 'createComputePipelineAsync', 'createShaderModule', 'createBuffer', 'createBindGroup', 'createBindGroupLayout', 'createPipelineLayout']) {
  const orig = GPUDevice.prototype[m];
  GPUDevice.prototype[m] = function (...a) { counts[m] = (counts[m] ?? 0) + 1; if (m==='createShaderModule') { (globalThis.sizes ??= []).push(a[0].code.length); (globalThis.codes ??= []).push(a[0].code);} return orig.apply(this, a); };
}
const name = 'engine_webgpu';
const engine = await import(`${process.env.PKG ?? '/work/main/pkg'}/${name}.js`);
await engine.default({ module_or_path: await readFile(`${process.env.PKG ?? '/work/main/pkg'}/${name}_bg.wasm`) });
await engine.useBackend('webgpu');
const defaults = engine.defaultSpec();
const arg = JSON.parse(process.argv[2] ?? '{}');
const spec = { ...defaults, ...arg, train: { ...defaults.train, epochs: 1, batch_size: 256, ...(arg.train ?? {}) }, compress: [] };
let batches = 0, snap = null;
const t0 = performance.now();
const point = await engine.run(spec, (p) => { if (p.kind === 'batch') batches++; if (p.kind==='epoch' && !snap) snap = { ...counts }; return true; });
console.log(JSON.stringify({ spec: spec.model, ms: performance.now() - t0, batches, counts, shaderChars: (globalThis.sizes??[]).reduce((a,b)=>a+b,0) }));
const fs = await import("node:fs"); fs.mkdirSync("/tmp/s/wgsl",{recursive:true}); (globalThis.codes??[]).forEach((c,i)=>fs.writeFileSync(`/tmp/s/wgsl/${String(i).padStart(3,"0")}.wgsl`, c));
process.exit(0);
