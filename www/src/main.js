// The page's wiring: the store (store.js) holds the page's state, the views render it, and each
// part of the page is a module named for it — settings, training, the backend and its race,
// compression and sweeps, the current point, the chart, the history, model files, the estimate,
// automation, lessons. This file makes them and connects them; it holds no logic of its own.
import '../styles.css';
import { EngineClient } from './engine-client.js';
import { showRelevant } from './form.js';
import { TrainingCharts } from './charts.js';
import { TradeoffChart } from './tradeoff-chart.js';
import { InspectView } from './inspect-view.js';
import { loadRuns, setAside, ASIDE_KEY } from './runs.js';
import { storage } from './storage.js';
import { initEditor, setHidden, showValues } from './compress-controls.js';
import { parse, serialise } from './url-state.js';
import { CostEstimate } from './cost-estimate.js';
import { initAutomation } from './automation-panel.js';
import { attachHelp } from './help.js';
import { initLearn } from './learn-panel.js';
import { initPresenter, setFocus, show as showStep } from './presenter.js';
import { initClassChart } from './class-chart.js';
import { initOwnData } from './own-data-panel.js';
import { createStore, INITIAL } from './store.js';
import { initSettings } from './settings-view.js';
import { initTraining } from './training.js';
import { initBackendPanel } from './backend-panel.js';
import { initRaceRunner } from './race-runner.js';
import { initCompression } from './compression.js';
import { initSweep } from './sweep.js';
import { initCurrentPoint } from './current-point.js';
import { initChartPanel } from './chart-panel.js';
import { initHistory } from './history-panel.js';
import { initModelFiles } from './model-files.js';
import { initEstimateView } from './estimate-view.js';
import { initStartup } from './startup.js';
import { initRoomLink } from './room-link.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
attachHelp();
initClassChart();
const link = parse(location.search);
const stored = loadRuns();
const store = createStore({
  ...INITIAL,
  axes: { ...INITIAL.axes, ...link.axes },
  hide: link.hide,
  present: link.present,
  focus: link.focus,
  runs: stored.runs,
});

// The page's parts, each made below; they reach each other through this object.
const page = {
  store,
  // The work running now: `training` (a run, `fitting` while its epochs are the curves), `tuned`
  // (a compression fine-tunes), `sweeping` and `sweepStatus`, Auto's `race` and `raceStatus`,
  // and `started` (counts the runs of long work, so a late Cancel knows its own).
  activity: { training: false, fitting: false, tuned: false, sweeping: false, sweepStatus: null, race: null, raceStatus: null, started: 0 },
  // The status line; `about` is 'point' when it tells the accuracy of the point shown (it then
  // follows that point as the sliders move), else null (other work's words stay).
  say: (text, about = null) => {
    $('status').textContent = text;
    page.statusAbout = about;
  },
  statusAbout: null,
  showError: (message) => {
    $('error').textContent = message;
    $('error').hidden = false;
  },
  hideError: () => {
    $('error').hidden = true;
  },
  estimate: new CostEstimate(),
  charts: new TrainingCharts($('loss-chart'), $('accuracy-chart'), $('curves-empty')),
  tradeoff: new TradeoffChart($('tradeoff'), $('tooltip'), $('tradeoff-legend'), (point) => page.compression.select(point)),
  inspector: new InspectView($('inspect')),
  forgetModels: (message) => page.current.forget(message),
};
page.engine = new EngineClient({
  onReady: (info) => page.startup.ready(info),
  onProgress: (p) => page.training.progress(p),
  onCrash: (reason, restarted) => {
    if (!restarted) {
      page.showError(`The engine could not start: ${reason}.`);
      return page.say('The engine is not running.');
    }
    page.showError(`The engine crashed and was restarted: ${reason}. Its models are gone: train again.`);
    page.forgetModels('The engine restarted, so its models are gone: train again to look inside.');
    page.training.setTraining(false);
  },
});
page.settings = initSettings({ store, form, say: page.say });
page.training = initTraining(page);
page.backend = initBackendPanel(page);
page.race = initRaceRunner(page);
page.compression = initCompression(page);
page.sweep = initSweep(page);
page.current = initCurrentPoint(page);
page.chart = initChartPanel(page);
page.history = initHistory(page);
page.estimateView = initEstimateView(page);
page.startup = initStartup(page, link);
initModelFiles(page);

