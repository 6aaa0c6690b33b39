// Automation (issue #14) from the page, on the CPU and on WebGPU: layer sensitivity draws one curve
// per layer, mixed precision under a byte budget makes a point beside the widest uniform width that
// fits, per-layer settings live in the controls and the link, and bad lists are refused.
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

// SwiftShader emulates the GPU on the CPU: on WebGPU the models train in fewer, larger steps.
const FEWER_STEPS = { cpu: {}, webgpu: { 'Batch size': '256', 'Learning rate': '0.02' } };

test('sensitivity, mixed precision and per-layer settings from the page', async ({ watched: { page } }, info) => {
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64, 32', Epochs: '20', ...FEWER_STEPS[info.project.name] });
  await trainAndWait(page);

  // Quantization sensitivity: three weighted layers, one curve each, and a sentence naming them.
  await page.getByRole('button', { name: 'Analyse layers' }).click();
  const caption = page.locator('#sens-caption');
  await expect(caption).toContainText('Most sensitive:', { timeout: 120_000 });
  await expect(caption).toContainText('at 2 bits');
  const legend = page.getByTestId('sensitivity').locator('.u-legend .u-series');
  await expect(legend).toHaveCount(3); // one per layer
  await expect(legend.nth(0)).toContainText('layer 1 (64→64): 4,096 weights');
  await expect(legend.nth(1)).toContainText('layer 2 (64→32): 2,048 weights');
  await expect(legend.nth(2)).toContainText('layer 3 (32→10): 320 weights');
  await expect(page.locator('#status')).toHaveText('Sensitivity of 3 layers measured.');

  // Pruning sensitivity.
  await page.getByLabel('Compress one layer by').selectOption('prune');
  await page.getByRole('button', { name: 'Analyse layers' }).click();
  await expect(caption).toContainText('at 90 %', { timeout: 120_000 });
  await page.getByTestId('sensitivity').screenshot({ path: `${ARTIFACTS}sensitivity-${info.project.name}.png` });

  // Mixed precision within the default budget (an 8× smaller file than float): two new points, the
  // mixed one's file within budget, and the controls and link show its bits per layer.
  const rows = page.locator('#runs tbody tr');
  const before = await rows.count();
  const budget = Number(await page.getByLabel('File budget (bytes)').inputValue());
  expect(budget).toBeGreaterThan(1000);
  await page.getByRole('button', { name: 'Choose bits per layer' }).click();
  const result = page.getByTestId('mixed-precision');
  await expect(result).toContainText(
    /^Mixed precision int\d\/\d\/\d: .* test accuracy; the widest uniform width within .*, int\d: .*: mixed precision is /,
    { timeout: 120_000 },
  );
  await expect(rows).toHaveCount(before + 2);
  await expect(page.getByRole('alert')).toBeHidden(); // no stale "Latency: … no longer held" alert
  const bytes = Number((await page.getByTestId('bytes').textContent()).match(/^(\d+) B/)[1]);
  expect(bytes).toBeLessThanOrEqual(budget);
  const bits = (await result.textContent())
    .match(/int(\d)\/(\d)\/(\d)/)
    .slice(1)
    .join(', ');
  await expect(page.getByLabel('Per-layer bits')).toHaveValue(bits);
  const spec = JSON.parse(new URL(page.url()).searchParams.get('spec'));
  expect(spec.compress).toEqual([{ kind: 'quantize', bits: 8, symmetric: true, per_channel: false, layers: bits.split(', ').map(Number) }]);
  await page.locator('#automation').screenshot({ path: `${ARTIFACTS}mixed-precision-${info.project.name}.png` });

  // A per-layer sparsity typed in by hand applies on change; the slider then sets every layer again.
  await page.getByLabel('Prune weights').check();
  await page.getByLabel('Per-layer sparsity (%)').fill('90, 50, 0');
  await page.getByLabel('Per-layer sparsity (%)').press('Enter');
  await expect(page.getByTestId('pipeline')).toContainText('prune 90/50/0 % by layer');
  // A list that does not read is refused with a message, and nothing changes.
  await page.getByLabel('Per-layer sparsity (%)').fill('90, lots');
  await page.getByLabel('Per-layer sparsity (%)').press('Enter');
  await expect(page.getByRole('alert')).toHaveText(
    'Per-layer sparsity takes percentages from 0 to 99, one per weighted layer, got "90, lots"',
  );
  await expect(page.getByTestId('pipeline')).toContainText('prune 90/50/0 % by layer');
  // A list of the wrong length reaches the engine, which names the mismatch.
  await page.getByLabel('Per-layer sparsity (%)').fill('90, 50');
  await page.getByLabel('Per-layer sparsity (%)').press('Enter');
  await expect(page.getByRole('alert')).toContainText('prune.layers has 2 entries, but the model has 3 weighted layers');
  await page.getByLabel(/^Sparsity \d+ %$/).fill('0.7');
  await expect(page.getByLabel('Per-layer sparsity (%)')).toHaveValue('');
  await expect(page.getByTestId('pipeline')).toContainText('prune 70 %');
});

