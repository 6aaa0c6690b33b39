// The explorer as a workshop uses it: train once, drag sliders and watch the point move on the
// quality-versus-footprint chart, sweep a curve, pick points, share a link, export the history.
import { readFile, writeFile } from 'node:fs/promises';
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

const DIGITS = {
  cpu: { 'Data set': 'digits', 'Hidden widths': '64', Epochs: '20' },
  webgpu: { 'Data set': 'digits', 'Hidden widths': '64', 'Batch size': '256', Epochs: '15', 'Learning rate': '0.02' },
};

const summary = (page) => page.getByTestId('frontier');
const plot = (page) => page.locator('#tradeoff .u-over');

/** Walks the chart with the keyboard to the point whose tooltip matches `text`; returns it. */
async function focusPoint(page, text) {
  await plot(page).focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowRight');
    if ((await page.locator('#tooltip').textContent()).includes(text)) return page.locator('#tooltip');
  }
  throw new Error(`no point "${text}" on the chart`);
}

test('dragging the bits slider moves the point; saved points build the frontier', async ({ watched: { page } }, info) => {
  const backend = info.project.name;
  await fill(page, DIGITS[backend]);
  await trainAndWait(page);
  await expect(summary(page)).toHaveText(/^1 of 1 saved points are on the Pareto frontier/);
  await expect(page.getByTestId('latency')).toContainText(backend === 'webgpu' ? 'WebGPU' : 'CPU');
  await page.getByLabel('Quantize weights', { exact: true }).check();
  const bits = page.getByLabel(/^Bits/);
  const seen = [];
  for (const b of [8, 6, 4, 2]) {
    await bits.fill(String(b));
    await expect(page.getByTestId('pipeline')).toHaveText(`int${b}`);
    seen.push({
      bits: b,
      accuracy: parseFloat(await page.getByTestId('test-accuracy').textContent()),
      bytes: await page.getByTestId('bytes').textContent(),
    });
    await page.getByRole('button', { name: 'Save point' }).click();
  }
  const bytes = seen.map((s) => parseInt(s.bytes.replace(/[^\d]/g, ''), 10));
  expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
  expect(seen[3].accuracy).toBeLessThan(seen[0].accuracy - 20);
  await expect(summary(page)).toHaveText(/of 5 saved points are on the Pareto frontier/);
  // int2 has the fewest bytes, so it is on the frontier however badly it does.
  const tooltip = await focusPoint(page, 'int2');
  await expect(tooltip).toContainText('on the frontier');
  await page.screenshot({ path: `${ARTIFACTS}explorer-${backend}.png`, fullPage: true });
});

test('resize, activation quantization and the inside view on the detected backend', async ({ watched: { page } }, info) => {
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5', 'Batch size': '64' });
  const float = await trainAndWait(page);
  await page.getByLabel('Resize the model').check();
  await page.getByLabel(/^Width/).fill('5'); // ×2
  await page.getByLabel('Quantize activations', { exact: true }).check();
  await expect(page.getByTestId('pipeline')).toHaveText('width ×2 · activations int8');
  await expect(page.getByTestId('params')).toHaveText('162 (162 non-zero)'); // 2·32 + 32 + 32·2 + 2
  expect(Math.abs(parseFloat(await page.getByTestId('test-accuracy').textContent()) - float)).toBeLessThanOrEqual(2);
  await expect(page.locator('#masks figure')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.locator('#boundary-figure')).toBeVisible();
  await page.getByRole('button', { name: 'Latency' }).click();
  await expect(page.getByTestId('latency')).toContainText(info.project.name === 'webgpu' ? 'WebGPU' : 'CPU');
});

