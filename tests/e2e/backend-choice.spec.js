// The automatic backend choice: the CPU is timed on the model, WebGPU too when the run is long enough
// to pay for timing it, the faster one trains, and the page says why.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const KEY = 'efficiency-playground.auto-backend.v1';

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
  await page.evaluate((key) => {
    const saved = JSON.parse(localStorage.getItem(key));
    for (const adapter of Object.values(saved)) adapter.probe_ms = 0.01;
    localStorage.setItem(key, JSON.stringify(saved));
  }, KEY);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
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
