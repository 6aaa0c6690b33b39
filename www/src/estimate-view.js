// Before Train: how long training the settings' model will take here (cost-estimate.js, from the
// engine's count of the run's steps and this browser's measured step times), a warning for a long
// run, and a note when a pipeline will run after every Train.

import { describeEstimate, LONG_SECONDS } from './cost-estimate.js';
import { describePipeline, trains } from './techniques.js';

const $ = (id) => document.getElementById(id);
const TYPING_PAUSE_MS = 200;

export function initEstimateView(page) {
  const { store, engine, estimate } = page;
  let request = 0; // the latest estimate request; older answers are dropped
  let pipelineTraining = '[]'; // the pipeline's training steps when the estimate was asked
  let typing = 0;

  // The model shapes trained on WebGPU in this page's engine: their kernels are compiled.
  const compiled = new Set();
  const shape = (spec) => JSON.stringify([spec.model, spec.data.name, spec.data.table?.features, spec.train.batch_size]);

  // A run has trained `spec` on `backend`: on WebGPU its kernels are compiled now, and what its first
  // epoch took beyond a typical one (`start`, seconds) is what a new shape's kernels cost.
  function ran(spec, backend, start) {
    if (backend !== 'webgpu') return;
    if (!compiled.has(shape(spec)) && start !== null) estimate.learnStart(backend, start);
    compiled.add(shape(spec));
  }

  // The estimate's words for the settings' spec, or why it cannot train.
  async function describeRun() {
    const { spec, invalid } = store.state;
    if (invalid) return { said: { text: `Cannot train: ${invalid}`, detail: invalid }, warn: true };
    try {
      const cost = await engine.runCost(spec); // the pipeline's fine-tuning counts too
      const backend = page.backend.engineBackend();
      const seconds = estimate.seconds(cost, backend);
      const start = backend === 'webgpu' && !compiled.has(shape(spec)) ? estimate.startSeconds(backend) : 0;
      return { said: describeEstimate(seconds, cost, backend, start), warn: seconds + start > LONG_SECONDS };
    } catch (error) {
      // A value out of range is named as it is typed, by the engine's own rules, not at Train.
      return { said: { text: `Cannot train: ${error.detail ?? error.message}`, detail: error.message }, warn: true };
    }
  }

  async function show() {
    showPipelineNote();
    if (!store.state.spec) return;
    const asked = ++request;
    const { said, warn } = await describeRun();
    if (asked !== request) return;
    const hint = $('estimate');
    hint.textContent = said.text;
    hint.title = said.detail;
    hint.classList.toggle('long', warn);
  }

  // A pipeline in the settings runs after every Train (a strategy's or mixed precision's too, on
  // any data): said beside Train, with one click to train without it.
  function showPipelineNote() {
    const steps = store.state.spec?.compress ?? [];
    $('pipeline-note').hidden = !steps.length;
    $('pipeline-note-text').textContent = steps.length ? `Each Train then compresses: ${describePipeline(steps)}.` : '';
  }

  // The estimate counts the pipeline's training epochs, so it is asked again when they may have
  // changed, not at every slider step (an engine request queued before each re-compression).
  function pipelineChanged() {
    showPipelineNote();
    const training = JSON.stringify(store.state.spec.compress.filter((step) => trains([step])));
    if (training === pipelineTraining) return;
    pipelineTraining = training;
    show();
  }

  // While a value is typed, the estimate follows once typing pauses.
  function typed() {
    clearTimeout(typing);
    typing = setTimeout(show, TYPING_PAUSE_MS);
  }

  $('clear-pipeline').addEventListener('click', () => {
    page.settings.showPipeline([]);
    show();
    if (store.state.trained) page.compression.compress();
  });

  return { show, pipelineChanged, typed, ran };
}
