// Model files: Download the current model in the project's packed format (docs/FORMAT.md), and Open
// model file to read one back, evaluate it on its data and add it to the history.

import { describePipeline } from './techniques.js';
import { pct } from './result-view.js';
import { save } from './history-panel.js';

const $ = (id) => document.getElementById(id);

export function initModelFiles(page) {
  const { store, engine, say } = page;

  async function download() {
    const { spec } = store.state.current;
    const bytes = await engine.exportModel(spec);
    const name = `${spec.data.name}-${describePipeline(spec.compress).replace(/[^a-z0-9]+/gi, '-')}.epm`;
    save(new Blob([bytes], { type: 'application/octet-stream' }), name);
  }

  // A downloaded model file, read back by the engine and evaluated on its own data: long for a
  // wide CNN (batches of bounded memory over all its training and test examples), so Cancel is on,
  // and stops it by restarting the engine (an import does not pause between batches).
  async function open(file) {
    page.hideError();
    page.training.setBusy(true);
    say(`Opening ${file.name}: checking it and evaluating its model on its data (Cancel stops it)…`);
    try {
      const point = await engine.importModel(new Uint8Array(await file.arrayBuffer()));
      // A model this session produced is the engine's again; another is shown by its figures alone.
      if (await engine.holdsVariant(point.spec)) await page.current.show(point);
      else page.current.opened(point, file.name);
      await page.history.add(point, false);
      say(`Opened ${file.name}: ${describePipeline(point.spec.compress)}, test accuracy ${pct(point.test_accuracy)}`, 'point');
    } catch (error) {
      if (error.kind === 'cancelled') say(`Opening ${file.name} was cancelled.`);
      else page.showError(`${file.name}: ${error.message}`);
    } finally {
      page.training.setBusy(false);
    }
  }

  $('open-model').addEventListener('change', (e) => {
    if (e.target.files[0]) open(e.target.files[0]);
    e.target.value = '';
  });
  $('download').addEventListener('click', () => download().catch((error) => page.showError(error.message)));
}
