// The page: settings form → spec → engine worker; live curves, decision boundary, result and runs.
import '../styles.css';
import { EngineClient } from './engine-client.js';
import { readSpec, writeSpec, showRelevant } from './form.js';
import { TrainingCharts } from './charts.js';
import { drawBoundary } from './boundary.js';
import { loadRuns, saveRuns, describeModel, describePipeline } from './runs.js';
import { readSteps, writeSteps, showValues, latestOnly, trains } from './compress-controls.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const charts = new TrainingCharts($('loss-chart'), $('accuracy-chart'));
const state = { defaults: null, backend: 'cpu', training: false, runs: loadRuns(), current: null };

const engine = new EngineClient({
  onReady: ready,
  onProgress: progress,
  onCrash: (reason) => {
    showError(`The engine crashed and was restarted: ${reason}`);
    setTraining(false);
  },
});

async function ready({ webgpu, adapter, defaults }) {
  const firstStart = state.defaults === null;
  state.defaults = defaults;
  const select = $('backend-select');
  select.querySelector('option[value="webgpu"]').disabled = !webgpu;
  $('backend-hint').textContent = webgpu
    ? `WebGPU adapter: ${adapter}. For tiny models the CPU is often faster: try both.`
    : 'This browser offers no WebGPU adapter, so the engine runs on the CPU.';
  if (firstStart) {
    writeSpec(form, defaults);
    select.value = webgpu ? 'webgpu' : 'cpu';
  }
  await switchBackend(select.value);
  $('train').disabled = false;
}

async function switchBackend(name) {
  try {
    state.backend = await engine.useBackend(name);
  } catch (error) {
    showError(error.message);
    state.backend = await engine.useBackend('cpu');
    $('backend-select').value = 'cpu';
  }
  $('backend-badge').textContent = state.backend === 'webgpu' ? 'backend: WebGPU' : 'backend: CPU (wasm)';
  $('backend-badge').dataset.backend = state.backend;
}

function progress(p) {
  if (p.kind === 'batch') {
    $('progress').value = (p.epoch - 1 + p.batch / p.batches) / p.epochs;
    $('status').textContent = `Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}`;
  } else {
    const m = p.metrics;
    $('progress').value = m.epoch / p.epochs;
    $('status').textContent = `Epoch ${m.epoch}/${p.epochs}: test accuracy ${pct(m.test.accuracy)}, loss ${m.test.loss.toFixed(3)}`;
    if (state.training) charts.add(m); // fine-tuning epochs are not part of the training curves
  }
}

async function train(event) {
  event.preventDefault();
  hideError();
  let spec;
  try {
    spec = { ...readSpec(form, state.defaults), compress: readSteps() };
    spec.train.distill = readDistill();
  } catch (error) {
    return showError(error.message);
  }
  setTraining(true);
  charts.clear();
  $('boundary-figure').hidden = true;
  $('status').textContent = 'Training…';
  try {
    const point = await engine.run(spec);
    await showPoint(point);
    addRun(point);
    $('compress').disabled = false;
    $('status').textContent = `Done in ${point.train_seconds.toFixed(2)} s: test accuracy ${pct(point.test_accuracy)}`;
  } catch (error) {
    if (/^cancelled/.test(error.message)) $('status').textContent = `Training ${error.message}.`;
    else showError(error.message);
  } finally {
    setTraining(false);
  }
}

// The point now shown (trained or compressed) and, for 2D sets, its decision boundary.
async function showPoint(point) {
  state.current = point;
  showResult(point);
  if (point.spec.data.name !== 'digits') await showBoundary();
}

// Fine-tuning takes seconds: it shows progress and can be cancelled like training.
const compress = latestOnly(async (steps) => {
  const tuning = trains(steps);
  if (tuning) setBusy(true);
  try {
    await showPoint(await engine.compress(steps));
    hideError();
    if (tuning) $('status').textContent = 'Fine-tuned.';
  } catch (error) {
    if (/^cancelled/.test(error.message)) $('status').textContent = `Fine-tuning ${error.message}.`;
    else showError(error.message);
  } finally {
    if (tuning) setBusy(false);
  }
});

async function download() {
  const bytes = await engine.exportModel();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  link.download = `${state.current.spec.data.name}-${describePipeline(state.current.spec.compress).replace(/[^a-z0-9]+/gi, '-')}.epm`;
  link.click();
  URL.revokeObjectURL(link.href);
}

// A downloaded model file, read back by the engine and evaluated on its own data.
async function openModel(file) {
  hideError();
  try {
    const point = await engine.importModel(new Uint8Array(await file.arrayBuffer()));
    showResult(point);
    addRun(point);
    $('status').textContent = `Opened ${file.name}: ${describePipeline(point.spec.compress)}, test accuracy ${pct(point.test_accuracy)}`;
  } catch (error) {
    showError(`${file.name}: ${error.message}`);
  }
}

