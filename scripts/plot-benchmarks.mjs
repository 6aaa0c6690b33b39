// Draws the benchmark figures of docs/benchmarks/*.json as SVG charts beside them, with Vega-Lite
// (the charts are committed; run `node scripts/plot-benchmarks.mjs` after changing a figure). Each
// JSON file holds its measurements with their date, machine and command; docs/BENCHMARKS.md has
// the method.
import { readFileSync, writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile } from 'vega-lite';

const dir = new URL('../docs/benchmarks/', import.meta.url);
const FONT = {
  labelFont: 'DejaVu Sans, sans-serif',
  titleFont: 'DejaVu Sans, sans-serif',
  labelFontSize: 11,
  titleFontSize: 12,
  labelLimit: 280,
};
const LOG = { type: 'log', domain: [2, 3000] }; // ms per epoch: from the fastest to the slowest peer

// Training speed: a dot per implementation and batch size (the median), a line for the range of
// the rounds, the figure beside it.
const peers = (data) => ({
  data: { values: data.rows },
  facet: { row: { field: 'batch', type: 'ordinal', title: 'batch size' } },
  spec: {
    width: 420,
    encoding: { y: { field: 'implementation', type: 'nominal', sort: null, title: null } },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'median', type: 'quantitative', scale: LOG, title: `${data.unit} (log scale; lower is faster)` },
          color: { condition: { test: "indexof(datum.implementation, 'this engine') === 0", value: '#2563eb' }, value: '#9ca3af' },
        },
      },
      {
        mark: { type: 'rule', color: '#111827' },
        encoding: { x: { field: 'min', type: 'quantitative', scale: LOG }, x2: { field: 'max' } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 10 },
        encoding: { x: { field: 'median', type: 'quantitative', scale: LOG }, text: { field: 'median', type: 'quantitative' } },
      },
    ],
  },
});

// Downloads: one bar per part of the page.
const downloads = (data) => ({
  data: { values: data.rows },
  width: 420,
  encoding: {
    y: { field: 'what', type: 'nominal', sort: null, title: null, axis: { labelLimit: 280 } },
    x: { field: 'kB', type: 'quantitative', title: data.unit },
  },
  layer: [
    { mark: { type: 'bar', height: 16, color: '#2563eb' } },
    {
      mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
      encoding: { text: { field: 'kB', type: 'quantitative', format: ',.0f' } },
    },
  ],
});

const CHARTS = { peers, downloads };

/** The SVG chart of docs/benchmarks/<name>.json. */
export async function render(name) {
  const data = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: data.title, subtitle: `${data.date} · ${data.machine} · ${data.command}` },
    config: { axis: FONT, header: FONT, title: { anchor: 'start', fontSize: 13, subtitleFontSize: 10 }, background: 'white' },
    ...CHARTS[name](data),
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

export const NAMES = Object.keys(CHARTS);

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of NAMES) {
    writeFileSync(new URL(`${name}.svg`, dir), await render(name));
    console.log(`docs/benchmarks/${name}.svg`);
  }
}
