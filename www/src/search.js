// A budgeted search from the page (issue #14): the engine draws and sizes the candidates and, after
// every rung, says which trials come next (Rust: src/search.rs, successive halving); the trials of a
// rung train in parallel on a pool of engines, one per Web Worker, and every trial's point joins the
// one history as it arrives, so the frontier fills while the search runs.
import { formatBytes, pct } from './result-view.js';

const LATENCY_REPEATS = 30;

/**
 * Runs the search `spec` ({base, widths, depths, bits, sparsities, budget, candidates, eta}).
 * `engine` plans (the page's engine), `pool` trains (an EnginePool), `record(point)` keeps each
 * trial's point, `progress({kind: 'task', task, done, of})` reports. Resolves to {candidates,
 * evaluations, points, best: {evaluation, point}, sizing, seconds} (sizing: the seconds spent sizing candidates).
 */
export async function runSearch({ engine, pool, spec, record, progress }) {
  const started = performance.now();
  const candidates = await engine.searchPlan(spec);
  const sizing = (performance.now() - started) / 1000;
  const evaluations = [];
  const points = [];
  for (;;) {
    const next = await engine.searchNext(spec, candidates, evaluations);
    if (next.kind === 'done') {
      const at = evaluations.findIndex((e) => e.candidate === next.best.candidate && e.rung === next.best.rung);
      return {
        candidates,
        evaluations,
        points,
        best: { evaluation: next.best, point: points[at] },
        sizing,
        seconds: (performance.now() - started) / 1000,
      };
    }
    const task = `search rung ${next.rung + 1} of ${next.rungs} (${next.epochs} epoch${next.epochs === 1 ? '' : 's'} each, ${pool.size} worker${pool.size === 1 ? '' : 's'})`;
    let done = 0;
    progress({ kind: 'task', task, done, of: next.trials.length });
    await pool.map(next.trials, trainTrial, (trial, point) => {
      evaluations.push({ candidate: trial.candidate, rung: trial.rung, test_accuracy: point.test_accuracy, bytes: point.footprint.bytes });
      points.push(point);
      record(point);
      progress({ kind: 'task', task, done: ++done, of: next.trials.length });
    });
  }
}

// A trial's point, with its latency measured where it trained.
async function trainTrial(engine, trial) {
  const point = await engine.run(trial.spec);
  point.latency = await engine.measureLatency(trial.spec, LATENCY_REPEATS);
  return point;
}

const UNITS = { bytes: (v) => formatBytes(v), macs: (v) => `${v.toLocaleString('en')} MACs`, latency_ms: (v) => `${v} ms` };

/** "Width 64 × 1 layer, int4, 50 % pruned" for a candidate. */
export function describeCandidate({ width, depth, bits, sparsity }) {
  const parts = [`width ${width} × ${depth} layer${depth === 1 ? '' : 's'}`, bits ? `int${bits}` : 'float'];
  if (sparsity > 0) parts.push(`${Math.round(sparsity * 100)} % pruned`);
  return parts.join(', ');
}

/** The sentence a finished search ends with. */
export function describeSearch({ candidates, evaluations, best, sizing, seconds }, spec, workers) {
  const chosen = candidates.find((c) => c.id === best.evaluation.candidate);
  return (
    `Searched ${candidates.length} candidates within ${UNITS[spec.budget.kind](spec.budget.limit)} in ${evaluations.length} trials ` +
    `(${seconds.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}, ${sizing.toFixed(1)} s of it sizing). Best: ${describeCandidate(chosen)}: ` +
    `${pct(best.point.test_accuracy)} test accuracy at ${formatBytes(best.point.footprint.bytes)}, after ${best.point.spec.train.epochs} epochs.`
  );
}
