// The trade-off chart's panel: the saved points of the task the settings show (data set and split:
// points of different data never compete), the current point, the selected one, the axes, and a
// sentence on the Pareto frontier (Menghani 2021, §2: no other point is both smaller and better).

import { taskKey, describeTask, chartTitle } from './points.js';
import { save } from './history-panel.js';

const $ = (id) => document.getElementById(id);

export function initChartPanel({ store, tradeoff }) {
  let drawnTask = null; // the key of the task drawn last
  // The task the chart shows: the settings' (selecting a point sets them to its task).
  function shownTask() {
    const { spec, selected, current } = store.state;
    return spec?.data ?? (selected ?? current)?.spec.data ?? null;
  }

  // {task, key, same: its saved points, current: the current point if it is of that task}.
  function shown() {
    const { runs, current } = store.state;
    const task = shownTask();
    const key = task ? taskKey(task) : null;
    const same = runs.filter((p) => taskKey(p.spec.data) === key);
    return { task, key, same, current: current && taskKey(current.spec.data) === key ? current : null };
  }

  function redraw() {
    const { runs } = store.state;
    const { task, key, same, current } = shown();
    drawnTask = key;
    tradeoff.update(same, current, store.state.selected);
    const onFrontier = tradeoff.marks.filter((m) => m.frontier && m.saved).length;
    const plotted = tradeoff.marks.filter((m) => m.saved).length;
    const others = runs.length - same.length;
    const elsewhere = others
      ? ` ${others} saved point${others === 1 ? '' : 's'} of other data not shown: choose that data set to see ${others === 1 ? 'it' : 'them'}.`
      : '';
    $('frontier-summary').textContent =
      (plotted
        ? `${onFrontier} of ${plotted} saved points are on the Pareto frontier of ${describeTask(task)} (no other point is both smaller and better).`
        : 'Train a model: its point appears here, and moves as you drag the compression sliders.') + elsewhere;
  }

  // The axes' controls show the store's axes and set them.
  function showAxes() {
    const { x, y, log } = store.state.axes;
    $('x-axis').value = x;
    $('y-axis').value = y;
    $('log-x').checked = log;
    tradeoff.setAxes(store.state.axes);
  }
  for (const id of ['x-axis', 'y-axis', 'log-x']) {
    $(id).addEventListener('change', () => {
      store.dispatch('setAxes', { x: $('x-axis').value, y: $('y-axis').value, log: $('log-x').checked });
      tradeoff.setAxes(store.state.axes);
      redraw();
    });
  }

  // The PNG of the chart: its title names the task shown and its points, not the whole history's.
  $('export-png').addEventListener('click', async () => {
    const { task, same, current } = shown();
    save(await tradeoff.png(chartTitle(task, same.length, current)), 'tradeoff.png');
  });

  // The chart follows the points, the selection and the task shown.
  store.subscribe((_state, changed) => {
    const task = shownTask();
    const moved = changed.includes('spec') && (task ? taskKey(task) : null) !== drawnTask;
    if (moved || changed.some((key) => ['runs', 'current', 'selected'].includes(key))) redraw();
  });

  return { redraw, showAxes };
}
