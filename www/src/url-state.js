// The page's state in its URL, so a link reproduces an experiment: the spec (data, model,
// training, seed and compression pipeline), the backend, the chart's axes, and classroom options that hide
// controls, like TensorFlow Playground's hide flags: `?hide=training,backend,prune` hides every
// element marked `data-hide="training"` and so on.

import { HIDE_ALIASES, HIDE_NAMES } from './compress-controls.js';
import { X_AXES, Y_AXES } from './points.js';
import { migrateSpec } from './spec-migration.js';
import { LESSONS } from './lessons.js';

// Panels and form sections that can be hidden, then each compression group's name.
const PANELS = ['data', 'model', 'training', 'backend', 'chart', 'inspect', 'automation', 'curves', 'runs', 'glossary', 'learn', 'class'];
export const HIDEABLE = [...PANELS, ...HIDE_NAMES];
const STRATEGIES = ['shrink', 'grow'];
const BACKENDS = ['auto', 'cpu', 'webgpu', 'race'];
/** The deepest nesting a link's spec may have: a whole spec with a teacher is 6 levels deep. */
export const MAX_SPEC_DEPTH = 16;

/** How deeply `value` nests arrays and objects (0 for a number or a string), without recursion. */
export function depth(value) {
  let deepest = 0;
  const stack = [[value, 0]];
  while (stack.length) {
    const [item, level] = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, level + 1);
    if (deepest > MAX_SPEC_DEPTH) return deepest; // deep enough to refuse: no need to walk the rest
    for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return deepest;
}

// {spec, axes, hide, backend, strategy, lesson: {lesson, step}, present, focus, error} from a query
// string. What cannot be used (a spec that is not JSON, an unknown chart axis) is named in `error`,
// one message, and left at its default.
export function parse(search) {
  const params = new URLSearchParams(search);
  const problems = [];
  const state = {
    spec: readLinkSpec(params, problems),
    axes: readAxes(params, problems),
    hide: readHide(params, problems),
    backend: readBackend(params, problems),
    strategy: readStrategy(params, problems),
    lesson: readLesson(params, problems),
    present: params.has('present'),
    focus: params.has('focus'),
  };
  return { ...state, error: problems.join(' ') || null };
}

function readLinkSpec(params, problems) {
  if (!params.has('spec')) return null;
  let spec;
  try {
    spec = JSON.parse(params.get('spec'));
  } catch {
    problems.push("The link's spec is not valid JSON; the page starts from the defaults.");
    return null;
  }
  if (depth(spec) <= MAX_SPEC_DEPTH) return migrateSpec(spec);
  problems.push(
    `The link's spec nests more than ${MAX_SPEC_DEPTH} levels deep (a teacher inside a teacher?); the page starts from the defaults.`,
  );
  return null;
}

function readAxes(params, problems) {
  const axes = {};
  for (const [axis, choices] of [
    ['x', X_AXES],
    ['y', Y_AXES],
  ]) {
    if (!params.has(axis)) continue;
    const value = params.get(axis);
    if (Object.hasOwn(choices, value)) axes[axis] = value;
    else
      problems.push(
        `The link's chart axis ${axis}=${value} is not one of ${Object.keys(choices).join(', ')}; the chart shows its default.`,
      );
  }
  if (params.has('log')) axes.log = params.get('log') !== '0';
  return axes;
}

function readHide(params, problems) {
  const hide = (params.get('hide') ?? '')
    .split(',')
    .filter(Boolean)
    .map((name) => HIDE_ALIASES[name] ?? name);
  const unknown = hide.filter((name) => !HIDEABLE.includes(name));
  if (unknown.length)
    problems.push(
      `The link's hide=${unknown.join(',')} ${unknown.length === 1 ? 'is not a part' : 'are not parts'} of the page (${HIDEABLE.join(', ')}); ${unknown.length === 1 ? 'it is' : 'they are'} shown.`,
    );
  return hide.filter((name) => HIDEABLE.includes(name));
}

function readBackend(params, problems) {
  const backend = params.get('backend');
  if (BACKENDS.includes(backend)) return backend;
  if (backend !== null) problems.push(`The link's backend=${backend} is not one of ${BACKENDS.join(', ')}; the page chooses.`);
  return null;
}

// A strategy to run once the link's model is trained (`strategy=shrink` or `grow`, `budget=` bytes).
function readStrategy(params, problems) {
  if (!params.has('strategy')) return null;
  const strategy = params.get('strategy');
  const budget = Number(params.get('budget') ?? NaN);
  if (STRATEGIES.includes(strategy)) return { name: strategy, budget: Number.isInteger(budget) && budget > 0 ? budget : null };
  problems.push(`The link's strategy=${strategy} is not one of ${STRATEGIES.join(', ')}; no strategy runs.`);
  return null;
}

// A lesson and step of the Learn panel (`lesson=quantization&step=3`; the step counts from 1).
function readLesson(params, problems) {
  if (!params.has('lesson')) return null;
  const lesson = params.get('lesson');
  const step = Number(params.get('step') ?? 1);
  if (LESSONS.some((l) => l.id === lesson)) return { lesson, step: Number.isInteger(step) && step > 0 ? step : 1 };
  problems.push(`The link's lesson=${lesson} is not one of ${LESSONS.map((l) => l.id).join(', ')}.`);
  return null;
}

// A link's spec completed from `defaults`: a part it leaves out, or a field of `data` or `train`
// (or of a model of the default's kind) it leaves out, takes the default. A value it gives is kept
// as given, even a wrong one, so that the engine's check names it instead of the page replacing it
// without a word.
export function withDefaults(spec, defaults) {
  const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(spec)) return spec;
  const merged = { ...defaults, ...spec };
  for (const part of ['data', 'train']) {
    if (isObject(spec[part])) merged[part] = { ...defaults[part], ...spec[part] };
  }
  const model = spec.model;
  if (isObject(model) && (model.kind ?? defaults.model.kind) === defaults.model.kind) merged.model = { ...defaults.model, ...model };
  return merged;
}

// The query string of the page's state (the store's `spec`, `axes`, `hide`, `backend`, `lesson` and
// `present` and `focus`): `parse(serialise(s))` gives them back (tests/js/url-round-trip.test.mjs).
export function serialise({ spec, axes, hide, backend, lesson, present, focus }) {
  const params = new URLSearchParams();
  params.set('spec', JSON.stringify(spec));
  params.set('x', axes.x);
  params.set('y', axes.y);
  params.set('log', axes.log ? '1' : '0');
  params.set('backend', backend);
  if (hide.length) params.set('hide', hide.join(','));
  if (lesson) {
    params.set('lesson', lesson.lesson);
    params.set('step', String(lesson.step));
  }
  if (present) params.set('present', '');
  if (focus) params.set('focus', '');
  return `?${params}`;
}
