// Sweeps: the values a "Sweep" walks through for the technique being set, to fill its curve on
// the chart. The technique is the one whose control was moved last, if it is on; otherwise the
// last one on in pipeline order.

import { sweepOf } from './compress-controls.js';

const $ = (id) => document.getElementById(id);

// The sweep for `lastTouched` (a technique) if it is among `enabled` (techniques on, in pipeline
// order), else for the last enabled technique that has one; null when none has.
export function chooseSweep(lastTouched, enabled) {
  const name = enabled.includes(lastTouched) && sweepOf(lastTouched) ? lastTouched : enabled.filter(sweepOf).at(-1);
  return name ? sweepOf(name) : null;
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
