// The selected model, seen from inside (from the engine's `inspect`): a weight histogram with the
// stored levels overlaid, each layer's pruning mask as a heat map, the first layer's weights as
// images (8×8 digits inputs, or 3×3 conv filters), the singular-value spectrum with the chosen rank,
// and the confusion matrix on the test set. Histogram and spectrum are uPlot bar charts; heat maps
// and images are pixels on a canvas.
import { layerName } from './layer-names.js';
import uPlot from 'uplot';
import { isImageSet } from './data-sets.js';

const BINS = 60;
const MAX_LEVELS = 64; // more distinct values than this: the weights are not quantized/clustered
const MASK_SIZE = 150; // CSS pixels of a mask's longer side; larger layers are drawn in blocks
const MASK_CELLS = 2 * MASK_SIZE; // at most this many cells per side (one cell = a block's max |w|)

export class InspectView {
  constructor(root) {
    this.root = root;
    this.histogram = barChart(root.querySelector('#histogram'), 'weights', 'count', (u) => this.paintLevels(u));
    this.spectrum = barChart(root.querySelector('#spectrum'), 'index', 'singular value', (u) => this.paintRank(u));
    this.levels = [];
    this.rank = null;
  }

  // `original`: the view of the trained (uncompressed) model, for a low-rank point's spectrum.
  show(view, point, original = null) {
    const index = Number(this.root.querySelector('#inspect-layer').value) || 0;
    const layer = view.layers[index] ?? view.layers[0];
    this.fillLayerChoice(view);
    this.showHistogram(layer, point);
    this.showSpectrum(layer, point, original?.layers[index] ?? null);
    drawMasks(this.root.querySelector('#masks'), view.layers);
    drawFirstLayer(this.root.querySelector('#first-layer'), view.layers[0], point.spec);
    drawConfusion(this.root.querySelector('#confusion'), view.confusion);
    this.root.querySelector('#inspect-empty').hidden = true;
    this.root.querySelector('#inspect-body').hidden = false;
  }

  clear(message) {
    this.root.querySelector('#inspect-empty').textContent = message;
    this.root.querySelector('#inspect-empty').hidden = false;
    this.root.querySelector('#inspect-body').hidden = true;
  }

  fillLayerChoice(view) {
    const select = this.root.querySelector('#inspect-layer');
    const chosen = select.value;
    select.replaceChildren(
      ...view.layers.map((l, i) =>
        Object.assign(new Option(layerName(i, l.shape), String(i)), { title: `${l.path} [${l.shape.join('×')}]` }),
      ),
    );
    select.value = chosen !== '' && Number(chosen) < view.layers.length ? chosen : '0';
  }

  showHistogram(layer, point) {
    const values = layer.values;
    this.levels = fewDistinct(values, MAX_LEVELS);
    const { lo, hi } = extent(values);
    const width = (hi - lo) / BINS || 1;
    const counts = new Array(BINS).fill(0);
    let zeros = 0;
    for (const v of values) {
      if (v === 0) zeros++;
      else counts[Math.min(BINS - 1, Math.floor((v - lo) / width))]++;
    }
    const centres = counts.map((_, i) => lo + (i + 0.5) * width);
    this.histogram.setData([centres, counts]);
    this.root.querySelector('#histogram-caption').textContent =
      `${values.length.toLocaleString('en')} weights, ` +
      `${zeros.toLocaleString('en')} exactly zero (not in the bars); ` +
      (this.levels.length ? `${this.levels.length} distinct stored values (red lines)${levelsName(point)}.` : 'continuous values (float).');
  }

  // A low-rank point's spectrum is the trained layer's (`original`), where the rank's share of the
  // energy means something: the factorized layer's own spectrum has nothing past the rank.
  showSpectrum(layer, point, original) {
    const lowRank = point.spec.compress.find((s) => s.kind === 'low_rank');
    this.rank = lowRank && 'rank' in lowRank.choose ? lowRank.choose.rank : null;
    const sigma = (this.rank && original ? original : layer).singular_values;
    this.spectrum.setData([sigma.map((_, i) => i + 1), sigma]);
    this.root.querySelector('#spectrum-caption').textContent = spectrumCaption(sigma, this.rank, Boolean(original));
  }

