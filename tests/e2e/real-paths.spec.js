// The page on the paths a first visit, a workshop and a clumsy user take: one test per numbered
// item of issue #16 ("the page on real paths"), named after it.
import { copyFile, readFile } from 'node:fs/promises';
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

const MOONS = { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5' };
const KEY = 'efficiency-playground.runs.v2';
const rows = (page) => page.locator('#runs tbody tr');
const alert = (page) => page.getByRole('alert');
const summary = (page) => page.getByTestId('frontier');
const status = (page) => page.locator('#status');

/** Opens `path` and waits for the engine. */
async function open(page, path) {
  await page.goto(path);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
}

/** The x tick labels of the trade-off chart must not touch (they are drawn on a canvas). */
async function expectTicksApart(page) {
  const { count, touching } = await page.locator('#tradeoff').evaluate((element) => {
    const ticks = JSON.parse(element.dataset.ticks || '[]');
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const width = ticks.map((t) => ctx.measureText(t.label).width);
    const close = ticks.slice(1).filter((t, i) => t.at - ticks[i].at < (width[i] + width[i + 1]) / 2 + 4);
    return { count: ticks.length, touching: close.map((t) => t.label) };
  });
  expect(count).toBeGreaterThanOrEqual(2);
  expect(touching).toEqual([]);
}

// 3 runs on the WebGPU project only: it is the one whose browser has a (software) adapter.
test('3: a software WebGPU adapter is offered, never chosen by default; the backend is in the link', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs the SwiftShader adapter of the webgpu project');
  await open(page, '/');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.locator('#backend-hint')).toContainText('software');
  await page.getByLabel('Run on').selectOption('webgpu');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await expect.poll(() => new URL(page.url()).searchParams.get('backend')).toBe('webgpu');
  // The workshop recipe hides the backend: the link still brings WebGPU.
  await open(page, `${page.url()}&hide=backend`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByLabel('Run on')).toBeHidden();
});

