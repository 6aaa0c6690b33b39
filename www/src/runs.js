// The list of finished runs, kept in localStorage so it survives a reload.

const KEY = 'efficiency-playground.runs.v1';

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
