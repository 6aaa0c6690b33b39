// Dawn (the npm package `webgpu`, found through NODE_PATH: the WebGPU implementation inside Chromium)
// as this Node process's WebGPU, and the page's built engines (pkg/) loaded in it. Used by
// scripts/bench-dawn.mjs and scripts/count-webgpu.mjs.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** Installs Dawn's WebGPU globals; `options` are Dawn's, e.g. ['backend=null'] for the null adapter. */
export function useDawn(options) {
  const { create, globals } = createRequire(import.meta.url)('webgpu');
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(options) } });
  globalThis.Window = class {}; // wgpu looks for a window (or a worker) to find navigator.gpu
}

/** The engine pkg/engine_NAME, started and switched to `backend`. */
export async function loadEngine(name, backend) {
  const engine = await import(new URL(`../pkg/${name}.js`, import.meta.url));
  await engine.default({ module_or_path: await readFile(new URL(`../pkg/${name}_bg.wasm`, import.meta.url)) });
  await engine.useBackend(backend);
  return engine;
}