test.describe('real paths', { tag: '@cpu-only' }, () => {
  test('1: the small CNN trains from its shown channels; a bad channel list is named', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'digits', Kind: 'cnn', Epochs: '1', 'Batch size': '64' });
    await expect(page.getByLabel('Conv channels')).toHaveValue('8, 16');
    await trainAndWait(page);
    await expect(alert(page)).toBeHidden();
    await expect(rows(page).first()).toContainText('CNN 8-16');
    await fill(page, { 'Conv channels': '' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(alert(page)).toContainText('model.channels needs two numbers');
    await expect(rows(page)).toHaveCount(1);
  });

  test('2: a link with a malformed pipeline names the field and starts from the defaults', async ({ watched: { page } }) => {
    const cases = [
      ['{"kind":"prune","sparsity":0.5,"global":true}', 'compress must be a list, got an object'],
      ['[null]', 'compress[0] is null; expected an object with a "kind"'],
      ['[{"kind":"low_rank","first_layer_only":true}]', 'compress[0] needs the field "choose"'],
      ['[{"kind":"qat","fine_tune":{"epochs":1,"learning_rate":0.001}}]', 'compress[0] needs the field "quantize"'],
    ];
    for (const [compress, message] of cases) {
      await open(page, `/?spec=${encodeURIComponent(`{"compress":${compress}}`)}`);
      await expect(alert(page)).toContainText(message);
      await expect(alert(page)).toContainText('the page starts from the defaults');
      await expect(page.locator('#pipeline-order')).toContainText('no steps');
    }
    await fill(page, MOONS);
    await trainAndWait(page);
  });

  test('4: stored entries that are not points are kept aside with a message; training still works', async ({ watched: { page } }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    await page.evaluate((key) => {
      const [point] = JSON.parse(localStorage.getItem(key));
      localStorage.setItem(key, JSON.stringify([{}, null, point, 1, [1, 2, 3]]));
    }, KEY);
    await open(page, page.url());
    await expect(alert(page)).toContainText('4 stored entries were not a point');
    await expect(rows(page)).toHaveCount(1);
    await trainAndWait(page);
    await expect(rows(page)).toHaveCount(2);
    await expect(alert(page)).toBeHidden();
    expect(await page.evaluate((key) => JSON.parse(localStorage.getItem(key)).length, KEY)).toBe(2);
    // Kept aside, never deleted: a newer version may read them.
    const aside = await page.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.runs.set-aside')));
    expect(aside).toEqual([{}, null, 1, [1, 2, 3]]);
    await expect(alert(page)).toBeHidden();
  });

  test('5: inside wide models (2048, 512-512 and 1024-1024 hidden units)', async ({ watched: { page } }, info) => {
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    for (const [hidden, mask] of [
      ['2048', 'layer 1 (64→2048)'],
      ['512, 512', 'layer 2 (512→512)'],
      ['1024, 1024', 'layer 2 (1024→1024)'],
    ]) {
      await fill(page, { 'Data set': 'digits', 'Hidden widths': hidden, Epochs: '1', 'Batch size': '256' });
      await trainAndWait(page);
      await expect(page.getByTestId('masks')).toContainText(mask, { timeout: 120_000 });
      await expect(page.locator('#histogram-caption')).toContainText('weights');
      await expect(page.locator('#inspect-empty')).toBeHidden();
    }
    const longest = Math.max(0, ...(await page.evaluate(() => window.longTasks)));
    info.annotations.push({ type: 'longest main-thread task (ms)', description: String(Math.round(longest)) });
  });

  test('7: after an engine crash the page shows no model the engine no longer has', async ({ watched: { page, problems } }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    // The engine dies (an uncaught error inside its worker, as a wasm trap or lost memory would).
    const [engine] = page.workers();
    await engine.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated engine loss');
      });
    });
    await expect(alert(page)).toContainText('crashed', { timeout: 60_000 });
    await expect(page.getByTestId('result')).toContainText('train again');
    await expect(page.locator('#inspect-empty')).toContainText('train again');
    await expect(page.getByRole('button', { name: 'Download model' })).toBeDisabled();
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await page.getByLabel(/^Bits/).fill('4');
    await expect(status(page)).toContainText('applied when you train');
    await trainAndWait(page);
    await expect(page.getByTestId('pipeline')).toHaveText('int4');
    problems.consoleErrors.length = 0; // the engine's panic is reported on the console by design
  });

  test('8: points of different data never share a frontier', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'digits', 'Hidden widths': '16', Epochs: '3' });
    await trainAndWait(page);
    await fill(page, MOONS);
    await trainAndWait(page);
    await expect(summary(page)).toHaveText(
      /^1 of 1 saved points are on the Pareto frontier of moons .* 1 saved point of other data not shown/,
    );
    await fill(page, { 'Data set': 'digits' });
    await expect(summary(page)).toHaveText(
      /^1 of 1 saved points are on the Pareto frontier of digits .* 1 saved point of other data not shown/,
    );
  });

  test('9: ticking techniques gives the same pipeline however the page was reached', async ({ watched: { page } }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByLabel('Prune weights', { exact: true }).check();
    await page.getByLabel('Cluster weights').check();
    await expect(page.getByTestId('pipeline')).toHaveText('prune 50 % · 16 clusters · int8');
    // The workshop link sets quantization only; the learner then ticks the same boxes.
    await page.getByLabel('Prune weights', { exact: true }).uncheck();
    await page.getByLabel('Cluster weights').uncheck();
    await expect(page.getByTestId('pipeline')).toHaveText('int8');
    await open(page, page.url());
    await trainAndWait(page);
    await page.getByLabel('Prune weights', { exact: true }).check();
    await page.getByLabel('Cluster weights').check();
    await expect(page.getByTestId('pipeline')).toHaveText('prune 50 % · 16 clusters · int8');
  });

  test('10: Sweep sweeps the technique being set, counts its own points, and says when it was cancelled', async ({ watched: { page } }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByLabel(/^Sparsity/).fill('0.6'); // turns pruning on; sparsity is the technique being set
    const sweep = page.getByRole('button', { name: /^Sweep/ });
    await expect(sweep).toHaveText('Sweep sparsity');
    await sweep.click();
    await expect(status(page)).toHaveText('Sweep over sparsity done: 9 new points.', { timeout: 60_000 });
    await expect(rows(page)).toHaveCount(10);
    await page.getByLabel(/^Bits/).fill('6');
    await expect(sweep).toHaveText('Sweep bits');
    // A sweep that fine-tunes every value (seconds each), cancelled while its second value
    // fine-tunes (300 epochs of moons took under half a second on a fast run: too short to click).
    await fill(page, { 'Fine-tune / QAT epochs': '2000' });
    await page.getByLabel('Fine-tune after pruning').check();
    await expect(page.getByTestId('pipeline')).toContainText('fine-tune 2000', { timeout: 120_000 });
    await expect(sweep).toBeEnabled();
    await expect(sweep).toHaveText('Sweep sparsity');
    await sweep.click();
    await expect(status(page)).toContainText('Sweep over sparsity: 2/9 · Epoch', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(status(page)).toHaveText(/^Sweep over sparsity cancelled after 1 of 9 values: 1 new point\.$/, { timeout: 60_000 });
    await expect(rows(page)).toHaveCount(11);
  });

  test('11: moving a setting of a technique that is off turns it on', async ({ watched: { page } }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    const quantize = page.getByLabel('Quantize weights', { exact: true });
    await expect(quantize).not.toBeChecked();
    await page.getByLabel(/^Bits/).fill('2');
    await expect(quantize).toBeChecked();
    await expect(page.getByTestId('pipeline')).toHaveText('int2');
    await page.getByLabel(/^Clusters/).fill('3');
    await expect(page.getByLabel('Cluster weights')).toBeChecked();
    await expect(page.getByTestId('pipeline')).toHaveText('8 clusters · int2');
  });

  test('12: axes: 0–100 % before training, never past 100 %, tick labels apart; the PNG has a legend', async ({ watched: { page } }) => {
    const yRange = () => page.locator('#tradeoff').evaluate((e) => JSON.parse(e.dataset.yRange));
    expect(await yRange()).toEqual([0, 100]);
    await fill(page, { 'Data set': 'digits', 'Hidden widths': '32', Epochs: '15' });
    await trainAndWait(page);
    expect((await yRange())[1]).toBeLessThanOrEqual(100);
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByRole('button', { name: /^Sweep/ }).click();
    await expect(status(page)).toContainText('done', { timeout: 60_000 });
    expect((await yRange())[1]).toBeLessThanOrEqual(100);
    await expectTicksApart(page);
    await page.getByLabel('x', { exact: true }).selectOption('params');
    await expectTicksApart(page);
    await page.getByLabel('x', { exact: true }).selectOption('bytes');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PNG' }).click()]);
    const png = await download.path();
    await page.goto('about:blank'); // nothing of the page left on screen: the PNG alone
    const bytes = await readFile(png);
    const height = bytes.readUInt32BE(20);
    const chart = 380; // the chart's CSS height at this width, device pixel ratio 1
    expect(height).toBeGreaterThan(chart + 50); // a title line above, a legend row below
    await copyFile(png, `${ARTIFACTS}tradeoff-export.png`);
  });

  test('13: error messages name the field and the value in plain words', async ({ watched: { page } }) => {
    await fill(page, { ...MOONS, Seed: '-1' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(alert(page)).toHaveText('invalid spec: seed must be a whole number ≥ 0, got -1');
    await fill(page, { Seed: '1e300' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(alert(page)).toHaveText('invalid spec: seed must be a whole number ≥ 0, got 1e300');
    await fill(page, { Seed: '3', 'Hidden widths': '-3' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(alert(page)).toHaveText('invalid spec: model.hidden[0] must be a whole number ≥ 0, got -3');
    await page
      .getByLabel('Open a model file')
      .setInputFiles({ name: 'junk.epm', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
    await expect(alert(page)).toHaveText(/^junk\.epm: could not read the model file: not a playground model file/);
    await open(page, `/?spec=${encodeURIComponent('{"data":{"name":""}}')}`);
    await expect(alert(page)).toContainText('data.name: unknown value ""; use one of "spiral"');
  });

  test('14: a cancelled fine-tune puts the controls back to the model shown; 2-bit symmetric is explained', async ({
    watched: { page },
  }) => {
    await fill(page, MOONS);
    await trainAndWait(page);
    await page.getByLabel('Prune weights', { exact: true }).check();
    await page.getByLabel(/^Sparsity/).fill('0.85');
    await expect(page.getByTestId('pipeline')).toHaveText('prune 85 %');
    await fill(page, { 'Fine-tune / QAT epochs': '2000' });
    await page.getByLabel('Fine-tune after pruning').check();
    await expect(status(page)).toContainText('Epoch', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(status(page)).toContainText('the controls are back to the model shown (prune 85 %)', { timeout: 30_000 });
    await expect(page.getByLabel('Fine-tune after pruning')).not.toBeChecked();
    await expect(page.getByLabel(/^Sparsity/)).toHaveValue('0.85');
    await expect(page.getByTestId('pipeline')).toHaveText('prune 85 %');

    await page.getByLabel('Prune weights', { exact: true }).uncheck();
    await page.getByLabel(/^Bits/).fill('2');
    await expect(page.locator('#bits-hint')).toBeVisible();
    await expect(page.locator('#bits-hint')).toContainText('three levels');
    await page.getByLabel(/^Bits/).fill('3');
    await expect(page.locator('#bits-hint')).toBeHidden();
  });

  test('16: Clear can be undone; hidden techniques are not offered; a pipeline set before training gives its point and the baseline', async ({
    watched: { page },
  }) => {
    await open(page, '/?hide=prune,cluster');
    const offered = await page.locator('#add-step option').allTextContents();
    expect(offered).not.toContain('prune');
    expect(offered).not.toContain('cluster');
    expect(offered).toContain('quantize weights');
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await page.getByLabel(/^Bits/).fill('4');
    await expect(status(page)).toContainText('applied when you train');
    await expect(alert(page)).toBeHidden();
    await fill(page, MOONS);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(rows(page)).toHaveCount(2, { timeout: 60_000 });
    await expect(rows(page).nth(0)).toContainText('float32');
    await expect(rows(page).nth(1)).toContainText('int4');
    await expect(page.getByTestId('pipeline')).toHaveText('int4');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(rows(page)).toHaveCount(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(rows(page)).toHaveCount(2);
    expect(await page.evaluate((key) => JSON.parse(localStorage.getItem(key)).length, KEY)).toBe(2);
  });

  test('17: before training nothing pretends to show a model; no duplicate points; no silent wait for a file', async ({
    watched: { page },
  }) => {
    await expect(page.locator('#curves-empty')).toBeVisible();
    await expect(page.locator('section.charts')).not.toContainText('--');
    await expect(page.locator('#inspect-body')).toBeHidden();
    await expect(page.locator('#inspect-empty')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save point' })).toBeDisabled();
    await fill(page, { ...MOONS, Epochs: '2000' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(status(page)).toContainText('Epoch', { timeout: 30_000 });
    await expect(page.getByLabel('Open a model file')).toBeDisabled();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByLabel('Open a model file')).toBeEnabled({ timeout: 30_000 });
    await fill(page, { Epochs: '5' });
    await trainAndWait(page);
    await expect(page.locator('#curves-empty')).toBeHidden();
    const save = page.getByRole('button', { name: 'Save point' });
    await expect(save).toBeDisabled(); // the trained point is saved already
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await expect(page.getByTestId('pipeline')).toHaveText('int8');
    for (let i = 0; i < 5; i++) await save.click({ force: true });
    await expect(rows(page)).toHaveCount(2);
    await expect(save).toBeDisabled();
  });
});

test.describe('on a phone (390×844)', { tag: '@cpu-only' }, () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('6: a learner on a phone trains, moves a slider and sees the point move', async ({ watched: { page } }) => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const panel = await page.locator('section.results').boundingBox();
    const outside = await page.locator('#compress input, #compress select').evaluateAll(
      (elements, [left, right]) =>
        elements
          .filter((e) => e.offsetParent)
          .map((e) => ({ id: e.id, box: e.getBoundingClientRect() }))
          .filter(({ box }) => box.left < left || box.right > right)
          .map(({ id }) => id),
      [panel.x, panel.x + panel.width],
    );
    expect(outside).toEqual([]);
    await fill(page, MOONS);
    await trainAndWait(page);
    const layer = await page.locator('#inspect-layer').boundingBox();
    expect(layer.x + layer.width).toBeLessThanOrEqual(390);
    const bits = page.getByLabel(/^Bits/);
    await bits.scrollIntoViewIfNeeded();
    await expect(bits).toBeInViewport();
    await expect(page.locator('#tradeoff')).toBeInViewport();
    const before = await page.locator('#tradeoff').getAttribute('data-live');
    await bits.fill('2');
    await expect(page.getByTestId('pipeline')).toHaveText('int2');
    await expect(page.locator('#tradeoff')).toBeInViewport();
    await expect(page.locator('#tradeoff')).not.toHaveAttribute('data-live', before);
    await expectTicksApart(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The chart's toolbar scrolls sideways on a phone, and says so: a shadow at the edge with more.
    const toolbar = page.locator('.explorer .toolbar');
    expect(await toolbar.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    expect(await toolbar.evaluate((e) => getComputedStyle(e).backgroundImage)).toMatch(/radial-gradient.*radial-gradient/);
    await page.screenshot({ path: `${ARTIFACTS}phone-slider-cpu.png` });
  });
});

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
]) {
  test.describe(`a ${width}×${height} screen`, { tag: '@cpu-only' }, () => {
    test.use({ viewport: { width, height } });

    test(`15: Train is in view on arrival and the Result stays in view while sliders move (${width}×${height})`, async ({
      watched: { page },
    }) => {
      await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeInViewport({ ratio: 1 });
      await fill(page, MOONS);
      await trainAndWait(page);
      for (const label of [/^Width/, /^Sparsity/, /^Bits/, /^Activation bits/]) {
        const slider = page.getByLabel(label);
        await slider.scrollIntoViewIfNeeded();
        await expect(slider).toBeInViewport({ ratio: 0.9 });
        for (const id of ['test-accuracy', 'bytes', 'pipeline']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
      }
      await page.getByLabel(/^Activation bits/).fill('4');
      await expect(page.getByTestId('pipeline')).toHaveText('activations int4');
      await expect(page.locator('#tradeoff')).toBeInViewport();
      await page.screenshot({ path: `${ARTIFACTS}layout-${width}x${height}-cpu.png` });
    });
  });
}

test('a pipeline in the controls is said beside Train, counted in the estimate, and one click trains without it @cpu-only', async ({
  watched: { page },
}) => {
  await fill(page, { 'Data set': 'digits', Epochs: '3' });
  await expect(page.locator('#pipeline-note')).toBeHidden();
  await expect(page.getByTestId('estimate')).toHaveAttribute('title', /^3 epochs × 23 steps/);
  const plain = await page.getByTestId('estimate').getAttribute('title');
  // QAT fine-tunes for the "Fine-tune / QAT epochs" (15): the estimate counts those epochs too.
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await page.getByLabel('Quantization-aware training').check();
  await expect(page.locator('#pipeline-note')).toHaveText(/^Each Train then compresses: QAT \d+ → int8.*\. Train without it$/);
  await expect(page.getByTestId('estimate')).toHaveAttribute('title', /^3 \+ \d+ fine-tuning epochs × 23 steps/);
  await page.getByRole('button', { name: 'Train without it' }).click();
  await expect(page.locator('#pipeline-note')).toBeHidden();
  await expect(page.getByLabel('Quantize weights', { exact: true })).not.toBeChecked();
  await expect(page.getByTestId('estimate')).toHaveAttribute('title', plain);
  await trainAndWait(page);
  await expect(page.getByTestId('pipeline')).toHaveText('float32');
  // The status line follows the point the Result shows, not the run that trained it.
  await page.getByLabel('Quantization-aware training').uncheck();
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await page.getByLabel(/^Bits/).fill('2');
  await expect(page.getByTestId('pipeline')).toHaveText('int2');
  const accuracy = await page.getByTestId('test-accuracy').textContent();
  await expect(page.locator('#status')).toHaveText(`Compressed: int2, test accuracy ${accuracy}`);
});
