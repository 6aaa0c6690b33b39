// Fresh visits of the built page (www/dist, served by `vite preview`) in Debian's Chromium: what a
// first visit downloads before the default model's point (or the point of the model that LINK
// sets) is on the page, and how long it waits.
// Prints one JSON line per visit, then the median. See scripts/bench-first-visit.
import { stat } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const PORT = 4175;
const VISITS = Number(process.env.VISITS ?? 3);
const LINK = process.env.LINK ?? '/'; // the page's path and query: another model, or backend, by link
const DIST = new URL('../www/dist/', import.meta.url);

const size = async (url) => (await stat(url).catch(() => null))?.size ?? null;

/** Raw, gzip and brotli bytes of the files a visit fetched, from the build's precompressed copies. */
async function bytesOf(paths) {
  const total = { files: paths.length, raw: 0, gzip: 0, brotli: 0 };
  for (const path of paths) {
    const file = new URL(path.replace(/^\//, '') || 'index.html', DIST);
    const raw = await size(file);
    total.raw += raw;
    total.gzip += (await size(`${file.pathname}.gz`)) ?? raw;
    total.brotli += (await size(`${file.pathname}.br`)) ?? raw;
  }
  return total;
}

async function visit(browser) {
  const context = await browser.newContext(); // empty cache
  const fetched = new Set();
  context.on('requestfinished', (request) => {
    const url = new URL(request.url());
    if (url.port === String(PORT)) fetched.add(url.pathname === '/' ? '/index.html' : url.pathname);
  });
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}${LINK}`);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.querySelector('#train').disabled, null, { timeout: 60_000, polling: 'raf' });
  const interactive = Date.now();
  await train.click();
  await page.waitForFunction(() => document.querySelectorAll('#runs tbody tr').length > 0, null, { timeout: 120_000, polling: 'raf' });
  const pointShown = Date.now();
  const accuracy = await page.getByTestId('test-accuracy').textContent();
  const backend = await page.getByTestId('point-backend').textContent();
  const hint = await page.locator('#backend-hint').textContent();
  const bytes = await bytesOf([...fetched]);
  await context.close();
  return {
    to_interactive_s: (interactive - start) / 1000,
    interactive_to_point_s: (pointShown - interactive) / 1000,
    test_accuracy: accuracy,
    backend,
    hint,
    fetched: bytes,
    files: [...fetched].sort(),
  };
}

const server = await preview({ preview: { port: PORT, strictPort: true } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    ...(process.env.WEBGPU ? ['--enable-unsafe-webgpu'] : []),
  ],
});
try {
  const visits = [];
  for (let i = 0; i < VISITS; i++) {
    visits.push(await visit(browser));
    console.log(JSON.stringify(visits.at(-1)));
  }
  const median = (key) => visits.map((v) => v[key]).sort((a, b) => a - b)[Math.floor(visits.length / 2)];
  console.log(
    JSON.stringify({
      visits: VISITS,
      median_to_interactive_s: median('to_interactive_s'),
      median_interactive_to_point_s: median('interactive_to_point_s'),
    }),
  );
} finally {
  await browser.close();
  server.httpServer.close();
}
