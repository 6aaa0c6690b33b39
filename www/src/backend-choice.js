// The automatic backend choice (issue #8): before training, a few timed training steps of the model
// about to be trained (engine `measureStep`: warm-up steps, then timed ones ended by a read-back);
// the faster backend trains. Timing WebGPU is not free: the first time, it loads the WebGPU engine
// and compiles the model's shaders, seconds that are lost when the CPU wins. So the CPU is timed
// first, and WebGPU only when the whole run on the CPU would take at least WORTH times what timing
// WebGPU costs on this adapter (measured the last time, kept per adapter; a guess before that):
// a run too short to pay for the timing stays on the CPU, and the page says so. The figures are
// kept per adapter, data, model, batch size and optimizer across visits, so they are taken once.

const NAMES = { cpu: 'the CPU', webgpu: 'WebGPU' };
const KEY = 'efficiency-playground.auto-backend.v1';
/** WebGPU is timed only if the CPU run takes at least this many times what timing WebGPU costs. */
export const WORTH = 10;
/** What timing WebGPU costs before it was ever timed on this adapter: loading its engine and
 * compiling shaders took 1–3 s on the machines measured (README, Benchmarks). */
const FIRST_PROBE_MS = 1000;

export class BackendChoice {
  constructor(engine, adapter = '', storage = globalThis.localStorage) {
    this.engine = engine;
    this.adapter = adapter;
    this.storage = storage;
    const saved = readSaved(storage)[adapter];
    this.saved = saved?.choices && typeof saved.choices === 'object' ? saved : { probe_ms: null, choices: {} };
  }

  // {cpu, webgpu: ms per step (webgpu null when not timed), chosen, cpu_run_ms, probe_ms} for `spec`
  // (`steps`: its training steps), measuring the first time; `say(text)` narrates.
  async choose(spec, steps, say) {
    const key = JSON.stringify([spec.data, spec.model, spec.train.batch_size, spec.train.optimizer]);
    const known = this.saved.choices[key] ?? {};
    if (known.cpu === undefined) {
      say(`Auto: timing a training step of this model on ${NAMES.cpu}…`);
      known.cpu = await this.time('cpu', spec);
    }
    const { cpu } = known;
    let webgpu = known.webgpu ?? null;
    let unavailable = null;
    if (webgpu === null && cpu * steps >= WORTH * this.probeMs()) {
      say(`Auto: timing a training step of this model on ${NAMES.webgpu}…`);
      const started = performance.now();
      try {
        webgpu = await this.time('webgpu', spec);
        this.saved.probe_ms = performance.now() - started;
      } catch (error) {
        // WebGPU failed on this model (lost device, out of memory): the CPU trains, now and later. An
        // engine that did not load (offline, or still being built) says nothing of the model: the CPU
        // trains this time, and WebGPU is timed again next time.
        if (error?.kind === 'engine_unavailable') unavailable = error.message;
        else webgpu = Infinity;
      }
    }
    this.saved.choices[key] = { cpu, webgpu };
    this.save();
    const chosen = webgpu !== null && webgpu < cpu ? 'webgpu' : 'cpu';
    return { cpu, webgpu, chosen, cpu_run_ms: cpu * steps, probe_ms: this.probeMs(), unavailable };
  }

  probeMs() {
    return this.saved.probe_ms > 0 ? this.saved.probe_ms : FIRST_PROBE_MS;
  }

  async time(name, spec) {
    await this.engine.useBackend(name);
    return this.engine.measureStep({ ...spec, compress: [] }); // a bad spec throws here: training would fail the same way
  }

  save() {
    try {
      this.storage?.setItem(KEY, JSON.stringify({ ...readSaved(this.storage), [this.adapter]: this.saved }));
    } catch {
      // storage full or off: the figures still hold for this visit
    }
  }
}

function readSaved(storage) {
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {}; // a damaged entry: time again
  }
}

// "Auto: 2.10 ms per training step on the CPU, 21.4 ms on WebGPU (this model, batch 32): the CPU trains."
// or, when WebGPU was not worth timing or its engine did not load, why not.
export function describeChoice({ cpu, webgpu, chosen, cpu_run_ms, probe_ms, unavailable }, batch) {
  const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'failed');
  const s = (x) => `${(x / 1000).toFixed(x < 10_000 ? 1 : 0)} s`;
  if (unavailable) {
    return `Auto: ${ms(cpu)} per training step on the CPU (this model, batch ${batch}); WebGPU could not be timed (${unavailable}), `
      + 'so the CPU trains, and WebGPU is timed next time.';
  }
  if (webgpu === null) {
    return `Auto: ${ms(cpu)} per training step on the CPU (this model, batch ${batch}), about ${s(cpu_run_ms)} for the whole run: `
      + `too short to pay for timing WebGPU (about ${s(probe_ms)} on this adapter), so the CPU trains.`;
  }
  return `Auto: ${ms(cpu)} per training step on the CPU, ${ms(webgpu)} on WebGPU (this model, batch ${batch}): ${NAMES[chosen]} trains.`;
}
