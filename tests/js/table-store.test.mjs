// The learner's own tables kept in the browser (table-store.js): compact, exact, the least
// recently used evicted when the quota is reached, the previous version's tables converted, and
// forgotten on request. A fake localStorage with a quota in characters stands in for the browser's.
import { test, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

class QuotaStorage {
  constructor(quota) {
    this.quota = quota;
    this.items = new Map();
  }
  getItem(key) {
    return this.items.get(key) ?? null;
  }
  setItem(key, value) {
    const used = [...this.items].reduce((n, [k, v]) => n + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quota) throw new Error('QuotaExceededError');
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

let store;
const local = new QuotaStorage(Infinity);
before(async () => {
  globalThis.localStorage = local;
  store = await import('../../www/src/table-store.js');
});
beforeEach(() => {
  local.items.clear();
  local.quota = Infinity;
});

const table = (name, rows, features = 2) => ({
  name,
  nFeatures: features,
  classNames: ['a', 'b', 'c'],
  features: Float32Array.from({ length: rows * features }, (_, i) => Math.sin(i) * 1e3 + i / 7),
  labels: Uint32Array.from({ length: rows }, (_, i) => i % 3),
});

test('a kept table comes back exactly, in about 5.3 characters a value', () => {
  const t = table('spiral.csv', 1000, 4);
  assert.deepEqual(store.keep('id1', t, 1), { kept: true, evicted: [] });
  assert.deepEqual(store.kept('id1'), { name: t.name, nFeatures: 4, classNames: t.classNames, features: t.features, labels: t.labels });
  const chars = local.getItem('efficiency-playground.tables.v2').length;
  assert.ok(chars / 5000 < 5.5, `${chars} characters for 5,000 values`);
  assert.ok(chars < JSON.stringify([...t.features]).length / 3, 'a third of the JSON numbers or less');
});

test('when the quota refuses, the least recently used tables are evicted, and named', () => {
  const size = JSON.stringify({ a: store.encode(table('A', 500), 1) }).length;
  local.quota = 2.5 * size;
  assert.equal(store.keep('a', table('A', 500), 1).kept, true);
  assert.equal(store.keep('b', table('B', 500), 2).kept, true);
  store.kept('a', 3); // A used again: B is now the least recently used
  assert.deepEqual(store.keep('c', table('C', 500), 4), { kept: true, evicted: ['B'] });
  assert.ok(store.kept('a') && store.kept('c'));
  assert.equal(store.kept('b'), null);
  assert.deepEqual(store.usage().names.sort(), ['A', 'C']);
});

test('a table larger than the quota alone, or than the limit, is not kept, and evicts what it must try', () => {
  local.quota = 1000;
  assert.deepEqual(store.keep('big', table('big', 500), 1), { kept: false, evicted: [] });
  local.quota = Infinity;
  const huge = { ...table('huge', 1), features: new Float32Array(store.STORED_VALUES + 1) };
  assert.equal(store.keep('huge', huge).kept, false);
  assert.equal(local.getItem('efficiency-playground.tables.v2'), null, 'nothing written');
});

test("the previous version's tables (JSON numbers) are converted on first read; forgetAll removes both", () => {
  const t = table('old.csv', 20);
  const old = { name: t.name, nFeatures: 2, features: [...t.features], labels: [...t.labels], classNames: t.classNames };
  local.setItem('efficiency-playground.tables.v1', JSON.stringify({ old: old }));
  assert.deepEqual(store.kept('old').features, t.features);
  assert.equal(local.getItem('efficiency-playground.tables.v1'), null);
  assert.equal(store.forgetAll(), true);
  assert.deepEqual(store.usage().names, []);
  assert.equal(store.kept('old'), null);
});
