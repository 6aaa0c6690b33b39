// The page: settings → spec → engine worker; the quality-versus-footprint chart with its Pareto
// frontier, compression sliders that move the current point, the selected model's insides,
// training curves and the history of points (kept across reloads, exportable, in the URL).
import '../styles.css';
import { EngineClient } from './engine-client.js';
import { readSpec, writeSpec, showRelevant } from './form.js';
import { TrainingCharts } from './charts.js';
import { TradeoffChart } from './tradeoff-chart.js';
import { InspectView } from './inspect-view.js';
import { drawBoundary } from './boundary.js';
import { loadRuns, saveRuns, appendRun, reloadRuns, RUNS_KEY, describeModel } from './runs.js';
import { storage, readJson, writeJson } from './storage.js';
import { slug } from './participant.js';
import { describePipeline, trains } from './techniques.js';
import {
  readSteps,
  writeSteps,
  releasePinned,
  showValues,
  latestOnly,
  initEditor,
  groupOf,
  enabledGroups,
  setHidden,
} from './compress-controls.js';
import { readUrl, writeUrl, applyHide, withDefaults } from './url-state.js';
import { chooseSweep, runSweep } from './sweep.js';
import { describe, toCsv, formatLoss, taskKey, describeTask } from './points.js';
import { pct, formatBytes, showResult } from './result-view.js';
import { BackendChoice, describeChoice, describeRace } from './backend-choice.js';
import { Race } from './backend-race.js';
import { fake } from './test-fakes.js';
import { EnginePool } from './engine-pool.js';
import { CostEstimate, describeEstimate, measuredSeconds, LONG_SECONDS } from './cost-estimate.js';
import { hasBoundary } from './data-sets.js';
import { initAutomation } from './automation-panel.js';
import { attachHelp } from './help.js';
import { initLearn } from './learn-panel.js';
import { initPresenter } from './presenter.js';
import { initClassChart } from './class-chart.js';
import { initOwnData } from './own-data.js';
import { nextStop, stepKey, describeStop } from './stepper.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const TRAINING_BUTTONS = ['train', 'step-batch', 'step-epoch']; // off while the engine works
attachHelp();
initClassChart();
const url = readUrl();
const stored = loadRuns();
const state = {
  defaults: null,
  backend: 'cpu',
  training: false,
  fitting: false, // training proper (its epochs are drawn as curves), not the pipeline's fine-tuning
  runs: stored.runs,
  current: null, // the point the sliders move (engine's current model)
  selected: null, // a history point chosen on the chart or in the table
  trained: null, // spec (without compression) of the trained model the sliders compress
  hide: url.hide,
  sweeping: false,
  tuned: false, // the running compression fine-tunes
  saved: null, // the current point once saved (Save point is then off until it changes)
  sweepStatus: null, // "Sweep over bits: 3/8" while a sweep runs
  race: null, // Auto's race while it runs (backend-race.js)
  raceStatus: null, // how far the race's WebGPU run has got
  lastTechnique: null, // the compression technique whose control moved last (what Sweep sweeps)
  work: 0, // counts the page's runs of long work (training, sweeps, fine-tuning)
};
const charts = new TrainingCharts($('loss-chart'), $('accuracy-chart'), $('curves-empty'));
const tradeoff = new TradeoffChart($('tradeoff'), $('tooltip'), $('tradeoff-legend'), select);
const inspector = new InspectView($('inspect'));
const engine = new EngineClient({
  onReady: ready,
  onProgress: progress,
  onCrash: (reason, restarted) => {
    if (!restarted) {
      showError(`The engine could not start: ${reason}.`);
      $('status').textContent = 'The engine is not running.';
      return;
    }
    showError(`The engine crashed and was restarted: ${reason}. Its models are gone: train again.`);
    forgetModels('The engine restarted, so its models are gone: train again to look inside.');
    setTraining(false);
  },
});

const automation = initAutomation({
  engine,
  trained: () => state.trained,
  busy: setBusy,
  error: showError,
  status: (text) => {
    $('status').textContent = text;
  },
  current: () => ({ ...readSpec(form, state.defaults), compress: [] }),
  progress,
  // A stage of a longer task: said, and kept before the fine-tuning epochs' progress; null ends it.
  stage: (text) => {
    state.sweepStatus = text;
    if (text) $('status').textContent = text;
  },
  keep: async (point) => {
    await showPoint(point);
    await addRun(point);
  },
  record: (point) => addRun(point, false),
  tableFor: (ref) => ownData.table(ref),
  showSteps: (steps) => {
    writeSteps(steps);
    updateUrl();
  },
});

// The Learn panel, and the presenter view when the link asks for it (`?present`).
let presenting = null;
const learn = initLearn({
  float: () => state.baseline,
  points: () => (state.current && !state.runs.includes(state.current) ? [...state.runs, state.current] : state.runs),
  moved: () => updateUrl(),
  shown: (control) => presenting?.(control),
});
if (url.present) presenting = initPresenter((delta) => learn.go(delta));

const ownData = initOwnData({
  engine,
  use: (table) => {
    $('f-data-name').value = 'custom';
    $('f-data-table').value = JSON.stringify(table);
    hideError();
    form.dispatchEvent(new Event('change'));
  },
  error: showError,
});

let autoChoice = null; // made when the adapter is known (its figures are kept per adapter)
const estimate = new CostEstimate();
let estimating = 0; // the latest estimate request; older answers are dropped

