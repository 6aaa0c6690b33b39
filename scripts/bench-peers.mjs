// Serves www/dist and the peer page (argument) cross-origin isolated, runs the engine's CPU cases
// of bench.html and the peers in one Chromium, and prints the results as a table (see bench-peers).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from '@playwright/test';

const ROOTS = { '/peers/': process.argv[2], '/': 'www/dist' };
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.gz': 'application/gzip' };

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const [prefix, root] = Object.entries(ROOTS).find(([p]) => path.startsWith(p));
  const file = join(root, normalize(path.slice(prefix.length) || 'index.html'));
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}).listen(Number(process.env.PORT ?? 4175), '127.0.0.1');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu'],
});
try {
  const page = await browser.newPage();
  const base = 'http://127.0.0.1:4175';
  await page.goto(`${base}/bench.html?only=cpu`);
  await page.locator('#start:not([disabled])').click({ timeout: 60_000 });
  await page.waitForFunction(() => window.benchResults, null, { timeout: 900_000, polling: 1000 });
  const engine = (await page.evaluate(() => window.benchResults)).map((r) => ({ ...r, peer: `this engine (${r.backend})` }));
  const threads = await page.evaluate(() => navigator.hardwareConcurrency);
  const peers = [];
  for (const query of ['', `?threads=${threads}`]) {
    await page.goto(`${base}/peers/index.html${query}`);
    await page.waitForFunction(() => window.peerResults, null, { timeout: 1_800_000, polling: 1000 });
    const run = await page.evaluate(() => window.peerResults);
    if (run.error) throw new Error(run.error);
    peers.push(...run.results);
  }
  const rows = [...engine, ...peers];
  const ours = (batch) => engine.find((r) => r.batch_size === batch)?.warm_ms_per_epoch;
  console.log(`Chromium ${browser.version()}, ${threads} hardware threads, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| implementation | batch | warm ms / epoch | first epoch (s) | test acc. | vs this engine |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.skipped) { console.log(`| ${r.peer} | — | ${r.skipped} | | | |`); continue; }
    const ratio = r.warm_ms_per_epoch / ours(r.batch_size);
    const acc = r.test_accuracy === undefined ? '' : `${(100 * r.test_accuracy).toFixed(1)} %`;
    console.log(`| ${r.peer} | ${r.batch_size} | ${r.warm_ms_per_epoch.toFixed(1)} | ${r.first_epoch_s.toFixed(2)} | ${acc} | ${ratio.toFixed(2)}× |`);
  }
  console.log(`\n${JSON.stringify(rows)}`);
} finally {
  await browser.close();
  server.close();
}
