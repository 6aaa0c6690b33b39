// The compression controls ↔ a pipeline (spec.compress). Each technique (techniques.js, one entry
// each) is a group of controls that reads to one or two steps (a step and the fine-tuning after it)
// and writes back from them. The pipeline editor above the controls lists the enabled groups in
// pipeline order: ↑/↓ move a group, ✕ removes it, "Add step" enables one (a fine-tune step can go
// anywhere).

import { TECHNIQUES, describePipeline, techniqueOf } from './techniques.js';

const $ = (id) => document.getElementById(id);

const hideOf = (name) => TECHNIQUES[name].hide ?? name;

// The pipeline order of the groups (enabled or not); the editor changes it. A technique turned on
// by its checkbox takes its place in CANONICAL among the enabled ones, however the page was reached.
const CANONICAL = Object.keys(TECHNIQUES);
let order = [...CANONICAL];
let hidden = [];

function enabled(name) {
  const toggle = $(TECHNIQUES[name].toggle);
  return toggle.tagName === 'SELECT' ? toggle.value !== '' : toggle.checked;
}

function setEnabled(name, on) {
  const toggle = $(TECHNIQUES[name].toggle);
  if (toggle.tagName === 'SELECT') toggle.value = on ? toggle.value || 'float16' : '';
  else toggle.checked = on;
}

// Puts `name` among the enabled groups where the canonical order has it.
function placeCanonically(name) {
  const rank = (g) => CANONICAL.indexOf(g);
  const active = order.filter((g) => g !== name && enabled(g));
  const at = active.findIndex((g) => rank(g) > rank(name));
  active.splice(at < 0 ? active.length : at, 0, name);
  order = [...active, ...order.filter((g) => !active.includes(g))];
}

// The technique a control belongs to (its toggle or one of its settings), or null.
export function groupOf(element) {
  return Object.keys(TECHNIQUES).find((g) => TECHNIQUES[g].toggle === element.id || TECHNIQUES[g].controls.includes(element.id)) ?? null;
}

// Techniques hidden by the link's `hide=` flags are not offered by "Add step".
export function setHidden(names) {
  hidden = names;
  renderEditor();
}

// The `hide=` names of the compression groups, for links, and earlier versions' names for them.
export const HIDE_NAMES = [...new Set(Object.keys(TECHNIQUES).map(hideOf))];
export const HIDE_ALIASES = Object.fromEntries(Object.entries(TECHNIQUES).flatMap(([name, g]) => (g.aliases ?? []).map((a) => [a, name])));

// The sweep of a group, or null.
export const sweepOf = (name) => TECHNIQUES[name]?.sweep ?? null;

/** The groups a pipeline's steps belong to, in its order (a fine-tuning step counts as its own). */
export function groupsOf(steps) {
  const names = steps.map((step) => techniqueOf(step.kind)).filter(Boolean);
  return [...new Set(names)];
}

/** The pipelines a sweep of group `name` walks from `steps`: its steps set to each value in turn. */
export function sweepPipelines(name, steps) {
  const { kinds, sweep } = TECHNIQUES[name];
  return sweep.values.map((value) => steps.map((step) => (kinds.includes(step.kind) ? sweep.set(step, value) : step)));
}

// A pipeline the controls cannot show exactly — a link's or a stored point's low rank chosen by
// energy, a density-initialised clustering, its own fine-tuning rate, steps in an order the
// groups cannot make — stays the spec's as it is (the store keeps it) and is shown read-only, never
// silently rewritten, until a compression control moves (then the controls' pipeline replaces it,
// and the page says so). `kept` says whether the pipeline shown is such a one.
let kept = false;

/** The pipeline the controls make; a per-layer list that does not read throws its message. */
export function readSteps() {
  return order.filter(enabled).flatMap((name) => TECHNIQUES[name].read());
}

/** The spec's pipeline: `steps` (the store's) while the controls keep it, else theirs. */
export function pipeline(steps) {
  return kept ? structuredClone(steps) : readSteps();
}

/** Lets the controls' pipeline replace a kept one. */
export function release() {
  kept = false;
  $('pipeline-pinned').hidden = true;
}

