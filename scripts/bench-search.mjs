// The page's budgeted search in Debian's Chromium (the built page, www/dist, served by `vite preview`):
// the default search (the panel's space and budget, the form's digits MLP recipe) on one worker and on
// one per core (`navigator.hardwareConcurrency`), for each seed given (default 1 2 3). Prints one JSON
// line per search: seed, workers, seconds (from the page's own sentence) and the best found.
// CANDIDATES=N changes the panel's number of candidates (default 9). See scripts/bench-search.
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const PORT = 4176;
const SEEDS = process.argv.slice(2).map(Number);

async function search(page, seed, workers) {
  await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByLabel('Workers').fill(String(workers));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const caption = page.getByTestId('search');
  await caption.filter({ hasText: /^Searched/ }).waitFor({ timeout: 600_000 });
  const text = await caption.textContent();
  await page.evaluate(() => {
    document.getElementById('se-caption').textContent = '';
  });
  return {
    seed,
    workers,
    candidates: Number(await page.getByLabel('Candidates').inputValue()),
    seconds: Number(text.match(/\(([\d.]+) s on/)[1]),
    sizing: Number(text.match(/([\d.]+) s of it sizing/)[1]),
    best: text.replace(/^.*Best: /, ''),
    sentence: text,
  };
}

const server = await preview({ preview: { port: PORT, strictPort: true } });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForFunction(() => !document.querySelector('#train').disabled, null, { timeout: 60_000 });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (process.env.CANDIDATES) await page.getByLabel('Candidates').fill(process.env.CANDIDATES);
  for (const seed of SEEDS.length ? SEEDS : [1, 2, 3]) {
    for (const workers of [1, cores]) console.log(JSON.stringify(await search(page, seed, workers)));
  }
} finally {
  await browser.close();
  server.httpServer.close();
}
