// The Web Worker that owns the wasm engines, so training never blocks the page.
// The protocol is www/src/protocol.js: each request is answered by the handler of its name.
//
// Two builds of one engine API: the CPU engine (small, loaded at once, so the page trains within a
// second of opening) and the WebGPU engine (CPU and WebGPU, several MB more), loaded the first time
// WebGPU is asked for. From then on new work goes to the WebGPU engine, which trains on both
// backends; the CPU engine keeps answering for the models it trained.
import initCpuEngine, * as cpuEngine from '../../pkg/engine_cpu.js';
import { REQUESTS } from './protocol.js';

const YIELD_EVERY_MS = 50; // longest stretch of engine work before the worker reads its messages (cancel latency)
const PROGRESS_EVERY_MS = 50; // batch progress is throttled; an epoch's last batch and its end always go out

let cancelled = false;
let training = false; // a 'run' is in progress (it may be handed over)
let handover = null; // the id of a 'handover' request waiting for the run's next epoch
let lastYield = 0;
let lastBatchPost = 0;

self.onEnginePanic = (message) => self.postMessage({ type: 'panic', message });

// A macrotask yield that is not clamped like nested setTimeout calls.
function yieldToEventLoop() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

async function onProgress(progress) {
  const now = performance.now();
  const last = progress.kind === 'epoch' || progress.batch === progress.batches;
  if (last || now - lastBatchPost >= PROGRESS_EVERY_MS) {
    self.postMessage({ type: 'progress', progress });
    if (progress.kind === 'batch') lastBatchPost = now;
  }
  if (now - lastYield >= YIELD_EVERY_MS) {
    await yieldToEventLoop();
    lastYield = performance.now();
  }
  if (cancelled) return false;
  return handover !== null && progress.kind === 'epoch' ? 'handover' : true;
}

// Answers the waiting 'handover' request: with the run's state, or why there is none.
function answerHandover(state) {
  if (handover === null) return;
  if (state) self.postMessage({ id: handover, type: 'result', value: state }, [state.buffer]);
  else self.postMessage({ id: handover, type: 'error', kind: 'not_handed_over', message: 'the run ended before it could be handed over' });
  handover = null;
}

// A run that another engine may take over after any epoch (Auto's race: the CPU's run, to WebGPU).
async function run(spec) {
  training = true;
  try {
    return await cancellable(() => active.run(spec, onProgress));
  } catch (error) {
    if (error?.kind === 'handed_over') answerHandover(error.state);
    throw error;
  } finally {
    training = false;
    answerHandover(null);
  }
}

// The WebGPU adapter's name and whether it is a software one (SwiftShader, llvmpipe, WARP...:
// a GPU emulated on the CPU, far slower than the CPU backend), or null when there is none.
async function detectWebGpu() {
  if (!('gpu' in navigator)) return null;
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info || {};
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
    const software =
      Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) ||
      /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i.test(name);
    return { name, software };
  } catch {
    return null;
  }
}

// Starts long engine work that reports progress and may be cancelled.
function cancellable(work) {
  cancelled = false;
  lastYield = performance.now();
  return work();
}

let webgpuEngine = null; // a Promise of the WebGPU engine, once asked for
let active = cpuEngine; // where new work goes
const backendOf = new Map([[cpuEngine, 'cpu']]);

function loadWebGpuEngine() {
  webgpuEngine ??= import('../../pkg/engine_webgpu.js')
    .then(async (module) => {
      await module.default();
      return module;
    })
    .catch((error) => {
      webgpuEngine = null; // a failed download may be retried
      throw Object.assign(new Error(`the WebGPU engine did not load: ${error?.message ?? error}`), { kind: 'engine_unavailable' });
    });
  return webgpuEngine;
}

async function useBackend(name) {
  const engine = name === 'webgpu' ? await loadWebGpuEngine() : active;
  const now = await engine.useBackend(name);
  backendOf.set(engine, now);
  active = engine;
  return now;
}

// The engine that produced the model of the point with `spec` (export, inspect, latency).
async function producer(spec) {
  const engines = [active, cpuEngine, await webgpuEngine?.catch(() => null)].filter(Boolean);
  const engine = engines.find((e) => e.holdsVariant(spec));
  if (!engine)
    throw Object.assign(new Error('this model is no longer held by the engine: move a compression control or train it again'), {
      kind: 'no_model',
    });
  return engine;
}

// Data sets an engine loads on demand (MNIST, 1.6 MB, only when chosen): when a call fails with
// `data_missing`, the file is fetched (once), handed to the loaded engines and the call repeated.
const DATA_FILES = { mnist: new URL('../../data/mnist-10k.bin.gz', import.meta.url) };
const dataFiles = new Map(); // name → Promise of its bytes