// Shows `steps` in the controls. A fine-tuning step right after a resize or a one-shot pruning is
// that group's "fine-tune after" option; anywhere else it is the fine-tune step of its own. The
// groups' order follows the steps'.
export function writeSteps(steps) {
  const seen = [];
  for (const name of Object.keys(TECHNIQUES)) setEnabled(name, false);
  const tunedBefore = (i) => ['resize', 'prune', 'structured_prune'].includes(steps[i - 1]?.kind);
  steps.forEach((step, i) => {
    if (step.kind === 'fine_tune' && tunedBefore(i)) return;
    const name = techniqueOf(step.kind);
    if (!name) return;
    setEnabled(name, true);
    TECHNIQUES[name].write(step, steps[i + 1]?.kind === 'fine_tune');
    if (steps[i + 1]?.kind === 'fine_tune') $('c-fine-tune-epochs').value = steps[i + 1].epochs;
    seen.push(name);
  });
  order = [...seen, ...Object.keys(TECHNIQUES).filter((g) => !seen.includes(g))];
  kept = !sameJson(readSteps(), steps);
  const note = $('pipeline-pinned');
  note.hidden = !kept;
  if (kept) {
    note.querySelector('span').textContent = describePipeline(steps);
    note.title = JSON.stringify(steps, null, 1);
  }
  showValues();
  return !kept;
}

// Equal as JSON values, whatever the order of object keys.
export function sameJson(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
}

export function showValues() {
  for (const technique of Object.values(TECHNIQUES)) technique.show?.();
  renderEditor();
}

// The editor: the enabled groups in order, each with ↑ ↓ ✕, and an "Add step" menu.
function renderEditor() {
  const list = $('pipeline-order');
  const active = order.filter(enabled);
  list.replaceChildren(
    ...active.map((name, i) => {
      const item = document.createElement('li');
      item.append(Object.assign(document.createElement('span'), { textContent: TECHNIQUES[name].label }));
      const button = (text, label, disabled, action) => {
        const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, disabled, className: 'icon' });
        b.setAttribute('aria-label', `${label} ${TECHNIQUES[name].label}`);
        b.onclick = () => {
          release();
          action();
          changed();
        };
        return b;
      };
      item.append(
        button('↑', 'Move earlier:', i === 0, () => swap(name, active[i - 1])),
        button('↓', 'Move later:', i === active.length - 1, () => swap(name, active[i + 1])),
        button('✕', 'Remove', false, () => setEnabled(name, false)),
      );
      return item;
    }),
  );
  if (!active.length)
    list.append(Object.assign(document.createElement('li'), { className: 'empty', textContent: 'no steps: the float32 model' }));
  const add = $('add-step');
  const offered = order.filter((g) => !enabled(g) && !hidden.includes(hideOf(g)));
  add.replaceChildren(new Option('Add step…', ''), ...offered.map((g) => new Option(TECHNIQUES[g].label, g)));
}

function swap(a, b) {
  const [i, j] = [order.indexOf(a), order.indexOf(b)];
  [order[i], order[j]] = [order[j], order[i]];
}

// Tells the page the pipeline changed (it listens for input events on the Compress fieldset).
function changed() {
  $('compress').dispatchEvent(new Event('input', { bubbles: true }));
}

export function initEditor() {
  $('add-step').addEventListener('change', (e) => {
    e.stopPropagation();
    if (!e.target.value) return;
    release();
    const name = e.target.value;
    setEnabled(name, true);
    order = [...order.filter((g) => g !== name && enabled(g)), name, ...order.filter((g) => g !== name && !enabled(g))];
    changed();
  });
  $('add-step').addEventListener('input', (e) => e.stopPropagation());
  // Runs before the page's own input listener (capture), so the pipeline it reads is complete.
  $('compress').addEventListener(
    'input',
    (e) => {
      if (e.target.id !== 'add-step') release();
      turnOn(e.target);
    },
    true,
  );
  renderEditor();
}

// A technique's checkbox ticked, or one of its settings moved while it was off: it is (turned) on
// and takes its canonical place. Unticking, or moving a setting of a technique already on, keeps
// the order.
function turnOn(element) {
  const name = groupOf(element);
  const ticked = name && element.id === TECHNIQUES[name].toggle && enabled(name);
  const moved = name && element.id !== TECHNIQUES[name].toggle && !enabled(name);
  if (!ticked && !moved) return;
  setEnabled(name, true);
  placeCanonically(name);
}