async function showBoundary() {
  drawBoundary($('boundary'), await engine.boundary(96));
  $('boundary-figure').hidden = false;
}

function showResult(p) {
  const rows = [
    ['Test accuracy', pct(p.test_accuracy), 'test-accuracy'],
    ['Train accuracy', pct(p.train_accuracy), 'train-accuracy'],
    ['Test loss', p.test_loss.toFixed(4), 'test-loss'],
    ['Compression', describePipeline(p.spec.compress), 'pipeline'],
    ['Parameters', `${p.params.toLocaleString('en')} (${p.footprint.nonzero_params.toLocaleString('en')} non-zero)`, 'params'],
    ['Exported size', `${formatBytes(p.footprint.bytes)} (${p.footprint.bits_per_param.toFixed(2)} bits/param)`, 'bytes'],
    ['Deflated', formatBytes(p.footprint.deflated_bytes), 'deflated'],
    ['float32 weights', formatBytes(p.float32_bytes), 'float32-bytes'],
    ['MACs / example', p.effective_macs === p.macs ? p.macs.toLocaleString('en')
      : `${p.effective_macs.toLocaleString('en')} (dense ${p.macs.toLocaleString('en')})`, 'macs'],
    ['Training time', `${p.train_seconds.toFixed(2)} s (${(p.train_seconds / p.history.length * 1000).toFixed(0)} ms/epoch)`, 'time'],
    ['Backend', p.backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)', 'point-backend'],
  ];
  $('result').replaceChildren(...rows.flatMap(([label, value, id]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.testid = id;
    return [dt, dd];
  }));
}

// Knowledge distillation from an earlier run of this session (the engine keeps its model, or
// retrains it from its spec).
function readDistill() {
  const teacher = state.runs[Number($('d-teacher').value)];
  if ($('d-teacher').value === '' || !teacher) return null;
  return {
    teacher: { ...teacher.spec, compress: [] },
    temperature: Number($('d-temperature').value),
    alpha: Number($('d-alpha').value),
  };
}

function renderTeachers() {
  const select = $('d-teacher');
  const chosen = select.value;
  select.replaceChildren(new Option('no teacher', ''), ...state.runs.map((p, i) => new Option(
    `run ${i + 1}: ${describeModel(p.spec.model)}, ${pct(p.test_accuracy)}`, String(i))));
  select.value = chosen < state.runs.length ? chosen : '';
  showRelevant(form);
}

function addRun(point) {
  state.runs.push(point);
  saveRuns(state.runs);
  renderRuns();
showValues();
}

function renderRuns() {
  renderTeachers();
  const body = $('runs').tBodies[0];
  body.replaceChildren(...state.runs.map((p) => {
    const row = document.createElement('tr');
    const distilled = p.spec.train.distill ? ' · distilled' : '';
    const cells = [p.spec.data.name, `${describeModel(p.spec.model)}${distilled} · ${describePipeline(p.spec.compress)}`,
      pct(p.test_accuracy), formatBytes(p.footprint.bytes), formatBytes(p.footprint.deflated_bytes), p.backend];
    for (const value of cells) row.insertCell().textContent = value;
    row.tabIndex = 0;
    row.title = 'Show this run';
    const select = () => {
      writeSpec(form, p.spec);
      writeSteps(p.spec.compress);
      showResult(p);
      charts.show(p.history);
    };
    row.onclick = select;
    row.onkeydown = (e) => { if (e.key === 'Enter') select(); };
    return row;
  }));
}

function setTraining(training) {
  state.training = training;
  setBusy(training);
  if (training) $('compress').disabled = true;
}

// While the engine runs long work: Cancel on, Train and backend switching off.
function setBusy(busy) {
  $('train').disabled = busy;
  $('cancel').disabled = !busy;
  $('backend-select').disabled = busy;
  if (!busy) $('progress').value = 0;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const formatBytes = (n) => (n < 10_000 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);

form.addEventListener('submit', train);
form.addEventListener('change', () => showRelevant(form));
$('cancel').addEventListener('click', () => {
  engine.cancel();
  $('status').textContent = 'Cancelling…';
});
$('backend-select').addEventListener('change', (e) => switchBackend(e.target.value));
$('compress').addEventListener('input', () => {
  showValues();
  compress();
});
$('save-point').addEventListener('click', () => addRun(state.current));
$('open-model').addEventListener('change', (e) => {
  if (e.target.files[0]) openModel(e.target.files[0]);
  e.target.value = '';
});
$('download').addEventListener('click', () => download().catch((error) => showError(error.message)));
$('clear-runs').addEventListener('click', () => {
  state.runs = [];
  saveRuns(state.runs);
  renderRuns();
showValues();
});
renderRuns();
showValues();