  paintLevels(u) {
    paintVerticals(u, this.levels, '#dc2626');
  }

  paintRank(u) {
    if (this.rank) paintVerticals(u, [this.rank + 0.5], '#111827', true);
  }
}

// The distinct values sorted, if there are at most `limit`; else [] (stops counting early).
function fewDistinct(values, limit) {
  const seen = new Set();
  for (const v of values) {
    seen.add(v);
    if (seen.size > limit) return [];
  }
  return [...seen].sort((a, b) => a - b);
}

// Smallest and largest value, and the largest magnitude, in one pass (no argument spreading: a
// layer of a million weights would overflow the call stack).
function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi, maxAbs: Math.max(Math.abs(lo), Math.abs(hi)) || 1 };
}

// What the stored levels are: cluster centroids or quantization levels (the last such step).
function levelsName(point) {
  const kinds = point.spec.compress.map((s) => s.kind).filter((k) => ['cluster', 'quantize', 'qat'].includes(k));
  if (!kinds.length) return '';
  return kinds.at(-1) === 'cluster' ? ': the cluster centroids' : ': the quantization levels';
}

function barChart(element, xLabel, yLabel, paint) {
  const width = () => Math.max(240, element.clientWidth);
  const chart = new uPlot(
    {
      width: width(),
      height: 170,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max * 1.05 || 1] } },
      axes: [
        { label: xLabel, size: 40 },
        { label: yLabel, size: 50 },
      ],
      legend: { show: false },
      cursor: { show: false },
      series: [{}, { fill: '#93c5fd', stroke: '#2563eb', paths: uPlot.paths.bars({ size: [0.9, 40] }), points: { show: false } }],
      hooks: { draw: [paint] },
    },
    [[], []],
    element,
  );
  new ResizeObserver(() => chart.setSize({ width: width(), height: 170 })).observe(element);
  return chart;
}

