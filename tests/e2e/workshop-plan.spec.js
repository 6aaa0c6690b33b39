// The README's 45-minute workshop plan, run as a room would (issue #35): the instructor's links in
// the presenter view on a 1024×768 projector and a 1280×720 laptop, stepped by the clicker's keys with the focus on a
// control; three participants, each in their own browser at 1280×720 with the plan's `&focus`
// links, training, meeting the quantization challenge and exporting under their name; then the
// class chart, with everyone named and ranked. The links are read from the README's table, so the
// plan and this test cannot drift apart.
import { readFileSync } from 'node:fs';
import { test, expect, trainAndWait, ARTIFACTS } from './fixtures.js';

/** The plan's rows: {minutes, instructor link, participants' links}. */
function plan() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const links = (cell) => [...cell.matchAll(/`(\/\?[^`]+)`/g)].map((m) => m[1]);
  return readme
    .split('\n')
    .filter((line) => line.startsWith('| ') && line.includes('&present'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, minutes, , instructor, participants]) => ({ minutes, instructor: links(instructor)[0], participants: links(participants) }));
}

const inView = async (page, selector) => {
  const box = await page.locator(selector).boundingBox();
  const { width, height } = page.viewportSize();
  return Boolean(box) && box.y >= 0 && box.y + box.height <= height + 0.5 && box.x + box.width <= width + 0.5;
};

test('the plan has its five lesson rows, every link a lesson, participants with &focus', () => {
  const rows = plan();
  expect(rows.map((r) => r.minutes)).toEqual(['0–5', '5–15', '15–25', '25–33', '33–40']);
  for (const { instructor, participants } of rows) {
    expect(instructor).toMatch(/^\/\?lesson=[a-z-]+&step=\d&present$/);
    for (const link of participants) expect(link).toMatch(/^\/\?lesson=[a-z-]+&step=\d.*&focus$/);
  }
});

for (const [width, height] of [
  [1024, 768],
  [1280, 720],
]) {
  test(`the instructor runs every row of the plan by clicker at ${width}×${height}, the focus on a control @cpu-only`, async ({ page }) => {
    await runPlan(page, width, height);
  });
}

async function runPlan(page, width, height) {
  await page.setViewportSize({ width, height });
  for (const { minutes, instructor } of plan()) {
    await page.goto(instructor);
    await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 });
    const where = await page.locator('#lesson-where').textContent();
    for (const part of ['#lesson-text', '#tradeoff']) expect(await inView(page, part), `${minutes}: ${part}`).toBe(true);
    // The clicker steps forward and back whatever has the focus; the focused control keeps its value.
    const control = page.locator('#lesson-select');
    await control.focus();
    const [away, back] = where.startsWith('Challenge') ? ['PageUp', 'PageDown'] : ['PageDown', 'PageUp'];
    await page.keyboard.press(away);
    await expect(page.locator('#lesson-where')).not.toHaveText(where);
    await page.keyboard.press(back);
    await expect(page.locator('#lesson-where')).toHaveText(where);
    await expect(control).toHaveValue(new URL(instructor, 'http://x').searchParams.get('lesson'));
  }
  await page.screenshot({ path: `${ARTIFACTS}plan-instructor-${width}x${height}.png` });
}

test('three participants meet the challenge and export; the class chart names and ranks them @cpu-only', async ({ browser, page }) => {
  const [, quantization, , , challenge] = plan();
  const exports = [];
  for (const name of ['Ada', 'Ben', 'Cleo']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } }); // a laptop of their own
    const laptop = await context.newPage();
    await laptop.goto(quantization.participants[0]);
    await expect(laptop.locator('#train')).toBeEnabled({ timeout: 60_000 });
    for (const part of ['#lesson-text', '#train', '#tradeoff']) expect(await inView(laptop, part), `${name}: ${part}`).toBe(true);
    await trainAndWait(laptop);
    await laptop.goto(challenge.participants[0]);
    await expect(laptop.locator('#lesson-where')).toContainText('Challenge', { timeout: 60_000 });
    await expect(laptop.getByLabel('Quantize weights', { exact: true })).toBeVisible(); // the whole page at the challenge
    await trainAndWait(laptop); // a new link is a new page: its engine trains the model again
    await laptop.getByLabel('Quantize weights', { exact: true }).check();
    await laptop.getByLabel('Per-channel scales').check();
    await laptop.getByLabel(/^Bits/).fill('3');
    await expect(laptop.getByTestId('pipeline')).toContainText('int3 per-channel');
    await laptop.getByRole('button', { name: 'Check my points' }).click();
    await expect(laptop.locator('#lesson-verdict')).toHaveText(/^Challenge met by digits · MLP 64 · int3 per-channel/);
    await laptop.getByLabel('Your name on exports').fill(name);
    await laptop.getByLabel('Your name on exports').press('Enter');
    const [file] = await Promise.all([laptop.waitForEvent('download'), laptop.getByRole('button', { name: 'JSON', exact: true }).click()]);
    expect(file.suggestedFilename()).toBe(`points-${name}.json`);
    exports.push({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: readFileSync(await file.path()) });
    if (name === 'Ada') await laptop.screenshot({ path: `${ARTIFACTS}plan-participant-1280x720.png` });
    await context.close();
  }
  // 40–45: the instructor's screen, the collected files on one chart.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(challenge.instructor);
  await expect(page.locator('#lesson-where')).toContainText('Challenge', { timeout: 60_000 });
  await page.locator('#class summary').click();
  await page.getByLabel('Challenge to rank by').selectOption('quantization');
  await page.getByLabel("Open participants' exports").setInputFiles(exports);
  const rows = page.getByTestId('class-ranking').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  const names = await rows.getByRole('textbox').evaluateAll((inputs) => inputs.map((input) => input.value).sort());
  expect(names).toEqual(['Ada', 'Ben', 'Cleo']);
  for (const i of [0, 1, 2]) await expect(rows.nth(i)).toHaveText(/^[123].*2,7\d\d B9\d\.\d %/); // all three met it
  await page.locator('#class').screenshot({ path: `${ARTIFACTS}plan-class-chart.png` });
});