// Says before Train how long training the form's model will take here, and warns of a long run.
async function showEstimate() {
  showPipelineNote();
  const request = ++estimating;
  const hint = $('estimate');
  let said = { text: '', detail: '' };
  let warn = false;
  try {
    const cost = await engine.runCost(currentSpec()); // the pipeline's fine-tuning counts too
    const seconds = estimate.seconds(cost, state.backend);
    said = describeEstimate(seconds, cost, state.backend);
    warn = seconds > LONG_SECONDS;
  } catch (error) {
    // A value out of range is named as it is typed, by the engine's own rules, not at Train.
    said = { text: `Cannot train: ${error.detail ?? error.message}`, detail: error.message };
    warn = true;
  }
  if (request !== estimating) return;
  hint.textContent = said.text;
  hint.title = said.detail;
  hint.classList.toggle('long', warn);
}

// A pipeline in the controls runs after every Train (a strategy's or mixed precision's too, on any
// data): said beside Train, with one click to train without it.
function showPipelineNote() {
  let steps = [];
  try {
    steps = readSteps();
  } catch {
    // a per-layer list that does not read: the field says so
  }
  $('pipeline-note').hidden = !steps.length;
  $('pipeline-note-text').textContent = steps.length ? `Each Train then compresses: ${describePipeline(steps)}.` : '';
}
$('clear-pipeline').addEventListener('click', () => {
  writeSteps([]);
  showValues();
  updateUrl();
  showEstimate();
  if (state.trained) compress();
});

// The engine's largest accepted values become the inputs' ranges (one source for both).
function applyLimits(limits) {
  const max = {
    'f-data-samples': limits.samples,
    'f-train-epochs': limits.epochs,
    'f-train-batch-size': limits.batch_size,
    'c-fine-tune-epochs': limits.epochs,
    'c-depth': limits.layers,
    'c-stages': limits.stages,
    'f-train-label-smoothing': limits.label_smoothing,
    'f-train-augment-shift': limits.augment_shift,
    'f-train-augment-rotate': limits.augment_rotate,
    'f-train-augment-noise': limits.augment_noise,
  };
  for (const [id, value] of Object.entries(max)) $(id).max = value;
}

// After an engine restart nothing the page shows may pretend the engine still has a model.
function forgetModels(message) {
  Object.assign(state, { trained: null, current: null, selected: null, saved: null });
  automation.trainedChanged(null);
  $('result').replaceChildren(Object.assign(document.createElement('dd'), { className: 'empty', textContent: message }));
  inspector.clear(message);
  $('boundary-figure').hidden = true;
  $('save-point').disabled = true;
  $('download').disabled = true;
  $('measure-latency').disabled = true;
  renderRuns();
  redrawChart();
}

async function ready({ webgpu, adapter, software, defaults, catalog }) {
  const firstStart = state.defaults === null;
  state.defaults = defaults;
  applyLimits(catalog.limits);
  autoChoice = new BackendChoice(engine, adapter ?? '', storage, { software });
  const select = $('backend-select');
  for (const name of ['auto', 'webgpu', 'race']) select.querySelector(`option[value="${name}"]`).disabled = !webgpu;
  $('backend-hint').textContent = !webgpu
    ? 'This browser offers no WebGPU adapter, so the engine runs on the CPU (WebGPU needs a recent Chrome or Edge, or a flag elsewhere).'
    : software
      ? `The only WebGPU adapter is a software one (${adapter}): it emulates a GPU on the CPU and trains far slower than the CPU backend, so the CPU is the default.`
      : `WebGPU adapter: ${adapter}. Auto trains on the faster of the CPU and WebGPU for your model (racing them the first time a run is long enough).`;
  if (firstStart) {
    await applyLink();
    const wanted = url.backend ?? (webgpu && !software ? 'auto' : 'cpu');
    select.value = wanted !== 'cpu' && !webgpu ? 'cpu' : wanted;
    if (wanted !== 'cpu' && !webgpu)
      showError('The link asks for WebGPU, but this browser offers no WebGPU adapter: the engine runs on the CPU.');
  }
  await switchBackend(select.value);
  for (const id of TRAINING_BUTTONS) $(id).disabled = false;
  redrawChart();
  if (firstStart && url.strategy) await offerLinkStrategy(url.strategy);
}

// A link with `strategy=` trains its model, then runs the strategy: work of minutes or hours that
// never starts without a click. The page asks first, with the training's estimate.
async function offerLinkStrategy(strategy) {
  const name = strategy.name === 'shrink' ? 'Shrink-and-Improve' : 'Grow-Improve-and-Shrink';
  let training;
  try {
    const cost = await engine.runCost(currentSpec());
    training = `${describeEstimate(estimate.seconds(cost, state.backend), cost, state.backend).text}, then the strategy's fine-tuning.`;
  } catch (error) {
    training = `Its settings cannot train: ${error.detail ?? error.message}.`;
  }
  const dialog = $('link-run');
  $('link-run-text').textContent = `This link trains its model, then runs ${name} on it. ${training}`;
  const go = await new Promise((resolve) => {
    $('link-run-go').onclick = () => resolve(true);
    $('link-run-no').onclick = () => resolve(false);
    dialog.oncancel = () => resolve(false); // Escape
    dialog.showModal();
  });
  dialog.close();
  if (!go) return;
  await train({ preventDefault() {} }); // the link's model first, then its strategy
  if (state.trained) automation.run(strategy);
}

