// Shared test fixture: a page whose console errors, uncaught errors and requests outside
// localhost are recorded, plus helpers to fill the form like a person would.
import { test as base, expect } from '@playwright/test';

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

export const test = base.extend({
  // Every page of every test fails on a Content-Security-Policy violation (the page's policy is in
  // index.html and www/public/_headers): anything it loads or runs that the policy refuses (but
  // what a test provokes on purpose after setting window.cspProvoked).
  page: async ({ page }, use) => {
    const violations = [];
    await page.exposeBinding('reportCspViolation', (_, violation) => violations.push(violation));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        if (!window.cspProvoked) window.reportCspViolation(`${e.violatedDirective} refused ${e.blockedURI || 'inline code'}`);
      });
    });
    await use(page);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
  // The page as each project's browser opens it: the webgpu project asks for WebGPU in the link,
  // since the page never defaults to a software adapter like SwiftShader.
  watched: async ({ page, context }, use, info) => {
    const problems = { consoleErrors: [], outside: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') problems.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => problems.consoleErrors.push(String(e)));
    context.on('request', (r) => {
      const url = new URL(r.url());
      const local = ['127.0.0.1', 'localhost'].includes(url.hostname);
      if (!local && !['data:', 'blob:'].includes(url.protocol)) problems.outside.push(r.url());
    });
    await page.goto(info.project.name === 'webgpu' ? '/?backend=webgpu' : '/');
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await use({ page, problems });
    expect(problems.consoleErrors, 'console errors').toEqual([]);
    expect(problems.outside, 'requests outside localhost').toEqual([]);
  },
});

export { expect };

/** Fills the labelled form fields, e.g. {'Epochs': '20', 'Data set': 'spiral'}. */
export async function fill(page, fields) {
  for (const [label, value] of Object.entries(fields)) {
    const field = page.getByLabel(label, { exact: true });
    if (await field.evaluate((el) => el.tagName === 'SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Clicks Train and waits for the run to finish (its point saved, and a second one when a
 * pipeline was set before training); returns the shown test accuracy in percent. */
export async function trainAndWait(page, timeout = 240_000) {
  const rows = page.locator('#runs tbody tr');
  const runs = await rows.count();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => rows.count(), { timeout }).toBeGreaterThan(runs);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout });
  return parseFloat(await page.getByTestId('test-accuracy').textContent());
}
