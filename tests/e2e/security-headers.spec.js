// The page's security headers (issue #29, item 6): ./scripts/serve (vite preview) sends those of
// www/public/_headers, which static hosts read; the built page carries the policy as a meta tag too.
// Every test's page fails on a policy violation (fixtures.js); this one also shows that the policy
// is enforced, so that check is not vacuous.
import { test, expect } from './fixtures.js';

const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'";

test('the page is served with its policy, nosniff and no referrer, and the policy is enforced', async ({ page, request }) => {
  const response = await request.get('/');
  expect(response.headers()['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  expect(response.headers()['referrer-policy']).toBe('no-referrer');
  const hosted = await request.get('/_headers');
  expect(await hosted.text()).toContain(`Content-Security-Policy: ${POLICY}; frame-ancestors 'none'`);

  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', POLICY);
  // The engine (wasm) and the worker ran under the policy; an inline script, or a request to
  // another host, is refused. (The test's own evaluate calls are exempt, as DevTools' are.)
  const refused = await page.evaluate(async () => {
    window.cspProvoked = true; // not the page's own violations (fixtures.js)
    const events = [];
    document.addEventListener('securitypolicyviolation', (e) => events.push(e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true;';
    document.head.append(script);
    const fetched = await fetch('https://example.com/').then(
      () => true,
      () => false,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { inlineRan: window.inlineRan === true, fetched, events };
  });
  expect(refused.inlineRan).toBe(false);
  expect(refused.fetched).toBe(false);
  expect(refused.events).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
});
