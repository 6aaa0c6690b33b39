// The page's run-time estimate against the runs themselves, in fresh browser contexts (so the
// estimate speaks from its priors): digits and MNIST models of different shapes on the CPU, or on
// WebGPU with BACKEND=webgpu (SwiftShader here). Prints one JSON line per run — the estimate, what
// the engine counted, the run's seconds — then the figures `fit` (www/src/cost-estimate.js) draws
// from all of them: the priors that match this machine. See scripts/bench-estimate.
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { fit } from '../www/src/cost-estimate.js';

const PORT = 4176;
const BACKEND = process.env.BACKEND ?? 'cpu';
const CASES = {
  cpu: [
    ['digits MLP 64, batch 64', { data: { name: 'digits' } }],
    ['digits MLP 64, batch 16', { data: { name: 'digits' }, train: { batch_size: 16 } }],
    ['MNIST MLP 64', { data: { name: 'mnist' } }],
    [
      'MNIST MLP 256, 10 epochs',
      { data: { name: 'mnist' }, model: { kind: 'mlp', hidden: [256], activation: 'relu' }, train: { epochs: 10 } },
    ],
  ],
  webgpu: [
    ['digits MLP 64, 10 epochs', { data: { name: 'digits' }, train: { epochs: 10 } }],
    ['MNIST MLP 64, 2 epochs', { data: { name: 'mnist' }, train: { epochs: 2 } }],
  ],
}[BACKEND];

// One run in a fresh context: the estimate shown before Train, the engine's count, the run's seconds.
async function run(browser, name, spec) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/?backend=${BACKEND}&spec=${encodeURIComponent(JSON.stringify(spec))}`);
  await page.waitForFunction(() => /about|under/.test(document.getElementById('estimate').textContent), null, { timeout: 120_000 });
  const estimate = await page.locator('#estimate').textContent();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => /^Done in/.test(document.getElementById('status').textContent), null, { timeout: 1_800_000 });
  const seconds = Number((await page.locator('#status').textContent()).match(/^Done in ([\d.]+) s/)[1]);
  const counted = await page.locator('#estimate').getAttribute('title');
  await context.close();
  return { name, estimate, counted, seconds };
}

const server = await preview({ preview: { port: PORT, strictPort: true } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', ...(BACKEND === 'webgpu' ? ['--enable-unsafe-webgpu'] : [])],
});
const runs = [];
for (const [name, spec] of CASES) {
  const result = await run(browser, name, spec);
  console.log(JSON.stringify(result));
  runs.push(result);
}
await browser.close();
server.httpServer.close();
const parse = (text) => {
  const [, epochs, steps, mantissa, exponent] = text.match(/^(\d+) epochs × (\d+) steps, ([\d.]+) × 10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/);
  const power = Number([...exponent].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(d)).join(''));
  return { steps: Number(epochs) * Number(steps), macs: Number(mantissa) * 10 ** power };
};
const figures = fit(
  runs.map((r) => ({ ...parse(r.counted), seconds: r.seconds })),
  { step_ms: 1, gmacs: 1 },
);
console.log(JSON.stringify({ backend: BACKEND, fitted: figures }));
