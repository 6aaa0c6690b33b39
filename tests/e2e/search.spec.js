// The budgeted search (issue #14) from the page: successive halving over a small space, its trials
// trained on a pool of engine workers, every trial a point within the budget, the best named; the
// same seed on one worker finds the same best; Cancel stops it at once; a bad list is refused. The
// search always trains on CPU engines, so the cpu project covers it.
import { test, expect, fill, ARTIFACTS } from './fixtures.js';

const SPACE = {
  'Hidden units to try': '8, 16, 32',
  'Hidden layers to try': '1',
  'Weight bits to try (0 = float)': '0, 4',
  'Pruned % to try': '0, 50',
  'Search budget limit': '2500',
  Candidates: '4',
};

test.beforeEach(({}, info) => test.skip(info.project.name !== 'cpu', 'the search trains on CPU engines whatever the backend'));

async function search(page, workers) {
  await page.getByLabel('Workers').fill(String(workers));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const caption = page.getByTestId('search');
  await expect(caption).toHaveText(
    /^Searched 4 candidates within 2500 B in 5 trials \([\d.]+ s on \d workers?, [\d.]+ s of it sizing\)\. Best: width \d+ × 1 layer, (float|int4)(, 50 % pruned)?: [\d.]+ % test accuracy at \d+ B, after 9 epochs\.$/,
    { timeout: 120_000 },
  );
  return (await caption.textContent()).replace(/\(.* sizing\)/, '');
}

test('a budgeted search on two workers: each trial a point within budget, and one worker finds the same best', async ({
  watched: { page },
}, info) => {
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '32', Epochs: '9', ...SPACE });
  const rows = page.locator('#runs tbody tr');
  const two = await search(page, 2);
  // 4 candidates for 3 epochs, the best for 9: five points, every file within the budget.
  await expect(rows).toHaveCount(5);
  const bytes = await rows.locator('td:nth-child(4)').allTextContents();
  for (const b of bytes) expect(Number(b.match(/^(\d+) B$/)[1])).toBeLessThanOrEqual(2500);
  await expect(page.locator('#status')).toHaveText('Search done: 5 points on the chart.');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await page.locator('#automation').screenshot({ path: `${ARTIFACTS}search-${info.project.name}.png` });
  await page.locator('.explorer').screenshot({ path: `${ARTIFACTS}search-chart-${info.project.name}.png` });

  expect(await search(page, 1)).toBe(two);
  await expect(rows).toHaveCount(10);
});

test('a search stops at Cancel, keeps its points so far, and a bad list is refused', async ({ watched: { page } }) => {
  await fill(page, {
    'Data set': 'digits',
    'Hidden widths': '32',
    Epochs: '300',
    ...SPACE,
    Candidates: '9',
    'Search budget limit': '100000',
  });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.locator('#status')).toContainText('Search rung 1 of 3 (33 epochs each', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('#status')).toHaveText('Search cancelled: the search stopped.');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeEnabled();
  await expect(page.getByTestId('search')).toHaveText('');

  await page.getByLabel('Hidden units to try').fill('8, many');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Hidden units to try takes whole numbers separated by commas, got "8, many"');
  // Ranges are the engine's: it names the field.
  await page.getByLabel('Hidden units to try').fill('8, 5000');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('search.widths needs one or more values between 1 and 2048');
});
