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
