// The trade-off chart: every point (history and the live one) at (footprint, quality), coloured
// by technique, the float baseline as a square, dominated points dimmed, and the Pareto frontier
// as a step line. uPlot provides scales, axes, log scale and sizing; the marks are painted in its
// draw hook, because uPlot's series model (one shared x array) does not fit free scatter points.
import uPlot from 'uplot';
import { frontier } from './pareto.js';
import { X_AXES, Y_AXES, TECHNIQUES, technique, describe, formatLoss } from './points.js';

const HEIGHT = 380;
const PADDING = 0.06; // of the data range on each side, so edge points are drawn whole
const HIT_RADIUS = 14;

export class TradeoffChart {
  // `onSelect(point)` is called when a point is clicked.
  constructor(element, tooltip, legend, onSelect) {
    Object.assign(this, { element, tooltip, legend, onSelect });
    this.axes = { x: 'bytes', y: 'accuracy', log: true };
    this.points = [];
    this.current = null;
    this.selected = null;
    new ResizeObserver(() => this.chart?.setSize(this.size())).observe(element);
    this.build();
    this.renderLegend();
  }

  size() {
    return { width: Math.max(300, this.element.clientWidth), height: HEIGHT };
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
    this.chart = new uPlot({
      ...this.size(),
      scales: {
        // Powers of two on a log axis: bytes and counts halve and double.
        x: { time: false, distr: this.axes.log ? 3 : 1, log: 2, range: (u, min, max) => padded(min, max, this.axes.log) },
        y: { range: (u, min, max) => padded(min, max, false) },
      },
      axes: [
        { label: x.label + (this.axes.log ? ' (log)' : ''), size: 50, values: (u, ticks) => ticks.map((t) => x.format(t)) },
        { label: y.label, size: 60 },
      ],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      series: [{}, { paths: () => null, points: { show: false } }],
      hooks: { draw: [(u) => this.paint(u)] },
    }, this.data(), this.element);
    const over = this.chart.over;
    over.addEventListener('mousemove', (e) => this.showTooltip(this.hit(e)));
    over.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    over.addEventListener('click', (e) => {
      const hit = this.hit(e);
      if (hit) this.onSelect(hit.point);
    });
    // Keyboard: the plot is focusable; arrows walk the points by footprint, Enter selects.
    over.tabIndex = 0;
    over.setAttribute('role', 'listbox');
    over.setAttribute('aria-label', 'Points by footprint: arrow keys move, Enter selects');
    over.addEventListener('keydown', (e) => this.key(e));
    over.addEventListener('blur', () => { this.tooltip.hidden = true; });
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

  // uPlot auto-ranges its scales from these (the marks themselves are painted in `paint`).
  data() {
    const sorted = [...this.marks].sort((a, b) => a.x - b.x);
    return [sorted.map((m) => m.x), sorted.map((m) => m.y)];
  }

  paint(u) {
    const ctx = u.ctx;
    const px = (m) => [u.valToPos(m.x, 'x', true), u.valToPos(m.y, 'y', true)];
    const r = 5 * devicePixelRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
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
    this.legend.replaceChildren(...Object.entries(TECHNIQUES).map(([key, t]) => {
      const item = document.createElement('span');
      item.className = `legend-item${key === 'baseline' ? ' square' : ''}`;
      item.style.setProperty('--color', t.color);
      item.textContent = t.label;
      return item;
    }), Object.assign(document.createElement('span'), { className: 'legend-item frontier', textContent: 'Pareto frontier' }),
    Object.assign(document.createElement('span'), { className: 'legend-item live', textContent: 'current settings' }));
  }

  // The chart as a PNG (white background, with a title), for export.
  async png(title) {
    const source = this.chart.ctx.canvas;
    const canvas = new OffscreenCanvas(source.width, source.height + 40 * devicePixelRatio);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#111827';
    ctx.font = `${16 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.fillText(title, 12 * devicePixelRatio, 26 * devicePixelRatio);
    ctx.drawImage(source, 0, 40 * devicePixelRatio);
    return canvas.convertToBlob({ type: 'image/png' });
  }
}

// A scale range around [min, max] with a margin (a factor on a log scale).
function padded(min, max, log) {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return log ? [1, 10] : [0, 1];
  if (log) {
    const factor = (max / min) ** PADDING || 1;
    return [min / Math.max(factor, 1.15), max * Math.max(factor, 1.15)];
  }
  const margin = (max - min) * PADDING || Math.abs(max) * 0.1 || 1;
  return [min - margin, max + margin];
}
