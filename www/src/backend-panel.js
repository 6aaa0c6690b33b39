// The backend panel: which backend trains (the store's `backend`: cpu, webgpu, auto or race), the
// engine's backend now, and Auto's choice from earlier figures (backend-choice.js) or a race
// (race-runner.js).

import { BackendChoice, describeChoice } from './backend-choice.js';
import { storage } from './storage.js';

const $ = (id) => document.getElementById(id);

export function initBackendPanel(page) {
  const { store, engine, activity, say } = page;
  let engineBackend = 'cpu'; // the backend the page's engine runs on
  let autoChoice = null; // made when the adapter is known (its figures are kept per adapter)

  // The engine's adapter is known: the choices it allows, and a word on each.
  function ready({ webgpu, adapter, software }) {
    autoChoice = new BackendChoice(engine, adapter ?? '', storage, { software });
    for (const name of ['auto', 'webgpu', 'race']) $('backend-select').querySelector(`option[value="${name}"]`).disabled = !webgpu;
    $('backend-hint').textContent = !webgpu
      ? 'This browser offers no WebGPU adapter, so the engine runs on the CPU (WebGPU needs a recent Chrome or Edge, or a flag elsewhere).'
      : software
        ? `The only WebGPU adapter is a software one (${adapter}): it emulates a GPU on the CPU and trains far slower than the CPU backend, so the CPU is the default.`
        : `WebGPU adapter: ${adapter}. Auto trains on the faster of the CPU and WebGPU for your model (racing them the first time a run is long enough).`;
  }

  // The backend chosen: "auto" decides when training starts, "race" trains on both (training.js).
  async function use(name) {
    store.dispatch('setBackend', name);
    $('backend-select').value = name;
    if (name === 'cpu' || name === 'webgpu') await useEngineBackend(name);
    show();
    page.estimateView.show();
  }

  async function useEngineBackend(name) {
    try {
      engineBackend = await engine.useBackend(name);
    } catch (error) {
      page.showError(error.message);
      engineBackend = await engine.useBackend('cpu');
      store.dispatch('setBackend', 'cpu');
      $('backend-select').value = 'cpu';
    }
  }

  function show() {
    const auto = { auto: 'Auto → ', race: 'Race → ' }[store.state.backend] ?? '';
    const racing = activity.race && activity.race.gaveUpAfter === null;
    const now = racing ? 'racing CPU and WebGPU' : engineBackend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)';
    $('backend-badge').textContent = `backend: ${auto}${now}`;
    $('backend-badge').dataset.backend = engineBackend;
  }

  // Before a run: Race races; Auto takes the faster backend for this model, known from an earlier
  // run, or found by a race (the figures are shown). Resolves to the choice when the run should
  // race ({cpu: the CPU's step as Auto timed it, or null}), else to null.
  async function choose(spec) {
    if (store.state.backend === 'race') return { cpu: null };
    if (store.state.backend !== 'auto') return null;
    const { steps } = await engine.runCost({ ...spec, compress: [] });
    const choice = await autoChoice.choose(spec, steps, say);
    if (choice.chosen === 'race') return choice;
    await useEngineBackend(choice.chosen);
    $('backend-hint').textContent = describeChoice(choice, spec.train.batch_size);
    show();
    return null;
  }

  return {
    ready,
    use,
    useEngineBackend,
    show,
    choose,
    engineBackend: () => engineBackend,
    /** The engine now runs on `name` (a race's WebGPU winner handed its model over). */
    adopted(name) {
      engineBackend = name;
    },
    /** The figures of a race, kept for Auto's next choice. */
    record: (spec, figures) => autoChoice.record(spec, figures),
  };
}
