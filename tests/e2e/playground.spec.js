// The walking skeleton as a person uses it: pick data and a model, train, watch, cancel, recover.
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

// SwiftShader emulates the GPU on the CPU (~0.4 s per step), so the WebGPU path trains digits
// with large batches and few steps: it proves the path is correct, not fast.
const DIGITS_SETTINGS = {
  cpu: {},
  webgpu: { 'Batch size': '256', 'Epochs': '15', 'Learning rate': '0.02' },
};

test('trains digits to at least 95 % on the detected backend', async ({ watched: { page } }, info) => {
  const backend = info.project.name;
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', ...DIGITS_SETTINGS[backend] });
  const accuracy = await trainAndWait(page);
  expect(accuracy).toBeGreaterThanOrEqual(95);
  await expect(page.getByTestId('point-backend')).toHaveText(backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)');
  await expect(page.getByTestId('params')).toHaveText('4,810');
  await expect(page.locator('.u-title').first()).toHaveText('Loss (cross-entropy)');
  await page.screenshot({ path: `${ARTIFACTS}digits-${backend}.png`, fullPage: true });
});

test('Cancel stops training and keeps the page usable', async ({ watched: { page } }) => {
  await fill(page, { 'Data set': 'digits', 'Epochs': '2000', 'Batch size': '256' });
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.locator('#status')).toContainText('batch', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('#status')).toContainText('cancelled after', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  await expect(page.locator('#runs tbody tr')).toHaveCount(0);
});

// Page behaviour that does not depend on the backend runs once, on the CPU path (the webgpu
// project excludes @cpu-only in playwright.config.js).
test.describe('page behaviour', { tag: '@cpu-only' }, () => {
  test('bad input shows a clear error and loses nothing', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Epochs': '5' });
    await trainAndWait(page);
    await fill(page, { 'Hidden widths': '64, 0' });
    await page.getByRole('button', { name: 'Train' }).click();
    await expect(page.getByRole('alert')).toContainText('model.hidden[1] must be between 1');
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    await expect(page.getByLabel('Hidden widths', { exact: true })).toHaveValue('64, 0');
    await fill(page, { 'Hidden widths': '8', 'Learning rate': '-1' });
    await page.getByRole('button', { name: 'Train' }).click();
    await expect(page.getByRole('alert')).toContainText('learning_rate');
    await fill(page, { 'Learning rate': '0.01' });
    await trainAndWait(page);
    await expect(page.getByRole('alert')).toBeHidden();
  });

  test('spiral shows its decision boundary; same seed gives the same run', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'spiral', 'Samples': '600', 'Noise': '0.05', 'Hidden widths': '32, 32', 'Learning rate': '0.01', 'Epochs': '150' });
    expect(await trainAndWait(page)).toBeGreaterThanOrEqual(95);
    await expect(page.locator('#boundary-figure')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}spiral-cpu.png`, fullPage: true });
    await trainAndWait(page);
    const runs = await page.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.runs.v1')));
    expect(runs).toHaveLength(2);
    expect(runs[1].history).toEqual(runs[0].history.map((m, i) => ({ ...m, seconds: runs[1].history[i].seconds })));
  });

  test('the main thread never blocks for 50 ms while training', async ({ watched: { page } }) => {
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask' });
    });
    await fill(page, { 'Data set': 'digits', 'Epochs': '30' });
    await trainAndWait(page);
    expect(await page.evaluate(() => window.longTasks)).toEqual([]);
  });

  test('runs survive a reload and can be cleared', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'xor', 'Epochs': '3' });
    await trainAndWait(page);
    await page.reload();
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(page.locator('#runs tbody tr')).toHaveCount(0);
  });
});
