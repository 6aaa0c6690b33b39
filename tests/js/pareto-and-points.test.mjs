// Unit tests of the chart's frontier (www/src/pareto.js), the CSV export and a point's technique
// (www/src/points.js), and reading a link (www/src/url-state.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frontier } from '../../www/src/pareto.js';
import { toCsv, technique, taskKey } from '../../www/src/points.js';
import { parse } from '../../www/src/url-state.js';

test('the frontier keeps the points no other point is both smaller and better than, by size', () => {
  const points = [
    { x: 4, y: 90 },
    { x: 1, y: 50 },
    { x: 2, y: 50 },
    { x: 3, y: 95 },
    { x: 8, y: 95 },
    { x: 2, y: 70 },
  ];
  // (2, 50) loses to (2, 70); (4, 90) to (3, 95); (8, 95) ties (3, 95) on quality and is larger.
  assert.deepEqual(frontier(points), [1, 5, 3]);
  assert.deepEqual(frontier([]), []);
  assert.deepEqual(frontier([{ x: 5, y: 1 }]), [0]);
});

const point = (compress, extra = {}) => ({
  spec: {
    data: { name: 'digits', test_fraction: 0.2, samples: 600, noise: 0.1 },
    model: { kind: 'mlp', hidden: [64], activation: 'relu' },
    train: {},
    distill: null,
    seed: 42,
    compress,
  },
  test_accuracy: 0.97,
  test_loss: 0.1,
  train_accuracy: 1,
  params: 4810,
  macs: 4736,
  effective_macs: 4736,
  backend: 'cpu',
  footprint: { bytes: 5383, deflated_bytes: 4765, header_bytes: 327, payload_bytes: 5056, nonzero_params: 4810 },
  ...extra,
});

test("a point's technique is the one its pipeline uses; fine-tuning does not count", () => {
  assert.equal(technique(point([])), 'baseline');
  assert.equal(technique(point([{ kind: 'prune' }, { kind: 'fine_tune' }])), 'prune');
  assert.equal(technique(point([{ kind: 'qat' }])), 'quantize');
  assert.equal(technique(point([{ kind: 'prune' }, { kind: 'quantize' }])), 'pipeline');
});

test('the CSV has a header, one row per point, and quotes fields as RFC 4180 says', () => {
  const csv = toCsv([point([{ kind: 'quantize', bits: 8, symmetric: true, per_channel: false }])]);
  const [header, row, end] = csv.split('\n');
  assert.ok(header.startsWith('data,model,pipeline,technique,test_accuracy'));
  assert.equal(end, '');
  // The spec column is JSON: quoted, its quotes doubled, and it reads back as the spec.
  const spec = row.slice(row.indexOf(',"{') + 2, -1).replaceAll('""', '"');
  assert.equal(JSON.parse(spec).compress[0].bits, 8);
  assert.ok(row.includes(',5383,4765,327,5056,4810,4810,4736,4736,,cpu,42,'), row); // no latency measured
});

test('points of different tasks never share a frontier; digits ignore generated-set settings', () => {
  const digits = { name: 'digits', test_fraction: 0.2, samples: 600, noise: 0.1 };
  assert.equal(taskKey(digits), taskKey({ ...digits, samples: 900, noise: 0.3 }));
  assert.notEqual(taskKey(digits), taskKey({ ...digits, test_fraction: 0.3 }));
  const moons = { ...digits, name: 'moons' };
  assert.notEqual(taskKey(moons), taskKey({ ...moons, noise: 0.2 }));
});

test('a link is read field by field: bad JSON is reported, unknown hide flags and backends ignored', () => {
  const read = parse('?spec=%7Bnot%20json&hide=training,bogus,prune&backend=tpu&x=params&log=0');
  assert.equal(read.spec, null);
  assert.match(read.error, /not valid JSON/);
  assert.deepEqual(read.hide, ['training', 'prune']);
  assert.equal(read.backend, null);
  assert.deepEqual(read.axes, { x: 'params', log: false });
  const spec = { data: { name: 'moons' }, compress: [] };
  assert.deepEqual(parse(`?spec=${encodeURIComponent(JSON.stringify(spec))}&backend=webgpu`).spec, spec);
});

test("the PNG's title names the task shown and its own points; its legend wraps into rows, never past the width", async () => {
  const { chartTitle, rows } = await import('../../www/src/points.js');
  const moons = { name: 'moons', samples: 600, noise: 0.1, test_fraction: 0.2 };
  assert.equal(chartTitle(moons, 3, null), 'Quality vs footprint on moons (600 samples, noise 0.1, 20 % test): 3 saved points');
  assert.equal(chartTitle({ name: 'digits', test_fraction: 0.2 }, 1, null), 'Quality vs footprint on digits (20 % test): 1 saved point');
  assert.deepEqual(rows([100, 100, 100], 250), [[0, 1], [2]]);
  assert.deepEqual(rows([300, 50], 250), [[0], [1]], 'an item wider than a row gets a row of its own');
  assert.deepEqual(rows([], 250), [[]]);
  for (const width of [200, 390, 1000]) {
    const widths = [120, 90, 180, 160, 70];
    for (const row of rows(widths, width)) assert.ok(row.length === 1 || row.reduce((s, i) => s + widths[i], 0) <= width);
  }
});
