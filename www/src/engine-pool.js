// Several engines, one per Web Worker, for work that splits into independent runs (a search's
// trials, Auto's race): each engine takes the next item as soon as it finishes one, so N engines
// keep N cores busy. The engines hold nothing worth keeping: closing the pool ends their workers at
// once.
import { EngineClient } from './engine-client.js';

export class EnginePool {
  constructor(size, { onProgress = () => {} } = {}) {
    this.closed = false;
    this.engines = Array.from({ length: size }, () => {
      let started;
      const ready = new Promise((resolve, reject) => {
        started = { resolve, reject };
      });
      const engine = new EngineClient({
        onReady: () => started.resolve(),
        onProgress,
        onCrash: (reason) => started.reject(new Error(`a second engine crashed: ${reason}`)),
      });
      ready.catch(() => {}); // closed before it was used: nothing waits on it
      return { engine, ready, started };
    });
  }

  get size() {
    return this.engines.length;
  }

  /** Runs `work(engine)` on every engine once it has started (e.g. handing each the same data). */
  each(work) {
    return Promise.all(this.engines.map(({ engine, ready }) => ready.then(() => work(engine))));
  }

  /** Runs `work(engine, item)` for every item, spread over the engines; `done(item, result)` is
   * called as each finishes. Rejects with the first failure (and closes the pool). */
  async map(items, work, done) {
    let next = 0;
    const drain = async ({ engine, ready }) => {
      await ready;
      while (next < items.length && !this.closed) {
        const item = items[next++];
        done(item, await work(engine, item));
      }
    };
    try {
      await Promise.all(this.engines.map(drain));
    } catch (error) {
      this.close(error.message);
      throw error;
    }
    if (this.closed) throw Object.assign(new Error(this.reason), { kind: 'cancelled' });
  }

  /** Ends every engine; what they were running fails as cancelled, with `reason`. */
  close(reason = 'the search was closed') {
    if (this.closed) return;
    this.closed = true;
    this.reason = reason;
    for (const { engine, started } of this.engines) {
      engine.stop(reason, 'cancelled');
      started.reject(Object.assign(new Error(reason), { kind: 'cancelled' })); // one still starting
    }
  }
}
