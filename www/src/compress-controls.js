// The compression controls ↔ a pipeline (spec.compress). Each technique is a group of controls
// that reads to one or two steps (a step and the fine-tuning after it) and writes back from them.
// The pipeline editor above the controls lists the enabled groups in pipeline order: ↑/↓ move a
// group, ✕ removes it, "Add step" enables one (a fine-tune step can go anywhere).
// The clusters slider moves in powers of two (2^1 … 2^8); the width slider over WIDTHS.

import { describePipeline } from './techniques.js';

const $ = (id) => document.getElementById(id);

const WIDTHS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

// Fine-tuning and QAT train with the epochs set here and the training learning rate.
function fineTuneSpec() {
  return { epochs: Number($('c-fine-tune-epochs').value), learning_rate: Number($('f-train-learning-rate').value) };
}

// A per-layer list ("8, 3, 5"; empty: the same for every layer); a bad entry throws a message
// naming the field.
function readLayers(id, label, valid, expected) {
  const text = $(id).value.trim();
  if (!text) return [];
  const values = text.split(/[\s,]+/).map(Number);
  if (!values.every(valid)) throw new Error(`${label} takes ${expected}, one per weighted layer, got "${text}"`);
  return values;
}
const writeLayers = (layers, show) => (layers?.length ? layers.map(show).join(', ') : '');

const tuneAfter = (checkbox) => ($(checkbox).checked ? [{ kind: 'fine_tune', ...fineTuneSpec() }] : []);
const clusterCount = () => 2 ** Number($('c-clusters').value);

// A sweep's value on every layer: a per-layer list gives way to it, as when its slider moves.
function setSparsity(step, sparsity) {
  if (step.kind === 'structured_prune') return { ...step, fraction: sparsity };
  const { layers: _all, ...prune } = step.kind === 'gradual_prune' ? step.prune : step;
  return step.kind === 'gradual_prune' ? { ...step, prune: { ...prune, sparsity } } : { ...prune, sparsity };
}
function setBits(step, bits) {
  const { layers: _all, ...quantize } = step.kind === 'qat' ? step.quantize : step;
  return step.kind === 'qat' ? { ...step, quantize: { ...quantize, bits } } : { ...quantize, bits };
}

