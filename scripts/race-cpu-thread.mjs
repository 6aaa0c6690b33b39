// The page's engine worker in scripts/bench-dawn.mjs: the CPU engine (pkg/engine_cpu) in a thread of
// its own, loaded before the visit starts as the page loads it, so that Auto's CPU timing and the CPU
// half of its race run on it while the WebGPU engine runs on the main thread. Messages in:
// {id, type: 'measure' | 'run', spec}, {id, type: 'handover'} (the run stops after its epoch; answered
// with its state, as the page's worker does); out: {ready}, {epoch: metrics} during a run,
// {id, value} or {id, error, kind}. Stopping a run is ending the thread.
import { parentPort } from 'node:worker_threads';
import { loadEngine } from './dawn.mjs';

const engine = await loadEngine('engine_cpu', 'cpu');
let handover = null; // the id of a waiting 'handover' request
// After each epoch the thread reads its messages (a 'handover'), as the page's worker does.
const onProgress = (p) => {
  if (p.kind !== 'epoch') return true;
  parentPort.postMessage({ epoch: p.metrics });
  return new Promise((resolve) => setImmediate(() => resolve(handover === null ? true : 'handover')));
};
const answerHandover = (reply) => {
  if (handover !== null) parentPort.postMessage({ id: handover, ...reply });
  handover = null;
};
parentPort.on('message', async ({ id, type, spec }) => {
  if (type === 'handover') {
    handover = id;
    return;
  }
  try {
    const value = type === 'measure' ? await engine.measureStep(spec) : await engine.run(spec, onProgress);
    parentPort.postMessage({ id, value });
  } catch (error) {
    if (error?.kind === 'handed_over') answerHandover({ value: error.state });
    parentPort.postMessage({ id, error: String(error?.message ?? error), kind: error?.kind });
  } finally {
    answerHandover({ error: 'the run ended before it could be handed over', kind: 'not_handed_over' });
  }
});
parentPort.postMessage({ ready: true });
