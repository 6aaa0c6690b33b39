// The learner's own tables kept in this browser, so a link or a point naming one works on a later
// visit: stored compactly (the features as base64 of their Float32Array, the labels of their
// Uint8Array: about 5.3 characters a value where JSON numbers took up to 20), the least recently
// used evicted when the browser's quota is reached, and forgotten on request.

import { readJson, writeJson, remove } from './storage.js';

const KEY = 'efficiency-playground.tables.v2';
const OLD_KEY = 'efficiency-playground.tables.v1'; // JSON arrays of numbers, read once and converted
/** Tables with more values than this last for the visit only. */
export const STORED_VALUES = 200_000;

const toBase64 = (bytes) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A table as stored: `used` is when it was last used (ms since the epoch). */
export function encode(table, used) {
  return {
    name: table.name,
    nFeatures: table.nFeatures,
    classNames: table.classNames,
    features: toBase64(new Uint8Array(Float32Array.from(table.features).buffer)),
    labels: toBase64(Uint8Array.from(table.labels)),
    used,
  };
}

export function decode(kept) {
  const bytes = fromBase64(kept.features);
  return {
    name: kept.name,
    nFeatures: kept.nFeatures,
    classNames: kept.classNames,
    features: new Float32Array(bytes.buffer, 0, bytes.length / 4),
    labels: Uint32Array.from(fromBase64(kept.labels)),
  };
}

// id → stored table; the previous version's tables are converted on first read.
function load() {
  const stored = readJson(KEY, {});
  const tables = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  const old = readJson(OLD_KEY, null);
  if (old && typeof old === 'object') {
    for (const [id, t] of Object.entries(old)) tables[id] ??= encode(t, 0);
    if (writeJson(KEY, tables)) remove(OLD_KEY);
  }
  return tables;
}

/** Keeps `table` by its engine id, evicting the least recently used others while the browser's
 * quota refuses it. Resolves to {kept, evicted: the names of the tables given up}. */
export function keep(id, table, now = Date.now()) {
  if (table.features.length > STORED_VALUES) return { kept: false, evicted: [] };
  const tables = load();
  tables[id] = encode(table, now);
  const evicted = [];
  const others = Object.keys(tables)
    .filter((other) => other !== id)
    .sort((a, b) => tables[a].used - tables[b].used);
  while (!writeJson(KEY, tables)) {
    const oldest = others.shift();
    if (!oldest) return { kept: false, evicted };
    evicted.push(tables[oldest].name);
    delete tables[oldest];
  }
  return { kept: true, evicted };
}

/** The table kept by id (marked as used now), or null. */
export function kept(id, now = Date.now()) {
  const tables = load();
  if (!tables[id]) return null;
  tables[id].used = now;
  writeJson(KEY, tables);
  return decode(tables[id]);
}

/** What is kept: the tables' names and the characters they take in storage. */
export function usage() {
  const tables = load();
  return { names: Object.values(tables).map((t) => t.name), chars: JSON.stringify(tables).length };
}

/** Forgets every kept table; false when the browser refuses. */
export function forgetAll() {
  return remove(KEY) && remove(OLD_KEY);
}