// The link's settings, checked by the engine first: a link that does not parse or holds a value
// out of range says which field, and the page starts from the defaults.
async function applyLink() {
  if (url.error) showError(url.error);
  if (!url.spec) return showSpec(state.defaults);
  const spec = withDefaults(url.spec, state.defaults);
  try {
    await engine.checkSpec(spec);
    showSpec(spec);
  } catch (error) {
    showError(`This link's settings cannot be used (${error.message}); the page starts from the defaults.`);
    showSpec(state.defaults);
  }
}

function showSpec(spec) {
  writeSpec(form, spec);
  writeSteps(spec.compress ?? []);
  writeDistill(spec.distill);
  if (spec.data?.table) restoreTable(spec.data.table);
}

// A spec on the learner's own data: the table is handed to the engine again if this browser kept
// it; if not, the page says which data it needs.
async function restoreTable(table) {
  if (await ownData.restore(table).catch(() => false)) return;
  showError(
    `These settings train on "${table.name}" (${table.rows} rows, ${table.features} features, ${table.classes} classes), a data set of its author's own that this browser has not opened: open the same CSV file (or draw the points) under Your own data to train on it.`,
  );
}

// The backend chosen in the form: "auto" decides when training starts, "race" trains on both (see `trainSpec`).
async function switchBackend(name) {
  if (name === 'cpu' || name === 'webgpu') await useEngineBackend(name);
  showBackend();
  updateUrl();
  showEstimate();
}

async function useEngineBackend(name) {
  try {
    state.backend = await engine.useBackend(name);
  } catch (error) {
    showError(error.message);
    state.backend = await engine.useBackend('cpu');
    $('backend-select').value = 'cpu';
  }
}

function showBackend() {
  const auto = { auto: 'Auto → ', race: 'Race → ' }[$('backend-select').value] ?? '';
  const racing = state.race && state.race.gaveUpAfter === null;
  const now = racing ? 'racing CPU and WebGPU' : state.backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)';
  $('backend-badge').textContent = `backend: ${auto}${now}`;
  $('backend-badge').dataset.backend = state.backend;
}

// Auto: the faster backend for this model, known from an earlier run, or found by a race (the
// figures are shown). Resolves to the choice when the run should race, else to null.
async function chooseBackend(spec) {
  const { steps } = await engine.runCost({ ...spec, compress: [] });
  const choice = await autoChoice.choose(spec, steps, (text) => {
    $('status').textContent = text;
  });
  if (choice.chosen === 'race') return choice;
  await useEngineBackend(choice.chosen);
  $('backend-hint').textContent = describeChoice(choice, spec.train.batch_size);
  showBackend();
  return null;
}

// Trains `spec` on the CPU in the page's engine and on WebGPU in a second engine at once
// (backend-race.js); the first to finish is kept. A WebGPU winner's model is handed to the page's
// engine, which switches to WebGPU. `cpuMs`: the CPU's step as Auto timed it (null for Race).
// Resolves to the winner's point.
async function raceBackends(spec, { steps_per_epoch: stepsPerEpoch }, cpuMs) {
  await useEngineBackend('cpu');
  const helper = new EnginePool(1, { onProgress: (p) => raceProgress(race, p) });
  const table = spec.data.table && ownData.table(spec.data.table);
  const onHelper = async (work) => (await helper.each(work))[0];
  let ownRun; // WebGPU's run from scratch, stopped when it takes the CPU's run over instead
  const race = new Race(
    {
      cpu: {
        run: () => engine.run(spec),
        stop: () => engine.cancel(),
        handOver: () => engine.handOver(),
        resume: (runState) => engine.resume(spec, runState),
      },
      webgpu: {
        run: () =>
          (ownRun = onHelper(async (other) => {
            if (table) await other.provideTable(table);
            await other.useBackend('webgpu');
            return other.run(spec);
          })),
        resume: async (state) => {
          await onHelper((other) => other.cancel());
          await ownRun.catch(() => {});
          return onHelper((other) => other.resume(spec, state));
        },
        stop: () => {
          if (race.gaveUpAfter !== null) state.raceStatus = `WebGPU stopped after its epoch ${race.gaveUpAfter}: it could not catch up`;
          helper.close('WebGPU lost the race');
          showBackend();
        },
      },
    },
    { stepsPerEpoch, epochs: plannedEpochs(spec.train, stepsPerEpoch), decide: fake('raceDecision') },
  );
  state.race = race;
  state.raceStatus = 'Racing WebGPU in a second worker (starting its engine)';
  showBackend();
  try {
    const outcome = await race.run();
    if (outcome.winner === 'webgpu') {
      const bytes = await helper.each((other) => other.exportModel(spec));
      state.backend = await engine.useBackend('webgpu').catch(() => state.backend);
      await engine.adoptModel(bytes[0], outcome.point);
      charts.clear();
      for (const m of outcome.point.history) charts.add(m);
    }
    autoChoice.record(spec, outcome.figures);
    const who = $('backend-select').value === 'race' ? 'Race' : 'Auto';
    $('backend-hint').textContent = describeRace(outcome, spec.train.batch_size, spec.train.epochs, cpuMs, who);
    return outcome.point;
  } finally {
    state.race = null;
    state.raceStatus = null;
    helper.close('the race is over');
    showBackend();
  }
}

// The epochs a run trains: all of them, or up to the step it stops after.
function plannedEpochs({ epochs, stop_after: stopAfter }, stepsPerEpoch) {
  return stopAfter ? Math.min(epochs, Math.ceil(stopAfter / stepsPerEpoch)) : epochs;
}

