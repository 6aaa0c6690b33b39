// The walking skeleton as a person uses it: pick data and a model, train, watch, cancel, recover.
import { stat } from 'node:fs/promises';
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

// SwiftShader emulates the GPU on the CPU (~0.4 s per step), so the WebGPU path trains digits
// with large batches and few steps: it proves the path is correct, not fast.
const DIGITS_SETTINGS = {
  cpu: {},
  webgpu: { 'Batch size': '256', Epochs: '15', 'Learning rate': '0.02' },
};

test('trains digits to at least 95 % on the detected backend', async ({ watched: { page } }, info) => {
  const backend = info.project.name;
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', ...DIGITS_SETTINGS[backend] });
  // On WebGPU the first epoch's evaluation waits for the kernels to compile (~15 s on SwiftShader):
  // the status says so instead of sitting on the last batch.
  const [accuracy] = await Promise.all([
    trainAndWait(page),
    backend === 'webgpu' &&
      expect(page.locator('#status')).toHaveText(
        'Epoch 1/15, batch 6/6 · evaluating (the first epoch on WebGPU also compiles the GPU kernels, which can take a while)…',
      ),
  ]);
  expect(accuracy).toBeGreaterThanOrEqual(95);
  await expect(page.getByTestId('point-backend')).toHaveText(backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)');
  await expect(page.getByTestId('params')).toHaveText('4,810 (4,810 non-zero)');
  await expect(page.locator('.u-title').first()).toHaveText('Loss (cross-entropy)');
  await page.screenshot({ path: `${ARTIFACTS}digits-${backend}.png`, fullPage: true });
});

