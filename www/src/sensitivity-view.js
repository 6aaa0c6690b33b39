// The layer-sensitivity panel (issue #14): one test-accuracy curve per weighted layer as that layer
// alone is quantized (bits 8 → 1) or pruned (0 → 95 %), drawn with uPlot, and a sentence naming the
// most and least tolerant layers. The engine measures (`sensitivity`); this only draws.
import { layerName } from './layer-names.js';
import uPlot from 'uplot';
import { pct } from './result-view.js';

const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];
const HEIGHT = 220;

// What a probe's x axis says, and how a level reads.
const AXES = {
  quantize: { label: 'bits in this layer (others float)', show: (x) => `${x} bits` },
  prune: { label: 'sparsity of this layer (others intact)', show: (x) => `${Math.round(100 * x)} %` },
};

export class SensitivityView {
  constructor(element, caption) {
    this.element = element;
    this.caption = caption;
    this.chart = null;
    new ResizeObserver(() => this.chart?.setSize({ width: this.width(), height: HEIGHT })).observe(element);
  }

  width() {
    return Math.max(280, this.element.clientWidth);
  }

  clear(message = '') {
    this.chart?.destroy();
    this.chart = null;
    this.caption.textContent = message;
  }

  // `analysis`: the engine's {probe, baseline, layers: [{name, params, levels, test_accuracy, bytes}]}.
  show(analysis) {
    this.clear();
    const axis = AXES[analysis.probe.kind];
    const levels = analysis.layers[0]?.levels ?? [];
    const data = [levels, ...analysis.layers.map((l) => l.test_accuracy.map((a) => 100 * a))];
    this.chart = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        scales: { x: { time: false, dir: analysis.probe.kind === 'quantize' ? -1 : 1 }, y: { range: [0, 100] } },
        axes: [{ label: axis.label }, { label: 'test accuracy %' }],
        legend: { live: false },
        series: [
          { label: axis.label, value: (_, x) => (x === null ? '' : axis.show(x)) },
          ...analysis.layers.map((layer, i) => ({
            label: `${layerName(i, layer.shape)}: ${layer.params.toLocaleString('en')} weights`,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            points: { show: true, size: 5 },
          })),
        ],
      },
      data,
      this.element,
    );
    this.caption.textContent = describeSensitivity(analysis);
  }
}

// "Most sensitive: layer 2 (64→64) (test accuracy 97.2 % → 41.0 % at 2 bits); least: … (97.2 % → 96.1 %).
// Baseline 97.2 %." — judged at the harshest level but one, where the curves part.
export function describeSensitivity({ probe, baseline, layers }) {
  if (!layers.length) return 'The model has no weighted layers.';
  const at = layers[0].levels.length - 2;
  const level = AXES[probe.kind].show(layers[0].levels[at]);
  const sorted = [...layers].sort((a, b) => a.test_accuracy[at] - b.test_accuracy[at]);
  const [most, least] = [sorted[0], sorted.at(-1)];
  const say = (l) => `${layerName(layers.indexOf(l), l.shape)} (${pct(l.test_accuracy[at])} at ${level})`;
  const verb = probe.kind === 'quantize' ? 'quantized' : 'pruned';
  return (
    `Each layer ${verb} alone, the others as trained; the float model scores ${pct(baseline)}. ` +
    (layers.length === 1 ? `The one layer: ${say(most)}.` : `Most sensitive: ${say(most)}; most tolerant: ${say(least)}.`)
  );
}