// The race's own line: how far WebGPU, in the second engine, has got. Once it has taken the CPU's
// run over, its progress is the run's (not what its own run, being stopped, still reports); once it
// has stopped, behind for good, the line says so (backend-race.js).
function raceProgress(race, p) {
  if (race.gaveUpAfter === null && p.kind === 'epoch') race.epoch('webgpu', p.metrics);
  if (race.gaveUpAfter !== null) return; // stopped, behind for good (now or before): its line says so
  const after = race.handover?.after_epoch;
  if (after !== undefined) {
    state.raceStatus = `WebGPU took the run over from the CPU after epoch ${after}`;
    if ((p.kind === 'epoch' ? p.metrics.epoch : p.epoch) > after) showTraining(p);
    return;
  }
  const where =
    p.kind === 'epoch'
      ? `epoch ${p.metrics.epoch}/${p.epochs} done`
      : p.kind === 'batch'
        ? `epoch ${p.epoch}/${p.epochs}${p.epoch === 1 ? ', compiling its kernels' : ''}`
        : 'loading the data';
  state.raceStatus = `Racing WebGPU in a second worker (${where})`;
}

function progress(p) {
  if (p.kind === 'data') {
    $('status').textContent = `Loading the ${p.name.toUpperCase()} data (first use)…`;
    return;
  }
  if (p.kind === 'task') {
    $('progress').value = p.done / p.of;
    $('status').textContent = `${p.task[0].toUpperCase()}${p.task.slice(1)}: ${p.done} of ${p.of} settings evaluated`;
    return;
  }
  if (!state.training && !state.tuned) {
    state.tuned = true; // fine-tuning inside a compression pipeline
    setBusy(true);
  }
  if (p.kind === 'epoch') state.race?.epoch('cpu', p.metrics);
  showTraining(p);
}

// A training run's batch or epoch: progress bar, status line, and the curves while fitting.
function showTraining(p) {
  // which sweep value fine-tunes, or how far a race's WebGPU run has got
  const during = [state.sweepStatus, state.raceStatus]
    .filter(Boolean)
    .map((text) => `${text} · `)
    .join('');
  if (p.kind === 'batch') {
    $('progress').value = (p.epoch - 1 + p.batch / p.batches) / p.epochs;
    $('status').textContent =
      `${during}Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}${p.batch === p.batches ? evaluating(p.epoch) : ''}`;
  } else {
    const m = p.metrics;
    $('progress').value = m.epoch / p.epochs;
    $('status').textContent =
      `${during}Epoch ${m.epoch}/${p.epochs}: test accuracy ${pct(m.test.accuracy)}, loss ${formatLoss(m.test.loss, 3)}`;
    if (state.fitting) charts.add(m); // fine-tuning epochs are not part of the training curves
  }
}

// After an epoch's last step the engine evaluates the model on both sets. On WebGPU that is also
// when the queued steps run, and on a model's first epoch its GPU kernels compile first: seconds on
// a GPU, tens of seconds on a software adapter, with nothing else to show.
function evaluating(epoch) {
  return state.backend === 'webgpu' && epoch === 1
    ? ' · evaluating (the first epoch on WebGPU also compiles the GPU kernels, which can take a while)…'
    : ' · evaluating…';
}

function currentSpec() {
  const spec = { ...readSpec(form, state.defaults), compress: readSteps() };
  spec.distill = readDistill();
  return spec;
}

// The form's spec for a run, or null after saying which field is wrong.
function specToRun() {
  hideError();
  try {
    return currentSpec();
  } catch (error) {
    showError(error.message);
    return null;
  }
}

async function train(event) {
  event.preventDefault();
  const spec = specToRun();
  if (!spec) return;
  const baseline = await trainSpec(spec);
  if (baseline)
    $('status').textContent =
      `Done in ${baseline.train_seconds.toFixed(2)} s: test accuracy ${pct((state.current ?? baseline).test_accuracy)}`;
}

// Trains `spec`: its float model, then its pipeline if it has one; both become points, saved in the
// history unless `save` is false (a step-by-step stop). Resolves to the float model's point, or
// null when training failed or was cancelled (the page says which).
async function trainSpec(spec, { save = true } = {}) {
  setTraining(true);
  charts.clear();
  try {
    const mode = $('backend-select').value;
    const racing = mode === 'race' ? { cpu: null } : mode === 'auto' ? await chooseBackend(spec) : null; // the choice, when racing
    $('status').textContent = racing
      ? 'Training on the CPU here and on WebGPU in a second worker; the first to finish is kept…'
      : 'Training…';
    // The float model is always a point (the baseline a compressed point is judged against);
    // a pipeline set before training then gives a second point.
    const trained = { ...spec, compress: [] };
    const cost = await engine.runCost(trained);
    state.fitting = true;
    const baseline = await (racing ? raceBackends(trained, cost, racing.cpu) : engine.run(trained)).finally(() => {
      state.fitting = false;
    });
    estimate.learn(cost, baseline.backend, measuredSeconds(baseline));
    state.trained = trained;
    state.baseline = baseline;
    automation.trainedChanged(baseline);
    state.selected = null;
    await showPoint(baseline);
    if (save) await addRun(baseline);
    if (spec.compress.length) {
      $('status').textContent = `Trained; compressing: ${describePipeline(spec.compress)}…`;
      const point = await engine.compress(spec);
      await showPoint(point);
      if (save) await addRun(point);
    }
    return baseline;
  } catch (error) {
    if (error.kind === 'cancelled') $('status').textContent = `Training ${error.message}.`;
    else showError(error.message);
    return null;
  } finally {
    setTraining(false);
    showEstimate();
  }
}