test.describe('explorer', { tag: '@cpu-only' }, () => {
  test('sweep, select a point by click and keyboard, look inside, export', async ({ watched: { page } }) => {
    await fill(page, DIGITS.cpu);
    await trainAndWait(page);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByRole('button', { name: 'Sweep' }).click();
    await expect(page.locator('#runs tbody tr')).toHaveCount(9, { timeout: 60_000 });
    await expect(page.locator('#status')).toContainText('Sweep over bits done');
    await expect(summary(page)).toHaveText(/of 9 saved points/);

    // Clicking a point restores its settings and shows its insides.
    const tooltip = await focusPoint(page, 'int3');
    const box = await plot(page).boundingBox();
    await page.mouse.click(box.x + Number(await tooltip.getAttribute('data-x')), box.y + Number(await tooltip.getAttribute('data-y')));
    await expect(page.getByTestId('pipeline')).toHaveText('int3');
    await expect(page.getByLabel(/^Bits/)).toHaveValue('3');
    await expect(page.locator('#runs tbody tr.selected')).toContainText('int3');
    await expect(page.locator('#histogram-caption')).toContainText('7 distinct stored values (red lines): the quantization levels', {
      timeout: 60_000,
    });
    await expect(page.locator('#first-layer canvas')).toHaveCount(64);
    await expect(page.getByTestId('confusion').locator('canvas')).toHaveAttribute('aria-label', /test errors/);
    // The keyboard selects too.
    await focusPoint(page, 'int6');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel(/^Bits/)).toHaveValue('6');

    // Pruning shows up in the masks.
    await page.getByLabel('Quantize weights', { exact: true }).uncheck();
    await page.getByLabel('Prune weights', { exact: true }).check();
    await page.getByLabel('Global threshold').uncheck();
    await page.getByLabel(/^Sparsity/).fill('0.9');
    await expect(page.getByTestId('masks')).toContainText('90 % zero', { timeout: 60_000 });
    await page.locator('#inspect').screenshot({ path: `${ARTIFACTS}inspect-prune90-cpu.png` });
    // Low rank: the spectrum marks the chosen rank and says how much energy it keeps.
    await page.getByLabel('Prune weights', { exact: true }).uncheck();
    await page.getByLabel('Low-rank first layer').check();
    await page.getByLabel(/^Rank/).fill('8');
    const energy = page.locator('#spectrum-caption');
    await expect(energy).toContainText(/^Rank 8 \(dashed\) keeps \d+\.\d % of the energy Σσ² of the trained layer/, { timeout: 60_000 });
    // Measured on the trained layer, not the factorized one (which would keep 100 % at any rank).
    const kept = async () => parseFloat((await energy.textContent()).match(/keeps ([\d.]+) %/)[1]);
    const at8 = await kept();
    expect(at8).toBeLessThan(100);
    await page.getByLabel(/^Rank/).fill('4');
    await expect(energy).toContainText(/^Rank 4 /, { timeout: 60_000 });
    expect(await kept()).toBeLessThan(at8);
    // Clustering: the histogram's red lines are the centroids.
    await page.getByLabel('Low-rank first layer').uncheck();
    await page.getByLabel('Cluster weights').check();
    const caption = page.locator('#histogram-caption');
    await expect(caption).toContainText('distinct stored values (red lines): the cluster centroids', { timeout: 60_000 });
    expect(Number((await caption.textContent()).match(/(\d+) distinct/)[1])).toBeLessThanOrEqual(16);
    await page.locator('#inspect').screenshot({ path: `${ARTIFACTS}inspect-clusters-cpu.png` });

    // Exports: every point in the CSV and JSON; the chart as a PNG.
    const csv = await downloaded(page, 'CSV');
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^data,model,pipeline,technique,test_accuracy/);
    expect(lines.filter((l) => l.includes(',int3,'))).toHaveLength(1);
    expect(JSON.parse(await downloaded(page, 'JSON'))).toHaveLength(9);
    expect((await downloaded(page, 'PNG', null)).subarray(1, 4).toString()).toBe('PNG');

    await page.screenshot({ path: `${ARTIFACTS}explorer-sweep-bytes-cpu.png`, fullPage: true });
    await page.screenshot({ path: `${ARTIFACTS}explorer-top-cpu.png` }); // docs/screenshot.png

    // Other axes: MACs and latency (measured for every saved point).
    await page.getByLabel('x', { exact: true }).selectOption('latency');
    await expect(summary(page)).toHaveText(/of 9 saved points/);
    await page.getByLabel('x', { exact: true }).selectOption('macs');
    await page.getByLabel('log x').uncheck();
    await page.screenshot({ path: `${ARTIFACTS}explorer-sweep-cpu.png`, fullPage: true });
    // A laptop screen: two columns, the chart still readable.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: `${ARTIFACTS}explorer-laptop-cpu.png` });
  });

  test('a link reproduces the settings, hides chosen controls, and the history survives reloads', async ({
    watched: { page },
    context,
  }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '16, 16', Epochs: '5', Seed: '7' });
    await trainAndWait(page);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByLabel(/^Bits/).fill('3');
    await page.getByLabel('Per-channel scales').check();
    await page.getByLabel('x', { exact: true }).selectOption('params');
    await expect(page.getByTestId('pipeline')).toHaveText('int3 per-channel');
    const link = page.url();
    expect(link).toContain('spec=');

    const other = await context.newPage();
    await other.goto(`${link}&hide=training,backend`);
    await expect(other.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await expect(other.getByLabel('Data set', { exact: true })).toHaveValue('moons');
    await expect(other.getByLabel('Hidden widths', { exact: true })).toHaveValue('16, 16');
    await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('7');
    await expect(other.getByLabel('Quantize weights', { exact: true })).toBeChecked();
    await expect(other.getByLabel(/^Bits/)).toHaveValue('3');
    await expect(other.getByLabel('Per-channel scales')).toBeChecked();
    await expect(other.getByLabel('x', { exact: true })).toHaveValue('params');
    await expect(other.getByRole('group', { name: 'Training', exact: true })).toBeHidden();
    await expect(other.getByRole('group', { name: 'Backend', exact: true })).toBeHidden();
    await expect(other.getByRole('group', { name: 'Data', exact: true })).toBeVisible();
    // The history is shared through storage and survives the reload, chart included.
    await expect(other.locator('#runs tbody tr')).toHaveCount(1);
    await expect(other.getByTestId('frontier')).toHaveText(/^1 of 1 saved points/);
    await other.close();

    const broken = await context.newPage();
    await broken.goto('/?spec=%7Bnot-json');
    await expect(broken.getByRole('alert')).toContainText('not valid JSON');
    await broken.close();
  });

  test('resize and activation quantization from the page', async ({ watched: { page } }) => {
    await fill(page, DIGITS.cpu);
    const float = await trainAndWait(page);
    await page.getByLabel('Resize the model').check();
    await page.getByLabel(/^Width/).fill('5'); // ×2
    await expect(page.getByTestId('pipeline')).toHaveText('width ×2');
    await expect(page.getByTestId('params')).toHaveText('9,610 (9,610 non-zero)');
    // Net2Net growth keeps the function: the same accuracy at twice the width.
    expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBe(float);
    await page.getByLabel(/^Width/).fill('1'); // ×0.5
    await page.getByLabel('Fine-tune after resizing').check();
    await expect(page.getByTestId('pipeline')).toHaveText('width ×0.5 · fine-tune 15', { timeout: 60_000 });
    await expect(page.locator('#status')).toHaveText(/^Fine-tuned: width ×0\.5 · fine-tune 15, test accuracy [\d.]+ %$/, {
      timeout: 60_000,
    });
    expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(float - 3);
    // A step after the fine-tuning does not fine-tune again: no epoch progress while it moves.
    await page.evaluate(() => {
      window.statusLog = [];
      const status = document.getElementById('status');
      new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByLabel(/^Bits/).fill('4');
    await expect(page.getByTestId('pipeline')).toHaveText('width ×0.5 · fine-tune 15 · int4');
    expect(await page.evaluate(() => window.statusLog.filter((text) => text.startsWith('Epoch')))).toEqual([]);
    await page.getByLabel('Quantize weights', { exact: true }).uncheck();
    await page.getByLabel('Resize the model').uncheck();
    await page.getByLabel('Quantize activations', { exact: true }).check();
    await page.getByLabel(/^Activation bits/).fill('4');
    await expect(page.getByTestId('pipeline')).toHaveText('activations int4');
  });

  test('the pipeline editor adds, reorders and removes steps', async ({ watched: { page } }) => {
    await fill(page, DIGITS.cpu);
    await trainAndWait(page);
    const steps = page.getByRole('list', { name: 'Pipeline steps in order' }).getByRole('listitem');
    await expect(steps).toHaveText(['no steps: the float32 model']);
    await page.getByLabel('Add a step').selectOption('prune');
    await page.getByLabel('Add a step').selectOption('quantize');
    await page.getByLabel(/^Bits/).fill('3');
    await expect(page.getByTestId('pipeline')).toHaveText('prune 50 % · int3');
    await page.getByRole('button', { name: 'Move earlier: quantize weights' }).click();
    await expect(page.getByTestId('pipeline')).toHaveText('int3 · prune 50 %');
    await expect(steps.locator('span')).toHaveText(['quantize weights', 'prune']);
    // The model shown is the new order's: the link carries the pipeline of the point on show.
    await expect
      .poll(() => JSON.parse(new URL(page.url()).searchParams.get('spec')).compress.map((s) => s.kind))
      .toEqual(['quantize', 'prune']);
    // A fine-tune step can go anywhere: here between quantization and pruning.
    await page.getByLabel('Fine-tune / QAT epochs').fill('2');
    await page.getByLabel('Add a step').selectOption('fine-tune');
    await page.getByRole('button', { name: 'Move earlier: fine-tune' }).click();
    await expect(page.getByTestId('pipeline')).toHaveText('int3 · fine-tune 2 · prune 50 %', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Remove fine-tune' }).click();
    await page.getByRole('button', { name: 'Remove prune' }).click();
    await expect(page.getByTestId('pipeline')).toHaveText('int3');
    await expect(page.getByLabel('Prune weights', { exact: true })).not.toBeChecked();
    // The order travels in the URL.
    await page.getByLabel('Add a step').selectOption('cluster');
    await page.getByRole('button', { name: 'Move earlier: cluster' }).click();
    await expect(page.getByTestId('pipeline')).toHaveText('16 clusters · int3');
    const other = await page.context().newPage();
    await other.goto(page.url());
    await expect(other.getByRole('list', { name: 'Pipeline steps in order' }).locator('span')).toHaveText(['cluster', 'quantize weights'], {
      timeout: 60_000,
    });
    await other.close();
  });

  test('slider-to-redraw latency on the CPU path', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'digits', 'Hidden widths': '64' }); // the default recipe
    await trainAndWait(page);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    const bits = page.getByLabel(/^Bits/);
    await bits.focus();
    await page.evaluate(() => performance.clearMeasures('slider-to-redraw'));
    // Like a drag: the next step as soon as the point has moved (polled every frame).
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i % 14 < 7 ? 'ArrowLeft' : 'ArrowRight');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="pipeline"]').textContent === `int${document.getElementById('c-bits').value}`,
        null,
        { polling: 'raf' },
      );
    }
    const times = await page.evaluate(() => performance.getEntriesByName('slider-to-redraw').map((e) => e.duration));
    expect(times.length).toBeGreaterThanOrEqual(20);
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.round((times.length - 1) * q)];
    const result = { measures: times.length, median_ms: at(0.5), p95_ms: at(0.95) };
    console.log(`slider-to-redraw (CPU): ${JSON.stringify(result)}`);
    await writeFile(`${ARTIFACTS}slider-to-redraw-cpu.json`, JSON.stringify(result, null, 1));
  });
});

/** Clicks an export button and returns the downloaded file (text, or a Buffer for null). */
async function downloaded(page, button, encoding = 'utf8') {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return readFile(await download.path(), encoding ?? undefined);
}
