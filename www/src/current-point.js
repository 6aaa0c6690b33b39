// The current point: the model the engine holds (trained, compressed or re-applied), shown as the
// Result, the chart's moving point and the model's insides (weights, layers, decision boundary).

import { showResult } from './result-view.js';
import { drawBoundary } from './boundary.js';
import { hasBoundary } from './data-sets.js';

const $ = (id) => document.getElementById(id);
const INSPECT_WAIT_MS = 150; // looking inside costs an engine call: wait until the sliders rest

export function initCurrentPoint(page) {
  const { store, engine, inspector } = page;
  let inspectTimer = 0;

  async function show(point) {
    store.dispatch('showPoint', point);
    showResult($('result'), point);
    for (const id of ['download', 'measure-latency']) $(id).disabled = false;
    $('save-point').disabled = store.state.saved === point;
    refreshInspect();
    page.learn.onPoint(point);
  }

  function refreshInspect() {
    clearTimeout(inspectTimer);
    inspectTimer = setTimeout(async () => {
      const point = store.state.current;
      if (!point) return; // forgotten meanwhile (an engine restart, a file's model)
      try {
        const view = await engine.inspect(point.spec);
        // A factorized layer's spectrum stops at its rank: the trained model's is the one to compare.
        const lowRank = point.spec.compress.some((s) => s.kind === 'low_rank');
        const original = lowRank ? await engine.inspect({ ...point.spec, compress: [] }).catch(() => null) : null;
        if (point !== store.state.current) return; // the sliders moved on: a newer point will be inspected
        inspector.show(view, point, original);
        if (hasBoundary(point.spec.data)) drawBoundary($('boundary'), await page.engine.decisionBoundary(point.spec, 96));
        $('boundary-figure').hidden = !hasBoundary(point.spec.data);
      } catch (error) {
        inspector.clear(error.message);
      }
    }, INSPECT_WAIT_MS);
  }

  // After an engine restart nothing the page shows may pretend the engine still has a model.
  function forget(message) {
    clearTimeout(inspectTimer);
    store.dispatch('forgetModels');
    page.automation.trainedChanged(null);
    $('result').replaceChildren(Object.assign(document.createElement('dd'), { className: 'empty', textContent: message }));
    inspector.clear(message);
    $('boundary-figure').hidden = true;
    for (const id of ['save-point', 'download', 'measure-latency']) $(id).disabled = true;
  }

  // A point opened from a file whose model the engine does not hold (it evaluated it and let it
  // go): its figures are shown, its settings are in the form, and nothing pretends that the model
  // the sliders, Download and the insides act on is it, or still the one before.
  function opened(point, name) {
    clearTimeout(inspectTimer);
    store.dispatch('forgetModels');
    page.automation.trainedChanged(null);
    page.settings.show(point.spec);
    showResult($('result'), point);
    inspector.clear(
      `${name} was opened from a file: its figures are in the Result and the history. The engine does not keep its model, so looking inside, Download and the compression sliders need it trained: Train trains it (its settings are in the form).`,
    );
    $('boundary-figure').hidden = true;
    for (const id of ['save-point', 'download', 'measure-latency']) $(id).disabled = true;
  }

  $('inspect-layer').addEventListener('change', refreshInspect);
  $('measure-latency').addEventListener('click', async () => {
    try {
      showResult($('result'), await page.history.measureLatency(store.state.current));
      page.chart.redraw();
    } catch (error) {
      page.showError(error.message);
    }
  });
  $('save-point').addEventListener('click', () => {
    if (store.state.current && store.state.saved !== store.state.current) page.history.add(store.state.current);
  });

  return { show, forget, opened };
}