// The point the engine now holds (trained or compressed): result, chart, insides.
async function showPoint(point) {
  state.current = point;
  showResult($('result'), point);
  for (const id of ['download', 'measure-latency']) $(id).disabled = false;
  $('save-point').disabled = state.saved === point;
  redrawChart();
  refreshInspect();
  learn.onPoint(point);
}

// The chart shows one task (data set and split) at a time: points of different data never
// compete. The task is the one set in the form (selecting a point sets the form to its task).
function shownTask() {
  try {
    return state.defaults ? readSpec(form, state.defaults).data : null;
  } catch {
    return (state.selected ?? state.current)?.spec.data ?? null; // a field being edited is invalid
  }
}

function redrawChart() {
  const task = shownTask();
  const key = task ? taskKey(task) : null;
  const same = state.runs.filter((p) => taskKey(p.spec.data) === key);
  const current = state.current && taskKey(state.current.spec.data) === key ? state.current : null;
  tradeoff.update(same, current, state.selected);
  const onFrontier = tradeoff.marks.filter((m) => m.frontier && m.saved).length;
  const plotted = tradeoff.marks.filter((m) => m.saved).length;
  const others = state.runs.length - same.length;
  const elsewhere = others
    ? ` ${others} saved point${others === 1 ? '' : 's'} of other data not shown: choose that data set to see ${others === 1 ? 'it' : 'them'}.`
    : '';
  $('frontier-summary').textContent =
    (plotted
      ? `${onFrontier} of ${plotted} saved points are on the Pareto frontier of ${describeTask(task)} (no other point is both smaller and better).`
      : 'Train a model: its point appears here, and moves as you drag the compression sliders.') + elsewhere;
}

// Looking inside the model costs an engine call: wait until the sliders rest.
let inspectTimer = 0;
function refreshInspect() {
  clearTimeout(inspectTimer);
  inspectTimer = setTimeout(async () => {
    const point = state.current;
    try {
      const view = await engine.inspect(point.spec);
      if (point !== state.current) return; // the sliders moved on: a newer point will be inspected
      inspector.show(view, point);
      if (hasBoundary(point.spec.data)) drawBoundary($('boundary'), await engine.boundary(point.spec, 96));
      $('boundary-figure').hidden = !hasBoundary(point.spec.data);
    } catch (error) {
      inspector.clear(error.message);
    }
  }, 150);
}

const POINT_STATUS = /^(Done in |Compressed: |Fine-tuned|Opened )/;

// Re-compresses the trained model with the sliders' pipeline. Fine-tuning takes seconds: it
// shows progress and can be cancelled like training. Slider-to-redraw time is recorded as a
// `slider-to-redraw` performance measure.
// The engine resumes after fine-tuning it has already done, so the page knows that a step
// fine-tunes only when its progress arrives (then Cancel is offered).
const compress = latestOnly(async (steps) => {
  if (!state.trained) {
    $('status').textContent = `Compression set to ${describePipeline(steps)}: it is applied when you train a model.`;
    return;
  }
  const started = performance.now();
  state.tuned = false;
  try {
    const point = await engine.compress({ ...state.trained, compress: steps });
    await showPoint(point);
    await new Promise(requestAnimationFrame);
    performance.measure('slider-to-redraw', { start: started, end: performance.now() });
    hideError();
    // A status line that told a point's accuracy follows the point shown (it kept "Done in …: 97.8 %"
    // of the float model); one that tells of other work (a sweep's, a search's) stays.
    if (state.tuned || POINT_STATUS.test($('status').textContent)) {
      const what = steps.length ? describePipeline(steps) : 'the float model';
      $('status').textContent = `${state.tuned ? 'Fine-tuned' : 'Compressed'}: ${what}, test accuracy ${pct(point.test_accuracy)}`;
    }
  } catch (error) {
    if (error.kind !== 'cancelled') showError(error.message);
    else if (state.current) {
      // The controls go back to the model still shown, so settings and Result agree.
      writeSteps(state.current.spec.compress);
      $('status').textContent =
        `Fine-tuning ${error.message}; the controls are back to the model shown (${describePipeline(state.current.spec.compress)}).`;
    }
  } finally {
    if (state.tuned && !state.sweeping) setBusy(false);
  }
});

// A point chosen on the chart or in the table: its settings come back, and if this visit
// trained its model, its insides are shown — at once if the engine produced it lately, else after
// re-applying its pipeline.
async function select(point) {
  state.selected = point;
  writeSpec(form, point.spec);
  writeSteps(point.spec.compress);
  writeDistill(point.spec.distill);
  showResult($('result'), point);
  charts.show(point.history);
  renderRuns();
  redrawChart();
  updateUrl();
  const trained = { ...point.spec, compress: [] };
  if (await engine.holdsVariant(point.spec)) {
    // Produced lately (calls are keyed by the point's spec): shown as it is, nothing re-run.
    state.trained = trained;
    automation.refresh();
    state.saved = point;
    return showPoint(point);
  }
  if (trains(point.spec.compress)) {
    inspector.clear("This point's pipeline fine-tunes: move a compression control to re-run it and look inside.");
    return;
  }
  try {
    const current = await engine.compress(point.spec);
    state.trained = trained;
    automation.refresh();
    const shown = { ...current, latency: point.latency };
    state.saved = shown; // it is the selected point, already saved
    await showPoint(shown);
  } catch (error) {
    inspector.clear(`${error.message} (points from an earlier visit keep their figures, not their models).`);
  }
}

