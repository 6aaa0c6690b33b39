// The automatic backend choice: the CPU is timed on the model; when the run is long enough for WebGPU
// to catch up, the CPU (in the page's engine) races WebGPU (in a second worker), the first to finish
// is kept, and the page says why.
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

const KEY = 'efficiency-playground.auto-backend.v1';

// As if WebGPU had started quickly on every adapter Auto has seen (the figure is kept per adapter),
// so that even a short run is worth racing; then the page is opened again.
async function reloadWithCheapTiming(page) {
  await page.evaluate((key) => {
    const saved = JSON.parse(localStorage.getItem(key));
    for (const adapter of Object.values(saved)) adapter.probe_ms = 0.01;
    localStorage.setItem(key, JSON.stringify(saved));
  }, KEY);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
}

test('Auto keeps a short run on the CPU, races WebGPU when it could win, keeps the first to finish and says why', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Run on')).toHaveValue('auto');
  await expect(page.getByTestId('backend')).toContainText('Auto');
  // The page's default model for 2 epochs: far too short for WebGPU to catch up (a guessed second
  // to start on an adapter that never raced), so the CPU trains without WebGPU's engine being fetched.
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', 'Epochs': '2' });
  const webgpuEngine = [];
  page.on('request', (request) => { if (/engine_webgpu/.test(request.url())) webgpuEngine.push(request.url()); });
  await trainAndWait(page);
  const hint = page.locator('#backend-hint');
  await expect(hint).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU \(this model, batch 64\), about [\d.]+ s for the whole run: too short for WebGPU to catch up \(it needs about 1\.0 s to start on this adapter\), so the CPU trains\.$/);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(webgpuEngine).toEqual([]);
  expect(new URL(page.url()).searchParams.get('backend')).toBe('auto');

  // A visitor on whose adapter WebGPU started quickly before (the figure is kept per adapter): now
  // the same run races, and on SwiftShader (a GPU emulated on the CPU) the CPU finishes long before
  // WebGPU has compiled its kernels. The race learns that WebGPU needs at least that long to start.
  await reloadWithCheapTiming(page);
  await page.evaluate(() => {
    window.statusLog = [];
    const status = document.getElementById('status');
    new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, { childList: true, subtree: true, characterData: true });
  });
  await trainAndWait(page);
  await expect(hint).toHaveText(/^Auto: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first, in [\d.]+ s, when WebGPU had done 0 of 2 epochs, so its model is kept\. Per training step \(batch 64\): [\d.]+ ms on the CPU, not measured on WebGPU \(no epoch after its first\)\.$/);
  expect(await page.evaluate(() => window.statusLog.some((text) => text.startsWith('Auto: racing WebGPU in a second worker (')))).toBe(true);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');

  // The same model again: the CPU's figure is known and WebGPU needs longer to start than this run
  // takes, so no timing and no race.
  await page.evaluate(() => { window.statusLog = []; });
  await trainAndWait(page);
  await expect(hint).toHaveText(/too short for WebGPU to catch up \(it needs about [\d.]+ s to start on this adapter\), so the CPU trains\.$/);
  expect(await page.evaluate(() => window.statusLog.filter((text) => text.startsWith('Auto: ')))).toEqual([]);
});

// On a real GPU WebGPU wins the race for larger models; SwiftShader never beats the CPU, so here the
// page's engine is made to stand for a far slower CPU: its worker holds the run request back (until
// Cancel). Everything else is the page's own path: WebGPU trains in the second worker, wins, and the
// page's engine loads its WebGPU build and adopts the model, which the sliders then compress.
test('when WebGPU wins the race the page\'s engine takes its model over and compresses it on WebGPU', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '3' });
  await trainAndWait(page); // short: the CPU, without a race; the adapter is now on record
  await reloadWithCheapTiming(page);
  await page.workers()[0].evaluate(() => {
    const handle = self.onmessage;
    let held; // the race's CPU run: held back once, then work goes on as usual
    self.onmessage = (event) => {
      if (event.data.type === 'run' && held === undefined) held = event.data;
      else if (event.data.type === 'cancel' && held) {
        self.postMessage({ id: held.id, type: 'error', message: 'cancelled after 0 of 3 epochs', kind: 'cancelled' });
        held = null;
      } else handle(event);
    };
  });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: raced the CPU against WebGPU \(in a second worker\) on this model: WebGPU finished first, in [\d.]+ s, when the CPU had done 0 of 3 epochs, so its model is kept; this page's engine took its model over, so compressing it runs on WebGPU too\. Per training step \(batch \d+\): [\d.]+ ms on the CPU, [\d.]+ ms on WebGPU\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.locator('#inspect-empty')).toBeHidden(); // the page's engine holds the model: it can be looked inside
  await page.screenshot({ path: `${ARTIFACTS}auto-race-webgpu-won.png` });
  // The adopted model compresses here: a 4-bit point of the same model, on WebGPU.
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await page.getByLabel(/^Bits/).fill('4');
  await expect(page.getByTestId('pipeline')).toHaveText(/int4/, { timeout: 120_000 });
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.getByRole('alert')).toBeHidden();
  // The next run of this model races no more: the figures decide. The CPU's steps were timed before
  // the race and are the faster (it lost only by being held back), so the CPU trains.
  await page.getByLabel('Quantize weights', { exact: true }).uncheck();
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU, [\d.]+ ms on WebGPU \(this model, batch \d+\): the CPU trains\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
});

test('Cancel during a race stops both runs and closes the second worker', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('/?backend=auto');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '2' });
  await trainAndWait(page);
  await reloadWithCheapTiming(page);
  await fill(page, { 'Epochs': '500' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('#status')).toContainText('Auto: racing WebGPU in a second worker', { timeout: 30_000 });
  expect(page.workers()).toHaveLength(2);
  await expect(page.getByTestId('backend')).toHaveText('backend: Auto → racing CPU and WebGPU');
  await page.screenshot({ path: `${ARTIFACTS}auto-race-running.png` });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Training cancelled after \d+ of 500 epochs\.$/);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByRole('alert')).toBeHidden();
});

test('without a WebGPU adapter Auto and WebGPU are not offered', async ({ watched: { page } }, info) => {
  test.skip(info.project.name !== 'cpu', 'the cpu project has no adapter');
  await expect(page.locator('#backend-select option[value="auto"]')).toBeDisabled();
  await expect(page.locator('#backend-select option[value="webgpu"]')).toBeDisabled();
  await expect(page.getByLabel('Run on')).toHaveValue('cpu');
});

// What a visitor who went offline meets, and what ./scripts/serve serves while it builds the WebGPU
// engine: its download fails. Choosing WebGPU says so and trains on the CPU; Auto says WebGPU could
// not race, keeps no verdict on it, and races it once the engine loads.
test('a WebGPU engine that does not load: the CPU trains, the page says why, and Auto races WebGPU later', async ({ page }, info) => {
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

  // Auto: this short run stays on the CPU; then, with a quick start on record for the adapter, the
  // same run is worth racing WebGPU, whose engine does not load.
  await page.getByLabel('Run on').selectOption('auto');
  await trainAndWait(page);
  // Long enough that the second worker finds its engine missing before the CPU is done.
  await reloadWithCheapTiming(page);
  await fill(page, { 'Epochs': '60' });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: WebGPU could not race \(the WebGPU engine did not load: .*\), so the CPU trained, and WebGPU races next time\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
  expect(Object.values(Object.values(saved)[0].choices).map((c) => c.webgpu ?? null)).toEqual([null]);

  // The engine loads again: the next run races WebGPU.
  await page.unroute(/engine_webgpu/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first/);
});
