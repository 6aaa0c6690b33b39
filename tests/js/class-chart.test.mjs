// The class chart's reading and ranking (www/src/class-chart.js), run by `node --test`: the page's
// own JSON and CSV exports read back as points, anything else is refused naming the file and the
// problem, and participants are ranked by their smallest file that meets a challenge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExport, rank, markPath, condense, extent, MAX_POINTS } from '../../www/src/class-chart.js';
import { toCsv } from '../../www/src/points.js';

const point = (bits, test_accuracy, bytes) => ({
  spec: {
    data: { name: 'digits', test_fraction: 0.2 },
    model: { kind: 'mlp', hidden: [64], activation: 'relu' },
    train: {},
    seed: 42,
    compress: bits ? [{ kind: 'quantize', bits, symmetric: true, per_channel: true }] : [],
  },
  backend: 'cpu',
  test_accuracy,
  test_loss: 0.1,
  train_accuracy: 1,
  params: 4810,
  macs: 4736,
  effective_macs: 4736,
  footprint: { bytes, deflated_bytes: bytes - 100, header_bytes: 300, payload_bytes: bytes - 300, nonzero_params: 4810 },
});
const points = [point(0, 0.978, 19535), point(3, 0.983, 2743)];

test("the page's JSON and CSV exports read back as the same points", () => {
  const json = parseExport('a.json', JSON.stringify(points));
  assert.deepEqual(json, points);
  const csv = parseExport('b.csv', toCsv(points));
  assert.deepEqual(
    csv.map((p) => [p.spec, p.test_accuracy, p.footprint.bytes]),
    points.map((p) => [p.spec, p.test_accuracy, p.footprint.bytes]),
  );
});

test('anything else is refused, naming the file and the problem', () => {
  assert.throws(() => parseExport('x.json', '[{"a": 1}]'), /^Error: x\.json: entry 1 is not a point/);
  assert.throws(() => parseExport('x.json', '[1, 2'), /^Error: x\.json is not valid JSON/);
  assert.throws(() => parseExport('x.json', '[]'), /^Error: x\.json holds no points$/);
  assert.throws(
    () => parseExport('y.csv', 'name,score\nada,3\n'),
    /^Error: y\.csv is not a points export: it lacks the columns test_accuracy, bytes, spec$/,
  );
  assert.throws(() => parseExport('y.csv', 'test_accuracy,bytes,spec\n0.9,100,{oops\n'), /^Error: y\.csv: row 2's spec is not JSON$/);
  assert.throws(
    () => parseExport('y.csv', 'test_accuracy,bytes,spec\nhigh,100,"{""data"":{""name"":""digits""}}"\n'),
    /row 2 needs a number between 0 and 1 for test_accuracy/,
  );
});

test('participants rank by their smallest file that meets the challenge; the rest follow, unranked', () => {
  const challenge = { met: (p) => p.footprint.bytes <= 2800 && p.test_accuracy >= 0.95 };
  const ranked = rank(
    [
      { name: 'ada', points: [points[0]] },
      { name: 'ben', points: [point(3, 0.97, 2780), point(4, 0.99, 2790)] },
      { name: 'cleo', points: [point(3, 0.983, 2743), point(2, 0.7, 1833)] },
    ],
    challenge,
  );
  assert.deepEqual(
    ranked.map((r) => [r.participant.name, r.entry?.footprint.bytes ?? null]),
    [
      ['cleo', 2743],
      ['ben', 2780],
      ['ada', null],
    ],
  );
});

test('every mark shape is a closed or stroked path', () => {
  for (const shape of ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus', 'star', 'down'])
    assert.match(markPath(shape, 10, 10), /^M[\d.]/);
});

test('a row the chart cannot draw is refused, in either format, naming the row', () => {
  const zero = { ...points[0], footprint: { ...points[0].footprint, bytes: 0 } };
  assert.throws(
    () => parseExport('z.json', JSON.stringify([zero])),
    /^Error: z\.json: entry 1 needs a positive number of bytes \(at most 1 TiB\), not 0$/,
  );
  assert.throws(
    () => parseExport('z.json', JSON.stringify([{ ...points[0], test_accuracy: 7 }])),
    /entry 1 needs a number between 0 and 1 for test_accuracy/,
  );
  assert.throws(
    () => parseExport('z.csv', 'test_accuracy,bytes,spec\n0.9,-5,"{""data"":{""name"":""digits""}}"\n'),
    /^Error: z\.csv: row 2 needs a positive number of bytes/,
  );
  assert.throws(
    () => parseExport('z.csv', 'test_accuracy,bytes,spec\n0.9,100,5\n'),
    /^Error: z\.csv: row 2 is not a point .*its spec names no data set$/,
  );
  assert.throws(() => parseExport('z.csv', 'test_accuracy,bytes,spec\n0.9,1e300,"{""data"":{""name"":""digits""}}"\n'), /at most 1 TiB/);
});

test("a participant's many points are condensed to its frontier and best entries; a few are kept as they are", () => {
  assert.equal(condense(points), points);
  // A sweep of 10,000 points: accuracy rises with size, with a dominated point beside each.
  const sweep = Array.from({ length: 5000 }, (_, i) => [point(3, 0.5 + i / 20000, 1000 + 10 * i), point(3, 0.4, 1000 + 10 * i)]).flat();
  const kept = condense(sweep);
  assert.ok(kept.length <= MAX_POINTS, `${kept.length}`);
  assert.ok(
    kept.every((p) => p.test_accuracy >= 0.5),
    'dominated points go first',
  );
  // The ranking is unchanged: each challenge's best entry is kept.
  const challenge = { met: (p) => p.footprint.bytes <= 2800 && p.test_accuracy >= 0.5 };
  assert.deepEqual(rank([{ points: kept }], challenge)[0].entry, rank([{ points: sweep }], challenge)[0].entry);
});

test('extent reads 200,000 values without spreading them into Math.min (a RangeError)', () => {
  const values = Array.from({ length: 200_000 }, (_, i) => i % 997);
  assert.deepEqual(extent(values), [0, 996]);
});
