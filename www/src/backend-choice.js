// The automatic backend choice (issue #8). A few timed training steps of the model about to be
// trained on the CPU (engine `measureStep`: warm-up steps, then timed ones ended by a read-back) say
// how long its run takes there. WebGPU cannot be timed that cheaply: the first time, its engine
// loads and compiles the model's kernels, seconds that were lost whenever the CPU then won. So
// WebGPU is not timed before training: when the CPU run is long enough for WebGPU to catch up
// (at least WORTH times what WebGPU needs to start on this adapter: measured by the last race,
// a guess before that), the two race (backend-race.js) and the first to finish is kept; a
// shorter run stays on the CPU, and the page says so. A software adapter (SwiftShader, llvmpipe)
// never races: it emulates the GPU on the same cores, cannot beat the CPU engine, and racing it
// slowed the CPU's run 2–3× on two cores (docs/BENCHMARKS.md). The figures a race measures are
// kept per adapter, data, model, batch size and optimizer across visits: the next run of that
// model goes straight to the faster backend.

import { storage as pageStorage } from './storage.js';

const NAMES = { cpu: 'the CPU', webgpu: 'WebGPU' };
const KEY = 'efficiency-playground.auto-backend.v1';
/** WebGPU races only if the CPU run takes at least this many times what WebGPU needs to start. */
export const WORTH = 2;
/** What WebGPU needs to start (load its engine, compile the model's kernels) on an adapter that
 * never raced: 1–3 s on the machines measured (docs/BENCHMARKS.md). */
const FIRST_START_MS = 1000;

export class BackendChoice {
  constructor(engine, adapter = '', storage = pageStorage, { software = false } = {}) {
    this.engine = engine;
    this.adapter = adapter;
    this.software = software;
    this.storage = storage;
    const saved = readSaved(storage)[adapter];
    this.saved = saved?.choices && typeof saved.choices === 'object' ? saved : { probe_ms: null, choices: {} };
  }

  // {cpu, webgpu: ms per step (webgpu null when not known), chosen ('cpu', 'webgpu' or 'race'),
  // cpu_run_ms, probe_ms, why_not} for `spec` (`steps`: its training steps), timing the CPU the
  // first time; `say(text)` narrates. A distilled run does not race: its teacher is in the page's
  // engine; nor does a software adapter.
  async choose(spec, steps, say) {
    const known = this.saved.choices[key(spec)] ?? {};
    if (typeof known.cpu !== 'number') {
      say(`Auto: timing a training step of this model on ${NAMES.cpu}…`);
      await this.engine.useBackend('cpu');
      known.cpu = await this.engine.measureStep({ ...spec, compress: [] }); // a bad spec throws here: training would fail the same way
      this.remember(spec, known);
    }
    const { cpu } = known;
    const webgpu = typeof known.webgpu === 'number' ? known.webgpu : null;
    const whyNot = this.software ? 'software' : spec.distill ? 'distilled' : cpu * steps < WORTH * this.probeMs() ? 'short' : null;
    const chosen = webgpu === null ? (whyNot ? 'cpu' : 'race') : webgpu < cpu ? 'webgpu' : 'cpu';
    return { cpu, webgpu, chosen, cpu_run_ms: cpu * steps, probe_ms: this.probeMs(), why_not: whyNot };
  }

  // Keeps what a race of `spec` measured (backend-race.js `figures`): each backend's warm ms per
  // step where it trained long enough to show one, and what WebGPU needed to start. A WebGPU
  // engine that did not load says nothing of the model: WebGPU races again next time.
  record(spec, { cpu, webgpu, webgpu_start_ms: startMs, webgpu_started: started, unavailable }) {
    if (unavailable) return;
    const known = this.saved.choices[key(spec)] ?? {};
    if (cpu.step_ms !== null) known.cpu = cpu.step_ms;
    if (webgpu.step_ms !== null) known.webgpu = webgpu.step_ms;
    // Not started within the race: it needs at least that long, so shorter runs stop racing.
    this.saved.probe_ms = started ? startMs : Math.max(startMs, this.probeMs());
    this.remember(spec, known);
  }

  probeMs() {
    return this.saved.probe_ms > 0 ? this.saved.probe_ms : FIRST_START_MS;
  }

