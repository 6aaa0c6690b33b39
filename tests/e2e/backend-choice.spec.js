// The automatic backend choice: a few timed training steps of the model on both backends, the
// faster one trains, and the page says why.
import { test, expect, fill, trainAndWait } from './fixtures.js';

test('Auto times both backends on the model and trains on the faster, saying why', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Run on')).toHaveValue('auto');
  await expect(page.getByTestId('backend')).toContainText('Auto');
  // The page's default model: on SwiftShader (a GPU emulated on the CPU) the CPU must win.
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', 'Epochs': '2' });
  await trainAndWait(page);
  const hint = page.locator('#backend-hint');
  await expect(hint).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU, [\d.]+ ms on WebGPU \(this model, batch 64\): the CPU trains\.$/);
  const [cpu, webgpu] = (await hint.textContent()).match(/[\d.]+(?= ms)/g).map(Number);
  expect(cpu).toBeLessThan(webgpu);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(new URL(page.url()).searchParams.get('backend')).toBe('auto');
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
