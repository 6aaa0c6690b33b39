// The page's state in one place. It changes only through the named actions below; views subscribe
// and render what changed. The URL is written from it alone (url-state.js `serialise`). The model
// is TensorFlow Playground's `State` (one table of the page's properties) with Redux's named
// actions; uPlot's hooks are the model for `subscribe`.
//
// State: `spec` (the experiment the settings show, as the engine reads it), `invalid` (a settings
// field or per-layer list that does not read: its message, else null), `axes` ({x, y, log}),
// `hide` (the link's hidden parts), `backend` (the choice: auto, cpu, webgpu or race), `lesson`
// ({lesson, step} or null), `present` (the presenter view), `focus` (a participant's lesson laid out
// like it, at the page's own type size), `runs` (the saved points), `selected`
// (a saved point chosen on the chart or in the table), `current` (the point the engine holds and
// the sliders move), `trained` (the training spec of the model the sliders compress), `baseline`
// (that model's float point) and `saved` (the current point once saved).

// name → (state, payload) → the fields it changes.
export const ACTIONS = {
  /** The settings views read a spec: what the learner set, or a spec from elsewhere (a link, a
   * selected point, a sweep) that they now show. `invalid`: the message of a field that does not
   * read (the spec keeps that part as it was), else null. */
  setSpec: (_state, { spec, invalid }) => ({ spec, invalid }),
  setAxes: (state, axes) => ({ axes: { ...state.axes, ...axes } }),
  setBackend: (_state, backend) => ({ backend }),
  setLesson: (_state, lesson) => ({ lesson }),
  /** A participant's lesson shows only what its step needs (presenter.js, at the page's own type size). */
  setFocus: (_state, focus) => ({ focus }),
  /** The history is `runs` now; the selected point is kept by id. */
  setRuns: (state, runs) => ({ runs, selected: state.selected && (runs.find((p) => p.id === state.selected.id) ?? null) }),
  select: (_state, point) => ({ selected: point }),
  /** The point the engine now holds (trained, compressed or re-applied). */
  showPoint: (_state, point) => ({ current: point }),
  /** A trained model: its training spec and float point; the sliders compress it from now on. */
  trained: (_state, { trained, baseline }) => ({ trained, baseline }),
  save: (_state, point) => ({ saved: point }),
  /** The engine restarted: it holds no model, so nothing may pretend it does. */
  forgetModels: () => ({ trained: null, baseline: null, current: null, selected: null, saved: null }),
};

export const INITIAL = {
  spec: null,
  invalid: null,
  axes: { x: 'bytes', y: 'accuracy', log: true },
  hide: [],
  backend: 'cpu',
  lesson: null,
  present: false,
  focus: false,
  runs: [],
  selected: null,
  current: null,
  trained: null,
  baseline: null,
  saved: null,
};

/** A store over `state`: `dispatch(name, payload)` runs an action, then every listener is called
 * with (state, changed field names, action name). */
export function createStore(state) {
  const listeners = [];
  return {
    get state() {
      return state;
    },
    dispatch(name, payload) {
      const action = ACTIONS[name];
      if (!action) throw new Error(`unknown action ${name}`);
      const change = action(state, payload);
      state = { ...state, ...change };
      const changed = Object.keys(change);
      for (const listener of listeners) listener(state, changed, name);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
  };
}