  // Kept with what other tabs stored meanwhile: their figures for other models stay.
  remember(spec, figures) {
    this.saved.choices[key(spec)] = figures;
    const stored = readSaved(this.storage);
    const choices = { ...stored[this.adapter]?.choices, ...this.saved.choices };
    this.saved = { ...this.saved, choices };
    try {
      this.storage?.setItem(KEY, JSON.stringify({ ...stored, [this.adapter]: this.saved }));
    } catch {
      // storage full or off: the figures still hold for this visit
    }
  }
}

const key = (spec) => JSON.stringify([spec.data, spec.model, spec.train.batch_size, spec.train.optimizer]);

function readSaved(storage) {
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {}; // a damaged entry: time again
  }
}

const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'failed');
const s = (x) => `${(x / 1000).toFixed(x < 10_000 ? 1 : 0)} s`;

// "Auto: 2.10 ms per training step on the CPU, 21.4 ms on WebGPU (this model, batch 32): the CPU trains."
// or, when WebGPU was not worth racing, why not.
export function describeChoice({ cpu, webgpu, chosen, cpu_run_ms, probe_ms, why_not: whyNot }, batch) {
  if (webgpu !== null) {
    return `Auto: ${ms(cpu)} per training step on the CPU, ${ms(webgpu)} on WebGPU (this model, batch ${batch}): ${NAMES[chosen]} trains.`;
  }
  if (whyNot === 'software') {
    return `Auto: ${ms(cpu)} per training step on the CPU (this model, batch ${batch}); this WebGPU adapter is a software one, emulated on the same cores: it cannot beat the CPU, so the CPU trains without a race (choose *Race* to see one).`;
  }
  if (whyNot === 'distilled') {
    return `Auto: ${ms(cpu)} per training step on the CPU (this model, batch ${batch}); WebGPU races only runs without distillation (the teacher is in this page's engine), so the CPU trains.`;
  }
  return (
    `Auto: ${ms(cpu)} per training step on the CPU (this model, batch ${batch}), about ${s(cpu_run_ms)} for the whole run: ` +
    `too short for WebGPU to catch up (it needs about ${s(probe_ms)} to start on this adapter), so the CPU trains.`
  );
}

// What a race did: who finished first, how far the other had got, and the figures it measured (the
// CPU's from its timing before the race, `cpuMs`, when the race showed none). `who` ran it: Auto, or
// the user's choice of Race.
export function describeRace({ winner, wall_ms: wallMs, figures }, batch, epochs, cpuMs = null, who = 'Auto') {
  const { webgpu, unavailable } = figures;
  if (unavailable) {
    return `${who}: WebGPU could not race (${unavailable}), so the CPU trained, and WebGPU races next time.`;
  }
  const loser = winner === 'cpu' ? 'webgpu' : 'cpu';
  const done = figures[loser].epochs;
  const after = figures.handed_over_after;
  const of = `of ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  const behind =
    webgpu.step_ms === Infinity
      ? 'WebGPU failed on this model'
      : figures.webgpu_gave_up_after != null
        ? `WebGPU had stopped after ${figures.webgpu_gave_up_after} ${of}, as it could no longer catch up`
        : `${NAMES[loser]} had done ${done} ${of}`;
  const how =
    after === null || after === undefined
      ? `${NAMES[winner]} finished first, in ${s(wallMs)}, when ${behind}, so its model is kept`
      : `once started, WebGPU trained faster, so it took the CPU's run over after epoch ${after} of ${epochs} (its model and optimizer state) and finished it, in ${s(wallMs)} in all`;
  const step = { cpu: figures.cpu.step_ms ?? cpuMs, webgpu: webgpu.step_ms };
  const per = (name) =>
    step[name] === null ? `not measured on ${NAMES[name]} (no epoch after its first)` : `${ms(step[name])} on ${NAMES[name]}`;
  const adopted = winner === 'webgpu' ? "; this page's engine took its model over, so compressing it runs on WebGPU too" : '';
  return (
    `${who}: raced the CPU against WebGPU (in a second worker) on this model: ${how}${adopted}. ` +
    `Per training step (batch ${batch}): ${per('cpu')}, ${per('webgpu')}.`
  );
}