async function download() {
  const bytes = await engine.exportModel(state.current.spec);
  const name = `${state.current.spec.data.name}-${describePipeline(state.current.spec.compress).replace(/[^a-z0-9]+/gi, '-')}.epm`;
  save(new Blob([bytes], { type: 'application/octet-stream' }), name);
}

function save(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// A downloaded model file, read back by the engine and evaluated on its own data: long for a wide
// CNN (batches of bounded memory over all its training and test examples), so Cancel is on, and
// stops it by restarting the engine (an import does not pause between batches).
async function openModel(file) {
  hideError();
  setBusy(true);
  $('status').textContent = `Opening ${file.name}: checking it and evaluating its model on its data (Cancel stops it)…`;
  try {
    const point = await engine.importModel(new Uint8Array(await file.arrayBuffer()));
    showResult($('result'), point);
    await addRun(point, false);
    $('status').textContent = `Opened ${file.name}: ${describePipeline(point.spec.compress)}, test accuracy ${pct(point.test_accuracy)}`;
  } catch (error) {
    if (error.kind === 'cancelled') $('status').textContent = `Opening ${file.name} was cancelled.`;
    else showError(`${file.name}: ${error.message}`);
  } finally {
    setBusy(false);
  }
}

// Latency of the point's model, kept with the point (the answer names the backend it ran on: where
// the model is).
async function measureLatency(point) {
  point.latency = await engine.measureLatency(point.spec, 30);
  return point;
}

// Knowledge distillation from an earlier run of this session (the engine keeps its model, or
// retrains it from its spec), or from the teacher a link or a stored point names: not among the
// points, it is kept as given and trained first.
let linkTeacher = null;

function readDistill() {
  const value = $('d-teacher').value;
  const teacher = value === 'link' ? linkTeacher : state.runs[Number(value)]?.spec;
  if (value === '' || !teacher) return null;
  return {
    teacher: { ...teacher, compress: [] },
    temperature: Number($('d-temperature').value),
    alpha: Number($('d-alpha').value),
  };
}

// Shows a spec's distillation: its teacher is chosen among the saved points by its training spec.
function writeDistill(distill) {
  const trainedPart = (spec) => JSON.stringify({ ...spec, compress: [] });
  const teacher = distill ? state.runs.findIndex((p) => trainedPart(p.spec) === trainedPart(distill.teacher)) : -1;
  linkTeacher = distill && teacher < 0 ? distill.teacher : null;
  renderTeachers();
  $('d-teacher').value = teacher >= 0 ? String(teacher) : linkTeacher ? 'link' : '';
  if (distill) {
    $('d-temperature').value = distill.temperature;
    $('d-alpha').value = distill.alpha;
    if (teacher < 0)
      $('status').textContent = 'The distillation teacher of these settings is not among your points: Train trains it first.';
  }
  showRelevant(form);
}

function renderTeachers() {
  const select = $('d-teacher');
  const chosen = select.value;
  const fromLink = linkTeacher ? [new Option(`from the link: ${describeModel(linkTeacher.model)} (trained first)`, 'link')] : [];
  select.replaceChildren(
    new Option('no teacher', ''),
    ...fromLink,
    ...state.runs.map(
      (p, i) =>
        new Option(
          `point ${i + 1}: ${describeModel(p.spec.model)} · ${describePipeline(p.spec.compress)}, ${pct(p.test_accuracy)}`,
          String(i),
        ),
    ),
  );
  select.value = (chosen === 'link' && linkTeacher) || chosen < state.runs.length ? chosen : '';
  showRelevant(form);
}

// Records a point in the history (measuring its latency first when it is the engine's model).
async function addRun(point, measure = true) {
  if (point === state.current) {
    state.saved = point; // before any await: a second click must not save it twice
    $('save-point').disabled = true;
  }
  if (measure && !point.latency) {
    try {
      await measureLatency(point);
    } catch (error) {
      // A point whose model the engine has moved on from (automation keeps several) is kept without
      // a latency: nothing went wrong, and an alert would stay through the work that follows.
      if (error.kind !== 'no_model') showError(`Latency: ${error.message}`);
    }
  }
  const { runs, saved } = appendRun(point, state.runs);
  if (!saved && storage) {
    showError("The browser's storage is full: new points last for this visit only. Export them (CSV, JSON) and Clear to make room.");
  }
  if (point === state.current) showResult($('result'), point);
  showRuns(runs);
  $('sweep').disabled = !state.trained;
}

function renderRuns() {
  renderTeachers();
  const body = $('runs').tBodies[0];
  body.replaceChildren(
    ...state.runs.map((p) => {
      const row = document.createElement('tr');
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
      for (const value of cells) row.insertCell().textContent = value;
      row.tabIndex = 0;
      row.title = 'Select this point';
      row.classList.toggle('selected', p === state.selected);
      row.onclick = () => select(p);
      row.onkeydown = (e) => {
        if (e.key === 'Enter') select(p);
      };
      return row;
    }),
  );
}

// The sweep of the technique being set (its control moved last), shown on the Sweep button.
function currentSweep() {
  return chooseSweep(state.lastTechnique, enabledGroups());
}

function labelSweep() {
  const chosen = currentSweep();
  $('sweep').textContent = chosen ? `Sweep ${chosen.label}` : 'Sweep';
}

// Fills the curve of the technique being set, one point per value, into the history.
async function sweep() {
  const chosen = currentSweep();
  if (!chosen) return showError('Enable a compression technique first (quantize, prune, cluster, low rank or resize).');
  hideError();
  releasePinned();
  state.sweeping = true;
  setBusy(true);
  let failed = null;
  let cancelled = false;
  let done = 0;
  try {
    done = await runSweep(chosen, async (i, n) => {
      state.sweepStatus = `Sweep over ${chosen.label}: ${i + 1}/${n}`;
      $('status').textContent = state.sweepStatus;
      showValues();
      try {
        const point = await engine.compress({ ...state.trained, compress: readSteps() });
        await showPoint(point);
        await addRun(point);
      } catch (error) {
        failed = error;
        return false;
      }
      cancelled = !state.sweeping;
      return state.sweeping;
    });
  } finally {
    state.sweeping = false;
    state.sweepStatus = null;
    setBusy(false);
    showValues();
  }
  const n = chosen.values.length;
  const added = `${done} new point${done === 1 ? '' : 's'}`;
  if (failed && failed.kind !== 'cancelled') showError(`Sweep stopped after ${added}: ${failed.message}`);
  else if (failed || cancelled) $('status').textContent = `Sweep over ${chosen.label} cancelled after ${done} of ${n} values: ${added}.`;
  else $('status').textContent = `Sweep over ${chosen.label} done: ${added}.`;
  // A cheap sweep gives the slider back where it was; one that was stopped, or that fine-tunes
  // (going back would fine-tune again), leaves the controls at the last point it made.
  if (failed || cancelled || trains(readSteps())) {
    if (state.current) writeSteps(state.current.spec.compress);
  } else {
    compress();
  }
}

function updateUrl() {
  if (!state.defaults) return;
  try {
    writeUrl({
      spec: currentSpec(),
      axes: tradeoff.axes,
      hide: state.hide,
      backend: $('backend-select').value,
      lesson: learn.where(),
      present: url.present,
    });
  } catch {
    // An invalid field: the URL keeps the last valid settings.
  }
}

function setTraining(training) {
  state.training = training;
  setBusy(training);
  $('compress').disabled = training;
}

// While the engine runs long work: Cancel on; Train, Sweep, backend switching and opening a
// model file (it would wait behind the work) off.
function setBusy(busy) {
  if (busy) state.work += 1; // which run of work a late Cancel belongs to
  for (const id of TRAINING_BUTTONS) $(id).disabled = busy;
  $('cancel').disabled = !busy;
  $('backend-select').disabled = busy;
  $('sweep').disabled = busy || !state.trained;
  automation.busy(busy);
  $('open-model').disabled = busy;
  $('open-model').title = busy ? 'Wait until the running work ends (or Cancel it)' : '';
  if (!busy) $('progress').value = 0;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

form.addEventListener('submit', train);
// Step by step: the form's model, one batch or one epoch further each click (stepper.js); a changed
// form starts again from step 0. Each stop is shown (Save point keeps it), not saved.
const stepping = { key: null, steps: 0 };
async function step(unit) {
  const spec = specToRun();
  if (!spec) return;
  if (stepKey(spec) !== stepping.key) Object.assign(stepping, { key: stepKey(spec), steps: 0 });
  const { steps_per_epoch: perEpoch } = await engine.runCost({ ...spec, compress: [] }).catch((error) => {
    showError(error.message);
    return {};
  });
  if (!perEpoch) return;
  const stop = nextStop(spec, stepping.steps, perEpoch, unit);
  const point = await trainSpec(stop.spec, { save: false });
  if (!point) return;
  stepping.steps = stop.steps;
  $('status').textContent =
    `Step by step: ${describeStop(stop.steps, perEpoch)}; test accuracy ${pct(point.test_accuracy)}. Save point keeps it.`;
}
$('step-batch').addEventListener('click', () => step('batch'));
$('step-epoch').addEventListener('click', () => step('epoch'));
form.addEventListener('change', () => {
  showRelevant(form);
  redrawChart();
  updateUrl();
  showEstimate();
});
// While a value is typed, the estimate follows once typing pauses.
let typing;
form.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(showEstimate, 200);
});
// The engine checks Cancel between batches; a batch that runs on longer than this (huge models and
// batches) is not waited for: the engine is restarted and its models are lost.
const CANCEL_WAIT_MS = 1000;
const RESTARTED = 'cancelled mid-batch: the engine was restarted, so the models it held are gone';

