// Sweeps: the values a "Sweep" walks through for the technique being set, to fill its curve on the
// chart (one point per value, as the survey's trade-off curves are drawn: Menghani 2021, Fig. 3).
// The technique is the one whose control was moved last, if it is on; otherwise the last one on in
// pipeline order. A sweep is a list of pipelines (compress-controls.js `sweepPipelines`).

import { groupsOf, sweepOf, sweepPipelines } from './compress-controls.js';
import { trains } from './techniques.js';

const $ = (id) => document.getElementById(id);

// The group to sweep: `lastTouched` (a technique) if it is among `groups` (those in the pipeline,
// in its order) and has a sweep, else the last of them that has one; null when none has.
export function chooseSweep(lastTouched, groups) {
  if (groups.includes(lastTouched) && sweepOf(lastTouched)) return lastTouched;
  return groups.filter(sweepOf).at(-1) ?? null;
}

export function initSweep(page) {
  const { store, engine, activity, say } = page;
  const chosen = () => chooseSweep(page.compression.lastTechnique(), groupsOf(store.state.spec?.compress ?? []));

  // The sweep of the technique being set, shown on the Sweep button.
  function label() {
    const name = chosen();
    $('sweep').textContent = name ? `Sweep ${sweepOf(name).label}` : 'Sweep';
  }

  // One value of the sweep: the controls show its pipeline, and its point is recorded.
  async function visit(steps) {
    page.settings.showPipeline(steps);
    const point = await engine.compress({ ...store.state.trained, compress: steps });
    await page.current.show(point);
    await page.history.add(point);
  }

  // Fills the curve of the technique being set, one point per value, into the history.
  async function run() {
    const name = chosen();
    if (!name) return page.showError('Enable a compression technique first (quantize, prune, cluster, low rank or resize).');
    page.hideError();
    const start = store.state.spec.compress;
    const pipelines = sweepPipelines(name, start);
    const { label: what } = sweepOf(name);
    activity.sweeping = true;
    page.training.setBusy(true);
    let failed = null;
    let done = 0;
    try {
      for (const [i, steps] of pipelines.entries()) {
        activity.sweepStatus = `Sweep over ${what}: ${i + 1}/${pipelines.length}`;
        say(activity.sweepStatus);
        await visit(steps);
        done += 1;
        if (!activity.sweeping) break;
      }
    } catch (error) {
      failed = error;
    } finally {
      activity.sweepStatus = null;
      page.training.setBusy(false);
    }
    const cancelled = !activity.sweeping;
    activity.sweeping = false;
    const added = `${done} new point${done === 1 ? '' : 's'}`;
    if (failed && failed.kind !== 'cancelled') page.showError(`Sweep stopped after ${added}: ${failed.message}`);
    else if (failed || cancelled) say(`Sweep over ${what} cancelled after ${done} of ${pipelines.length} values: ${added}.`);
    else say(`Sweep over ${what} done: ${added}.`);
    // A cheap sweep gives the controls back where they were; one that was stopped, or that
    // fine-tunes (going back would fine-tune again), leaves them at the last point it made.
    if (failed || cancelled || trains(start)) {
      if (store.state.current) page.settings.showPipeline(store.state.current.spec.compress);
    } else {
      page.settings.showPipeline(start);
      page.compression.compress();
    }
  }

  $('sweep').addEventListener('click', run);
  return { label };
}
