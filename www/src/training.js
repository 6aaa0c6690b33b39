// Training: Train (the form's model, then its pipeline), step by step (stepper.js), the progress
// and status of every long run, and Cancel. The backend a run trains on is chosen by
// backend-panel.js (Auto's race: race-runner.js).

import { describePipeline } from './techniques.js';
import { formatLoss } from './points.js';
import { pct } from './result-view.js';
import { measuredSeconds, startOf } from './cost-estimate.js';
import { nextStop, stepKey, describeStop } from './stepper.js';

const $ = (id) => document.getElementById(id);
const TRAINING_BUTTONS = ['train', 'step-batch', 'step-epoch']; // off while the engine works
// The engine checks Cancel between batches; a batch that runs on longer than this (huge models and
// batches) is not waited for: the engine is restarted and its models are lost.
const CANCEL_WAIT_MS = 1000;
const RESTARTED = 'cancelled mid-batch: the engine was restarted, so the models it held are gone';

let page; // the page's parts (main.js), set by initTraining; `page.activity` is the work running now

export function initTraining(parts) {
  page = parts;
  return { setTraining, setBusy, progress, showTraining, train, trainSpec, step, cancel, enable };
}

function setTraining(training) {
  page.activity.training = training;
  setBusy(training);
  $('compress').disabled = training;
}

// While the engine runs long work: Cancel on; Train, Sweep, backend switching and opening a
// model file (it would wait behind the work) off.
function setBusy(busy) {
  if (busy) page.activity.started += 1; // which run of work a late Cancel belongs to
  for (const id of TRAINING_BUTTONS) $(id).disabled = busy;
  $('cancel').disabled = !busy;
  $('backend-select').disabled = busy;
  $('sweep').disabled = busy || !page.store.state.trained;
  page.automation.busy(busy);
  $('open-model').disabled = busy;
  $('open-model').title = busy ? 'Wait until the running work ends (or Cancel it)' : '';
  if (!busy) $('progress').value = 0;
}

function progress(p) {
  if (p.kind === 'data') return page.say(`Loading the ${p.name.toUpperCase()} data (first use)…`);
  if (p.kind === 'task') {
    $('progress').value = p.done / p.of;
    return page.say(`${p.task[0].toUpperCase()}${p.task.slice(1)}: ${p.done} of ${p.of} settings evaluated`);
  }
  if (!page.activity.training && !page.activity.tuned) {
    page.activity.tuned = true; // fine-tuning inside a compression pipeline
    setBusy(true);
  }
  if (p.kind === 'epoch') page.activity.race?.epoch('cpu', p.metrics);
  showTraining(p);
}

// A training run's batch or epoch: progress bar, status line, and the curves while fitting.
function showTraining(p) {
  // which sweep value fine-tunes, or how far a race's WebGPU run has got
  const during = [page.activity.sweepStatus, page.activity.raceStatus]
    .filter(Boolean)
    .map((text) => `${text} · `)
    .join('');
  if (p.kind === 'batch') {
    $('progress').value = (p.epoch - 1 + p.batch / p.batches) / p.epochs;
    page.say(`${during}Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}${p.batch === p.batches ? evaluating(p.epoch) : ''}`);
    return;
  }
  const m = p.metrics;
  $('progress').value = m.epoch / p.epochs;
  page.say(`${during}Epoch ${m.epoch}/${p.epochs}: test accuracy ${pct(m.test.accuracy)}, loss ${formatLoss(m.test.loss, 3)}`);
  if (page.activity.fitting) page.charts.add(m); // fine-tuning epochs are not part of the training curves
}

// After an epoch's last step the engine evaluates the model on both sets. On WebGPU that is also
// when the queued steps run, and on a model's first epoch its GPU kernels compile first: seconds
// on a GPU, tens of seconds on a software adapter, with nothing else to show.
function evaluating(epoch) {
  return page.backend.engineBackend() === 'webgpu' && epoch === 1
    ? ' · evaluating (the first epoch on WebGPU also compiles the GPU kernels, which can take a while)…'
    : ' · evaluating…';
}

