// The compression controls: checkboxes and sliders ↔ a pipeline (spec.compress). The order is
// fixed here (resize, low-rank, prune, fine-tune, cluster, quantize, activations).
// The clusters slider moves in powers of two (2^1 … 2^8); the width slider over WIDTHS.

const $ = (id) => document.getElementById(id);

const WIDTHS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

export function readSteps() {
  const steps = [];
  if ($('c-resize').checked) {
    const depth = $('c-depth').value;
    steps.push({ kind: 'resize', width: WIDTHS[Number($('c-width').value)], hidden_layers: depth === '' ? null : Number(depth) });
    if ($('c-resize-tune').checked) steps.push({ kind: 'fine_tune', ...fineTuneSpec() });
  }
  if ($('c-low-rank').checked) {
    steps.push({ kind: 'low_rank', choose: { rank: Number($('c-rank').value) }, first_layer_only: true });
  }
  if ($('c-prune').checked) {
    const prune = { sparsity: Number($('c-sparsity').value), global: $('c-global').checked };
    const stages = Number($('c-stages').value);
    if ($('c-structured').checked) {
      steps.push({ kind: 'structured_prune', fraction: prune.sparsity });
      if ($('c-fine-tune').checked) steps.push({ kind: 'fine_tune', ...fineTuneSpec() });
    } else if ($('c-fine-tune').checked && stages > 1) {
      steps.push({ kind: 'gradual_prune', prune, stages, fine_tune: fineTuneSpec() });
    } else {
      steps.push({ kind: 'prune', ...prune });
      if ($('c-fine-tune').checked) steps.push({ kind: 'fine_tune', ...fineTuneSpec() });
    }
  }
  if ($('c-cluster').checked) {
    const fineTune = $('c-cluster-tune').checked ? fineTuneSpec() : null;
    steps.push({ kind: 'cluster', clusters: clusterCount(), init: 'linear', fine_tune: fineTune });
  }
  if ($('c-half').value && !$('c-quantize').checked) steps.push({ kind: 'half', format: $('c-half').value });
  if ($('c-quantize').checked) {
    const quantize = { bits: Number($('c-bits').value), symmetric: $('c-symmetric').checked, per_channel: $('c-per-channel').checked };
    steps.push($('c-qat').checked
      ? { kind: 'qat', quantize, fine_tune: fineTuneSpec() }
      : { kind: 'quantize', ...quantize });
  }
  if ($('c-activations').checked) {
    steps.push({ kind: 'quantize_activations', bits: Number($('c-activation-bits').value), calibration_batches: 4 });
  }
  return steps;
}

// Fine-tuning and QAT train with the epochs set here and the training learning rate.
function fineTuneSpec() {
  const learningRate = Number(document.getElementById('f-train-learning-rate').value);
  return { epochs: Number($('c-fine-tune-epochs').value), learning_rate: learningRate };
}

// Steps that train, and so take seconds and report progress.
export function trains(steps) {
  return steps.some((s) => ['fine_tune', 'qat', 'gradual_prune'].includes(s.kind) || s.fine_tune);
}

export function writeSteps(steps) {
  const resizeAt = steps.findIndex((s) => s.kind === 'resize');
  const resize = steps[resizeAt];
  $('c-resize').checked = Boolean(resize);
  $('c-resize-tune').checked = steps[resizeAt + 1]?.kind === 'fine_tune' && resizeAt >= 0;
  if (resize) {
    $('c-width').value = Math.max(0, WIDTHS.indexOf(resize.width));
    $('c-depth').value = resize.hidden_layers ?? '';
    steps = steps.filter((_, i) => i !== resizeAt && !(i === resizeAt + 1 && $('c-resize-tune').checked));
  }
  const activations = steps.find((s) => s.kind === 'quantize_activations');
  $('c-activations').checked = Boolean(activations);
  if (activations) $('c-activation-bits').value = activations.bits;
  const gradual = steps.find((s) => s.kind === 'gradual_prune');
  const structured = steps.find((s) => s.kind === 'structured_prune');
  const prune = steps.find((s) => s.kind === 'prune') ?? gradual?.prune
    ?? (structured && { sparsity: structured.fraction, global: $('c-global').checked });
  $('c-structured').checked = Boolean(structured);
  $('c-stages').value = gradual ? gradual.stages : 1;
  const qat = steps.find((s) => s.kind === 'qat');
  $('c-half').value = steps.find((s) => s.kind === 'half')?.format ?? '';
  const quantize = steps.find((s) => s.kind === 'quantize') ?? qat?.quantize;
  $('c-qat').checked = Boolean(qat);
  const fineTune = steps.find((s) => s.kind === 'fine_tune') ?? gradual?.fine_tune;
  const cluster = steps.find((s) => s.kind === 'cluster');
  const lowRank = steps.find((s) => s.kind === 'low_rank');
  $('c-low-rank').checked = Boolean(lowRank?.choose.rank);
  if (lowRank?.choose.rank) $('c-rank').value = lowRank.choose.rank;
  $('c-cluster').checked = Boolean(cluster);
  if (cluster) $('c-clusters').value = Math.round(Math.log2(cluster.clusters));
  $('c-cluster-tune').checked = Boolean(cluster?.fine_tune);
  $('c-prune').checked = Boolean(prune);
  $('c-fine-tune').checked = Boolean(fineTune);
  const tuning = fineTune ?? qat?.fine_tune;
  if (tuning) $('c-fine-tune-epochs').value = tuning.epochs;
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
  $('c-clusters-out').textContent = clusterCount();
  $('c-rank-out').textContent = $('c-rank').value;
  $('c-width-out').textContent = WIDTHS[Number($('c-width').value)];
  $('c-activation-bits-out').textContent = $('c-activation-bits').value;
  $('c-clusters').setAttribute('aria-valuetext', `${clusterCount()} clusters`);
}

function clusterCount() {
  return 2 ** Number($('c-clusters').value);
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
