// The engine is ready: the inputs take its limits, the link's settings are checked and shown, the
// backend is chosen, and a link's strategy is offered (never run without a click).

import { withDefaults } from './url-state.js';
import { describeEstimate } from './cost-estimate.js';

const $ = (id) => document.getElementById(id);

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

// `link`: the page's link as parse() read it.
export function initStartup(page, link) {
  const { store, engine } = page;
  let started = false;

  // The link's settings, checked by the engine first: a link that does not parse or holds a value
  // out of range says which field, and the page starts from the defaults.
  async function applyLink(defaults) {
    if (link.error) page.showError(link.error);
    if (!link.spec) return showSpec(defaults);
    const spec = withDefaults(link.spec, defaults);
    try {
      await engine.checkSpec(spec);
      showSpec(spec);
    } catch (error) {
      page.showError(`This link's settings cannot be used (${error.message}); the page starts from the defaults.`);
      showSpec(defaults);
    }
  }

  function showSpec(spec) {
    page.settings.show(spec);
    if (spec.data?.table) restoreTable(spec.data.table);
  }

  // A spec on the learner's own data: the table is handed to the engine again if this browser kept
  // it; if not, the page says which data it needs.
  async function restoreTable(table) {
    if (await page.ownData.restore(table).catch(() => false)) return;
    page.showError(
      `These settings train on "${table.name}" (${table.rows} rows, ${table.features} features, ${table.classes} classes), a data set of its author's own that this browser has not opened: open the same CSV file (or draw the points) under Your own data to train on it.`,
    );
  }

  // A link with `strategy=` trains its model, then runs the strategy: work of minutes or hours that
  // never starts without a click. The page asks first, with the training's estimate.
  async function offerLinkStrategy(strategy) {
    const name = strategy.name === 'shrink' ? 'Shrink-and-Improve' : 'Grow-Improve-and-Shrink';
    let training;
    try {
      const backend = page.backend.engineBackend();
      const cost = await engine.runCost(store.state.spec);
      training = `${describeEstimate(page.estimate.seconds(cost, backend), cost, backend).text}, then the strategy's fine-tuning.`;
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
    await page.training.train(); // the link's model first, then its strategy
    if (store.state.trained) page.automation.run(strategy);
  }

  // Called at every start of the engine (a restart too); the link is applied at the first.
  async function ready({ webgpu, adapter, software, defaults, catalog }) {
    const first = !started;
    started = true;
    page.settings.setDefaults(defaults);
    applyLimits(catalog.limits);
    page.backend.ready({ webgpu, adapter, software });
    let backend = store.state.backend;
    if (first) {
      await applyLink(defaults);
      const wanted = link.backend ?? (webgpu && !software ? 'auto' : 'cpu');
      backend = wanted !== 'cpu' && !webgpu ? 'cpu' : wanted;
      if (wanted !== 'cpu' && !webgpu)
        page.showError('The link asks for WebGPU, but this browser offers no WebGPU adapter: the engine runs on the CPU.');
    }
    await page.backend.use(backend);
    page.training.enable();
    page.chart.redraw();
    if (first && link.strategy) await offerLinkStrategy(link.strategy);
  }

  return { ready };
}
