// The CPU half of Auto's race in scripts/bench-dawn.mjs: the page's engine trains in its own Web
// Worker, so here the CPU engine (pkg/engine_cpu) trains in its own thread while the WebGPU engine
// runs on the main one. Given the spec as workerData; posts {epoch: metrics} after each epoch, then
// {point} or {error}.
import { parentPort, workerData } from 'node:worker_threads';
import { loadEngine } from './dawn.mjs';

const engine = await loadEngine('engine_cpu', 'cpu');
try {
  const point = await engine.run(workerData, (p) => {
    if (p.kind === 'epoch') parentPort.postMessage({ epoch: p.metrics });
    return true;
  });
  parentPort.postMessage({ point });
} catch (error) {
  parentPort.postMessage({ error: String(error?.message ?? error) });
}