function fetchData(name) {
  if (!(name in DATA_FILES)) throw new Error(`the engine asked for an unknown data set "${name}"`);
  if (!dataFiles.has(name)) {
    self.postMessage({ type: 'progress', progress: { kind: 'data', name } });
    const bytes = fetch(DATA_FILES[name]).then(async (response) => {
      if (!response.ok) throw new Error(`the ${name} data did not load: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    dataFiles.set(
      name,
      bytes.catch((error) => {
        dataFiles.delete(name); // a failed download may be retried
        throw error;
      }),
    );
  }
  return dataFiles.get(name);
}

async function withData(handler, request) {
  try {
    return await handler(request);
  } catch (error) {
    if (error?.kind !== 'data_missing') throw error;
    const engines = [cpuEngine, await webgpuEngine?.catch(() => null)].filter(Boolean);
    if (error.detail.startsWith('custom:')) {
      const table = tables.get(error.detail.slice('custom:'.length));
      if (!table)
        throw Object.assign(
          new Error(
            "this uses a data set of its author's own, which this browser has not opened: open the same CSV file (or draw the points) under Your own data, then try again",
          ),
          { kind: 'data_missing', detail: error.detail },
        );
      for (const engine of engines) provideTable(engine, table);
    } else {
      const bytes = await fetchData(error.detail);
      for (const engine of engines) engine.provideData(error.detail, bytes);
    }
    return handler(request);
  }
}

// The learner's own tables, by id: handed to an engine when it first needs one.
const tables = new Map();
const provideTable = (engine, { name, features, labels, nFeatures }) => engine.provideTable(name, features, labels, nFeatures);
function keepTable({ table }) {
  const ref = provideTable(cpuEngine, table);
  tables.set(ref.id, table);
  return ref;
}

// The engine that trained the model of `spec` (compression aside); the active one if neither did.
const holder = (spec) => [active, cpuEngine].find((engine) => engine.holdsModel(spec)) ?? active;

const handlers = {
  useBackend: ({ name }) => useBackend(name),
  run: ({ spec }) => run(spec),
  resume: ({ spec, state }) => cancellable(() => active.resume(spec, state, onProgress)),
  compress: ({ spec }) => cancellable(() => holder(spec).compress(spec, onProgress)),
  sensitivity: ({ spec, probe }) => cancellable(() => holder(spec).sensitivity(spec, probe, onProgress)),
  mixedPrecision: ({ spec, options }) => cancellable(() => holder(spec).mixedPrecision(spec, options, onProgress)),
  provideTable: keepTable,
  searchPlan: ({ spec }) => cancellable(() => cpuEngine.searchPlan(spec, onProgress)), // sized where trials run
  searchNext: ({ spec, candidates, evaluations }) => cpuEngine.searchNext(spec, candidates, evaluations),
  strategyStages: ({ strategy }) => cpuEngine.strategyStages(strategy),
  holdsVariant: ({ spec }) =>
    producer(spec).then(
      () => true,
      () => false,
    ),
  exportModel: async ({ spec }) => (await producer(spec)).exportModel(spec),
  importModel: ({ bytes }) => active.importModel(bytes),
  adoptModel: ({ bytes, point }) => active.adoptModel(bytes, point),
  decisionBoundary: async ({ spec, resolution }) => (await producer(spec)).decisionBoundary(spec, resolution),
  inspect: async ({ spec }) => {
    const view = await (await producer(spec)).inspect(spec);
    // Typed arrays reach the page as one block copy; arrays of numbers are rebuilt element by
    // element on the page's thread (over 100 ms for a layer of a million weights).
    for (const layer of view.layers) layer.values = Float32Array.from(layer.values);
    return view;
  },
  // Measured where the model is: on its engine's backend, which the answer names.
  measureLatency: async ({ spec, repeats }) => {
    const engine = await producer(spec);
    return { ...(await engine.measureLatency(spec, repeats)), backend: backendOf.get(engine) };
  },
  checkSpec: ({ spec }) => cpuEngine.checkSpec(spec),
  measureStep: ({ spec }) => active.measureStep(spec),
  runCost: ({ spec }) => cpuEngine.runCost(spec),
};
// Every request of the protocol has its handler, and nothing else does.
const unanswered = Object.keys(REQUESTS).filter((name) => !handlers[name]);
const unknown = Object.keys(handlers).filter((name) => !REQUESTS[name]);
if (unanswered.length || unknown.length) throw new Error(`the worker and protocol.js disagree: ${[...unanswered, ...unknown].join(', ')}`);

// The smallest module using a SIMD instruction (v128.const + i8x16.popcnt, as wasm-feature-detect
// checks): the engine is built with +simd128, which every current browser supports.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

async function start() {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('this browser lacks WebAssembly SIMD, which the engine needs (Chrome or Edge 91+, Firefox 89+, Safari 16.4+)');
  }
  await initCpuEngine();
  const adapter = await detectWebGpu();
  self.postMessage({
    type: 'ready',
    webgpu: adapter !== null,
    adapter: adapter?.name ?? null,
    software: adapter?.software ?? false,
    defaults: cpuEngine.defaultSpec(),
    catalog: cpuEngine.catalog(),
  });
}

// Requests run one at a time, in arrival order, after start-up; 'cancel' and 'handover' bypass the queue.
let queue = start().catch((error) => self.postMessage({ type: 'panic', message: String(error?.message ?? error) }));
self.onmessage = ({ data }) => {
  if (typeof data?.type !== 'string') return; // not a request (a value that did not survive the copy)
  if (data.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (data.type === 'handover') {
    handover = data.id;
    if (!training) answerHandover(null);
    return;
  }
  const handler = handlers[data.type];
  queue = queue.then(async () => {
    try {
      if (!handler) throw new Error(`unknown request ${data.type}`);
      self.postMessage({ id: data.id, type: 'result', value: await withData(handler, data) });
    } catch (error) {
      self.postMessage({
        id: data.id,
        type: 'error',
        message: String(error?.message ?? error),
        kind: error?.kind ?? 'internal',
        detail: error?.detail,
      });
    }
  });
};
