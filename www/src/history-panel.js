// The history: the saved points (runs.js keeps them, shared by the page's tabs), their table,
// Save point, Clear and Undo, and the exports (CSV, JSON, the chart as PNG, a link) named after
// the participant.

import { appendRun, reloadRuns, saveRuns, RUNS_KEY, describeModel } from './runs.js';
import { storage, readJson, writeJson } from './storage.js';
import { usage } from './table-store.js';
import { slug } from './participant.js';
import { describePipeline } from './techniques.js';
import { toCsv } from './points.js';
import { pct, formatBytes, showResult } from './result-view.js';

const $ = (id) => document.getElementById(id);
const PARTICIPANT = 'efficiency-playground.participant.v1';
const LATENCY_RUNS = 30;

/** Offers `blob` as a download named `name`. */
export function save(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

let page; // the page's parts (main.js), set by initHistory

export function initHistory(parts) {
  page = parts;
  listenHistory();
  listenExports();
  return { add, measureLatency, render };
}

let cleared = null; // the points Clear removed, until Undo, the next Clear or a reload

// Latency of the point's model, kept with the point (the answer names the backend it ran on).
async function measureLatency(point) {
  point.latency = await page.engine.measureLatency(point.spec, LATENCY_RUNS);
  return point;
}

const adding = new WeakMap(); // point → its add() in progress or done: a point is added once

// Records a point in the history (measuring its latency first when it is the engine's model); a
// point asked for again (a lesson keeps what Train also saves) is not measured or stored twice.
function add(point, measure = true) {
  if (!adding.has(point)) adding.set(point, record(point, measure));
  return adding.get(point);
}

async function record(point, measure) {
  if (point === page.store.state.current) {
    page.store.dispatch('save', point); // before any await: a second click must not save it twice
    $('save-point').disabled = true;
  }
  if (measure && !point.latency) {
    try {
      await measureLatency(point);
    } catch (error) {
      // A point whose model the engine has moved on from (automation keeps several) is kept
      // without a latency: nothing went wrong, and an alert would stay through the work that follows.
      if (error.kind !== 'no_model') page.showError(`Latency: ${error.message}`);
    }
  }
  const { runs, saved } = appendRun(point, page.store.state.runs);
  if (!saved && storage) page.showError(`The browser's storage is full: new points last for this visit only. ${makeRoom()}`);
  if (point === page.store.state.current) showResult($('result'), point);
  page.store.dispatch('setRuns', runs);
  $('sweep').disabled = !page.store.state.trained;
}

// What takes the room, and how to free it.
function makeRoom() {
  const tables = usage();
  const kB = (chars) => `${Math.ceil(chars / 1024).toLocaleString('en')} kB`;
  const history = JSON.stringify(page.store.state.runs).length;
  const own = tables.names.length
    ? `Your own data tables take ${kB(tables.chars)} (Forget kept tables, under Your own data, frees it); `
    : '';
  return `${own}the history takes ${kB(history)}: export it (CSV, JSON), then Clear to make room.`;
}

function render() {
  page.settings.renderTeachers();
  const { runs, selected } = page.store.state;
  $('runs').tBodies[0].replaceChildren(...runs.map((p) => row(p, p === selected)));
}

function row(p, selected) {
  const tr = document.createElement('tr');
  const distilled = p.spec.distill ? ' · distilled' : '';
  const cells = [
    p.spec.data.name,
    `${describeModel(p.spec.model)}${distilled} · ${describePipeline(p.spec.compress)}`,
    pct(p.test_accuracy),
    formatBytes(p.footprint.bytes),
    formatBytes(p.footprint.deflated_bytes),
    p.latency ? `${p.latency.median_ms.toFixed(3)} ms` : '–',
    p.backend,
  ];
  for (const value of cells) tr.insertCell().textContent = value;
  tr.tabIndex = 0;
  tr.title = 'Select this point';
  tr.classList.toggle('selected', selected);
  tr.onclick = () => page.compression.select(p);
  tr.onkeydown = (e) => {
    if (e.key === 'Enter') page.compression.select(p);
  };
  return tr;
}

// Clear empties the history at once; Undo (until the next Clear or reload) brings it back.
function replace(runs) {
  page.store.dispatch('select', null);
  const saved = saveRuns(runs);
  page.store.dispatch('setRuns', runs);
  return saved;
}

// Clear, Undo, another tab's change, and the table following the store.
function listenHistory() {
  $('clear-runs').addEventListener('click', () => {
    if (!page.store.state.runs.length) return;
    cleared = page.store.state.runs;
    replace([]);
    $('undo-clear').hidden = false;
    page.say(`Cleared ${cleared.length} point${cleared.length === 1 ? '' : 's'}: Undo brings them back.`);
  });
  $('undo-clear').addEventListener('click', () => {
    const saved = replace([...(cleared ?? []), ...page.store.state.runs]);
    cleared = null;
    $('undo-clear').hidden = true;
    const n = page.store.state.runs.length;
    page.say(`Restored ${n} point${n === 1 ? '' : 's'}${saved || !storage ? '' : ", for this visit only: the browser's storage is full"}.`);
  });

  // Another tab changed the stored history: this tab shows it too (never drops a point either saved).
  addEventListener('storage', (event) => {
    if (event.key === RUNS_KEY || event.key === null) page.store.dispatch('setRuns', reloadRuns(page.store.state.runs));
  });
  page.store.subscribe((_state, changed) => {
    if (changed.includes('runs') || changed.includes('selected')) render();
  });
}

// Exports carry the learner's name (set once, kept), so a room's files are told apart.
function listenExports() {
  $('participant').value = readJson(PARTICIPANT, '');
  $('participant').addEventListener('change', () => writeJson(PARTICIPANT, $('participant').value.trim()));
  const exportName = (extension) => `${['points', ...slug($('participant').value)].join('-')}.${extension}`;
  const runs = () => page.store.state.runs;
  $('export-csv').addEventListener('click', () => save(new Blob([toCsv(runs())], { type: 'text/csv' }), exportName('csv')));
  $('export-json').addEventListener('click', () =>
    save(new Blob([JSON.stringify(runs(), null, 1)], { type: 'application/json' }), exportName('json')),
  );
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      page.say('Link copied: it reproduces these settings.');
    } catch {
      page.say(`Copy this link: ${location.href}`);
    }
  });
}
