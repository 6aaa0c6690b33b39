// Links as a workshop shares them and a clumsy user edits them (issue #12): every pipeline a link
// holds comes back unchanged in the page's own link, even settings the controls cannot show; a
// partial link takes the defaults for what it leaves out; what cannot be used is named.
import { statSync } from 'node:fs';
import { test, expect, fill, trainAndWait } from './fixtures.js';

const alert = (page) => page.getByRole('alert');
const pinned = (page) => page.locator('#pipeline-pinned');
const link = (spec, extra = '') => `/?spec=${encodeURIComponent(JSON.stringify(spec))}${extra}`;
const tune = (epochs, learning_rate = 0.005) => ({ epochs, learning_rate });

/** Opens `path`, waits for the engine, and makes the page write its link again (an axis change). */
async function reopen(page, path) {
  await page.goto(path);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await page.getByLabel('log x').uncheck();
  await expect.poll(() => new URL(page.url()).searchParams.get('log')).toBe('0');
  return JSON.parse(new URL(page.url()).searchParams.get('spec'));
}

// Pipelines of every step kind: those the controls show exactly, and those they cannot (kept).
const SHOWN = [
  [{ kind: 'quantize', bits: 4, symmetric: true, per_channel: true }],
  [
    { kind: 'prune', sparsity: 0.5, global: true },
    { kind: 'fine_tune', ...tune(3) },
    { kind: 'half', format: 'bfloat16' },
  ],
  [{ kind: 'structured_prune', fraction: 0.25 }],
  [{ kind: 'gradual_prune', prune: { sparsity: 0.8, global: true }, stages: 3, fine_tune: tune(2) }],
  [
    { kind: 'resize', width: 0.5, hidden_layers: null },
    { kind: 'quantize_activations', bits: 6, calibration_batches: 4 },
  ],
  [{ kind: 'qat', quantize: { bits: 3, symmetric: false, per_channel: false }, fine_tune: tune(2) }],
  [{ kind: 'cluster', clusters: 16, init: 'linear', fine_tune: null }],
];
const KEPT = [
  [{ kind: 'low_rank', choose: { energy: 0.9 }, first_layer_only: false }],
  [{ kind: 'cluster', clusters: 10, init: 'density', fine_tune: tune(2, 0.0001) }],
  [{ kind: 'quantize_activations', bits: 8, calibration_batches: 16 }],
  [
    { kind: 'fine_tune', ...tune(4, 0.0005) },
    { kind: 'prune', sparsity: 0.3, global: false },
  ],
  [
    { kind: 'quantize', bits: 8, symmetric: true, per_channel: false },
    { kind: 'quantize', bits: 4, symmetric: true, per_channel: false },
  ],
];

