// The class chart's reading and ranking (www/src/class-chart.js), run by `node --test`: the page's
// own JSON and CSV exports read back as points, anything else is refused naming the file and the
// problem, and participants are ranked by their smallest file that meets a challenge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExport, rank, markPath } from '../../www/src/class-chart.js';
import { toCsv } from '../../www/src/points.js';

const point = (bits, test_accuracy, bytes) => ({
  spec: { data: { name: 'digits', test_fraction: 0.2 }, model: { kind: 'mlp', hidden: [64], activation: 'relu' }, train: {}, seed: 42,
    compress: bits ? [{ kind: 'quantize', bits, symmetric: true, per_channel: true }] : [] },
  backend: 'cpu', test_accuracy, test_loss: 0.1, train_accuracy: 1, params: 4810, macs: 4736, effective_macs: 4736,
  footprint: { bytes, deflated_bytes: bytes - 100, header_bytes: 300, payload_bytes: bytes - 300, nonzero_params: 4810 },
});
const points = [point(0, 0.978, 19535), point(3, 0.983, 2743)];

test('the page\'s JSON and CSV exports read back as the same points', () => {
  const json = parseExport('a.json', JSON.stringify(points));
  assert.deepEqual(json, points);
  const csv = parseExport('b.csv', toCsv(points));
  assert.deepEqual(csv.map((p) => [p.spec, p.test_accuracy, p.footprint.bytes]), points.map((p) => [p.spec, p.test_accuracy, p.footprint.bytes]));
});

test('anything else is refused, naming the file and the problem', () => {
  assert.throws(() => parseExport('x.json', '[{"a": 1}]'), /^Error: x\.json: entry 1 is not a point/);
  assert.throws(() => parseExport('x.json', '[1, 2'), /^Error: x\.json is not valid JSON/);
  assert.throws(() => parseExport('x.json', '[]'), /^Error: x\.json holds no points$/);
  assert.throws(() => parseExport('y.csv', 'name,score\nada,3\n'), /^Error: y\.csv is not a points export: it lacks the columns test_accuracy, bytes, spec$/);
  assert.throws(() => parseExport('y.csv', 'test_accuracy,bytes,spec\n0.9,100,{oops\n'), /^Error: y\.csv: row 2's spec is not JSON$/);
  assert.throws(() => parseExport('y.csv', 'test_accuracy,bytes,spec\nhigh,100,"{""data"":{}}"\n'), /row 2 needs numbers/);
});

test('participants rank by their smallest file that meets the challenge; the rest follow, unranked', () => {
  const challenge = { met: (p) => p.footprint.bytes <= 2800 && p.test_accuracy >= 0.95 };
  const ranked = rank([
    { name: 'ada', points: [points[0]] },
    { name: 'ben', points: [point(3, 0.97, 2780), point(4, 0.99, 2790)] },
    { name: 'cleo', points: [point(3, 0.983, 2743), point(2, 0.7, 1833)] },
  ], challenge);
  assert.deepEqual(ranked.map((r) => [r.participant.name, r.entry?.footprint.bytes ?? null]), [['cleo', 2743], ['ben', 2780], ['ada', null]]);
});

test('every mark shape is a closed or stroked path', () => {
  for (const shape of ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus', 'star', 'down']) assert.match(markPath(shape, 10, 10), /^M[\d.]/);
});
