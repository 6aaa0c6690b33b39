// The page's handle on the engine worker: requests become Promises, progress becomes a callback,
// and a crashed engine (a panic) is replaced by a fresh worker; one that cannot start (no SIMD, a
// failed load) is reported once, not restarted in a loop. A panic reaches the page twice (the
// engine's panic hook, then the worker's uncaught error): only the first report of a worker counts,
// so one crash is one restart.

import { REQUESTS, fields } from './protocol.js';

export class EngineClient {
  constructor({ onReady, onProgress, onCrash }) {
    this.handlers = { onReady, onProgress, onCrash };
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    // What a replaced worker still says (its second report of the same crash) is not this engine's.
    worker.onmessage = ({ data }) => {
      if (worker === this.worker) this.receive(data);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker === this.worker) this.crash(event.message || 'the engine worker failed to start');
    };
  }

  receive(message) {
    switch (message.type) {
      case 'ready':
        this.started = true;
        return this.handlers.onReady(message);
      case 'progress':
        return this.handlers.onProgress(message.progress);
      case 'panic':
        return this.crash(message.message);
      default: {
        const request = this.pending.get(message.id);
        if (!request) return;
        this.pending.delete(message.id);
        if (message.type === 'result') request.resolve(message.value);
        else request.reject(Object.assign(new Error(message.message), { kind: message.kind, detail: message.detail ?? message.message }));
      }
    }
  }

  // An engine that panicked is gone: fail what was waiting and start over (if it ever started).
  // The page hears of the crash after what was waiting has failed (a macrotask later), so its word
  // on the crash is the last one shown, not the failed request's.
  crash(reason) {
    const restart = this.started;
    this.stop(`the engine crashed: ${reason}`);
    this.worker = null; // until the restart: any later report of the old worker is ignored
    if (restart) this.start();
    setTimeout(() => this.handlers.onCrash(reason, restart));
  }

  // Ends the engine at once — for work that cannot stop by itself soon, like one enormous batch —
  // and starts a fresh one; what was waiting fails as cancelled, with `message`. The engine's
  // models are lost.
  restart(message) {
    this.stop(message, 'cancelled');
    this.start();
  }

  stop(message, kind = 'crashed') {
    this.worker?.terminate();
    this.started = false;
    for (const { reject } of this.pending.values()) reject(Object.assign(new Error(message), { kind }));
    this.pending.clear();
  }

  request(type, payload = {}) {
    if (!this.worker) return Promise.reject(Object.assign(new Error('the engine is not running'), { kind: 'crashed' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  // Stops the run in progress after its current epoch, for another engine to go on with: resolves
  // to the run's state (bytes; the run itself then fails with kind 'handed_over'), or rejects with
  // kind 'not_handed_over' when the run ended first. `resume` goes on from such a state.
  handOver() {
    return this.request('handover');
  }
  cancel() {
    this.worker?.postMessage({ type: 'cancel' });
  }
}

// One method per request of the protocol: engine.compress(spec), engine.measureLatency(spec, 30), …
for (const name of Object.keys(REQUESTS)) {
  EngineClient.prototype[name] = function (...args) {
    return this.request(name, fields(name, args));
  };
}
