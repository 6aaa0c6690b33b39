// The compression controls: checkboxes and sliders ↔ a pipeline (spec.compress). The order is
// fixed here (prune, then quantize); a full pipeline editor comes with the explorer.

const $ = (id) => document.getElementById(id);

export function readSteps() {
  const steps = [];
  if ($('c-prune').checked) {
    steps.push({ kind: 'prune', sparsity: Number($('c-sparsity').value), global: $('c-global').checked });
  }
  if ($('c-quantize').checked) {
    steps.push({ kind: 'quantize', bits: Number($('c-bits').value), symmetric: $('c-symmetric').checked, per_channel: $('c-per-channel').checked });
  }
  return steps;
}

export function writeSteps(steps) {
  const prune = steps.find((s) => s.kind === 'prune');
  const quantize = steps.find((s) => s.kind === 'quantize');
  $('c-prune').checked = Boolean(prune);
  if (prune) {
    $('c-sparsity').value = prune.sparsity;
    $('c-global').checked = prune.global;
  }
  $('c-quantize').checked = Boolean(quantize);
  if (quantize) {
    $('c-bits').value = quantize.bits;
    $('c-symmetric').checked = quantize.symmetric;
    $('c-per-channel').checked = quantize.per_channel;
  }
  showValues();
}

export function showValues() {
  $('c-sparsity-out').textContent = `${Math.round(100 * Number($('c-sparsity').value))} %`;
  $('c-bits-out').textContent = $('c-bits').value;
}

// Calls `apply(steps)` for the latest settings, never more than one at a time: changes made while
// a call runs collapse into one follow-up call with the newest settings.
export function latestOnly(apply) {
  let running = false;
  let again = false;
  return async function request() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await apply(readSteps());
      } while (again);
    } finally {
      running = false;
    }
  };
}
