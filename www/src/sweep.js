// Sweeps: the values a "Sweep" walks through for the technique being set, to fill its curve on
// the chart. The technique is the last enabled one in pipeline order (quantization if on, etc.).

const $ = (id) => document.getElementById(id);

// [{checkbox, slider, values}] in reverse pipeline order: the first enabled one is swept.
const SWEEPS = [
  { checkbox: 'c-activations', slider: 'c-activation-bits', values: [16, 12, 8, 6, 4, 3, 2], label: 'activation bits' },
  { checkbox: 'c-quantize', slider: 'c-bits', values: [8, 7, 6, 5, 4, 3, 2, 1], label: 'bits' },
  { checkbox: 'c-cluster', slider: 'c-clusters', values: [8, 7, 6, 5, 4, 3, 2, 1], label: 'clusters' },
  { checkbox: 'c-prune', slider: 'c-sparsity', values: [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95], label: 'sparsity' },
  { checkbox: 'c-low-rank', slider: 'c-rank', values: [31, 24, 16, 12, 8, 6, 4, 2, 1], label: 'rank' },
  { checkbox: 'c-resize', slider: 'c-width', values: [7, 6, 5, 4, 3, 2, 1, 0], label: 'width' },
];

// The sweep for the current settings, or null when no technique is enabled.
export function currentSweep() {
  return SWEEPS.find((s) => $(s.checkbox).checked) ?? null;
}

// Sets each value in turn and awaits `visit()` (which re-compresses and records the point);
// stops early when `visit` returns false. The slider ends where it started.
export async function runSweep(sweep, visit) {
  const slider = $(sweep.slider);
  const start = slider.value;
  try {
    for (const [i, value] of sweep.values.entries()) {
      slider.value = value;
      if (!(await visit(i, sweep.values.length))) break;
    }
  } finally {
    slider.value = start;
  }
}
