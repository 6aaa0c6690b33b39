// What a point is on the trade-off chart: its axes (footprint measures and quality), its
// technique (colour), and its CSV/JSON export.
import { describeModel } from './runs.js';
import { describePipeline, familyOf } from './techniques.js';
import { isImageSet } from './data-sets.js';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
const bytes = (n) => (n < 1024 ? `${Number(n.toPrecision(3))} B` : `${compact.format(n / 1024)} KiB`);

// Footprint axes: the value of a point and how a tick is written.
export const X_AXES = {
  bytes: { label: 'exported bytes', value: (p) => p.footprint.bytes, format: bytes, base: 2 },
  deflated: { label: 'deflated bytes', value: (p) => p.footprint.deflated_bytes, format: bytes, base: 2 },
  payload: { label: 'weight bytes (file without its header)', value: (p) => p.footprint.payload_bytes, format: bytes, base: 2 },
  params: { label: 'parameters', value: (p) => p.params, format: compact.format },
  nonzero: { label: 'non-zero parameters', value: (p) => p.footprint.nonzero_params, format: compact.format },
  macs: { label: 'MACs per example', value: (p) => p.effective_macs, format: compact.format },
  latency: { label: 'latency per example (ms, median)', value: (p) => p.latency?.median_ms, format: (ms) => compact.format(ms) },
};

export const Y_AXES = {
  accuracy: { label: 'test accuracy (%)', value: (p) => 100 * p.test_accuracy, better: 'higher' },
  loss: { label: 'test loss', value: (p) => p.test_loss, better: 'lower' },
};

// The task a point belongs to: its data and split. Points of different tasks never compete for a
// frontier (accuracy on moons says nothing about digits). Samples and noise shape generated sets
// only.
export function taskKey(data) {
  if (data.table) return JSON.stringify([data.name, data.test_fraction, data.table.id]);
  const generated = !isImageSet(data.name);
  return JSON.stringify([data.name, data.test_fraction, generated ? data.samples : null, generated ? data.noise : null]);
}

export function describeTask(data) {
  if (!data) return 'this data';
  const split = `${Math.round(100 * data.test_fraction)} % test`;
  if (data.table) return `${data.table.name} (${data.table.rows} rows, ${split})`;
  return isImageSet(data.name) ? `${data.name} (${split})` : `${data.name} (${data.samples} samples, noise ${data.noise}, ${split})`;
}

/** The title of the chart's PNG: the task it shows, its saved points, and the current one if it is
 * of that task. */
export function chartTitle(task, saved, current) {
  const now = current ? ` · current: ${describe(current)}` : '';
  return `Quality vs footprint on ${describeTask(task)}: ${saved} saved point${saved === 1 ? '' : 's'}${now}`;
}

/** Lays items of `widths` out in rows no wider than `width`: the rows' item indices. */
export function rows(widths, width) {
  const out = [[]];
  let used = 0;
  for (const [i, w] of widths.entries()) {
    if (used + w > width && out.at(-1).length) {
      out.push([]);
      used = 0;
    }
    out.at(-1).push(i);
    used += w;
  }
  return out;
}

// The technique family a point shows (techniques.js).
export const technique = (point) => familyOf(point.spec);

// A loss for display; a diverged run's loss is not a number (null in the engine's JSON).
export const formatLoss = (loss, digits) => (Number.isFinite(loss) ? loss.toFixed(digits) : 'not a number (diverged)');

export function describe(point) {
  const distilled = point.spec.distill ? ' · distilled' : '';
  return `${point.spec.data.name} · ${describeModel(point.spec.model)}${distilled} · ${describePipeline(point.spec.compress)}`;
}

const COLUMNS = [
  ['data', (p) => p.spec.data.name],
  ['model', (p) => describeModel(p.spec.model)],
  ['pipeline', (p) => describePipeline(p.spec.compress)],
  ['technique', technique],
  ['test_accuracy', (p) => p.test_accuracy],
  ['test_loss', (p) => p.test_loss],
  ['train_accuracy', (p) => p.train_accuracy],
  ['bytes', (p) => p.footprint.bytes],
  ['deflated_bytes', (p) => p.footprint.deflated_bytes],
  ['header_bytes', (p) => p.footprint.header_bytes ?? ''],
  ['payload_bytes', (p) => p.footprint.payload_bytes ?? ''],
  ['params', (p) => p.params],
  ['nonzero_params', (p) => p.footprint.nonzero_params],
  ['macs', (p) => p.macs],
  ['effective_macs', (p) => p.effective_macs],
  ['latency_median_ms', (p) => p.latency?.median_ms ?? ''],
  ['backend', (p) => p.backend],
  ['seed', (p) => p.spec.seed],
  ['spec', (p) => JSON.stringify(p.spec)],
];

// One row per point; fields with commas, quotes or newlines are quoted (RFC 4180).
export function toCsv(points) {
  const quote = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const rows = points.map((p) => COLUMNS.map(([, get]) => quote(get(p))).join(','));
  return `${[COLUMNS.map(([name]) => name).join(','), ...rows].join('\n')}\n`;
}