test('a link with per-layer bits reproduces the mixed-precision point', async ({ page }) => {
  const spec = {
    data: { name: 'digits' },
    model: { kind: 'mlp', hidden: [32], activation: 'relu' },
    train: { epochs: 10 },
    compress: [{ kind: 'quantize', bits: 8, symmetric: true, per_channel: true, layers: [3, 6] }],
  };
  await page.goto(`/?spec=${encodeURIComponent(JSON.stringify(spec))}`);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Per-layer bits')).toHaveValue('3, 6');
  await trainAndWait(page);
  await expect(page.getByTestId('pipeline')).toContainText('int3/6 per-channel');
});

test('Shrink-and-Improve and Grow-Improve-and-Shrink, one click each, narrated, their points on the chart', async ({
  watched: { page },
}, info) => {
  await fill(page, {
    'Data set': 'digits',
    'Hidden widths': '32',
    Epochs: '15',
    'Fine-tune / QAT epochs': '3',
    ...FEWER_STEPS[info.project.name],
  });
  await trainAndWait(page);
  const rows = page.locator('#runs tbody tr');
  const before = await rows.count();
  const caption = page.getByTestId('strategy-shrink');

  await page.getByRole('button', { name: 'Shrink and improve' }).click();
  await expect(caption).toHaveText(
    /^Shrink-and-Improve: at [\d.]+ kB \(width ×0\.5, int\d\) test accuracy went from [\d.]+ % \(shrunk\) to [\d.]+ % \(improved\); the float model is [\d.]+ kB at [\d.]+ %\.$/,
    { timeout: 120_000 },
  );
  await expect(rows).toHaveCount(before + 2);
  const budget = Number(await page.getByLabel('File budget (bytes)').inputValue());
  const shrunkBytes = parseFloat((await caption.textContent()).match(/at ([\d.]+) kB/)[1]) * 1000;
  expect(shrunkBytes).toBeLessThanOrEqual(budget + 50); // the sentence rounds to 0.1 kB

  const shrunk = await caption.textContent();
  await page.getByRole('button', { name: 'Grow, improve and shrink' }).click();
  await expect(page.getByTestId('strategy-grow')).toHaveText(
    /^Grow-Improve-and-Shrink: grown ×2 \([\d.]+ %\), improved \([\d.]+ %\), shrunk back to int\d at [\d.]+ kB ≤ the original's [\d.]+ kB: [\d.]+ % against [\d.]+ %, [\d.]+ points (better|worse) in no more bytes\.$/,
    { timeout: 120_000 },
  );
  await expect(rows).toHaveCount(before + 5);
  await expect(caption).toHaveText(shrunk); // each strategy keeps its own sentence
  // The last point is an ordinary pipeline, in the link: resize ×2, fine-tune, quantize.
  const spec = JSON.parse(new URL(page.url()).searchParams.get('spec'));
  expect(spec.compress.map((s) => s.kind)).toEqual(['resize', 'fine_tune', 'quantize']);
  expect(spec.compress[0].width).toBe(2);
  await page.locator('#automation').screenshot({ path: `${ARTIFACTS}strategies-${info.project.name}.png` });
});

test("a link offers a strategy and runs it once asked: the link's model trains, then Shrink-and-Improve runs to its budget", async ({
  page,
}) => {
  const spec = { data: { name: 'digits' }, model: { kind: 'mlp', hidden: [32], activation: 'relu' }, train: { epochs: 10 } };
  const link = `/?spec=${encodeURIComponent(JSON.stringify(spec))}&strategy=shrink&budget=2000`;
  // Nothing trains before the visitor says so: the page asks, with the estimate.
  await page.goto(link);
  const ask = page.getByRole('dialog');
  await expect(ask.locator('p')).toHaveText(
    /^This link trains its model, then runs Shrink-and-Improve on it\. Training: (under 0\.1 s|about [\d.]+ (s|min)) on the CPU, then the strategy's fine-tuning\.$/,
    { timeout: 60_000 },
  );
  await page.screenshot({ path: `${ARTIFACTS}link-strategy-asks.png` });
  await page.getByRole('button', { name: 'Not now' }).click();
  await expect(ask).toBeHidden();
  await expect(page.locator('#runs tbody tr')).toHaveCount(0);
  await page.goto(link);
  await page.getByRole('button', { name: 'Train and run it' }).click();
  await expect(page.getByTestId('strategy-shrink')).toHaveText(/^Shrink-and-Improve: at [\d.]+ kB \(width ×0\.5, int\d\)/, {
    timeout: 120_000,
  });
  await expect(page.getByLabel('File budget (bytes)')).toHaveValue('2000');
  await expect(page.locator('#runs tbody tr')).toHaveCount(3); // the float model and the two stages
  expect(new URL(page.url()).searchParams.has('strategy')).toBe(false); // it runs once, not on every reload
});