// name → {label, toggle: the control that enables it, controls: its other controls (moving one turns
// the technique on), hide: its `hide=` name, sweep: the values a "Sweep" walks (in the step's own
// units) and set(step, value) giving the step at one of them, kinds: the step kinds (techniques.js)
// it reads to, read(), write(step, tuned)}.
const GROUPS = {
  resize: {
    label: 'resize',
    toggle: 'c-resize',
    controls: ['c-width', 'c-depth', 'c-resize-tune'],
    hide: 'resize',
    sweep: { label: 'width', values: [4, 3, 2, 1.5, 1, 0.75, 0.5, 0.25], set: (step, width) => ({ ...step, width }) },
    kinds: ['resize'],
    read() {
      const depth = $('c-depth').value;
      return [
        { kind: 'resize', width: WIDTHS[Number($('c-width').value)], hidden_layers: depth === '' ? null : Number(depth) },
        ...tuneAfter('c-resize-tune'),
      ];
    },
    write(step, tuned) {
      $('c-width').value = Math.max(0, WIDTHS.indexOf(step.width));
      $('c-depth').value = step.hidden_layers ?? '';
      $('c-resize-tune').checked = tuned;
    },
  },
  'low-rank': {
    label: 'low rank',
    toggle: 'c-low-rank',
    controls: ['c-rank'],
    hide: 'low-rank',
    sweep: { label: 'rank', values: [31, 24, 16, 12, 8, 6, 4, 2, 1], set: (step, rank) => ({ ...step, choose: { rank } }) },
    kinds: ['low_rank'],
    read: () => [{ kind: 'low_rank', choose: { rank: Number($('c-rank').value) }, first_layer_only: true }],
    write(step) {
      if (step.choose.rank) $('c-rank').value = step.choose.rank;
    },
  },
  prune: {
    label: 'prune',
    toggle: 'c-prune',
    controls: ['c-sparsity', 'c-layer-sparsity', 'c-global', 'c-structured', 'c-fine-tune', 'c-stages'],
    hide: 'prune',
    sweep: { label: 'sparsity', values: [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95], set: setSparsity },
    kinds: ['prune', 'structured_prune', 'gradual_prune'],
    read() {
      const layers = readLayers('c-layer-sparsity', 'Per-layer sparsity', (x) => x >= 0 && x < 100, 'percentages from 0 to 99').map(
        (x) => x / 100,
      );
      const prune = {
        sparsity: Number($('c-sparsity').value),
        global: $('c-global').checked && !layers.length,
        ...(layers.length ? { layers } : {}),
      };
      const stages = Number($('c-stages').value);
      if ($('c-structured').checked) return [{ kind: 'structured_prune', fraction: prune.sparsity }, ...tuneAfter('c-fine-tune')];
      if ($('c-fine-tune').checked && stages > 1) return [{ kind: 'gradual_prune', prune, stages, fine_tune: fineTuneSpec() }];
      return [{ kind: 'prune', ...prune }, ...tuneAfter('c-fine-tune')];
    },
    write(step, tuned) {
      const prune = step.kind === 'gradual_prune' ? step.prune : step;
      $('c-sparsity').value = step.kind === 'structured_prune' ? step.fraction : prune.sparsity;
      if (step.kind !== 'structured_prune') $('c-global').checked = prune.global;
      $('c-layer-sparsity').value =
        step.kind === 'structured_prune' ? '' : writeLayers(prune.layers, (x) => Math.round(100 * x * 1e6) / 1e6);
      $('c-structured').checked = step.kind === 'structured_prune';
      $('c-stages').value = step.kind === 'gradual_prune' ? step.stages : 1;
      $('c-fine-tune').checked = tuned || step.kind === 'gradual_prune';
      const tuning = step.fine_tune;
      if (tuning) $('c-fine-tune-epochs').value = tuning.epochs;
    },
  },
  cluster: {
    label: 'cluster',
    toggle: 'c-cluster',
    controls: ['c-clusters', 'c-cluster-tune'],
    hide: 'cluster',
    sweep: { label: 'clusters', values: [256, 128, 64, 32, 16, 8, 4, 2], set: (step, clusters) => ({ ...step, clusters }) },
    kinds: ['cluster'],
    read: () => [
      { kind: 'cluster', clusters: clusterCount(), init: 'linear', fine_tune: $('c-cluster-tune').checked ? fineTuneSpec() : null },
    ],
    write(step) {
      $('c-clusters').value = Math.round(Math.log2(step.clusters));
      $('c-cluster-tune').checked = Boolean(step.fine_tune);
      if (step.fine_tune) $('c-fine-tune-epochs').value = step.fine_tune.epochs;
    },
  },
  half: {
    label: '16-bit floats',
    toggle: 'c-half',
    controls: [],
    hide: 'quantize',
    kinds: ['half'],
    read: () => [{ kind: 'half', format: $('c-half').value }],
    write(step) {
      $('c-half').value = step.format;
    },
  },
  quantize: {
    label: 'quantize weights',
    toggle: 'c-quantize',
    controls: ['c-bits', 'c-layer-bits', 'c-symmetric', 'c-per-channel', 'c-qat'],
    hide: 'quantize',
    sweep: { label: 'bits', values: [8, 7, 6, 5, 4, 3, 2, 1], set: setBits },
    kinds: ['quantize', 'qat'],
    read() {
      const layers = readLayers(
        'c-layer-bits',
        'Per-layer bits',
        (b) => Number.isInteger(b) && b >= 0 && b <= 8,
        'whole numbers from 0 (float) to 8',
      );
      const quantize = {
        bits: Number($('c-bits').value),
        symmetric: $('c-symmetric').checked,
        per_channel: $('c-per-channel').checked,
        ...(layers.length ? { layers } : {}),
      };
      return [$('c-qat').checked ? { kind: 'qat', quantize, fine_tune: fineTuneSpec() } : { kind: 'quantize', ...quantize }];
    },
    write(step) {
      const quantize = step.kind === 'qat' ? step.quantize : step;
      $('c-bits').value = quantize.bits;
      $('c-symmetric').checked = quantize.symmetric;
      $('c-per-channel').checked = quantize.per_channel;
      $('c-layer-bits').value = writeLayers(quantize.layers, (b) => b);
      $('c-qat').checked = step.kind === 'qat';
      if (step.fine_tune) $('c-fine-tune-epochs').value = step.fine_tune.epochs;
    },
  },
  'fine-tune': {
    label: 'fine-tune',
    toggle: 'c-tune-step',
    controls: [],
    hide: 'fine-tune',
    kinds: ['fine_tune'],
    read: () => [{ kind: 'fine_tune', ...fineTuneSpec() }],
    write(step) {
      $('c-fine-tune-epochs').value = step.epochs;
    },
  },
  activations: {
    label: 'quantize activations',
    toggle: 'c-activations',
    controls: ['c-activation-bits'],
    hide: 'activations',
    sweep: { label: 'activation bits', values: [16, 12, 8, 6, 4, 3, 2], set: (step, bits) => ({ ...step, bits }) },
    kinds: ['quantize_activations'],
    read: () => [{ kind: 'quantize_activations', bits: Number($('c-activation-bits').value), calibration_batches: 4 }],
    write(step) {
      $('c-activation-bits').value = step.bits;
    },
  },
};