test('Cancel stops training and keeps the page usable', async ({ watched: { page } }) => {
  await fill(page, { 'Data set': 'digits', Epochs: '2000', 'Batch size': '256' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('#status')).toContainText('batch', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  // Between batches Cancel ends the run; inside a batch that outlasts a second (a shader compiling on
  // SwiftShader) it restarts the engine.
  await expect(page.locator('#status')).toContainText(/cancelled (after|mid-batch)/, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  await expect(page.locator('#runs tbody tr')).toHaveCount(0);
});

// Page behaviour that does not depend on the backend runs once, on the CPU path (the webgpu
// project excludes @cpu-only in playwright.config.js).
test.describe('page behaviour', { tag: '@cpu-only' }, () => {
  test('bad input shows a clear error and loses nothing', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', Epochs: '5' });
    await trainAndWait(page);
    await fill(page, { 'Hidden widths': '64, 0' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('model.hidden[1] must be between 1');
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    await expect(page.getByLabel('Hidden widths', { exact: true })).toHaveValue('64, 0');
    await fill(page, { 'Hidden widths': '8', 'Learning rate': '-1' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('learning_rate');
    await fill(page, { 'Learning rate': '0.01' });
    await trainAndWait(page);
    await expect(page.getByRole('alert')).toBeHidden();
  });

  test('spiral shows its decision boundary; same seed gives the same run', async ({ watched: { page } }) => {
    await fill(page, {
      'Data set': 'spiral',
      Samples: '600',
      Noise: '0.05',
      'Hidden widths': '32, 32',
      'Learning rate': '0.01',
      Epochs: '200',
    });
    expect(await trainAndWait(page)).toBeGreaterThanOrEqual(95);
    await expect(page.locator('#boundary-figure')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}spiral-cpu.png`, fullPage: true });
    await trainAndWait(page);
    const runs = await page.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.runs.v2')));
    expect(runs).toHaveLength(2);
    expect(runs[1].history).toEqual(runs[0].history.map((m, i) => ({ ...m, seconds: runs[1].history[i].seconds })));
  });

  // The engine trains in a worker: the page keeps painting between epochs. The longest
  // main-thread task is reported (a figure, not a pass/fail threshold: timings vary by machine).
  test('the page keeps painting while it trains', async ({ watched: { page } }, info) => {
    await page.evaluate(() => {
      window.watch = { longTasks: [], frames: 0, epochs: new Set() };
      new PerformanceObserver((list) => window.watch.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
      });
      new MutationObserver(() => {
        const epoch = /^Epoch (\d+)\/\d+:/.exec(document.getElementById('status').textContent);
        if (epoch) window.watch.epochs.add(epoch[1]);
      }).observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });
      const frame = () => {
        if (window.watch.epochs.size) window.watch.frames += 1;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await fill(page, { 'Data set': 'digits', Epochs: '30' });
    await trainAndWait(page);
    const seen = await page.evaluate(() => ({ ...window.watch, epochs: window.watch.epochs.size }));
    expect(seen.epochs).toBe(30);
    // Frames were painted while it trained (a blocked main thread paints none). How many depends on
    // how fast this machine trains, so the count itself is only reported.
    expect(seen.frames).toBeGreaterThanOrEqual(2);
    const longest = Math.round(Math.max(0, ...seen.longTasks));
    info.annotations.push({ type: 'longest main-thread task while training (ms)', description: String(longest) });
    console.log(`while training (CPU): ${seen.frames} frames over 30 epochs, longest main-thread task ${longest} ms`);
  });

  // The engine checks Cancel between batches; one batch of the widest, deepest MLP the form accepts
  // over the whole training set takes tens of seconds, so Cancel restarts the engine instead.
  test('Cancel gives the page back mid-way through one enormous batch; earlier runs stay', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' });
    await trainAndWait(page);
    const widest = Array(8).fill('2048').join(', ');
    await fill(page, { 'Data set': 'digits', 'Hidden widths': widest, 'Batch size': '8192', Epochs: '1' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.locator('#status')).toContainText('Training');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await expect(page.locator('#status')).toContainText('cancelled mid-batch');
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' });
    await trainAndWait(page);
    await expect(page.locator('#runs tbody tr')).toHaveCount(2);
  });

  test("the page says how long training will take before it starts, and learns this machine's speed", async ({ watched: { page } }) => {
    const estimate = page.getByTestId('estimate');
    // The default digits MLP: 4,736 MACs an example × (3 · 1,437 training + 1,797 evaluated) × 30 epochs.
    await expect(estimate).toHaveText(/^Training: about [\d.]+ s on the CPU$/);
    await expect(estimate).toHaveAttribute('title', /^30 epochs × 23 steps, 8\.7 × 10⁸ multiply-adds/);
    await trainAndWait(page);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.speed.v1')));
    expect(stored.cpu.step_ms).toBeGreaterThan(0);
    // Recalibrated on that run, the estimate of the same run is what the run measured: its typical
    // warm epoch (the median of the second half; the first epochs wait for the browser's optimising
    // compiler) times the epochs.
    const [run] = await page.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.runs.v2')));
    const warm = run.history
      .map((h) => h.seconds)
      .slice(run.history.length / 2)
      .sort((a, b) => a - b);
    const measured = warm[Math.floor(warm.length / 2)] * run.history.length;
    const again = parseFloat((await estimate.textContent()).match(/about ([\d.]+) s/)[1]);
    expect(Math.abs(again - measured)).toBeLessThanOrEqual(Math.max(0.05, measured / 2));
    await expect(estimate).not.toHaveClass(/long/);
    // The widest MLP the form accepts, 10 epochs at the largest batch: minutes, and said so.
    await fill(page, { 'Hidden widths': Array(8).fill('2048').join(', '), 'Batch size': '8192', Epochs: '10' });
    await expect(estimate).toHaveText(/^A long run: about [\d.]+ (min|h) on the CPU$/);
    await expect(estimate).toHaveAttribute('title', /Cancel stops a run within a second$/);
    await expect(estimate).toHaveClass(/long/);
  });

  test('a student distils from an earlier run of the session', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '64', Epochs: '20' });
    await trainAndWait(page);
    await fill(page, { 'Hidden widths': '4', 'Distill from': '0', Temperature: '2', 'Teacher weight α': '0.5' });
    expect(await trainAndWait(page)).toBeGreaterThan(80);
    await expect(page.locator('#runs tbody tr').nth(1)).toContainText('MLP 4 · distilled');
    // Selecting a point brings back its distillation settings, teacher included.
    await page.locator('#runs tbody tr').nth(0).click();
    await expect(page.getByLabel('Distill from')).toHaveValue('');
    await page.locator('#runs tbody tr').nth(1).click();
    await expect(page.getByLabel('Distill from')).toHaveValue('0');
    await expect(page.getByLabel('Temperature')).toHaveValue('2');
    // A teacher trained on other data is refused with a clear message.
    await fill(page, { 'Data set': 'circles', 'Distill from': '0' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('same data set and seed');
    await expect(page.locator('#status')).toHaveText('Not trained: the message above says why.');
    // Each teacher offered names its data set.
    await expect(page.getByLabel('Distill from').locator('option[value="0"]')).toHaveText(/^point 1: moons · MLP 64 · float32, [\d.]+ %$/);
  });

  test('runs survive a reload and can be cleared', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'xor', Epochs: '3' });
    await trainAndWait(page);
    await page.reload();
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(page.locator('#runs tbody tr')).toHaveCount(0);
    // Full storage: the point is kept for the visit and the page says so.
    await page.evaluate(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('quota', 'QuotaExceededError');
      };
    });
    await fill(page, { 'Data set': 'xor', Epochs: '3' });
    await trainAndWait(page);
    await expect(page.getByRole('alert')).toContainText('storage is full');
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
  });
});

/** Reads the shown exported size in bytes (formatted "N B" or "N.N KiB"). */
async function shownBytes(page) {
  const text = await page.getByTestId('bytes').textContent();
  const [, number, unit] = text.match(/^([\d.]+) (B|KiB)/);
  return Number(number) * (unit === 'KiB' ? 1024 : 1);
}

test('compression sliders move the point without retraining; the download is the measured size', async ({ watched: { page } }, info) => {
  const backend = info.project.name;
  await fill(page, { 'Data set': 'digits', ...DIGITS_SETTINGS[backend] });
  const float = await trainAndWait(page);
  const floatBytes = await shownBytes(page);
  const slider = page.getByLabel(/^Bits/);
  await page.getByLabel('Store floats as').selectOption('float16');
  await expect(page.getByTestId('pipeline')).toHaveText('float16');
  expect(await shownBytes(page)).toBeLessThan(floatBytes * 0.6);
  await page.getByLabel('Store floats as').selectOption('');
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await expect(page.getByTestId('pipeline')).toHaveText('int8');
  const int8Bytes = await shownBytes(page);
  expect(int8Bytes).toBeLessThan(floatBytes * 0.35);
  expect(Math.abs(parseFloat(await page.getByTestId('test-accuracy').textContent()) - float)).toBeLessThanOrEqual(1);
  await slider.focus();
  for (let bits = 7; bits >= 2; bits--) {
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('pipeline')).toHaveText(`int${bits}`);
  }
  expect(await shownBytes(page)).toBeLessThan(int8Bytes / 3);
  const int2 = parseFloat(await page.getByTestId('test-accuracy').textContent());
  expect(int2).toBeLessThan(float - 20);
  await page.screenshot({ path: `${ARTIFACTS}compress-int2-${backend}.png`, fullPage: true });

  // Quantization-aware training recovers most of it at the same storage.
  await page.getByLabel('Per-channel scales').check();
  await fill(page, { 'Fine-tune / QAT epochs': backend === 'webgpu' ? '3' : '5' });
  await page.getByLabel('Quantization-aware training').check();
  await expect(page.getByTestId('pipeline')).toHaveText(/^QAT \d+ → int2 per-channel$/, { timeout: 120_000 });
  expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(int2 + 20);
  await page.getByLabel('Quantization-aware training').uncheck();

  await page.getByLabel('Quantize weights', { exact: true }).uncheck();
  await page.getByLabel('Prune weights', { exact: true }).check();
  await page.getByLabel(/^Sparsity/).fill('0.9');
  await expect(page.getByTestId('pipeline')).toHaveText('prune 90 %');
  expect(await shownBytes(page)).toBeLessThan(floatBytes / 2);
  const oneShot = parseFloat(await page.getByTestId('test-accuracy').textContent());
  const nonZero = await page.getByTestId('params').textContent();

  // Fine-tuning with the mask fixed recovers accuracy and keeps the same non-zero count.
  const epochs = backend === 'webgpu' ? '3' : '15';
  await fill(page, { 'Fine-tune / QAT epochs': epochs });
  await page.getByLabel('Fine-tune after pruning').check();
  await expect(page.getByTestId('pipeline')).toHaveText(`prune 90 % · fine-tune ${epochs}`, { timeout: 120_000 });
  expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(oneShot);
  await expect(page.getByTestId('params')).toHaveText(nonZero);
  const fineTuned = parseFloat(await page.getByTestId('test-accuracy').textContent());
  if (backend === 'cpu') {
    // Gradual pruning: the same sparsity reached in 3 stages of the cubic schedule.
    await fill(page, { 'Pruning stages (cubic)': '3' });
    await expect(page.getByTestId('pipeline')).toHaveText(`prune 90 % in 3 stages × fine-tune ${epochs}`, { timeout: 120_000 });
    await expect(page.getByTestId('params')).toHaveText(nonZero);
    expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(oneShot);
    await fill(page, { 'Pruning stages (cubic)': '1' });
    await expect(page.getByTestId('test-accuracy')).toHaveText(`${fineTuned.toFixed(1)} %`, { timeout: 120_000 });
    // Structured: 58 of 64 hidden neurons go; the MACs fall with them.
    await page.getByLabel('Whole neurons / channels').check();
    await expect(page.getByTestId('pipeline')).toHaveText(`structured 90 % · fine-tune ${epochs}`, { timeout: 120_000 });
    await expect(page.getByTestId('macs')).toHaveText('444 (dense 4,736)');
    await page.getByLabel('Whole neurons / channels').uncheck();
    await expect(page.getByTestId('pipeline')).toHaveText(`prune 90 % · fine-tune ${epochs}`, { timeout: 120_000 });
  }
  await expect(page.locator('#runs tbody tr')).toHaveCount(1);

  // Clustering and low-rank: fewer bytes; low rank also fewer MACs.
  await page.getByLabel('Prune weights', { exact: true }).uncheck();
  await page.getByLabel('Cluster weights').check();
  await expect(page.getByTestId('pipeline')).toHaveText('16 clusters');
  expect(await shownBytes(page)).toBeLessThan(floatBytes / 4);
  await page.getByLabel('Fine-tune centroids').check();
  await expect(page.getByTestId('pipeline')).toHaveText(`16 clusters tuned ${epochs}`, { timeout: 120_000 });
  expect(await shownBytes(page)).toBeLessThan(floatBytes / 4);
  await page.getByLabel('Fine-tune centroids').uncheck();
  await page.getByLabel('Cluster weights').uncheck();
  await page.getByLabel('Low-rank first layer').check();
  await page.getByLabel(/^Rank/).fill('8');
  await expect(page.getByTestId('pipeline')).toHaveText('rank 8 (first layer)');
  await expect(page.getByTestId('macs')).toHaveText('1,664 (dense 4,736)');
  await page.getByRole('button', { name: 'Save point' }).click();
  await expect(page.locator('#runs tbody tr')).toHaveCount(2);
  await page.screenshot({ path: `${ARTIFACTS}compress-low-rank-${backend}.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model' }).click()]);
  const { size } = await stat(await download.path());
  expect(Math.abs(size - (await shownBytes(page)))).toBeLessThan(size < 10_000 ? 1 : 52);

  // Opening the file gives the same model back: same accuracy, same size, a new run.
  const shownAccuracy = await page.getByTestId('test-accuracy').textContent();
  await page.getByLabel('Open a model file').setInputFiles(await download.path());
  await expect(page.locator('#runs tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('test-accuracy')).toHaveText(shownAccuracy);
  expect(Math.abs(size - (await shownBytes(page)))).toBeLessThan(size < 10_000 ? 1 : 52);
  await page
    .getByLabel('Open a model file')
    .setInputFiles({ name: 'junk.epm', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
  await expect(page.getByRole('alert')).toContainText('junk.epm');
  await expect(page.getByRole('alert')).toContainText('not a playground model file');
  await expect(page.locator('#runs tbody tr')).toHaveCount(3);
});
