// Writes `.br` and `.gz` siblings of the built page's text and wasm assets (www/dist), for static
// hosts that serve precompressed files (nginx `gzip_static`/`brotli_static`, most CDNs), and prints
// each file's raw, gzip and brotli size. Brotli at its best quality takes ~40 s for the engine on
// two cores, so compressed files are cached by content hash in $PRECOMPRESS_CACHE.
// Usage: node scripts/precompress.mjs <dir>
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2];
const cache = process.env.PRECOMPRESS_CACHE;
const WORTH = new Set(['.wasm', '.js', '.css', '.html', '.svg', '.json']);

const compressors = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  gz: (bytes) => gzipSync(bytes, { level: 9 }),
};

// The compressed bytes of `bytes`, from the cache when this content was compressed before.
function compressed(bytes, kind) {
  if (!cache) return compressors[kind](bytes);
  const file = join(cache, `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.${kind}`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    writeFileSync(file, compressors[kind](bytes));
  }
  return readFileSync(file);
}

function* files(root) {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (WORTH.has(extname(name))) yield path;
  }
}

const rows = [];
for (const path of files(dir)) {
  const bytes = readFileSync(path);
  const out = Object.fromEntries(Object.keys(compressors).map((kind) => [kind, compressed(bytes, kind)]));
  for (const [kind, data] of Object.entries(out)) writeFileSync(`${path}.${kind}`, data);
  rows.push({ file: path.slice(dir.length + 1), raw: bytes.length, gzip: out.gz.length, brotli: out.br.length });
}
const total = (key) => rows.reduce((sum, r) => sum + r[key], 0);
console.table([...rows, { file: 'total', raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') }]);