function paintVerticals(u, xs, color, dashed = false) {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = devicePixelRatio;
  if (dashed) ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
  for (const x of xs) {
    const px = u.valToPos(x, 'x', true);
    ctx.beginPath();
    ctx.moveTo(px, u.bbox.top);
    ctx.lineTo(px, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

// A weight tensor as a 2D matrix: dense [inputs, outputs]; a kernel [out, in·k·k] transposed so
// that rows are inputs too.
function asMatrix(layer) {
  const [a, ...rest] = layer.shape;
  const b = rest.reduce((x, y) => x * y, 1);
  if (layer.shape.length === 2) return { rows: a, cols: b, at: (r, c) => layer.values[r * b + c] };
  return { rows: b, cols: a, at: (r, c) => layer.values[c * b + r] };
}

// Heat maps of |w| per layer (rows = inputs, columns = units): pruned weights white. A layer
// larger than MASK_CELLS a side is drawn in blocks, each showing its largest |w| (white only if
// the whole block is zero).
function drawMasks(container, layers) {
  container.replaceChildren(
    ...layers.map((layer, i) => {
      const m = asMatrix(layer);
      const block = Math.ceil(Math.max(m.rows, m.cols) / MASK_CELLS);
      const [cols, rows] = [Math.ceil(m.cols / block), Math.ceil(m.rows / block)];
      const cells = new Float32Array(cols * rows);
      let zeros = 0;
      for (let r = 0; r < m.rows; r++) {
        for (let c = 0; c < m.cols; c++) {
          const v = Math.abs(m.at(r, c));
          if (v === 0) zeros++;
          const cell = Math.floor(r / block) * cols + Math.floor(c / block);
          if (v > cells[cell]) cells[cell] = v;
        }
      }
      const { maxAbs } = extent(cells);
      const canvas = pixels(cols, rows, (x, y) => {
        const v = Math.sqrt(cells[y * cols + x] / maxAbs);
        return v === 0 ? [255, 255, 255] : [255 - 200 * v, 255 - 170 * v, 255 - 40 * v];
      });
      const scale = MASK_SIZE / Math.max(m.rows, m.cols);
      canvas.style.width = `${Math.max(1, Math.round(m.cols * scale))}px`;
      canvas.style.height = `${Math.max(1, Math.round(m.rows * scale))}px`;
      const blocks = block > 1 ? ` (${block}×${block} blocks)` : '';
      return figure(canvas, `${layerName(i, layer.shape)}${blocks}, ${((100 * zeros) / layer.values.length).toFixed(0)} % zero`);
    }),
  );
}

// The first layer's weights as pictures: for an image input, each unit's incoming weights as an
// h×w image (red negative, blue positive); for a convolution, its k×k filters.
function drawFirstLayer(container, layer, spec) {
  const isImage = isImageSet(spec.data.name);
  container.closest('figure').hidden = !isImage;
  if (!isImage) return;
  const images =
    layer.shape.length === 2
      ? Array.from({ length: layer.shape[1] }, (_, u) => ({
          side: Math.round(Math.sqrt(layer.shape[0])),
          at: (i) => layer.values[i * layer.shape[1] + u],
        }))
      : Array.from({ length: layer.shape[0] }, (_, o) => {
          const k = layer.shape[2] * layer.shape[3];
          return { side: layer.shape[2], at: (i) => layer.values[o * k * layer.shape[1] + i] };
        });
  const max = extent(layer.values).maxAbs;
  container.replaceChildren(
    ...images.slice(0, 64).map(({ side, at }) =>
      pixels(side, side, (x, y) => {
        const v = at(y * side + x) / max;
        return v >= 0 ? [255 - 220 * v, 255 - 160 * v, 255] : [255, 255 + 180 * v, 255 + 220 * v];
      }),
    ),
  );
}

function drawConfusion(container, matrix) {
  const n = matrix.length;
  const cell = 26;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = (n + 1) * cell;
  canvas.setAttribute('role', 'img');
  const ctx = canvas.getContext('2d');
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0) || 1);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let t = 0; t < n; t++) {
    ctx.fillStyle = '#6b7280';
    ctx.fillText(String(t), cell / 2, (t + 1.5) * cell);
    ctx.fillText(String(t), (t + 1.5) * cell, cell / 2);
    for (let p = 0; p < n; p++) {
      const share = matrix[t][p] / rowTotals[t];
      ctx.fillStyle = t === p ? `rgba(22, 163, 74, ${0.15 + 0.85 * share})` : `rgba(220, 38, 38, ${Math.min(1, 3 * share)})`;
      ctx.fillRect((p + 1) * cell, (t + 1) * cell, cell - 1, cell - 1);
      if (matrix[t][p]) {
        ctx.fillStyle = share > 0.5 ? 'white' : '#111827';
        ctx.fillText(String(matrix[t][p]), (p + 1.5) * cell, (t + 1.5) * cell);
      }
    }
  }
  const errors = matrix.flatMap((row, t) => row.filter((_, p) => p !== t)).reduce((a, b) => a + b, 0);
  canvas.setAttribute('aria-label', `Confusion matrix: rows are true classes, columns predicted; ${errors} test errors`);
  container.replaceChildren(canvas);
}

function pixels(width, height, color) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(x, y);
      const at = 4 * (y * width + x);
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function figure(canvas, caption) {
  const fig = document.createElement('figure');
  fig.className = 'mask';
  fig.append(canvas, Object.assign(document.createElement('figcaption'), { textContent: caption }));
  return fig;
}

/** The spectrum's caption: what share of the energy Σσ² a rank keeps, of the trained layer when
 * `original` (else of the layer shown, whose spectrum a factorization has already cut). */
export function spectrumCaption(sigma, rank, original) {
  if (!rank) return `${sigma.length} singular values; a low rank keeps the largest.`;
  const energy = sigma.reduce((a, s) => a + s * s, 0);
  const kept = sigma.slice(0, rank).reduce((a, s) => a + s * s, 0) / energy;
  return original
    ? `Rank ${rank} (dashed) keeps ${(100 * kept).toFixed(1)} % of the energy Σσ² of the trained layer, whose spectrum is shown.`
    : `This layer is already factorized to rank ${rank}: its spectrum ends there (train the model again to compare with the trained layer).`;
}
