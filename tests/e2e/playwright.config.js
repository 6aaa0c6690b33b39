// End-to-end tests of the real page in Debian's headless Chromium (never a downloaded browser).
// Two projects: "cpu" starts Chromium without WebGPU (the CPU fallback path); "webgpu" adds
// --enable-unsafe-webgpu, which gives a SwiftShader adapter even without a GPU.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4173);
const chromiumArgs = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-background-networking',
  '--disable-component-update',
];
const launch = (extra) => ({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [...chromiumArgs, ...extra],
});

export default defineConfig({
  testDir: '.',
  outputDir: 'artifacts/results',
  timeout: 300_000,
  expect: { timeout: 30_000 },
  // Two browsers at once: on this project's 2-core VM the suite took 7.9 min against 10.0 with one
  // (2026-11-27, docs/BENCHMARKS.md): much of a test is waiting on the page, the worker or the GPU process.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}/`, viewport: { width: 1440, height: 900 } },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
  },
  projects: [
    { name: 'cpu', use: { launchOptions: launch([]) } },
    { name: 'webgpu', grepInvert: /@cpu-only/, use: { launchOptions: launch(['--enable-unsafe-webgpu']) } },
  ],
});
