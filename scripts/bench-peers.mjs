// Serves www/dist and the peer page (argument) cross-origin isolated, runs the engine's CPU cases
// of bench.html and the peers in one Chromium, and prints the results as a table (see bench-peers).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from '@playwright/test';

const ROOTS = { '/peers/': process.argv[2], '/': 'www/dist' };
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.gz': 'application/gzip',
};

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

/** One row per implementation and batch: the median warm ms per epoch over its runs, and the range. */
function medians(measured) {
  const groups = new Map();
  for (const r of measured) {
    const key = `${r.peer}|${r.batch_size}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    if (runs[0].skipped) return runs[0];
    const times = runs.map((r) => r.warm_ms_per_epoch).sort((a, b) => a - b);
    const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    return { ...runs[0], warm_ms_per_epoch: median, min: times[0], max: times.at(-1), runs: runs.length };
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--enable-unsafe-webgpu',
  ],
});
// This VM's timings drift by tens of percent over minutes, so the engine and the peers take turns:
// ROUNDS rounds of everything (TF.js webgpu, on SwiftShader here, in the first only), each row
// reported as its median over the rounds, and the ratios taken between medians.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// Long enough that the second half of the epochs runs on optimised wasm (the browser tiers up).
const EPOCHS = Number(process.env.EPOCHS ?? 20);
try {
  const page = await browser.newPage();
  const base = 'http://127.0.0.1:4175';
  const threads = await page.evaluate(() => navigator.hardwareConcurrency);
  const measured = [];
  for (let round = 0; round < ROUNDS; round++) {
    await page.goto(`${base}/bench.html?only=cpu&epochs=${EPOCHS}`);
    await page.locator('#start:not([disabled])').click({ timeout: 60_000 });
    await page.waitForFunction(() => window.benchResults, null, { timeout: 900_000, polling: 1000 });
    const engine = await page.evaluate(() => window.benchResults);
    measured.push(...engine.filter((r) => r.model === 'MLP 64').map((r) => ({ ...r, peer: `this engine (${r.backend})` })));
    for (const query of [round === 0 ? '' : '&skip=webgpu', `&threads=${threads}`]) {
      await page.goto(`${base}/peers/index.html?epochs=${EPOCHS}${query}`);
      await page.waitForFunction(() => window.peerResults, null, { timeout: 1_800_000, polling: 1000 });
      const run = await page.evaluate(() => window.peerResults);
      if (run.error) throw new Error(run.error);
      measured.push(...run.results);
    }
  }
  const rows = medians(measured);
  const ours = (batch) => rows.find((r) => r.peer.startsWith('this engine') && r.batch_size === batch).warm_ms_per_epoch;
  console.log(
    `Chromium ${browser.version()}, ${threads} hardware threads, ${new Date().toISOString().slice(0, 10)}, median of ${ROUNDS} rounds of ${EPOCHS} epochs (warm: the second half)\n`,
  );
  console.log('| implementation | batch | warm ms / epoch (median) | range | test acc. | vs this engine |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.skipped) {
      console.log(`| ${r.peer} | — | ${r.skipped} | | | |`);
      continue;
    }
    const acc = r.test_accuracy === undefined ? '' : `${(100 * r.test_accuracy).toFixed(1)} %`;
    const range = r.runs > 1 ? `${r.min.toFixed(1)}–${r.max.toFixed(1)}` : '(1 run)';
    console.log(
      `| ${r.peer} | ${r.batch_size} | ${r.warm_ms_per_epoch.toFixed(1)} | ${range} | ${acc} | ${(r.warm_ms_per_epoch / ours(r.batch_size)).toFixed(2)}× |`,
    );
  }
  console.log(`\n${JSON.stringify(measured)}`);
} finally {
  await browser.close();
  server.close();
}
