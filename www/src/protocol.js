// The engine protocol, written once. Each request is named after the engine export it reaches
// (src/web.rs, in its JavaScript spelling), with its arguments' names in order: the client
// (engine-client.js) makes one method per entry, and the worker (worker.js) answers each by the same
// name. tests/js/protocol.test.mjs checks the names against src/web.rs.
//
// page → worker: {id, type: name, ...arguments} | {type: 'cancel'} | {id, type: 'handover'} (the run
//   in progress stops after its epoch; answered with its state, the bytes `resume` goes on from).
// worker → page: {type: 'ready', webgpu, adapter, software, defaults, catalog} | {type: 'progress',
//   progress} (an engine's, or {kind: 'data', name} while a data set loads) | {id, type: 'result',
//   value} | {id, type: 'error', message, kind, detail} | {type: 'panic', message}. An error's kind is
//   the engine's (`cancelled`, `invalid_spec`, `file`, `no_model`, …) or `internal`; its detail is
//   the message without the kind's words.
export const REQUESTS = {
  useBackend: ['name'],
  run: ['spec'],
  resume: ['spec', 'state'],
  compress: ['spec'],
  // Automation, on the model trained from `spec`: per-layer curves, and per-layer bits for a budget.
  sensitivity: ['spec', 'probe'],
  mixedPrecision: ['spec', 'options'],
  // The stages of one of the survey's strategies: [{name, steps}].
  strategyStages: ['strategy'],
  // The learner's own table ({name, features, labels, nFeatures}): its reference, for data.table.
  provideTable: ['table'],
  // A budgeted search: its candidates, sized on this engine; then, after each rung's evaluations,
  // the next rung's trials (specs for `run`, on any engine) or the best.
  searchPlan: ['spec'],
  searchNext: ['spec', 'candidates', 'evaluations'],
  // Export, boundary, inspection and latency are of the model of the point with `spec`.
  holdsVariant: ['spec'],
  exportModel: ['spec'],
  importModel: ['bytes'],
  // Takes over the model another engine trained: its float file and point (Auto's race).
  adoptModel: ['bytes', 'point'],
  decisionBoundary: ['spec', 'resolution'],
  inspect: ['spec'],
  measureLatency: ['spec', 'repeats'],
  checkSpec: ['spec'],
  measureStep: ['spec'],
  runCost: ['spec'],
};

/** The message fields of request `name` called with `args`. */
export function fields(name, args) {
  return Object.fromEntries(REQUESTS[name].map((field, i) => [field, args[i]]));
}
