// The automatic backend choice: the CPU is timed on the model, WebGPU too when the run is long enough
// to pay for timing it, the faster one trains, and the page says why.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const KEY = 'efficiency-playground.auto-backend.v1';

// As if timing WebGPU had been cheap on every adapter Auto has seen (the figure is kept per adapter),
// so that even a short run is worth timing it; then the page is opened again.
async function reloadWithCheapTiming(page) {
  await page.evaluate((key) => {
    const saved = JSON.parse(localStorage.getItem(key));
    for (const adapter of Object.values(saved)) adapter.probe_ms = 0.01;
    localStorage.setItem(key, JSON.stringify(saved));
  }, KEY);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
}

test('Auto keeps a short run on the CPU, times both when it pays, trains on the faster and says why', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Run on')).toHaveValue('auto');
  await expect(page.getByTestId('backend')).toContainText('Auto');
  // The page's default model for 2 epochs: far too short to pay for timing WebGPU (a guessed second
  // on an adapter never timed), so the CPU trains without WebGPU's engine being fetched.
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', 'Epochs': '2' });
  const webgpuEngine = [];
  page.on('request', (request) => { if (/engine_webgpu/.test(request.url())) webgpuEngine.push(request.url()); });
  await trainAndWait(page);
  const hint = page.locator('#backend-hint');
  await expect(hint).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU \(this model, batch 64\), about [\d.]+ s for the whole run: too short to pay for timing WebGPU \(about 1\.0 s on this adapter\), so the CPU trains\.$/);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(webgpuEngine).toEqual([]);
  expect(new URL(page.url()).searchParams.get('backend')).toBe('auto');

  // A visitor whose adapter was timed cheaply before (the figure is kept per adapter): now the same
  // run pays for timing WebGPU, both are timed, and on SwiftShader (a GPU emulated on the CPU) the CPU wins.
  await reloadWithCheapTiming(page);
  await trainAndWait(page);
  await expect(hint).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU, [\d.]+ ms on WebGPU \(this model, batch 64\): the CPU trains\.$/);
  const [cpu, webgpu] = (await hint.textContent()).match(/[\d.]+(?= ms)/g).map(Number);
  expect(cpu).toBeLessThan(webgpu);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');

  // The same model again: the figures are known, so no new timing.
  await page.evaluate(() => {
    window.statusLog = [];
    const status = document.getElementById('status');
    new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, { childList: true, subtree: true, characterData: true });
  });
  await trainAndWait(page);
  expect(await page.evaluate(() => window.statusLog.filter((text) => text.startsWith('Auto: timing')))).toEqual([]);
});

test('without a WebGPU adapter Auto and WebGPU are not offered', async ({ watched: { page } }, info) => {
  test.skip(info.project.name !== 'cpu', 'the cpu project has no adapter');
  await expect(page.locator('#backend-select option[value="auto"]')).toBeDisabled();
  await expect(page.locator('#backend-select option[value="webgpu"]')).toBeDisabled();
  await expect(page.getByLabel('Run on')).toHaveValue('cpu');
});

// What a visitor who went offline meets, and what ./scripts/serve serves while it builds the WebGPU
// engine: its download fails. Choosing WebGPU says so and trains on the CPU; Auto says it could not
// time WebGPU, keeps no verdict on it, and times it once the engine loads.
test('a WebGPU engine that does not load: the CPU trains, the page says why, and Auto times WebGPU later', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.route(/engine_webgpu/, (route) => route.abort());
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await page.getByLabel('Run on').selectOption('webgpu');
  await expect(page.getByRole('alert')).toContainText('the WebGPU engine did not load');
  await expect(page.getByLabel('Run on')).toHaveValue('cpu');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '3' });
  await trainAndWait(page);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');

  // Auto: this short run stays on the CPU; then, with a cheap timing on record for the adapter, the
  // same run is worth timing WebGPU, whose engine does not load.
  await page.getByLabel('Run on').selectOption('auto');
  await trainAndWait(page);
  await reloadWithCheapTiming(page);
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU \(this model, batch \d+\); WebGPU could not be timed \(the WebGPU engine did not load: .*\), so the CPU trains, and WebGPU is timed next time\.$/);
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
  expect(Object.values(Object.values(saved)[0].choices).map((c) => c.webgpu)).toEqual([null]);

  // The engine loads again: the next run times WebGPU.
  await page.unroute(/engine_webgpu/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU, [\d.]+ ms on WebGPU/);
});
