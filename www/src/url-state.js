// The page's state in its URL, so a link reproduces an experiment: the spec (data, model,
// training, seed and compression pipeline), the backend, the chart's axes, and classroom options that hide
// controls, like TensorFlow Playground's hide flags: `?hide=training,backend,prune` hides every
// element marked `data-hide="training"` and so on.

export const HIDEABLE = ['data', 'model', 'training', 'backend', 'resize', 'low-rank', 'prune', 'cluster',
  'quantize', 'fine-tune', 'activations', 'chart', 'inspect', 'curves', 'runs'];

// {spec, axes, hide, backend} from a query string; a spec that is not JSON is reported, not thrown.
export function readUrl(search = location.search) {
  const params = new URLSearchParams(search);
  const state = { spec: null, axes: {}, hide: [], backend: null, error: null };
  if (params.has('spec')) {
    try {
      state.spec = JSON.parse(params.get('spec'));
    } catch {
      state.error = 'The link\'s spec is not valid JSON; the page starts from the defaults.';
    }
  }
  if (params.has('x')) state.axes.x = params.get('x');
  if (params.has('y')) state.axes.y = params.get('y');
  if (params.has('log')) state.axes.log = params.get('log') !== '0';
  state.hide = (params.get('hide') ?? '').split(',').filter((name) => HIDEABLE.includes(name));
  if (['auto', 'cpu', 'webgpu'].includes(params.get('backend'))) state.backend = params.get('backend');
  return state;
}

export function writeUrl({ spec, axes, hide, backend }) {
  const params = new URLSearchParams();
  params.set('spec', JSON.stringify(spec));
  params.set('x', axes.x);
  params.set('y', axes.y);
  params.set('log', axes.log ? '1' : '0');
  params.set('backend', backend);
  if (hide.length) params.set('hide', hide.join(','));
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

export function applyHide(hide) {
  for (const name of hide) {
    document.querySelectorAll(`[data-hide="${name}"]`).forEach((el) => { el.hidden = true; });
  }
}
