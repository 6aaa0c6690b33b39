// The list of finished runs, kept in localStorage so it survives a reload.

import { migrateSpec } from './spec-migration.js';

const KEY = 'efficiency-playground.runs.v2';

// {runs, dropped}: the stored points, and how many stored entries were not points (another
// version's format, a hand edit) and were left out so they cannot break the page.
export function loadRuns() {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? '[]');
  } catch {
    return { runs: [], dropped: 1 };
  }
  if (!Array.isArray(stored)) return { runs: [], dropped: 1 };
  const runs = stored.map((p) => (isObject(p) ? { ...p, spec: migrateSpec(p.spec) } : p)).filter(isPoint);
  return { runs, dropped: stored.length - runs.length };
}

const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);

// Whether `p` has every field the page reads from a point (loss may be null: a diverged run).
function isPoint(p) {
  return isObject(p) && isObject(p.spec) && isObject(p.spec.data) && typeof p.spec.data.name === 'string'
    && isObject(p.spec.model) && (Array.isArray(p.spec.model.hidden) || Array.isArray(p.spec.model.channels))
    && isObject(p.spec.train) && Array.isArray(p.spec.compress) && p.spec.compress.every(isObject)
    && isObject(p.footprint) && ['bytes', 'deflated_bytes', 'nonzero_params', 'bits_per_param'].every((k) => isNumber(p.footprint[k]))
    && ['test_accuracy', 'train_accuracy', 'params', 'macs', 'effective_macs', 'float32_bytes', 'train_seconds'].every((k) => isNumber(p[k]))
    && Array.isArray(p.history) && typeof p.backend === 'string';
}

// Stores the points; false when the browser refuses (storage full or disabled), and then they stay in
// memory for this visit only.
export function saveRuns(runs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(runs));
    return true;
  } catch {
    return false;
  }
}

export function describeModel(model) {
  if (model.kind !== 'cnn') return `MLP ${model.hidden.join('-') || 'linear'}`;
  const design = [model.block === 'separable' && 'separable', model.head === 'global_average' && 'GAP', model.width && `×${model.width}`];
  return [`CNN ${model.channels.join('-')}`, ...design.filter(Boolean)].join(' ');
}
