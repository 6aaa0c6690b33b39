// The automation panel (issue #14; Menghani 2021 §3.3): layer sensitivity of the trained model,
// mixed precision chosen from it under a byte budget, saved as a point beside the widest uniform
// width that fits the same budget — so the learner sees whether giving each layer its own bits wins —
// and the survey's two strategies, one click each (strategies.js).
import { SensitivityView } from './sensitivity-view.js';
import { shrinkAndImprove, growImproveShrink, widest } from './strategies.js';
import { EnginePool } from './engine-pool.js';
import { runSearch, describeSearch } from './search.js';
import { formatBytes, pct } from './result-view.js';

const $ = (id) => document.getElementById(id);

// `page`: {engine, trained() → the trained spec or null, current() → the form's spec (throws when a
//  field is invalid), scheme() → the quantization scheme set ({symmetric, per_channel}),
//  fineTune() → the fine-tuning set ({epochs, learning_rate}), busy(on), error(message),
//  status(text), progress(p) → shows task progress, stage(text or null) → names the stage a
//  fine-tuning's progress belongs to, keep(point) → shows it and saves it in the history,
//  record(point) → saves it only, tableFor(ref) → the values of the learner's own table `ref` if
//  the page has them, showSteps(steps) → the controls show them}.
let page;
let view; // the sensitivity chart
let pool = null; // the search's engines, kept for the next search of the same size
let running = false; // the page runs long work
const BUTTONS = ['sens-run', 'mp-run', 'st-shrink', 'st-grow'];

export function initAutomation(parts) {
  page = parts;
  view = new SensitivityView($('sens-chart'), $('sens-caption'));
  $('sens-run').addEventListener('click', sensitivity);
  $('mp-run').addEventListener('click', mixedPrecision);
  $('st-shrink').addEventListener('click', shrink);
  $('st-grow').addEventListener('click', grow);
  $('se-workers').value = Math.min(16, Math.max(1, navigator.hardwareConcurrency || 1));
  $('se-run').addEventListener('click', search);
  return { trainedChanged, refresh, busy, cancel, run };
}

// Runs engine work that reports `task` progress; a cancel says how far it got.
async function work(what, job) {
  page.busy(true);
  try {
    return await job();
  } catch (error) {
    if (error.kind === 'cancelled') page.status(`${what} ${error.message}.`);
    else page.error(`${what}: ${error.message}`);
    return null;
  } finally {
    page.stage(null);
    page.busy(false);
  }
}

async function sensitivity() {
  const spec = page.trained();
  const probe = $('sens-probe').value === 'prune' ? { kind: 'prune' } : { kind: 'quantize', ...page.scheme() };
  const analysis = await work('Sensitivity', () => page.engine.sensitivity(spec, probe));
  if (!analysis) return;
  view.show(analysis);
  page.status(`Sensitivity of ${analysis.layers.length} layers measured.`);
}

// The budget in bytes the panel sets, or null after saying that `what` needs one.
function budget(what) {
  const bytes = Number($('mp-budget').value);
  if (Number.isInteger(bytes) && bytes >= 1) return bytes;
  page.error(`${what} needs a budget: a whole number of bytes for the model file.`);
  return null;
}

async function mixedPrecision() {
  const bytes = budget('Mixed precision');
  if (!bytes) return;
  const spec = page.trained();
  const scheme = page.scheme();
  const found = await work('Mixed precision', async () => {
    const step = await page.engine.mixedPrecision(spec, { budget_bytes: bytes, ...scheme });
    const mixed = await page.engine.compress({ ...spec, compress: [step] });
    // The widest uniform width of the same scheme whose file fits the budget.
    const fit = await widest(page.engine, spec, (bits) => [{ kind: 'quantize', bits, ...scheme }], bytes);
    return { step, mixed, uniform: fit?.point ?? null };
  });
  if (!found) return;
  if (found.uniform) await page.keep(found.uniform);
  await page.keep(found.mixed);
  page.showSteps([found.step]);
  $('mp-caption').textContent = describeMixed(found, bytes);
  page.status('Mixed precision chosen: both points are on the chart.');
}

// A strategy on the trained model: its float point first (the reference), then its stages; its
// sentence goes under its own button (`caption`), so the other strategy's stays.
async function strategy(name, caption, run) {
  const spec = page.trained();
  const tune = page.fineTune();
  const result = await work(name, async () => {
    const float = await page.engine.compress({ ...spec, compress: [] });
    return run({ trained: spec, float }, tune);
  });
  if (!result) return;
  page.showSteps(result.points.at(-1).spec.compress); // the controls and the link: the last point's
  $(caption).textContent = result.sentence;
  page.status(`${name} done: ${result.points.length} points on the chart.`);
}
const stage = (text) => page.stage(text);

function shrink() {
  const bytes = budget('Shrink-and-Improve');
  if (!bytes) return;
  const width = Number($('st-shrink-width').value);
  return strategy('Shrink-and-Improve', 'st-shrink-caption', (models, tune) =>
    shrinkAndImprove(page.engine, models, { budget: bytes, width, tune }, stage, page.keep),
  );
}

