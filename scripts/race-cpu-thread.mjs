// The page's engine worker in scripts/bench-dawn.mjs: the CPU engine (pkg/engine_cpu) in a thread of
// its own, loaded before the visit starts as the page loads it, so that Auto's CPU timing and the CPU
// half of its race run on it while the WebGPU engine runs on the main thread. Messages in:
// {id, type: 'measure' | 'run', spec}; out: {ready}, {epoch: metrics} during a run, {id, value} or
// {id, error}. Stopping a run is ending the thread.
import { parentPort } from 'node:worker_threads';
import { loadEngine } from './dawn.mjs';

const engine = await loadEngine('engine_cpu', 'cpu');
const onProgress = (p) => {
  if (p.kind === 'epoch') parentPort.postMessage({ epoch: p.metrics });
  return true;
};
parentPort.on('message', async ({ id, type, spec }) => {
  try {
    const value = type === 'measure' ? await engine.measureStep(spec) : await engine.run(spec, onProgress);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
parentPort.postMessage({ ready: true });
