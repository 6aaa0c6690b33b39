// The list of finished runs, kept in the browser's storage so it survives a reload — and shared by
// the page's tabs: each point has an id, a new point is added to what is stored now (not to what
// this tab loaded), and a tab re-reads the list when another one changes it (main.js listens for
// the `storage` event), so two tabs never lose each other's points.

import { migrateSpec } from './spec-migration.js';
import { storage, readJson, writeJson } from './storage.js';

export const RUNS_KEY = 'efficiency-playground.runs.v2';
/** Where stored entries this version cannot read are kept aside (a newer version's may read them). */
export const ASIDE_KEY = 'efficiency-playground.runs.set-aside';

// {runs, others}: the stored points, and the stored entries that are not points (another version's
// format, a hand edit, a damaged list), left out so they cannot break the page. Points stored
// before they had ids get one, kept at once so that every tab sees the same.
export function loadRuns() {
  const stored = readJson(RUNS_KEY, [], DAMAGED);
  if (!Array.isArray(stored)) return { runs: [], others: [storage?.getItem(RUNS_KEY)] };
  const read = stored.map((p) => (isObject(p) ? { ...p, spec: migrateSpec(p.spec) } : p));
  const runs = read.filter(isPoint);
  const others = stored.filter((_, i) => !isPoint(read[i]));
  if (runs.some((p) => typeof p.id !== 'string')) {
    for (const p of runs) p.id ??= newId();
    if (!others.length) writeJson(RUNS_KEY, runs);
  }
  return { runs, others };
}
const DAMAGED = Symbol('damaged');

/** Moves the stored entries that are not points to ASIDE_KEY, beside those set aside before, and
 * stores `runs` alone in the history; false when the browser refuses. */
export function setAside(others, runs) {
  const before = readJson(ASIDE_KEY, []);
  return writeJson(ASIDE_KEY, [...(Array.isArray(before) ? before : [before]), ...others]) && saveRuns(runs);
}

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Adds `point` to the stored list as it is now; returns {runs: the list, with the points `shown`
 * holds that storage lacks (kept for this visit only), saved: whether the browser stored it}. */
export function appendRun(point, shown) {
  point.id ??= newId();
  const { runs } = loadRuns();
  if (!runs.some((p) => p.id === point.id)) runs.push(point);
  const saved = writeJson(RUNS_KEY, runs);
  return { runs: withUnsaved(runs, shown, saved ? [] : [point]), saved };
}

/** The stored list, after another tab changed it, with the points only this visit holds. */
export function reloadRuns(shown) {
  return withUnsaved(loadRuns().runs, shown, []);
}

// Points that could not be stored (storage full or blocked) stay in the tab that made them.
const unsaved = new Set();
function withUnsaved(runs, shown, failed) {
  for (const p of failed) unsaved.add(p.id);
  const ids = new Set(runs.map((p) => p.id));
  return [...runs, ...shown.filter((p) => unsaved.has(p.id) && !ids.has(p.id))];
}

const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);

// Whether `p` has every field the page reads from a point (loss may be null: a diverged run).
function isPoint(p) {
  return (
    isObject(p) &&
    isObject(p.spec) &&
    isObject(p.spec.data) &&
    typeof p.spec.data.name === 'string' &&
    isObject(p.spec.model) &&
    (Array.isArray(p.spec.model.hidden) || Array.isArray(p.spec.model.channels)) &&
    isObject(p.spec.train) &&
    Array.isArray(p.spec.compress) &&
    p.spec.compress.every(isObject) &&
    isObject(p.footprint) &&
    ['bytes', 'deflated_bytes', 'nonzero_params', 'bits_per_param'].every((k) => isNumber(p.footprint[k])) &&
    ['test_accuracy', 'train_accuracy', 'params', 'macs', 'effective_macs', 'float32_bytes', 'train_seconds'].every((k) =>
      isNumber(p[k]),
    ) &&
    Array.isArray(p.history) &&
    typeof p.backend === 'string'
  );
}

// Stores the points in place of the list (Clear, Undo); false when the browser refuses (storage
// full or blocked), and then they stay in memory for this visit only.
export function saveRuns(runs) {
  for (const p of runs) p.id ??= newId();
  return writeJson(RUNS_KEY, runs);
}

export function describeModel(model) {
  if (model.kind !== 'cnn') return `MLP ${model.hidden.join('-') || 'linear'}`;
  const design = [model.block === 'separable' && 'separable', model.head === 'global_average' && 'GAP', model.width && `×${model.width}`];
  return [`CNN ${model.channels.join('-')}`, ...design.filter(Boolean)].join(' ');
}