// The pipeline order of the groups (enabled or not); the editor changes it. A technique turned on
// by its checkbox takes its place in CANONICAL among the enabled ones, however the page was reached.
const CANONICAL = Object.keys(GROUPS);
let order = [...CANONICAL];
let hidden = [];

function enabled(name) {
  const toggle = $(GROUPS[name].toggle);
  return toggle.tagName === 'SELECT' ? toggle.value !== '' : toggle.checked;
}

function setEnabled(name, on) {
  const toggle = $(GROUPS[name].toggle);
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
  return Object.keys(GROUPS).find((g) => GROUPS[g].toggle === element.id || GROUPS[g].controls.includes(element.id)) ?? null;
}

// Techniques hidden by the link's `hide=` flags are not offered by "Add step".
export function setHidden(names) {
  hidden = names;
  renderEditor();
}

// The `hide=` names of the compression groups, for links.
export const HIDE_NAMES = [...new Set(Object.values(GROUPS).map((g) => g.hide))];

// The sweep of a group, or null.
export const sweepOf = (name) => GROUPS[name]?.sweep ?? null;

/** The groups a pipeline's steps belong to, in its order (a fine-tuning step counts as its own). */
export function groupsOf(steps) {
  const names = steps.map((step) => Object.keys(GROUPS).find((g) => GROUPS[g].kinds.includes(step.kind))).filter(Boolean);
  return [...new Set(names)];
}

/** The pipelines a sweep of group `name` walks from `steps`: its steps set to each value in turn. */
export function sweepPipelines(name, steps) {
  const { kinds, sweep } = GROUPS[name];
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
  return order.filter(enabled).flatMap((name) => GROUPS[name].read());
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
  for (const name of Object.keys(GROUPS)) setEnabled(name, false);
  const tunedBefore = (i) => ['resize', 'prune', 'structured_prune'].includes(steps[i - 1]?.kind);
  steps.forEach((step, i) => {
    if (step.kind === 'fine_tune' && tunedBefore(i)) return;
    const name = Object.keys(GROUPS).find((g) => GROUPS[g].kinds.includes(step.kind));
    if (!name) return;
    setEnabled(name, true);
    GROUPS[name].write(step, steps[i + 1]?.kind === 'fine_tune');
    if (steps[i + 1]?.kind === 'fine_tune') $('c-fine-tune-epochs').value = steps[i + 1].epochs;
    seen.push(name);
  });
  order = [...seen, ...Object.keys(GROUPS).filter((g) => !seen.includes(g))];
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
  $('c-sparsity-out').textContent = `${Math.round(100 * Number($('c-sparsity').value))} %`;
  $('c-bits-out').textContent = $('c-bits').value;
  $('c-clusters-out').textContent = clusterCount();
  $('c-rank-out').textContent = $('c-rank').value;
  $('c-width-out').textContent = WIDTHS[Number($('c-width').value)];
  $('c-activation-bits-out').textContent = $('c-activation-bits').value;
  $('c-clusters').setAttribute('aria-valuetext', `${clusterCount()} clusters`);
  renderEditor();
}

// The editor: the enabled groups in order, each with ↑ ↓ ✕, and an "Add step" menu.
function renderEditor() {
  const list = $('pipeline-order');
  const active = order.filter(enabled);
  list.replaceChildren(
    ...active.map((name, i) => {
      const item = document.createElement('li');
      item.append(Object.assign(document.createElement('span'), { textContent: GROUPS[name].label }));
      const button = (text, label, disabled, action) => {
        const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, disabled, className: 'icon' });
        b.setAttribute('aria-label', `${label} ${GROUPS[name].label}`);
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
  const offered = order.filter((g) => !enabled(g) && !hidden.includes(GROUPS[g].hide));
  add.replaceChildren(new Option('Add step…', ''), ...offered.map((g) => new Option(GROUPS[g].label, g)));
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
  const ticked = name && element.id === GROUPS[name].toggle && enabled(name);
  const moved = name && element.id !== GROUPS[name].toggle && !enabled(name);
  if (!ticked && !moved) return;
  setEnabled(name, true);
  placeCanonically(name);
}
