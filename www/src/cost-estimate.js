// How long a run will take, said before it starts (issue #9). The engine counts a run's work
// (`runCost`: training steps and multiply-accumulates); this turns it into seconds with two figures
// per backend: a fixed cost per training step (burn's per-operation overhead, which dominates small
// models) and a throughput in MACs per second (which dominates large ones). Both start from what was
// measured on a 2-core VM (docs/BENCHMARKS.md) and are recalibrated from every run this browser
// finishes, so the estimate learns the machine it runs on.

import { storage as pageStorage } from './storage.js';

const KEY = 'efficiency-playground.speed.v1';
// Digits MLP 64 at batch 64: ~11 ms an epoch of 23 steps; CNN 16/32: ~190 ms an epoch of 5·10⁸ MACs.
// WebGPU: SwiftShader's ~20 ms a step; a real GPU's figures are learnt from its first run.
const PRIOR = { cpu: { step_ms: 0.5, gmacs: 3 }, webgpu: { step_ms: 20, gmacs: 20 } };
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
        if (s && s.step_ms > 0 && s.gmacs > 0) this.speed[backend] = { step_ms: s.step_ms, gmacs: s.gmacs };
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

  /** Learns from a finished run: `measured` seconds against the estimate, the term that dominated
   * the estimate takes the difference. */
  learn(cost, backend, measured) {
    const [steps, macs] = this.terms(cost, backend);
    const ratio = measured / (steps + macs);
    if (!(ratio > 0) || !Number.isFinite(ratio)) return;
    const s = this.speed[backend];
    if (steps >= macs) s.step_ms *= ratio;
    else s.gmacs /= ratio;
    try {
      this.storage?.setItem(KEY, JSON.stringify(this.speed));
    } catch {
      // storage full or off: the estimate still learns for this visit
    }
  }
}

/** Seconds of a finished run's training, from its point: its epochs, warm ones as the typical. */
export function measuredSeconds(point) {
  const epochs = point.history.map((h) => h.seconds);
  const warm = epochs.slice(Math.floor(epochs.length / 2)).sort((a, b) => a - b);
  return warm[Math.floor(warm.length / 2)] * epochs.length;
}

/** {text, detail}: "Training: about 1.2 s on the CPU" ("A long run: …" past a minute), and what it
 * counts ("30 epochs × 23 steps, 8.7 × 10⁸ multiply-adds, …"). */
export function describeEstimate(seconds, cost, backend) {
  const where = backend === 'webgpu' ? 'on WebGPU' : 'on the CPU';
  const long = seconds > LONG_SECONDS;
  return {
    text: `${long ? 'A long run' : 'Training'}: ${seconds < 0.05 ? 'under 0.1 s' : `about ${duration(seconds)}`} ${where}`,
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
