// The list of finished runs, kept in localStorage so it survives a reload.

const KEY = 'efficiency-playground.runs.v2';

// {runs, dropped}: the stored points, and how many stored entries were not points (another
// version's format, a hand edit) and were left out so they cannot break the page.
export function loadRuns() {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? '[]');
  } catch {
    return { runs: [], dropped: 1 };
  }
  if (!Array.isArray(stored)) return { runs: [], dropped: 1 };
  const runs = stored.filter(isPoint);
  return { runs, dropped: stored.length - runs.length };
}

const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);

// Whether `p` has every field the page reads from a point (loss may be null: a diverged run).
function isPoint(p) {
  return isObject(p) && isObject(p.spec) && isObject(p.spec.data) && typeof p.spec.data.name === 'string'
    && isObject(p.spec.model) && (Array.isArray(p.spec.model.hidden) || Array.isArray(p.spec.model.channels))
    && isObject(p.spec.train) && Array.isArray(p.spec.compress) && p.spec.compress.every(isObject)
    && isObject(p.footprint) && ['bytes', 'deflated_bytes', 'nonzero_params', 'bits_per_param'].every((k) => isNumber(p.footprint[k]))
    && ['test_accuracy', 'train_accuracy', 'params', 'macs', 'effective_macs', 'float32_bytes', 'train_seconds'].every((k) => isNumber(p[k]))
    && Array.isArray(p.history) && typeof p.backend === 'string';
}

// Stores the points; false when the browser refuses (storage full or disabled), and then they stay in
// memory for this visit only.
export function saveRuns(runs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(runs));
    return true;
  } catch {
    return false;
  }
}

export function describeModel(model) {
  return model.kind === 'cnn' ? `CNN ${model.channels.join('-')}` : `MLP ${model.hidden.join('-') || 'linear'}`;
}

// "prune 50 % · int4 per-channel", or "float32" for an uncompressed model.
export function describePipeline(steps) {
  if (!steps.length) return 'float32';
  const describe = {
    prune: (s) => `prune ${Math.round(100 * s.sparsity)} %${s.global ? '' : ' per layer'}`,
    fine_tune: (s) => `fine-tune ${s.epochs}`,
    half: (s) => s.format,
    structured_prune: (s) => `structured ${Math.round(100 * s.fraction)} %`,
    gradual_prune: (s) => `${describe.prune(s.prune)} in ${s.stages} stages × fine-tune ${s.fine_tune.epochs}`,
    cluster: (s) => `${s.clusters} clusters${s.fine_tune ? ` tuned ${s.fine_tune.epochs}` : ''}`,
    low_rank: (s) => ('rank' in s.choose ? `rank ${s.choose.rank}` : `${Math.round(100 * s.choose.energy)} % energy`)
      + (s.first_layer_only ? ' (first layer)' : ''),
    quantize: (s) => `int${s.bits}${s.symmetric ? '' : ' asym'}${s.per_channel ? ' per-channel' : ''}`,
    qat: (s) => `QAT ${s.fine_tune.epochs} → ${describe.quantize(s.quantize)}`,
    quantize_activations: (s) => `activations int${s.bits}`,
    resize: (s) => `width ×${s.width}${s.hidden_layers ? `, ${s.hidden_layers} hidden layers` : ''}`,
  };
  return steps.map((s) => describe[s.kind](s)).join(' · ');
}