function grow() {
  const width = Number($('st-grow-width').value);
  return strategy('Grow-Improve-and-Shrink', 'st-grow-caption', (models, tune) =>
    growImproveShrink(page.engine, models, { width, tune }, stage, page.keep),
  );
}

// The budgeted search, on the form's data, training and seed: one engine per worker trains. The
// pool stays for the next search of the same size (its workers have their engines loaded);
// Cancel or a failure ends it.
async function search() {
  let spec;
  try {
    spec = searchSpec(page.current());
  } catch (error) {
    return page.error(error.message);
  }
  const workers = Number($('se-workers').value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) return page.error('Workers takes a whole number from 1 to 16.');
  $('se-caption').textContent = '';
  const found = await work('Search', async () => {
    if (!pool || pool.closed || pool.size !== workers) {
      pool?.close();
      pool = new EnginePool(workers);
    }
    const table = spec.base.data.table && page.tableFor(spec.base.data.table);
    if (table) await pool.each((engine) => engine.provideTable(table)); // the learner's own data
    return runSearch({ engine: page.engine, pool, spec, record: page.record, progress: page.progress });
  });
  if (!found) return;
  $('se-caption').textContent = describeSearch(found, spec, workers);
  page.status(`Search done: ${found.evaluations.length} points on the chart.`);
}

// A newly trained model (or none, after an engine restart): the last analysis is of another
// model; the budget starts near an 8× smaller file.
function trainedChanged(point) {
  view.clear(point ? 'Analyse the layers of the model just trained.' : 'Train a model to analyse its layers.');
  $('mp-caption').textContent = '';
  $('st-shrink-caption').textContent = '';
  $('st-grow-caption').textContent = '';
  if (point) $('mp-budget').value = Math.round(point.footprint.bytes / 8);
  refresh();
}

// The buttons work when the engine holds a trained model and nothing else runs.
function refresh() {
  const ready = !running && Boolean(page.trained());
  for (const id of BUTTONS) $(id).disabled = !ready;
}

function busy(on) {
  running = on;
  refresh();
  $('se-run').disabled = on;
}

// Cancel ends a running search's engines at once (they hold nothing to keep).
function cancel() {
  pool?.close('cancelled: the search stopped');
}

// Runs a strategy as its button would (a link's `strategy=`), with a budget if given.
function run({ name, budget: bytes }) {
  if (bytes) $('mp-budget').value = bytes;
  $(name === 'shrink' ? 'st-shrink' : 'st-grow').click();
}

// "Mixed precision int8/3/5: 2.31 kB, 96.9 % test accuracy; the widest uniform width within 2.40 kB,
// int3: 2.02 kB, 91.4 %: mixed precision is 5.5 points better."
export function describeMixed({ step, mixed, uniform }, budget) {
  const bits = step.layers.map((b) => (b ? b : 'float')).join('/');
  const head = `Mixed precision int${bits}: ${formatBytes(mixed.footprint.bytes)}, ${pct(mixed.test_accuracy)} test accuracy`;
  if (!uniform) return `${head}; no uniform width fits ${formatBytes(budget)}.`;
  const gap = 100 * (mixed.test_accuracy - uniform.test_accuracy);
  const verdict = Math.abs(gap) < 0.05 ? 'the same accuracy' : `${Math.abs(gap).toFixed(1)} points ${gap > 0 ? 'better' : 'worse'}`;
  const uniformBits = uniform.spec.compress[0].bits;
  return (
    `${head}; the widest uniform width within ${formatBytes(budget)}, int${uniformBits}: ` +
    `${formatBytes(uniform.footprint.bytes)}, ${pct(uniform.test_accuracy)}: mixed precision is ${verdict}.`
  );
}

// The search's spec from the panel, on `base` (the form's spec, its pipeline left out).
function searchSpec(base) {
  const kind = $('se-budget-kind').value;
  const limit = Number($('se-budget').value);
  if (!(limit > 0) || (kind !== 'latency_ms' && !Number.isInteger(limit))) {
    throw new Error(
      kind === 'latency_ms'
        ? 'The search budget is a latency in ms above 0.'
        : `The search budget takes a whole number of ${kind === 'bytes' ? 'bytes' : 'MACs'} above 0.`,
    );
  }
  return {
    base: { ...base, compress: [], distill: null },
    widths: numbers('se-widths', 'Hidden units to try'),
    depths: numbers('se-depths', 'Hidden layers to try'),
    bits: numbers('se-bits', 'Weight bits to try'),
    sparsities: numbers('se-sparsities', 'Pruned % to try').map((p) => p / 100),
    budget: { kind, limit },
    candidates: Number($('se-candidates').value),
    eta: 3,
  };
}

// A comma-separated list of whole numbers (the engine checks their ranges).
function numbers(id, label) {
  const text = $(id).value.trim();
  const values = text.split(/[\s,]+/).map(Number);
  if (!text || values.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new Error(`${label} takes whole numbers separated by commas, got "${text}"`);
  }
  return values;
}
