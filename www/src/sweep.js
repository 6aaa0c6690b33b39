// Sweeps: the values a "Sweep" walks through for the technique being set, to fill its curve on
// the chart. The technique is the one whose control was moved last, if it is on; otherwise the
// last one on in pipeline order.

const $ = (id) => document.getElementById(id);

// Technique (compress-controls group) → the slider a sweep moves and its values.
const SWEEPS = {
  activations: { slider: 'c-activation-bits', values: [16, 12, 8, 6, 4, 3, 2], label: 'activation bits' },
  quantize: { slider: 'c-bits', values: [8, 7, 6, 5, 4, 3, 2, 1], label: 'bits' },
  cluster: { slider: 'c-clusters', values: [8, 7, 6, 5, 4, 3, 2, 1], label: 'clusters' },
  prune: { slider: 'c-sparsity', values: [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95], label: 'sparsity' },
  'low-rank': { slider: 'c-rank', values: [31, 24, 16, 12, 8, 6, 4, 2, 1], label: 'rank' },
  resize: { slider: 'c-width', values: [7, 6, 5, 4, 3, 2, 1, 0], label: 'width' },
};

// The sweep for `lastTouched` (a technique) if it is among `enabled` (techniques on, in pipeline
// order), else for the last enabled technique that has one; null when none has.
export function chooseSweep(lastTouched, enabled) {
  const name = enabled.includes(lastTouched) && SWEEPS[lastTouched]
    ? lastTouched
    : enabled.filter((g) => SWEEPS[g]).at(-1);
  return name ? SWEEPS[name] : null;
}

// Sets each value in turn and awaits `visit()` (which re-compresses and records the point);
// stops early when `visit` returns false. The slider ends where it started. Resolves to the
// number of values visited completely.
export async function runSweep(sweep, visit) {
  const slider = $(sweep.slider);
  const start = slider.value;
  let done = 0;
  try {
    for (const [i, value] of sweep.values.entries()) {
      slider.value = value;
      if (!(await visit(i, sweep.values.length))) break;
      done++;
    }
  } finally {
    slider.value = start;
  }
  return done;
}
