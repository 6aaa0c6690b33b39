// How long a run will take, said before it starts (issue #9). The engine counts a run's work
// (`runCost`: training steps and multiply-accumulates); this turns it into seconds with two figures
// per backend: a fixed cost per training step (burn's per-operation overhead, which dominates small
// models) and a throughput in MACs per second (which dominates large ones). Both start from what was
// measured on a 2-core VM (docs/BENCHMARKS.md) and are recalibrated from the runs this browser
// finishes, so the estimate learns the machine it runs on: with runs of different shapes (a small
// model's many steps, MNIST's many MACs) both figures are fitted to the last RECENT runs at once
// (`fit`), so learning one kind of run no longer spoils the estimate of the other.

import { storage as pageStorage } from './storage.js';

const KEY = 'efficiency-playground.speed.v1';
/** The runs per backend the two figures are fitted to. */
export const RECENT = 8;
// CPU: fitted by `./scripts/bench-estimate` to four runs (digits and MNIST MLPs, batches 16 and 64)
// on a 2-core VM, 2026-12-08 (docs/BENCHMARKS.md); the earlier 3 GMAC/s, from the CNN, put MNIST at
// 19 s for a 6 s run. WebGPU: SwiftShader's ~20 ms a step; a real GPU's figures are learnt from its
// first runs.
const PRIOR = { cpu: { step_ms: 0.48, gmacs: 12 }, webgpu: { step_ms: 20, gmacs: 20 } };
/** Runs estimated to take longer than this are announced as long. */
export const LONG_SECONDS = 60;

export class CostEstimate {
  constructor(storage = pageStorage) {
    this.storage = storage;
    this.speed = structuredClone(PRIOR);
    try {
      const stored = JSON.parse(storage?.getItem(KEY) ?? 'null');
      for (const backend of Object.keys(PRIOR)) {
        const s = stored?.[backend];
        if (s && s.step_ms > 0 && s.gmacs > 0) this.speed[backend] = { step_ms: s.step_ms, gmacs: s.gmacs, runs: validRuns(s.runs) };
        const starts = Array.isArray(s?.starts) ? s.starts.filter((x) => x >= 0).slice(-RECENT) : [];
        if (starts.length) Object.assign(this.speed[backend], { starts, start_s: median(starts) });
      }
    } catch {
      // a damaged entry: keep the prior
    }
  }

  /** [seconds in steps' overhead, seconds in arithmetic] of a run of `cost` on `backend`. */
  terms(cost, backend) {
    const s = this.speed[backend];
    return [(cost.steps * s.step_ms) / 1000, cost.macs / (s.gmacs * 1e9)];
  }

  seconds(cost, backend) {
    const [steps, macs] = this.terms(cost, backend);
    return steps + macs;
  }

  /** Seconds a backend needs before its first epoch of a model shape it has not run yet (WebGPU
   * compiles the model's kernels), learnt from the first epochs of earlier runs; 0 until then. */
  startSeconds(backend) {
    return this.speed[backend].start_s ?? 0;
  }

  /** Learns what a model's first run on `backend` spent before training proper (`seconds`). */
  learnStart(backend, seconds) {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return;
    const s = this.speed[backend];
    s.starts = [...(s.starts ?? []), seconds].slice(-RECENT);
    s.start_s = median(s.starts);
    this.save();
  }

  /** Learns from a finished run of `measured` seconds: both figures fitted to the recent runs. */
  learn(cost, backend, measured) {
    if (!(measured > 0) || !Number.isFinite(measured)) return;
    const s = this.speed[backend];
    s.runs = [...(s.runs ?? []), { steps: cost.steps, macs: cost.macs, seconds: measured }].slice(-RECENT);
    Object.assign(s, fit(s.runs, s));
    this.save();
  }

