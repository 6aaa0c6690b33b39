// The trade-off chart: every point (history and the live one) at (footprint, quality), coloured
// by technique, the float baseline as a square, dominated points dimmed, and the Pareto frontier
// as a step line. uPlot provides scales, axes, log scale and sizing; the marks are painted in its
// draw hook, because uPlot's series model (one shared x array) does not fit free scatter points.
import uPlot from 'uplot';
import { frontier } from './pareto.js';
import { X_AXES, Y_AXES, technique, describe, formatLoss, rows } from './points.js';
import { FAMILIES as TECHNIQUES } from './techniques.js';

const HEIGHT = 380;
const PHONE_HEIGHT = 220; // on a phone the chart stays on screen above the sliders
// In the presenter view the chart shares the screen's height with the step's controls (presenter.js).
const presenting = () => document.body.classList.contains('present') || document.body.classList.contains('focus');
const presenterHeight = () => Math.max(180, Math.min(HEIGHT, Math.round(innerHeight * 0.34)));
const PHONE = matchMedia('(max-width: 700px)'); // the page's one-column layout (styles.css)
const PADDING = 0.06; // of the data range on each side
const HIT_RADIUS = 14;
const TICK_SPACE = 90; // CSS pixels per x tick label, so labels like "19.3 KiB" never touch
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export class TradeoffChart {
  // `onSelect(point)` is called when a point is clicked.
  constructor(element, tooltip, legend, onSelect) {
    Object.assign(this, { element, tooltip, legend, onSelect });
    this.axes = { x: 'bytes', y: 'accuracy', log: true };
    this.points = [];
    this.current = null;
    this.selected = null;
    new ResizeObserver(() => this.chart?.setSize(this.size())).observe(element);
    PHONE.addEventListener('change', () => this.chart?.setSize(this.size()));
    addEventListener('resize', () => {
      if (presenting()) this.chart?.setSize(this.size());
    }); // its height follows the screen's
    this.build();
    this.renderLegend();
  }

  size() {
    return {
      width: Math.max(280, this.element.clientWidth),
      height: PHONE.matches ? PHONE_HEIGHT : presenting() ? presenterHeight() : HEIGHT,
    };
  }

  /** Fits the chart to the page's layout again (the presenter's or a participant's focus). */
  fit() {
    this.chart?.setSize(this.size());
  }

  setAxes(axes) {
    this.axes = { ...this.axes, ...axes };
    this.build();
  }

  // `points`: the history; `current`: the live point (moves with the sliders), or null.
  update(points, current, selected = this.selected) {
    Object.assign(this, { points, current, selected });
    this.computeMarks();
    this.chart.setData(this.data(), true);
  }

  build() {
    this.chart?.destroy();
    const x = X_AXES[this.axes.x];
    const y = Y_AXES[this.axes.y];
    this.computeMarks();
    this.chart = new uPlot(
      {
        ...this.size(),
        scales: {
          // Ranges from the marks themselves: uPlot widens a single value by whole magnitudes first.
          x: { time: false, distr: this.axes.log ? 3 : 1, log: 10, range: () => padded(...this.extent('x'), this.axes.log) },
          y: { range: () => qualityRange(...this.extent('y'), this.axes.y) },
        },
        axes: [
          {
            label: x.label + (this.axes.log ? ' (log)' : ''),
            size: 50,
            font: FONT,
            space: TICK_SPACE,
            // On a log axis our own ticks, all labelled (uPlot's filter would blank non-powers of 10).
            ...(this.axes.log
              ? {
                  splits: (u, _i, min, max) => logTicks(min, max, u.bbox.width / devicePixelRatio, x.base),
                  filter: (_u, splits) => splits,
                }
              : {}),
            values: (_u, ticks) => ticks.map((t) => (t == null ? '' : x.format(t))),
          },
          { label: y.label, size: 60, font: FONT },
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        series: [{}, { paths: () => null, points: { show: false } }],
        hooks: { draw: [(u) => this.paint(u), (u) => this.describeTicks(u)] },
      },
      this.data(),
      this.element,
    );
    const over = this.chart.over;
    over.addEventListener('mousemove', (e) => this.showTooltip(this.hit(e)));
    over.addEventListener('mouseleave', () => {
      this.tooltip.hidden = true;
    });
    over.addEventListener('click', (e) => {
      const hit = this.hit(e);
      if (hit) this.onSelect(hit.point);
    });
    // Keyboard: the plot is focusable; arrows walk the points by footprint, Enter selects.
    over.tabIndex = 0;
    over.setAttribute('role', 'listbox');
    over.setAttribute('aria-label', 'Points by footprint: arrow keys move, Enter selects');
    over.addEventListener('keydown', (e) => this.key(e));
    over.addEventListener('blur', () => {
      this.tooltip.hidden = true;
    });
  }

  key(event) {
    const order = [...this.marks].sort((a, b) => a.x - b.x || a.y - b.y);
    if (!order.length) return;
    const at = order.findIndex((m) => m.point === this.focused);
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const step = event.key === 'ArrowRight' ? 1 : -1;
      const next = order[at < 0 ? 0 : (at + step + order.length) % order.length];
      this.focused = next.point;
      const u = this.chart;
      this.showTooltip({ ...next, left: u.valToPos(next.x, 'x'), top: u.valToPos(next.y, 'y') });
    } else if (event.key === 'Enter' && at >= 0) {
      this.onSelect(order[at].point);
    } else {
      return;
    }
    event.preventDefault();
  }

  // Plottable marks: points with both coordinates (latency only once measured), and the frontier.
  computeMarks() {
    const x = X_AXES[this.axes.x].value;
    const y = Y_AXES[this.axes.y].value;
    // The current point may also be saved (right after training): then it is one mark.
    const unsaved = this.current && !this.points.includes(this.current) ? [this.current] : [];
    this.marks = [...this.points, ...unsaved]
      .map((point) => ({ point, x: x(point), y: y(point), live: point === this.current, saved: !unsaved.includes(point) }))
      .filter((m) => Number.isFinite(m.x) && Number.isFinite(m.y) && (!this.axes.log || m.x > 0));
    const sign = Y_AXES[this.axes.y].better === 'higher' ? 1 : -1;
    const onFrontier = frontier(this.marks.map((m) => ({ x: m.x, y: sign * m.y })));
    for (const i of onFrontier) this.marks[i].frontier = true;
    this.frontier = onFrontier.map((i) => this.marks[i]);
  }

  // [smallest, largest] x or y of the marks ([null, null] without marks).
  extent(axis) {
    const values = this.marks.map((m) => m[axis]);
    return values.length ? [Math.min(...values), Math.max(...values)] : [null, null];
  }

  // uPlot auto-ranges its scales from these (the marks themselves are painted in `paint`).
  data() {
    const sorted = [...this.marks].sort((a, b) => a.x - b.x);
    return [sorted.map((m) => m.x), sorted.map((m) => m.y)];
  }

  paint(u) {
    const ctx = u.ctx;
    const px = (m) => [u.valToPos(m.x, 'x', true), u.valToPos(m.y, 'y', true)];
    const r = 5 * devicePixelRatio;
    const edge = r + 5 * devicePixelRatio; // marks on the plot's edge (100 %) are drawn whole
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left - edge, u.bbox.top - edge, u.bbox.width + 2 * edge, u.bbox.height + 2 * edge);
    ctx.clip();
    // Frontier: a step line (after each frontier point, quality holds until the next one).
    if (this.frontier.length > 1) {
      ctx.beginPath();
      this.frontier.forEach((m, i) => {
        const [cx, cy] = px(m);
        if (i === 0) ctx.moveTo(cx, cy);
        else {
          ctx.lineTo(cx, px(this.frontier[i - 1])[1]);
          ctx.lineTo(cx, cy);
        }
      });
      ctx.strokeStyle = '#9ca3af';
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const m of [...this.marks].sort((a, b) => Number(a.live) - Number(b.live))) {
      const [cx, cy] = px(m);
      const color = TECHNIQUES[technique(m.point)].color;
      ctx.globalAlpha = m.frontier || m.live ? 1 : 0.35;
      ctx.beginPath();
      if (technique(m.point) === 'baseline') ctx.rect(cx - r, cy - r, 2 * r, 2 * r);
      else ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
      if (m.live || m.point === this.selected) {
        ctx.beginPath();
        ctx.arc(cx, cy, r + 4 * devicePixelRatio, 0, 2 * Math.PI);
        ctx.strokeStyle = m.live ? '#111827' : color;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  // The x tick labels and the live point as drawn (CSS pixels in the plot), on the element's
  // dataset: what tests and assistive tools read, since uPlot draws them on a canvas.
  describeTicks(u) {
    const x = X_AXES[this.axes.x];
    const splits = u.axes[0]._splits ?? [];
    const ticks = splits.map((t) => ({ at: Math.round(u.valToPos(t, 'x')), label: x.format(t) }));
    this.element.dataset.ticks = JSON.stringify(ticks.filter((t) => t.at >= 0 && t.at <= u.bbox.width / devicePixelRatio));
    this.element.dataset.yRange = JSON.stringify([u.scales.y.min, u.scales.y.max]);
    const live = this.marks.find((m) => m.live);
    this.element.dataset.live = live ? JSON.stringify([Math.round(u.valToPos(live.x, 'x')), Math.round(u.valToPos(live.y, 'y'))]) : '';
  }

  // The mark nearest the mouse, within HIT_RADIUS CSS pixels, with its position in the plot.
  hit(event) {
    const u = this.chart;
    let best = null;
    for (const m of this.marks) {
      const [left, top] = [u.valToPos(m.x, 'x'), u.valToPos(m.y, 'y')];
      const d = Math.hypot(left - event.offsetX, top - event.offsetY);
      if (d <= HIT_RADIUS && (!best || d < best.d)) best = { ...m, d, left, top };
    }
    return best;
  }

  // Describes `hit` (a mark with its plot position) next to it; hides the tooltip for null.
  showTooltip(hit) {
    this.chart.over.style.cursor = hit ? 'pointer' : 'default';
    if (!hit) {
      this.tooltip.hidden = true;
      return;
    }
    const p = hit.point;
    const lines = [
      `${hit.live ? 'current · ' : ''}${describe(p)}`,
      `accuracy ${(100 * p.test_accuracy).toFixed(1)} % · loss ${formatLoss(p.test_loss, 3)}`,
      `${p.footprint.bytes.toLocaleString('en')} B (deflated ${p.footprint.deflated_bytes.toLocaleString('en')}) · ${p.params.toLocaleString('en')} params (${p.footprint.nonzero_params.toLocaleString('en')} non-zero)`,
      `${p.effective_macs.toLocaleString('en')} MACs${p.latency ? ` · ${p.latency.median_ms.toFixed(3)} ms` : ''} · ${p.backend}${hit.frontier ? ' · on the frontier' : ''}`,
    ];
    this.tooltip.replaceChildren(...lines.map((text) => Object.assign(document.createElement('div'), { textContent: text })));
    this.tooltip.hidden = false;
    const over = this.chart.over;
    // The mark's position in the plot area (CSS pixels), for tests and assistive tools.
    this.tooltip.dataset.x = String(hit.left);
    this.tooltip.dataset.y = String(hit.top);
    const left = over.offsetLeft + hit.left + 14;
    this.tooltip.style.left = `${Math.max(0, Math.min(left, this.element.clientWidth - this.tooltip.offsetWidth))}px`;
    this.tooltip.style.top = `${over.offsetTop + hit.top + 14}px`;
  }

  renderLegend() {
    this.legend.replaceChildren(
      ...Object.entries(TECHNIQUES).map(([key, t]) => {
        const item = document.createElement('span');
        item.className = `legend-item${key === 'baseline' ? ' square' : ''}`;
        item.style.setProperty('--color', t.color);
        item.textContent = t.label;
        return item;
      }),
      Object.assign(document.createElement('span'), { className: 'legend-item frontier', textContent: 'Pareto frontier' }),
      Object.assign(document.createElement('span'), { className: 'legend-item live', textContent: 'current settings' }),
    );
  }

  // The chart as a PNG for export: white background, the title wrapped to the width, the chart,
  // and a legend of the techniques shown.
  async png(title) {
    const source = this.chart.ctx.canvas;
    const px = devicePixelRatio;
    const measure = new OffscreenCanvas(1, 1).getContext('2d');
    measure.font = `${15 * px}px system-ui, sans-serif`;
    const lines = wrap(measure, title, source.width - 24 * px);
    const legend = this.legendItems();
    const small = `${12 * px}px system-ui, sans-serif`;
    measure.font = small;
    const widths = legend.map((item) => 30 * px + measure.measureText(item.text).width);
    const legendRows = rows(widths, source.width - 24 * px); // wrapped, never cut off
    const top = (lines.length * 20 + 14) * px;
    const canvas = new OffscreenCanvas(source.width, top + source.height + (legendRows.length * 20 + 10) * px);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#111827';
    ctx.font = `${15 * px}px system-ui, sans-serif`;
    for (const [i, line] of lines.entries()) ctx.fillText(line, 12 * px, (22 + 20 * i) * px);
    ctx.drawImage(source, 0, top);
    ctx.font = small;
    for (const [r, row] of legendRows.entries()) {
      let left = 12 * px;
      const y = top + source.height + (16 + 20 * r) * px;
      for (const i of row) {
        drawLegendItem(ctx, legend[i], left, y, px);
        left += widths[i];
      }
    }
    return canvas.convertToBlob({ type: 'image/png' });
  }

  // The legend of the PNG: the techniques shown, the frontier and the current point.
  legendItems() {
    const shown = [...new Set(this.marks.map((m) => technique(m.point)))];
    return [
      ...shown.map((t) => ({ text: TECHNIQUES[t].label, color: TECHNIQUES[t].color, square: t === 'baseline' })),
      { text: 'Pareto frontier (dashed)', color: '#9ca3af' },
      { text: 'current settings (ringed)', color: '#111827' },
    ];
  }
}

function drawLegendItem(ctx, item, left, y, px) {
  ctx.fillStyle = item.color;
  ctx.beginPath();
  if (item.square) ctx.rect(left, y - 5 * px, 10 * px, 10 * px);
  else ctx.arc(left + 5 * px, y, 5 * px, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = '#374151';
  ctx.fillText(item.text, left + 14 * px, y + 4 * px);
}

// `text` in lines no wider than `width` (words kept whole).
function wrap(ctx, text, width) {
  const lines = [''];
  for (const word of text.split(' ')) {
    const candidate = lines.at(-1) ? `${lines.at(-1)} ${word}` : word;
    if (ctx.measureText(candidate).width <= width || !lines.at(-1)) lines[lines.length - 1] = candidate;
    else lines.push(word);
  }
  return lines;
}

// Ticks on a log axis that fit `width` CSS pixels: powers of `base` (2 for bytes, so they read
// 1 KiB, 2 KiB, 4 KiB…), or 1-2-5 steps of powers of ten for counts, thinned until their labels
// have TICK_SPACE each. A range too narrow for two of them gets evenly spaced round values.
export function logTicks(min, max, width, base = 10) {
  const most = Math.max(2, Math.floor(width / TICK_SPACE));
  const candidates =
    base === 2 ? [powers(min, max, 2, [1])] : [powers(min, max, 10, [1, 2, 5]), powers(min, max, 10, [1, 3]), powers(min, max, 10, [1])];
  const fitting = candidates.find((ticks) => ticks.length <= most);
  if (fitting) return fitting.length >= 2 ? fitting : roundTicks(min, max, most);
  const all = candidates.at(-1);
  const every = Math.ceil(all.length / most);
  return all.filter((_, i) => i % every === 0);
}

// At most `most` multiples of a 1-2-5 step within [min, max].
function roundTicks(min, max, most) {
  const rough = (max - min) / most;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => (max - min) / s <= most) ?? 10 * magnitude;
  const ticks = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

// m·base^k for every mantissa m and every k, within [min, max].
function powers(min, max, base, mantissas) {
  const ticks = [];
  for (let k = Math.floor(Math.log(min) / Math.log(base)) - 1; base ** k <= max; k++) {
    for (const m of mantissas) {
      const t = m * base ** k;
      if (t >= min && t <= max) ticks.push(Number(t.toPrecision(12)));
    }
  }
  return ticks;
}

// The quality axis: accuracy stays within 0–100 %; with no point yet, the whole range.
function qualityRange(min, max, axis) {
  const accuracy = axis === 'accuracy';
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return accuracy ? [0, 100] : [0, 1];
  const [lo, hi] = padded(min, max, false);
  return accuracy ? [Math.max(0, lo), Math.min(100, hi)] : [lo, hi];
}

// A scale range around [min, max] with a margin (a factor on a log scale).
function padded(min, max, log) {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return log ? [1, 10] : [0, 1];
  if (log) {
    const factor = (max / min) ** PADDING || 1;
    return [min / Math.max(factor, 1.15), max * Math.max(factor, 1.15)];
  }
  const margin = (max - min) * PADDING || Math.abs(max) * 0.05 || 1;
  return [min - margin, max + margin];
}
