// Participant names on exports and on the class chart (www/src/participant.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slug, participantOf } from '../../www/src/participant.js';
import { contentKey } from '../../www/src/class-chart.js';

test('a name becomes file-name words, in any script', () => {
  assert.deepEqual(slug('Ada (table 2)'), ['Ada', 'table', '2']);
  assert.deepEqual(slug('  Zoë / Łukasz '), ['Zoë', 'Łukasz']);
  assert.deepEqual(slug(''), []);
  assert.deepEqual(slug('../../etc'), ['etc']);
});

test("a file names its participant, without the export prefix or a browser's copy counter", () => {
  assert.equal(participantOf('points-Ada-table-2.json'), 'Ada table 2');
  assert.equal(participantOf('points-ada (1).json'), 'ada');
  assert.equal(participantOf('ben.csv'), 'ben');
  assert.equal(participantOf('points.json'), 'points');
});

test('the same content has one key, different content another', () => {
  assert.equal(contentKey('[1,2]'), contentKey('[1,2]'));
  assert.notEqual(contentKey('[1,2]'), contentKey('[1,3]'));
});