$('cancel').addEventListener('click', () => {
  state.sweeping = false;
  engine.cancel();
  state.race?.stop();
  automation.cancel();
  $('status').textContent = 'Cancelling…';
  const work = state.work;
  setTimeout(() => {
    if (state.work !== work || $('cancel').disabled) return;
    $('status').textContent = `${RESTARTED.replace(/^c/, 'C')}.`;
    engine.restart(RESTARTED);
    forgetModels('Cancel restarted the engine mid-batch, so its models are gone: train again to look inside.');
  }, CANCEL_WAIT_MS);
});
$('backend-select').addEventListener('change', (e) => switchBackend(e.target.value));
// Moving the Bits or Sparsity slider sets every layer to it; a per-layer list applies when typed in
// full (on change, not at every keystroke).
const PER_LAYER = { 'c-bits': 'c-layer-bits', 'c-sparsity': 'c-layer-sparsity' };
$('compress').addEventListener('input', (event) => {
  if (event.target.type === 'text') return;
  if (PER_LAYER[event.target.id]) $(PER_LAYER[event.target.id]).value = '';
  compressionChanged(event);
});
$('compress').addEventListener('change', (event) => {
  if (event.target.type === 'text') compressionChanged(event);
});
function compressionChanged(event) {
  state.lastTechnique = groupOf(event.target) ?? state.lastTechnique;
  try {
    readSteps(); // a per-layer list that does not read: say so, change nothing
  } catch (error) {
    return showError(error.message);
  }
  showValues();
  labelSweep();
  showBitsHint();
  updateUrl();
  estimateIfTrainingChanged();
  if (!state.sweeping) compress();
}
// The estimate counts the pipeline's training epochs, so it is asked again when they may have
// changed, not at every slider step (an engine request queued before each re-compression).
let pipelineTraining = '[]';
function estimateIfTrainingChanged() {
  let training = pipelineTraining;
  try {
    training = JSON.stringify(readSteps().filter((step) => trains([step])));
  } catch {
    // a per-layer list that does not read: compressionChanged has said so
  }
  showPipelineNote();
  if (training === pipelineTraining) return;
  pipelineTraining = training;
  showEstimate();
}
$('save-point').addEventListener('click', () => {
  if (state.current && state.saved !== state.current) addRun(state.current);
});
$('measure-latency').addEventListener('click', async () => {
  try {
    showResult($('result'), await measureLatency(state.current));
    redrawChart();
  } catch (error) {
    showError(error.message);
  }
});
$('open-model').addEventListener('change', (e) => {
  if (e.target.files[0]) openModel(e.target.files[0]);
  e.target.value = '';
});
$('download').addEventListener('click', () => download().catch((error) => showError(error.message)));
// The history is `runs` now (the selected point kept by id); renders it.
function showRuns(runs) {
  state.runs = runs;
  if (state.selected) state.selected = runs.find((p) => p.id === state.selected.id) ?? null;
  renderRuns();
  redrawChart();
}
// Another tab changed the stored history: this tab shows it too (never drops a point either saved).
addEventListener('storage', (event) => {
  if (event.key === RUNS_KEY || event.key === null) showRuns(reloadRuns(state.runs));
});
// Clear empties the history at once; Undo (until the next Clear or reload) brings it back.
let cleared = null;
function setRuns(runs) {
  state.selected = null;
  const saved = saveRuns(runs);
  showRuns(runs);
  return saved;
}
$('clear-runs').addEventListener('click', () => {
  if (!state.runs.length) return;
  cleared = state.runs;
  setRuns([]);
  $('undo-clear').hidden = false;
  $('status').textContent = `Cleared ${cleared.length} point${cleared.length === 1 ? '' : 's'}: Undo brings them back.`;
});
$('undo-clear').addEventListener('click', () => {
  const saved = setRuns([...(cleared ?? []), ...state.runs]);
  cleared = null;
  $('undo-clear').hidden = true;
  $('status').textContent =
    `Restored ${state.runs.length} points${saved || !storage ? '' : ", for this visit only: the browser's storage is full"}.`;
});
for (const id of ['x-axis', 'y-axis', 'log-x']) {
  $(id).addEventListener('change', () => {
    tradeoff.setAxes({ x: $('x-axis').value, y: $('y-axis').value, log: $('log-x').checked });
    redrawChart();
    updateUrl();
  });
}
$('inspect-layer').addEventListener('change', () => refreshInspect());
$('sweep').addEventListener('click', sweep);
// Exports carry the learner's name (set once, kept), so a room's files are told apart.
const PARTICIPANT = 'efficiency-playground.participant.v1';
$('participant').value = readJson(PARTICIPANT, '');
$('participant').addEventListener('change', () => writeJson(PARTICIPANT, $('participant').value.trim()));
const exportName = (extension) => `${['points', ...slug($('participant').value)].join('-')}.${extension}`;
$('export-csv').addEventListener('click', () => save(new Blob([toCsv(state.runs)], { type: 'text/csv' }), exportName('csv')));
$('export-json').addEventListener('click', () =>
  save(new Blob([JSON.stringify(state.runs, null, 1)], { type: 'application/json' }), exportName('json')),
);
$('export-png').addEventListener('click', async () => {
  const title = `Quality vs footprint: ${state.runs.length} points${state.current ? ` · current: ${describe(state.current)}` : ''}`;
  save(await tradeoff.png(title), 'tradeoff.png');
});
$('copy-link').addEventListener('click', async () => {
  updateUrl();
  try {
    await navigator.clipboard.writeText(location.href);
    $('status').textContent = 'Link copied: it reproduces these settings.';
  } catch {
    $('status').textContent = `Copy this link: ${location.href}`;
  }
});

// Symmetric 2-bit quantization has three levels: say why it can do worse than 1 bit.
function showBitsHint() {
  const bits = Number($('c-bits').value);
  $('bits-hint').hidden = !($('c-quantize').checked && $('c-symmetric').checked && bits === 2);
}

initEditor();
applyHide(state.hide);
setHidden(state.hide);
if (url.lesson) learn.open(url.lesson.lesson, url.lesson.step);
else presenting?.(null);
$('storage-note').hidden = Boolean(storage);
if (stored.dropped) {
  showError(
    `${stored.dropped} stored entr${stored.dropped === 1 ? 'y was' : 'ies were'} not a point (another version's format or a hand edit) and ${stored.dropped === 1 ? 'was' : 'were'} left out; ${state.runs.length} point${state.runs.length === 1 ? ' is' : 's are'} kept.`,
  );
  saveRuns(state.runs);
}
$('x-axis').value = url.axes.x ?? 'bytes';
$('y-axis').value = url.axes.y ?? 'accuracy';
$('log-x').checked = url.axes.log ?? true;
tradeoff.setAxes({ x: $('x-axis').value, y: $('y-axis').value, log: $('log-x').checked });
renderRuns();
redrawChart();
showValues();
labelSweep();
showBitsHint();