// The settings' spec for a run, or null after saying which field is wrong.
function specToRun() {
  page.hideError();
  const { spec, invalid } = page.store.state;
  if (invalid) page.showError(invalid);
  return invalid ? null : spec;
}

async function train() {
  const spec = specToRun();
  if (!spec) return;
  const baseline = await trainSpec(spec);
  if (baseline)
    page.say(
      `Done in ${baseline.train_seconds.toFixed(2)} s: test accuracy ${pct((page.store.state.current ?? baseline).test_accuracy)}`,
      'point',
    );
}

// Trains `spec`: its float model, then its pipeline if it has one; both become points, saved in
// the history unless `save` is false (a step-by-step stop). Resolves to the float model's point,
// or null when training failed or was cancelled (the page says which).
async function trainSpec(spec, { save = true } = {}) {
  setTraining(true);
  page.charts.clear();
  try {
    const racing = await page.backend.choose(spec); // the choice, when racing
    page.say(racing ? 'Training on the CPU here and on WebGPU in a second worker; the first to finish is kept…' : 'Training…');
    // The float model is always a point (the baseline a compressed point is judged against);
    // a pipeline set before training then gives a second point.
    const trained = { ...spec, compress: [] };
    const cost = await page.engine.runCost(trained);
    page.activity.fitting = true;
    const run = racing ? page.race.run(trained, cost, racing.cpu) : page.engine.run(trained);
    const baseline = await run.finally(() => {
      page.activity.fitting = false;
    });
    page.estimate.learn(cost, baseline.backend, measuredSeconds(baseline));
    page.estimateView.ran(trained, baseline.backend, startOf(baseline));
    page.store.dispatch('trained', { trained, baseline });
    page.automation.trainedChanged(baseline);
    page.store.dispatch('select', null);
    await page.current.show(baseline);
    if (save) await page.history.add(baseline);
    if (spec.compress.length) {
      page.say(`Trained; compressing: ${describePipeline(spec.compress)}…`);
      const point = await page.engine.compress(spec);
      await page.current.show(point);
      if (save) await page.history.add(point);
    }
    return baseline;
  } catch (error) {
    if (error.kind === 'cancelled') page.say(`Training ${error.message}.`);
    else {
      page.showError(error.message);
      page.say('Not trained: the message above says why.'); // not a "Training…" that never ends
    }
    return null;
  } finally {
    setTraining(false);
    page.estimateView.show();
  }
}

// Step by step: the form's model, one batch or one epoch further each click (stepper.js); a
// changed form starts again from step 0. Each stop is shown (Save point keeps it), not saved.
const stepping = { key: null, steps: 0 };
async function step(unit) {
  const spec = specToRun();
  if (!spec) return;
  if (stepKey(spec) !== stepping.key) Object.assign(stepping, { key: stepKey(spec), steps: 0 });
  const { steps_per_epoch: perEpoch } = await page.engine.runCost({ ...spec, compress: [] }).catch((error) => {
    page.showError(error.message);
    return {};
  });
  if (!perEpoch) return;
  const stop = nextStop(spec, stepping.steps, perEpoch, unit);
  const point = await trainSpec(stop.spec, { save: false });
  if (!point) return;
  stepping.steps = stop.steps;
  page.say(`Step by step: ${describeStop(stop.steps, perEpoch)}; test accuracy ${pct(point.test_accuracy)}. Save point keeps it.`);
}

// Cancel stops every kind of long work; a batch that does not end soon restarts the engine.
function cancel() {
  page.activity.sweeping = false;
  page.engine.cancel();
  page.activity.race?.stop();
  page.automation.cancel();
  page.say('Cancelling…');
  const runs = page.activity.started;
  setTimeout(() => {
    if (page.activity.started !== runs || $('cancel').disabled) return;
    page.say(`${RESTARTED.replace(/^c/, 'C')}.`);
    page.engine.restart(RESTARTED);
    page.forgetModels('Cancel restarted the engine mid-batch, so its models are gone: train again to look inside.');
  }, CANCEL_WAIT_MS);
}

/** The engine is ready: the training buttons come on. */
function enable() {
  for (const id of TRAINING_BUTTONS) $(id).disabled = false;
}
