// What the browser keeps, under the conditions a room meets (issue #30, item 5): two tabs of the
// page (a learner's beside the projector's) never lose each other's points, and a browser that
// blocks storage still gets a working page that says nothing will be kept.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const MOONS = { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' };
const rows = (page) => page.locator('#runs tbody tr');

// The storage refuses the history once the page sets `window.full`, as a full quota does.
function refuseHistoryOnceFull(page) {
  return page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (window.full && key === 'efficiency-playground.runs.v2') throw new DOMException('full', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
}

async function open(page) {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
}

test('two tabs each train a point: both keep both, live and after a reload @cpu-only', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await open(a);
  await open(b); // B loaded the (empty) history before A trained
  await fill(a, MOONS);
  await trainAndWait(a);
  await expect(rows(b)).toHaveCount(1); // B shows A's point as soon as it is stored
  await fill(b, { ...MOONS, 'Hidden widths': '4' });
  await trainAndWait(b);
  await expect(rows(a)).toHaveCount(2);
  await a.reload();
  await expect(rows(a)).toHaveCount(2);
  // Clear in one tab clears the other's view too; Undo brings both points back to both.
  await a.getByRole('button', { name: 'Clear' }).click();
  await expect(rows(b)).toHaveCount(0);
  await a.getByRole('button', { name: 'Undo' }).click();
  await expect(rows(b)).toHaveCount(2);
});

test("two tabs' lesson predictions are both kept @cpu-only", async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const [page, lesson] of [
    [a, 'pareto'],
    [b, 'quantization'],
  ]) {
    await page.goto(`/?lesson=${lesson}&step=2`);
    await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 });
  }
  for (const page of [a, b]) {
    await page.locator('#lesson-choices input').first().check();
    await page.getByRole('button', { name: 'Lock in my prediction' }).click();
    await expect(page.locator('#lesson-reveal')).toContainText('Prediction locked in');
  }
  const stored = await a.evaluate(() => JSON.parse(localStorage.getItem('efficiency-playground.lessons.v1')));
  expect(Object.keys(stored.predictions).sort()).toEqual(['pareto/2', 'quantization/2']);
});

test('a browser that blocks storage still starts, trains and says nothing will be kept @cpu-only', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await open(page);
  await expect(page.locator('#storage-note')).toBeVisible();
  await expect(page.locator('#storage-note')).toContainText('nothing is kept after this visit');
  await fill(page, MOONS);
  await trainAndWait(page);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole('alert')).toBeHidden();
  expect(errors).toEqual([]);
});

test('own data tables are kept compactly, named when the storage is full, and forgotten on request @cpu-only', async ({ page }) => {
  await refuseHistoryOnceFull(page);
  await open(page);
  const csv = [
    'a,b,c,label',
    ...Array.from({ length: 300 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${i / 300},${i % 2 ? 'odd' : 'even'}`),
  ].join('\n');
  await page.getByLabel('Data set', { exact: true }).selectOption('custom');
  await page.getByLabel('Open a CSV data set').setInputFiles({ name: 'wave.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.locator('#own-status')).toHaveText(/^Using wave\.csv: 300 rows, 3 features, 2 classes \(even, odd\)\./);
  await expect(page.locator('#own-kept')).toHaveText(/^Kept in this browser: 1 table \(\d+ kB of storage\)\.$/);
  // 900 values kept in base64 of float32: about 5.3 characters each, not the CSV's 20.
  const chars = await page.evaluate(() => localStorage.getItem('efficiency-playground.tables.v2').length);
  expect(chars).toBeLessThan(900 * 6);
  await page.evaluate(() => {
    window.full = true;
  });
  await page.getByLabel('Hidden widths', { exact: true }).fill('8');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await trainAndWait(page);
  await expect(page.getByRole('alert')).toContainText(
    /Your own data tables take \d+ kB \(Forget kept tables, under Your own data, frees it\)/,
  );
  await expect(rows(page)).toHaveCount(1); // kept for the visit
  await page.getByRole('button', { name: 'Forget kept tables' }).click();
  await expect(page.locator('#own-status')).toHaveText('Forgot wave.csv: links and points that name it will ask for the file again.');
  await expect(page.locator('#own-kept')).toHaveText('No table of yours is kept in this browser.');
  expect(await page.evaluate(() => localStorage.getItem('efficiency-playground.tables.v2'))).toBeNull();
});

test('Undo after Clear says when the points it restores could not be stored @cpu-only', async ({ page }) => {
  await refuseHistoryOnceFull(page);
  await open(page);
  await fill(page, MOONS);
  await trainAndWait(page);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows(page)).toHaveCount(0);
  await page.evaluate(() => {
    window.full = true;
  });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.locator('#status')).toHaveText("Restored 1 point, for this visit only: the browser's storage is full.");
});
