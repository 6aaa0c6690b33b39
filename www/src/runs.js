// The list of finished runs, kept in localStorage so it survives a reload.

const KEY = 'efficiency-playground.runs.v2';

export function loadRuns() {
  try {
    const runs = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(runs) ? runs : [];
  } catch {
    return [];
  }
}

export function saveRuns(runs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(runs));
  } catch {
    // Storage full or disabled: the runs stay in memory for this visit.
  }
}

export function describeModel(model) {
  return model.kind === 'cnn' ? `CNN ${model.channels.join('-')}` : `MLP ${model.hidden.join('-') || 'linear'}`;
}

// "prune 50 % · int4 per-channel", or "float32" for an uncompressed model.
export function describePipeline(steps) {
  if (!steps.length) return 'float32';
  return steps.map((s) => (s.kind === 'prune'
    ? `prune ${Math.round(100 * s.sparsity)} %${s.global ? '' : ' per layer'}`
    : `int${s.bits}${s.symmetric ? '' : ' asym'}${s.per_channel ? ' per-channel' : ''}`)).join(' · ');
}
