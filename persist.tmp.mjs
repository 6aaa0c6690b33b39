import { chromium } from '@playwright/test';
import { preview } from 'vite';
const server = await preview({ preview: { port: 4175, strictPort: true } });
const dir = process.argv[2];
const t0 = Date.now(); const log = (m) => console.log(((Date.now() - t0) / 1000).toFixed(1), m);
try {
  for (let round = 0; round < 2; round++) {
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu', ...(process.argv[3] ? process.argv[3].split(' ') : [])] });
    const page = await ctx.newPage();
    await page.goto('http://127.0.0.1:4175/?backend=webgpu');
    await page.locator('button:text-is("Train"):not([disabled])').waitFor({ timeout: 120000 });
    await page.getByLabel('Batch size', { exact: true }).fill('256');
    await page.getByLabel('Epochs', { exact: true }).fill('3');
    const t2 = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('#status').filter({ hasText: 'Done in' }).waitFor({ timeout: 120000 });
    log(`round ${round}: train done after ${(Date.now() - t2) / 1000}s: ${await page.locator('#status').textContent()}`);
    await ctx.close();
  }
} finally { server.httpServer.close(); }