test.describe('links', { tag: '@cpu-only' }, () => {
  test('every pipeline survives link → page → link unchanged; what the controls cannot show is kept and said', async ({
    watched: { page },
  }) => {
    for (const compress of SHOWN) {
      expect((await reopen(page, link({ compress }))).compress, JSON.stringify(compress)).toEqual(compress);
      await expect(pinned(page)).toBeHidden();
    }
    for (const compress of KEPT) {
      expect((await reopen(page, link({ compress }))).compress, JSON.stringify(compress)).toEqual(compress);
      await expect(pinned(page)).toBeVisible();
    }
    // Every field of the form comes back exactly, digits and all.
    const full = {
      data: { name: 'moons', samples: 250, noise: 0.234, test_fraction: 0.15 },
      model: { kind: 'mlp', hidden: [12, 7], activation: 'gelu' },
      train: {
        optimizer: 'sgd',
        learning_rate: 0.00123456789,
        epochs: 7,
        batch_size: 48,
        weight_decay: 0.0001,
        momentum: 0.95,
        label_smoothing: 0.1,
        augment: { shift: 0, rotate: 0, noise: 0.25 },
      },
      distill: null,
      seed: 987654321,
      compress: [],
    };
    expect(await reopen(page, link(full))).toEqual(full);
    const cnn = {
      ...full,
      data: { name: 'digits', samples: 600, noise: 0.1, test_fraction: 0.2 },
      model: { kind: 'cnn', channels: [3, 5], activation: 'tanh' },
      train: { ...full.train, augment: { shift: 2, rotate: 12.5, noise: 0 } },
    };
    expect(await reopen(page, link(cnn))).toEqual(cnn);

    // A distillation teacher that is not among the points is kept, offered, and trained first.
    const teacher = { data: { name: 'moons' }, model: { kind: 'mlp', hidden: [32], activation: 'relu' }, compress: [] };
    const distill = { teacher, temperature: 2, alpha: 0.5 };
    const student = { data: { name: 'moons' }, model: { kind: 'mlp', hidden: [4], activation: 'relu' }, train: { epochs: 3 }, distill };
    expect((await reopen(page, link(student))).distill).toEqual(distill);
    await expect(page.getByLabel('Distill from')).toHaveValue('link');
    await expect(page.locator('#d-teacher option[value="link"]')).toHaveText('from the link: MLP 32 (trained first)');
    await trainAndWait(page);
    await expect(page.locator('#runs tbody tr').first()).toContainText('MLP 4 · distilled');

    // Training keeps the link's low rank by energy; moving a control replaces it, visibly.
    await reopen(
      page,
      link({ data: { name: 'moons' }, model: { kind: 'mlp', hidden: [16], activation: 'relu' }, train: { epochs: 5 }, compress: KEPT[0] }),
    );
    await expect(pinned(page)).toContainText('90 % energy');
    await trainAndWait(page);
    await expect(page.getByTestId('pipeline')).toHaveText('90 % energy');
    await page.getByLabel(/^Rank/).fill('1');
    await expect(pinned(page)).toBeHidden();
    await expect(page.getByTestId('pipeline')).toHaveText('rank 1 (first layer)');
  });

  test('a partial link takes the defaults; an unknown axis is named; training works after both', async ({ watched: { page } }) => {
    await page.goto(link({ data: { name: 'moons' } }, '&x=garbage'));
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await expect(alert(page)).toContainText('x=garbage is not one of bytes');
    await expect(page.getByLabel('Data set', { exact: true })).toHaveValue('moons');
    await expect(page.getByLabel('Samples')).toHaveValue('600');
    await expect(page.locator('#x-axis')).toHaveValue('bytes');
    await fill(page, { 'Hidden widths': '8', Epochs: '3' });
    await trainAndWait(page);
    await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    // The inputs' ranges come from the engine; a value out of range is named as it is typed.
    await expect(page.getByLabel('Epochs', { exact: true })).toHaveAttribute('max', '2000');
    await expect(page.getByLabel('Label smoothing ε')).toHaveAttribute('max', '0.5');
    await expect(page.getByLabel('Augment: rotate (°)')).toHaveAttribute('max', '30');
    await fill(page, { Epochs: '1000000000' });
    await expect(page.locator('#estimate')).toHaveText('Cannot train: train.epochs must be between 1 and 2000, got 1000000000');
    await fill(page, { Epochs: '3' });
    await expect(page.locator('#estimate')).toHaveText(/^Training: (about [\d.]+ s|under 0.1 s) on the CPU$/);
    // A wrong value is named, not replaced without a word.
    await page.goto(link({ compress: [{ kind: 'quantize', bits: 99, symmetric: true, per_channel: false }] }));
    await expect(alert(page)).toContainText('quantize.bits must be between 1 and 8, got 99');
  });
});

// Export, inspection, boundary and latency are asked for by the point's spec: the engine keeps the
// models it produced lately, so a fine-tuned point selected again is shown at once, not re-run.
test.describe('models by spec', { tag: '@cpu-only' }, () => {
  test('a fine-tuned point produced lately is shown when selected, without fine-tuning again', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5' });
    await trainAndWait(page);
    await page.getByLabel('Prune weights', { exact: true }).check();
    await page.getByLabel('Global threshold').uncheck();
    await page.getByLabel('Fine-tune after pruning').check();
    await expect(page.getByTestId('pipeline')).toHaveText(/^prune 50 % per layer · fine-tune \d+$/, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Save point' }).click();
    await page.getByLabel('Prune weights', { exact: true }).uncheck();
    await expect(page.getByTestId('pipeline')).toHaveText('float32');
    await page.locator('#runs tbody tr', { hasText: 'fine-tune' }).click();
    await expect(page.getByTestId('masks')).toContainText('50 % zero', { timeout: 60_000 });
    await expect(page.locator('#inspect-empty')).toBeHidden();
    await expect(page.locator('#boundary-figure')).toBeVisible();
    // Its file is the one the point measured.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model' }).click()]);
    const bytes = statSync(await download.path()).size;
    await expect(page.getByTestId('bytes')).toContainText(`${bytes} B`);
  });
});