  save() {
    try {
      this.storage?.setItem(KEY, JSON.stringify(this.speed));
    } catch {
      // storage full or off: the estimate still learns for this visit
    }
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const validRuns = (runs) =>
  Array.isArray(runs) ? runs.filter((r) => r && r.steps >= 0 && r.macs >= 0 && r.seconds > 0).slice(-RECENT) : [];

/** {step_ms, gmacs} that best explain `runs` ([{steps, macs, seconds}]): least squares on the
 * relative error of seconds = steps·a + macs·b with a, b ≥ 0. A run alone, or runs of one shape,
 * move only the term that dominates their estimate under `speed` (the current figures). */
export function fit(runs, speed) {
  const estimate = (r, s) => (r.steps * s.step_ms) / 1000 + r.macs / (s.gmacs * 1e9);
  const both = solve(runs);
  if (both && informs(runs, both)) return both;
  // One dominant term: scaled so that the runs' estimates match their seconds (geometric mean).
  const ratio = Math.exp(runs.reduce((sum, r) => sum + Math.log(r.seconds / estimate(r, speed)), 0) / runs.length);
  const stepsDominate = runs.reduce((sum, r) => sum + (r.steps * speed.step_ms) / 1000 - r.macs / (speed.gmacs * 1e9), 0) >= 0;
  return stepsDominate ? { step_ms: speed.step_ms * ratio, gmacs: speed.gmacs } : { step_ms: speed.step_ms, gmacs: speed.gmacs / ratio };
}

// Whether each figure dominates the estimate of at least one run: else the runs say little about
// it, and a fitted value would be noise.
function informs(runs, { step_ms, gmacs }) {
  const stepsDominate = runs.map((r) => (r.steps * step_ms) / 1000 > r.macs / (gmacs * 1e9));
  return stepsDominate.includes(true) && stepsDominate.includes(false);
}

// Weighted least squares (weights 1/seconds²) for [a, b] in seconds = steps·a + macs·b; null when
// the runs do not determine both (one shape only) or the best fit has a term ≤ 0.
function solve(runs) {
  let [saa, sab, sbb, sa, sb] = [0, 0, 0, 0, 0];
  for (const { steps, macs, seconds } of runs) {
    const w = 1 / (seconds * seconds);
    saa += w * steps * steps;
    sab += w * steps * macs;
    sbb += w * macs * macs;
    sa += w * steps * seconds;
    sb += w * macs * seconds;
  }
  const det = saa * sbb - sab * sab;
  if (!(det > 1e-9 * saa * sbb)) return null;
  const a = (sa * sbb - sb * sab) / det;
  const b = (saa * sb - sab * sa) / det;
  return a > 0 && b > 0 ? { step_ms: a * 1000, gmacs: 1 / (b * 1e9) } : null;
}

/** Seconds of a finished run's training, from its point: its epochs, warm ones as the typical. */
export function measuredSeconds(point) {
  return typicalEpoch(point) * point.history.length;
}

const typicalEpoch = (point) => {
  const warm = point.history
    .map((h) => h.seconds)
    .slice(Math.floor(point.history.length / 2))
    .sort((a, b) => a - b);
  return warm[Math.floor(warm.length / 2)];
};

/** What a run's first epoch took beyond a typical one (WebGPU compiling the model's kernels). */
export function startOf(point) {
  return point.history.length > 1 ? Math.max(0, point.history[0].seconds - typicalEpoch(point)) : null;
}

/** {text, detail}: "Training: about 1.2 s on the CPU" ("A long run: …" past a minute; with the
 * seconds of `start` that go to compiling kernels first, said), and what it counts ("30 epochs × 23
 * steps, 8.7 × 10⁸ multiply-adds, …"). */
export function describeEstimate(seconds, cost, backend, start = 0) {
  const where = backend === 'webgpu' ? 'on WebGPU' : 'on the CPU';
  const total = seconds + start;
  const long = total > LONG_SECONDS;
  const compiling = start >= 0.05 ? ` (${duration(start)} of it compiling the model's kernels, the first time)` : '';
  return {
    text: `${long ? 'A long run' : 'Training'}: ${total < 0.05 ? 'under 0.1 s' : `about ${duration(total)}`} ${where}${compiling}`,
    detail:
      `${cost.epochs}${cost.fine_tune_epochs ? ` + ${cost.fine_tune_epochs} fine-tuning` : ''} epochs × ${cost.steps_per_epoch} steps, ${scientific(cost.macs)} multiply-adds, at the speed ` +
      `this browser measured${long ? '; Cancel stops a run within a second' : ''}`,
  };
}

function duration(s) {
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(s < 36_000 ? 1 : 0)} h`;
}

function scientific(x) {
  if (x < 1e4) return String(Math.round(x));
  const exponent = Math.floor(Math.log10(x));
  const superscript = String(exponent).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]);
  return `${(x / 10 ** exponent).toFixed(1)} × 10${superscript}`;
}
