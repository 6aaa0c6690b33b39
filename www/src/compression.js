// Compression of the trained model (Menghani 2021, §3.1): the controls' pipeline re-applied at
// every slider move, fine-tuning with progress and Cancel, and a saved point chosen on the chart or
// in the table brought back with its settings and its model.

import { describePipeline, trains } from './techniques.js';
import { pct, showResult } from './result-view.js';
import { groupOf, showValues } from './compress-controls.js';

const $ = (id) => document.getElementById(id);
// Moving the Bits or Sparsity slider sets every layer to it: its per-layer list is emptied.
const PER_LAYER = { 'c-bits': 'c-layer-bits', 'c-sparsity': 'c-layer-sparsity' };

// Calls `apply()` for the latest settings, never more than one at a time: changes made while a
// call runs collapse into one follow-up call.
export function latestOnly(apply) {
  let running = false;
  let again = false;
  return async function request() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await apply();
      } while (again);
    } finally {
      running = false;
    }
  };
}

let page; // the page's parts (main.js), set by initCompression

export function initCompression(parts) {
  page = parts;
  listen();
  return { compress, select, lastTechnique: () => lastTechnique };
}

let lastTechnique = null; // the technique whose control moved last (what Sweep sweeps)

// Re-compresses the trained model with the spec's pipeline. Fine-tuning takes seconds: it shows
// progress and can be cancelled like training. Slider-to-redraw time is recorded as a
// `slider-to-redraw` performance measure. The engine resumes after fine-tuning it has already
// done, so the page knows that a step fine-tunes only when its progress arrives (then Cancel is
// offered).
const compress = latestOnly(async () => {
  const steps = page.store.state.spec.compress;
  if (!page.store.state.trained) return page.say(`Compression set to ${describePipeline(steps)}: it is applied when you train a model.`);
  const started = performance.now();
  page.activity.tuned = false;
  try {
    const point = await page.engine.compress({ ...page.store.state.trained, compress: steps });
    await page.current.show(point);
    await new Promise(requestAnimationFrame);
    performance.measure('slider-to-redraw', { start: started, end: performance.now() });
    page.hideError();
    // A status line that told a point's accuracy follows the point shown (it kept "Done in …:
    // 97.8 %" of the float model); one that tells of other work (a sweep's, a search's) stays.
    if (page.activity.tuned || page.statusAbout === 'point') {
      const what = steps.length ? describePipeline(steps) : 'the float model';
      page.say(`${page.activity.tuned ? 'Fine-tuned' : 'Compressed'}: ${what}, test accuracy ${pct(point.test_accuracy)}`, 'point');
    }
  } catch (error) {
    if (error.kind !== 'cancelled') page.showError(error.message);
    else if (page.store.state.current) {
      // The controls go back to the model still shown, so settings and Result agree.
      const shown = page.store.state.current.spec.compress;
      page.settings.showPipeline(shown);
      page.say(`Fine-tuning ${error.message}; the controls are back to the model shown (${describePipeline(shown)}).`);
    }
  } finally {
    if (page.activity.tuned && !page.activity.sweeping) page.training.setBusy(false);
  }
});

// A point chosen on the chart or in the table: its settings come back, and if this visit trained
// its model, its insides are shown — at once if the engine produced it lately, else after
// re-applying its pipeline.
async function select(point) {
  page.store.dispatch('select', point);
  page.settings.show(point.spec);
  showResult($('result'), point);
  page.charts.show(point.history);
  const trained = { ...point.spec, compress: [] };
  if (await page.engine.holdsVariant(point.spec)) {
    // Produced lately (calls are keyed by the point's spec): shown as it is, nothing re-run.
    page.store.dispatch('trained', { trained, baseline: page.store.state.baseline });
    page.automation.refresh();
    page.store.dispatch('save', point);
    return page.current.show(point);
  }
  if (trains(point.spec.compress)) {
    page.inspector.clear("This point's pipeline fine-tunes: move a compression control to re-run it and look inside.");
    return;
  }
  try {
    const current = await page.engine.compress(point.spec);
    page.store.dispatch('trained', { trained, baseline: page.store.state.baseline });
    page.automation.refresh();
    const shown = { ...current, latency: point.latency };
    page.store.dispatch('save', shown); // it is the selected point, already saved
    await page.current.show(shown);
  } catch (error) {
    page.inspector.clear(`${error.message} (points from an earlier visit keep their figures, not their models).`);
  }
}

// A compression control moved: the spec takes the controls' pipeline, then the model follows.
function changed(event) {
  if (event.type === 'input' && PER_LAYER[event.target.id]) $(PER_LAYER[event.target.id]).value = '';
  lastTechnique = groupOf(event.target) ?? lastTechnique;
  const invalid = page.settings.commit({ pipelineMoved: true });
  if (invalid) return page.showError(invalid); // a per-layer list that does not read: change nothing
  showValues();
  page.estimateView.pipelineChanged();
  if (!page.activity.sweeping) compress();
}

// Symmetric 2-bit quantization has three levels: say why it can do worse than 1 bit.
function showBitsHint() {
  const step = page.store.state.spec?.compress.find((s) => s.kind === 'quantize' || s.kind === 'qat');
  const quantize = step?.kind === 'qat' ? step.quantize : step;
  $('bits-hint').hidden = !(quantize?.symmetric && quantize.bits === 2 && !quantize.layers);
}

// The hint and the Sweep button follow the spec; a moved compression control re-compresses.
function listen() {
  page.store.subscribe((_state, changed) => {
    if (!changed.includes('spec')) return;
    showBitsHint();
    page.sweep.label();
  });
  $('compress').addEventListener('input', (event) => {
    if (event.target.type !== 'text') changed(event);
  });
  $('compress').addEventListener('change', (event) => {
    if (event.target.type === 'text') changed(event);
  });
}
