// The engine's two builds (issue #10): a visit downloads the small CPU engine and trains with it;
// the WebGPU engine is fetched only when WebGPU is wanted, and the models trained before it came
// still compress, export and time.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const MOONS = { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5', 'Batch size': '64' };

/** Opens `path`, recording which engine modules the page (and its worker) fetch. */
async function openRecording(page, context, path) {
  const fetched = [];
  context.on('request', (request) => {
    const engine = request.url().match(/engine_(cpu|webgpu)_bg[^/]*\.wasm$/);
    if (engine) fetched.push(engine[1]);
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(path);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  return { fetched, errors };
}

test('a visit that trains on the CPU downloads the CPU engine only', async ({ page, context }) => {
  const { fetched, errors } = await openRecording(page, context, '/');
  await fill(page, MOONS);
  await trainAndWait(page);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(fetched).toEqual(['cpu']);
  expect(errors).toEqual([]);
});

test('choosing WebGPU loads its engine; the CPU model still compresses and times', async ({ page, context }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs the SwiftShader adapter of the webgpu project');
  const { fetched, errors } = await openRecording(page, context, '/?backend=cpu');
  await fill(page, MOONS);
  await trainAndWait(page);
  await page.getByLabel('Run on').selectOption('webgpu');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  expect(fetched).toEqual(['cpu', 'webgpu']);
  // The CPU-trained model lives in the CPU engine: compressing and timing it still work there.
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await page.getByLabel(/^Bits/).fill('4');
  await expect(page.getByTestId('pipeline')).toHaveText('int4');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  await page.getByRole('button', { name: 'Latency' }).click();
  await expect(page.getByTestId('latency')).toContainText('(CPU,');
  await expect(page.getByRole('alert')).toBeHidden();
  // New work goes to the WebGPU engine.
  await page.getByLabel('Quantize weights', { exact: true }).uncheck();
  await fill(page, { Epochs: '2' });
  await trainAndWait(page);
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  expect(fetched).toEqual(['cpu', 'webgpu']);
  expect(errors).toEqual([]);
});
