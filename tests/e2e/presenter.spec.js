// The presenter view in a real room (issue #35, items 1–3): on a 1024×768 projector and a 1280×720
// laptop, every step of every lesson shows its text, its control (and Train, for a setting of the
// form) and the chart at once; the clicker's keys step the lesson whatever has the focus and never
// move a control; the highlighted control and the presenter view's text pass WCAG AA contrast (axe).
import AxeBuilder from '@axe-core/playwright';
import { test, expect, ARTIFACTS } from './fixtures.js';
import { LESSONS } from '../../www/src/lessons.js';

const SIZES = [
  [1024, 768],
  [1280, 720],
];

/** Whether `locator`'s box lies wholly inside the viewport. */
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  return Boolean(box) && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

// The presenter's view on both screens, and a participant's focus on the lesson on a laptop.
const VIEWS = [...SIZES.map(([width, height]) => ({ width, height, mode: 'present' })), { width: 1280, height: 720, mode: 'focus' }];

for (const { width, height, mode } of VIEWS) {
  test(`every lesson step at ${width}×${height} (${mode}): its text, its control and the chart on one screen @cpu-only`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    const outside = [];
    for (const lesson of LESSONS) {
      for (const [i, step] of lesson.steps.entries()) {
        await page.goto(`/?lesson=${lesson.id}&step=${i + 1}&${mode}`);
        await expect(page.locator('#lesson-where')).toContainText(`Step ${i + 1} of ${lesson.steps.length}`, { timeout: 60_000 });
        await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 }); // hidden on steps that need no Train
        const parts = { text: page.locator('#lesson-text'), chart: page.locator('#tradeoff') };
        if (step.control) parts.control = page.locator(`#${step.control}`);
        const inForm = step.control && (await page.locator(`#controls #${step.control}`).count());
        if (inForm) parts.train = page.locator('#train');
        for (const [name, locator] of Object.entries(parts)) {
          if (!(await inView(page, locator)))
            outside.push(`${lesson.id} step ${i + 1}: ${name} (${await locator.boundingBox().then(JSON.stringify)})`);
        }
        if (lesson.id === 'quantization' && i === 2) await page.screenshot({ path: `${ARTIFACTS}${mode}-step-${width}x${height}.png` });
      }
    }
    expect(outside).toEqual([]);
  });
}

test('the clicker steps the lesson whatever has the focus, and never moves the focused control @cpu-only', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/?lesson=quantization&step=3&present');
  await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 }); // hidden on steps that need no Train
  const bits = page.getByLabel(/^Bits/);
  await bits.focus();
  const before = await bits.inputValue();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#lesson-where')).toContainText('Step 4 of 4');
  expect(await bits.inputValue()).toBe(before);
  // A ticked box keeps the focus (and its state); Page Up and Page Down still step.
  await page.keyboard.press('PageUp');
  await expect(page.locator('#lesson-where')).toContainText('Step 3 of 4');
  const perChannel = page.getByLabel('Per-channel scales');
  await perChannel.focus();
  await page.keyboard.press('Space');
  await expect(perChannel).toBeChecked();
  await page.keyboard.press('PageDown');
  await expect(page.locator('#lesson-where')).toContainText('Step 4 of 4');
  await expect(perChannel).toBeChecked();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#lesson-where')).toContainText('Step 3 of 4');
  expect(await bits.inputValue()).toBe(before);
});

for (const present of [false, true]) {
  test(`the highlighted control and the ${present ? 'presenter view' : 'page'} pass WCAG AA contrast @cpu-only`, async ({ page }) => {
    const violations = [];
    for (const lesson of LESSONS) {
      for (const [i, step] of lesson.steps.entries()) {
        if (!step.control) continue;
        await page.goto(`/?lesson=${lesson.id}&step=${i + 1}${present ? '&present' : ''}`);
        await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 }); // hidden on steps that need no Train
        const scope = present ? ['#learn', '.explorer', '.lesson-focus'] : ['.lesson-focus', '#learn'];
        const axe = new AxeBuilder({ page }).withRules(['color-contrast']);
        for (const selector of scope) axe.include(selector); // one call each: an array would be a path into frames
        const result = await axe.analyze();
        for (const v of result.violations)
          for (const node of v.nodes)
            violations.push(`${lesson.id} ${i + 1}: ${node.target.join(' ')} — ${node.failureSummary.split('\n').at(-1).trim()}`);
      }
    }
    expect([...new Set(violations)]).toEqual([]);
  });
}

test('at the challenge the presenter view offers the class chart; on a step it is folded away @cpu-only', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/?lesson=quantization&step=4&present');
  await expect(page.locator('#lesson-where')).toContainText('Step 4 of 4', { timeout: 60_000 });
  await expect(page.locator('#class')).toBeHidden();
  await page.keyboard.press('PageDown');
  await expect(page.locator('#lesson-where')).toContainText('Challenge');
  await expect(page.locator('#class')).toBeVisible();
  await expect(page.locator('#glossary')).toBeHidden(); // only the class chart of what is below
  await page.keyboard.press('PageUp');
  await expect(page.locator('#class')).toBeHidden();
});

test("a participant's focus: one click lays the step out for a laptop, another brings the whole page back, and the link keeps it @cpu-only", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?lesson=quantization&step=2');
  await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 });
  const chart = page.locator('#tradeoff');
  await expect(page.locator('#c-quantize')).not.toBeInViewport(); // the whole page: the control is further down
  await page.getByRole('button', { name: 'Focus on this step' }).click();
  await expect(page).toHaveURL(/[?&]focus=?(&|$)/);
  for (const id of ['lesson-text', 'c-quantize']) await expect(page.locator(`#${id}`)).toBeInViewport({ ratio: 1 });
  await expect(chart).toBeInViewport({ ratio: 1 });
  await expect(page.locator('#automation')).toBeHidden(); // what the step does not need is folded away
  await page.keyboard.press('ArrowRight'); // the keys stay the page's: no lesson step is taken
  await expect(page.locator('#lesson-where')).toContainText('Step 2 of 4');
  await page.getByRole('button', { name: 'Show the whole page' }).click();
  await expect(page).not.toHaveURL(/[?&]focus=?(&|$)/);
  await expect(page.locator('#automation')).toBeVisible();
});

test("the presenter shows the room the participants' link as a QR code that decodes to it, and its host can be corrected @cpu-only", async ({
  page,
}) => {
  const jsQR = (await import('jsqr')).default;
  const decode = async () => {
    const { data, width, height } = await page.locator('#room-qr').evaluate((canvas) => ({
      data: [...canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data],
      width: canvas.width,
      height: canvas.height,
    }));
    return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
  };
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/?lesson=quantization&step=2&hide=automation,backend&present');
  await expect(page.locator('#train')).toBeEnabled({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Link for the room' }).click();
  const url = page.getByLabel('Link', { exact: true });
  const expected = new URL('/?lesson=quantization&step=2&hide=automation%2Cbackend&focus=', page.url()).href;
  await expect(url).toHaveValue(expected);
  await expect(page.locator('#room-note')).toContainText('replace the address'); // opened as 127.0.0.1
  await expect.poll(decode).toBe(expected);
  await page.screenshot({ path: `${ARTIFACTS}room-link-1024x768.png` });
  const room = 'http://192.168.1.20:8080/?lesson=quantization&step=2&hide=automation%2Cbackend&focus=';
  await url.fill(room);
  await expect.poll(decode).toBe(room);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('#room-dialog')).toBeHidden();
});
