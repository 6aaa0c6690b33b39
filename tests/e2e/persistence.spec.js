// What the browser keeps, under the conditions a room meets (issue #30, item 5): two tabs of the
// page (a learner's beside the projector's) never lose each other's points, and a browser that
// blocks storage still gets a working page that says nothing will be kept.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const MOONS = { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' };
const rows = (page) => page.locator('#runs tbody tr');

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
