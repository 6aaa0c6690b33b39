// Tests of scripts/precompress.mjs, the `.br`/`.gz` files `./scripts/serve` writes for static hosts,
// on a small directory (`./scripts/test` does not precompress the real page: brotli at quality 11
// takes a minute on the WebGPU engine, and the end-to-end tests never fetch those files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

const script = new URL('../../scripts/precompress.mjs', import.meta.url).pathname;

function page() {
  const dir = mkdtempSync(join(tmpdir(), 'precompress-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>'.repeat(50));
  writeFileSync(join(dir, 'assets', 'engine_bg.wasm'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 13)));
  writeFileSync(join(dir, 'assets', 'photo.png'), Buffer.from([137, 80, 78, 71]));
  return dir;
}

const run = (dir, cache) =>
  execFileSync(process.execPath, [script, dir], {
    env: { ...process.env, PRECOMPRESS_CACHE: cache ?? '' },
    encoding: 'utf8',
  });

test('every text and wasm asset gets .br and .gz siblings that decompress to its bytes; images do not', () => {
  const dir = page();
  const table = run(dir);
  for (const file of ['index.html', 'assets/engine_bg.wasm']) {
    const bytes = readFileSync(join(dir, file));
    assert.deepEqual(brotliDecompressSync(readFileSync(join(dir, `${file}.br`))), bytes, `${file}.br`);
    assert.deepEqual(gunzipSync(readFileSync(join(dir, `${file}.gz`))), bytes, `${file}.gz`);
    assert.match(table, new RegExp(`${file.replace('.', '\\.')}.*${bytes.length}`));
  }
  assert.deepEqual(readdirSync(join(dir, 'assets')).sort(), ['engine_bg.wasm', 'engine_bg.wasm.br', 'engine_bg.wasm.gz', 'photo.png']);
  assert.match(table, /total/);
});

test('with a cache, a second build reuses the compressed files of unchanged content', () => {
  const cache = mkdtempSync(join(tmpdir(), 'precompress-cache-'));
  run(page(), cache);
  const cached = readdirSync(cache).sort();
  assert.equal(cached.length, 4, 'a .br and a .gz for each of the two assets');
  const second = page();
  run(second, cache);
  assert.deepEqual(readdirSync(cache).sort(), cached);
  assert.ok(existsSync(join(second, 'index.html.br')));
});
