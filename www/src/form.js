// Maps the settings form to an experiment spec and back. Field names are spec paths
// ("train.learning_rate"); list fields are comma-separated text.

import { isImageSet } from './data-sets.js';

const LIST_FIELDS = new Set(['model.hidden', 'model.channels']);
const CNN_DEFAULTS = { block: 'plain', head: 'dense', width: 1 };

export function readSpec(form, defaults) {
  const spec = structuredClone(defaults);
  const kind = form.elements['model.kind'].value;
  spec.model = kind === 'cnn' ? { kind, channels: [8, 16], activation: 'relu' } : { kind, hidden: [64], activation: 'relu' };
  for (const field of form.elements) {
    if (!field.name || field.name === 'backend' || field.name === 'model.kind') continue;
    // A value kept as JSON (the learner's own table): absent when empty.
    if ('json' in field.dataset) {
      const ownData = field.name !== 'data.table' || form.elements['data.name'].value === 'custom';
      if (field.value && ownData) setPath(spec, field.name, JSON.parse(field.value));
      continue;
    }
    if (field.closest('.mlp') && kind !== 'mlp') continue;
    if (field.closest('.cnn') && kind !== 'cnn') continue;
    // Shifts and rotations apply to images only: for other data they are none.
    if (field.closest('.images') && !isImageSet(form.elements['data.name'].value)) {
      setPath(spec, field.name, 0);
      continue;
    }
    setPath(spec, field.name, parseField(field));
  }
  // Like the engine, a CNN's spec leaves out the design choices at their defaults.
  for (const [key, value] of Object.entries(CNN_DEFAULTS)) {
    if (spec.model[key] === value) delete spec.model[key];
  }
  return spec;
}

export function writeSpec(form, spec) {
  for (const field of form.elements) {
    if (!field.name || field.name === 'backend') continue;
    const value = getPath(spec, field.name);
    if ('json' in field.dataset) {
      field.value = value === undefined ? '' : JSON.stringify(value);
      continue;
    }
    if (value === undefined) {
      // A field the spec leaves out (the engine omits unused learning techniques and a CNN's
      // default design): its default.
      if (field.tagName === 'SELECT') field.value = (field.querySelector('option[selected]') ?? field.options[0]).value;
      else if (field.hasAttribute('value')) field.value = field.defaultValue;
      continue;
    }
    // Every spec number is an f64: JavaScript's shortest form reads back as the same number.
    field.value = Array.isArray(value) ? value.join(', ') : String(value);
  }
  showRelevant(form);
}

// Hide controls that do not apply (noise for digits, momentum for Adam, ...).
export function showRelevant(form) {
  const show = (selector, visible) =>
    form.querySelectorAll(selector).forEach((el) => {
      el.hidden = !visible;
    });
  const name = form.elements['data.name'].value;
  const images = isImageSet(name);
  show('.synthetic', !images && name !== 'custom');
  show('.own', name === 'custom');
  show('.images', images);
  show('.mlp', form.elements['model.kind'].value === 'mlp');
  show('.cnn', form.elements['model.kind'].value === 'cnn');
  show('.sgd', form.elements['train.optimizer'].value === 'sgd');
  show('.distill', document.getElementById('d-teacher').value !== '');
}

function parseField(field) {
  if (LIST_FIELDS.has(field.name)) {
    const parts = field.value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const numbers = parts.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new Error(`${field.name}: "${s}" is not a whole number`);
      return n;
    });
    if (field.name === 'model.channels' && numbers.length !== 2) {
      throw new Error(`model.channels needs two numbers, the channels of the two convolutions (e.g. 8, 16); got ${numbers.length}`);
    }
    return numbers;
  }
  if (field.type === 'number') {
    if (field.value.trim() === '') throw new Error(`${field.name} is empty`);
    return Number(field.value);
  }
  return field.value;
}

function getPath(object, path) {
  return path.split('.').reduce((o, key) => (o == null ? undefined : o[key]), object);
}

function setPath(object, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  keys.reduce((o, key) => (o[key] ??= {}), object)[last] = value;
}
