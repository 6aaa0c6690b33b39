// Drives www/bench.html in Debian's Chromium and prints its results (see scripts/bench-browser).
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const server = await preview({ preview: { port: 4174, strictPort: true } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--enable-unsafe-webgpu',
  ],
});
try {
  const page = await browser.newPage();
  await page.goto('http://127.0.0.1:4174/bench.html');
  await page.locator('#start:not([disabled])').click({ timeout: 60_000 });
  await page.waitForFunction(() => window.benchResults, null, { timeout: 900_000, polling: 1000 });
  console.log(JSON.stringify(await page.evaluate(() => window.benchResults), null, 2));
} finally {
  await browser.close();
  server.httpServer.close();
}