page.automation = initAutomation({
  engine: page.engine,
  trained: () => store.state.trained,
  busy: page.training.setBusy,
  error: page.showError,
  status: page.say,
  // The settings' model, undistilled; a field that does not read throws its message.
  scheme: () => page.settings.quantizeScheme(),
  fineTune: () => page.settings.fineTune(),
  current: () => {
    if (store.state.invalid) throw new Error(store.state.invalid);
    return { ...store.state.spec, distill: null, compress: [] };
  },
  progress: page.training.progress,
  // A stage of a longer task: said, and kept before the fine-tuning epochs' progress; null ends it.
  stage: (text) => {
    page.activity.sweepStatus = text;
    if (text) page.say(text);
  },
  keep: async (point) => {
    await page.current.show(point);
    await page.history.add(point);
  },
  record: (point) => page.history.add(point, false),
  tableFor: (ref) => page.ownData.table(ref),
  showSteps: (steps) => page.settings.showPipeline(steps),
});

// The Learn panel; the presenter view when the link asks for it (`?present`), and a participant's
// focus on a step (`&focus`, or the panel's button): only the step's text, its control and the
// chart, for a laptop. A step without a control (the challenge) shows a participant the whole page.
function showLesson(control) {
  const { present, focus, lesson } = store.state;
  if (present) return showStep(control);
  setFocus(Boolean(focus && lesson && control));
  if (focus && lesson && control) showStep(control);
  page.tradeoff.fit();
}
page.learn = initLearn({
  float: () => store.state.baseline,
  points: () => {
    const { current, runs } = store.state;
    return current && !runs.includes(current) ? [...runs, current] : runs;
  },
  keep: (point) => page.history.add(point),
  moved: (lesson) => store.dispatch('setLesson', lesson),
  shown: showLesson,
  focus: (on) => store.dispatch('setFocus', on),
});
if (link.present) initPresenter((delta) => page.learn.go(delta));
initRoomLink({ store });
store.subscribe((state, changed) => {
  if (!changed.includes('focus')) return;
  page.learn.showFocus(state.focus);
  page.learn.reshow();
});

page.ownData = initOwnData({
  engine: page.engine,
  spec: () => store.state.spec,
  use: (table) => {
    page.hideError();
    page.settings.useTable(table);
  },
  error: page.showError,
});

// The settings: an edit goes into the store; the chart, the estimate and the link follow.
form.addEventListener('submit', (event) => {
  event.preventDefault();
  page.training.train();
});
form.addEventListener('change', () => {
  showRelevant(form);
  page.settings.commit();
  page.estimateView.show();
});
form.addEventListener('input', () => {
  page.settings.commit();
  page.estimateView.typed();
});
$('step-batch').addEventListener('click', () => page.training.step('batch'));
$('step-epoch').addEventListener('click', () => page.training.step('epoch'));
$('cancel').addEventListener('click', () => page.training.cancel());
$('backend-select').addEventListener('change', (e) => page.backend.use(e.target.value));

// The link is written from the store alone, once the spec is known.
store.subscribe((state) => {
  if (state.spec) history.replaceState(null, '', `${location.pathname}${serialise(state)}`);
});

// The parts a link hides (`hide=`), and the first render.
for (const name of store.state.hide) {
  for (const element of document.querySelectorAll(`[data-hide="${name}"]`)) element.hidden = true;
}
initEditor();
setHidden(store.state.hide);
page.learn.showFocus(store.state.focus);
if (link.lesson) page.learn.open(link.lesson.lesson, link.lesson.step);
else if (store.state.present) showStep(null);
$('storage-note').hidden = Boolean(storage);
if (stored.others.length) {
  const n = stored.others.length;
  const kept = setAside(stored.others, stored.runs) ? `kept aside in this browser's storage (${ASIDE_KEY})` : 'left out';
  const shown = `${stored.runs.length} point${stored.runs.length === 1 ? ' is' : 's are'} shown`;
  page.showError(
    `${n} stored entr${n === 1 ? 'y was' : 'ies were'} not a point (another version's format or a hand edit) and ${n === 1 ? 'is' : 'are'} ${kept}; ${shown}.`,
  );
}
page.chart.showAxes();
page.history.render();
page.chart.redraw();
showValues();
page.sweep.label();
