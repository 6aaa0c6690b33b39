// The Result panel: the selected point's quality and footprint, one labelled figure per row, and
// the number formats the page shares.
import { describePipeline } from './techniques.js';
import { formatLoss } from './points.js';

export const pct = (x) => `${(100 * x).toFixed(1)} %`;
export const formatBytes = (n) => (n < 10_000 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);
const formatLatency = (l) =>
  `${l.median_ms.toFixed(3)} ms median, ${l.p90_ms.toFixed(3)} ms p90 (${l.backend === 'webgpu' ? 'WebGPU' : 'CPU'}, ${l.repeats} samples)`;

export function showResult(list, p) {
  const rows = [
    ['Test accuracy', pct(p.test_accuracy), 'test-accuracy'],
    ['Train accuracy', pct(p.train_accuracy), 'train-accuracy'],
    ['Test loss', formatLoss(p.test_loss, 4), 'test-loss'],
    ['Compression', describePipeline(p.spec.compress), 'pipeline'],
    ['Parameters', `${p.params.toLocaleString('en')} (${p.footprint.nonzero_params.toLocaleString('en')} non-zero)`, 'params'],
    ['Exported size', `${formatBytes(p.footprint.bytes)} (${p.footprint.bits_per_param.toFixed(2)} bits/param)`, 'bytes'],
    ...(p.footprint.payload_bytes === undefined
      ? [] // points stored before the split was measured
      : [['Of which', `${formatBytes(p.footprint.payload_bytes)} weights, ${formatBytes(p.footprint.header_bytes)} header`, 'payload']]),
    ['Deflated', formatBytes(p.footprint.deflated_bytes), 'deflated'],
    ['float32 weights', formatBytes(p.float32_bytes), 'float32-bytes'],
    [
      'MACs / example',
      p.effective_macs === p.macs
        ? p.macs.toLocaleString('en')
        : `${p.effective_macs.toLocaleString('en')} (dense ${p.macs.toLocaleString('en')})`,
      'macs',
    ],
    ['Latency', p.latency ? formatLatency(p.latency) : 'not measured (Latency button)', 'latency'],
    [
      'Training time',
      `${p.train_seconds.toFixed(2)} s (${((p.train_seconds / Math.max(1, p.history.length)) * 1000).toFixed(0)} ms/epoch)`,
      'time',
    ],
    ['Backend', p.backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)', 'point-backend'],
    ...(p.notes ?? []).map((note) => ['Note', note, 'note']),
  ];
  list.replaceChildren(
    ...rows.flatMap(([label, value, id]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.testid = id;
      return [dt, dd];
    }),
  );
}
