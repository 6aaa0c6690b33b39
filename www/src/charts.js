// Live training curves (loss and accuracy per epoch, train and test) drawn with uPlot.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = { train: '#2563eb', test: '#e11d48' };

function curveChart(element, title, yLabel, range) {
  const width = () => Math.max(280, element.clientWidth);
  const chart = new uPlot(
    {
      title,
      width: width(),
      height: 200,
      scales: { x: { time: false }, y: range ? { range } : {} },
      axes: [{ label: 'epoch' }, { label: yLabel }],
      legend: { live: false },
      series: [{ label: 'epoch' }, { label: 'train', stroke: COLORS.train, width: 2 }, { label: 'test', stroke: COLORS.test, width: 2 }],
    },
    [[], [], []],
    element,
  );
  new ResizeObserver(() => chart.setSize({ width: width(), height: 200 })).observe(element);
  return chart;
}

export class TrainingCharts {
  // The charts stay hidden, and `empty` (a hint) shows, until there is an epoch to draw.
  constructor(lossElement, accuracyElement, empty) {
    this.elements = [lossElement, accuracyElement];
    this.empty = empty;
    this.loss = curveChart(lossElement, 'Loss (cross-entropy)', 'loss');
    this.accuracy = curveChart(accuracyElement, 'Accuracy', '%', [0, 100]);
    this.clear();
  }

  clear() {
    this.history = [];
    this.redraw();
  }

  add(metrics) {
    this.history.push(metrics);
    this.redraw();
  }

  show(history) {
    this.history = [...history];
    this.redraw();
  }

  redraw() {
    const h = this.history;
    for (const element of this.elements) element.hidden = h.length === 0;
    this.empty.hidden = h.length > 0;
    const epochs = h.map((m) => m.epoch);
    this.loss.setData([epochs, h.map((m) => m.train.loss), h.map((m) => m.test.loss)]);
    this.accuracy.setData([epochs, h.map((m) => 100 * m.train.accuracy), h.map((m) => 100 * m.test.accuracy)]);
  }
}
