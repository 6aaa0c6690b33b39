// The backend choice. Auto times the CPU on the model and, when the run is long enough for WebGPU to
// catch up on a hardware adapter, races the two: the CPU in the page's engine, WebGPU in a second
// worker, the first to finish kept. The headless browser here has a software adapter (SwiftShader),
// on which Auto never races; the user's *Race* backend races anywhere, and is how the race is tested.
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

const KEY = 'efficiency-playground.auto-backend.v1';

async function open(page, backend) {
  await page.goto(`/?backend=${backend}`);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
}

// Records every text the status line shows, in window.statusLog.
async function recordStatus(page) {
  await page.evaluate(() => {
    window.statusLog = [];
    const status = document.getElementById('status');
    new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, { childList: true, subtree: true, characterData: true });
  });
}

// Makes the page's worker (the CPU's run in a race) busy for `ms` after each epoch's report, as a
// slower CPU would be.
async function holdCpuEpochs(page, ms) {
  await page.workers()[0].evaluate((busyMs) => {
    const post = self.postMessage.bind(self);
    self.postMessage = (message, transfer) => {
      post(message, transfer);
      if (message.type !== 'progress' || message.progress.kind !== 'epoch') return;
      const until = performance.now() + busyMs;
      while (performance.now() < until); // busy
    };
  }, ms);
}

test('Auto on a software adapter trains on the CPU without a race and says why', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'auto');
  await expect(page.getByLabel('Run on')).toHaveValue('auto');
  await expect(page.getByTestId('backend')).toContainText('Auto');
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', 'Epochs': '2' });
  const webgpuEngine = [];
  page.on('request', (request) => { if (/engine_webgpu/.test(request.url())) webgpuEngine.push(request.url()); });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU \(this model, batch 64\); this WebGPU adapter is a software one, emulated on the same cores: it cannot beat the CPU, so the CPU trains without a race \(choose \*Race\* to see one\)\.$/);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(webgpuEngine).toEqual([]);
  expect(new URL(page.url()).searchParams.get('backend')).toBe('auto');
});

test('Race trains on both, keeps the first to finish and says why; Auto then goes by its figures', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await expect(page.getByLabel('Run on')).toHaveValue('race');
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', 'Epochs': '2' });
  await recordStatus(page);
  await trainAndWait(page);
  // On SwiftShader the CPU finishes long before WebGPU has compiled its kernels.
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first, in [\d.]+ s, when WebGPU had done 0 of 2 epochs, so its model is kept\. Per training step \(batch 64\): [\d.]+ ms on the CPU, not measured on WebGPU \(no epoch after its first\)\.$/);
  expect(await page.evaluate(() => window.statusLog.some((text) => text.startsWith('Racing WebGPU in a second worker (')))).toBe(true);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → CPU (wasm)');
  // The race measured the CPU's steps: Auto uses that figure, times nothing, and keeps to the CPU.
  await page.getByLabel('Run on').selectOption('auto');
  await recordStatus(page);
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/software one/);
  expect(await page.evaluate(() => window.statusLog.filter((text) => text.startsWith('Auto: timing')))).toEqual([]);
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
  expect(Object.values(Object.values(saved)[0].choices).map((c) => typeof c.cpu)).toEqual(['number']);
});

// On a real GPU WebGPU wins the race for larger models; SwiftShader never beats the CPU, so here the
// page's engine is made to stand for a far slower CPU: its worker holds the run request back (until
// Cancel). Everything else is the page's own path: WebGPU trains in the second worker, wins, and the
// page's engine loads its WebGPU build and adopts the model, which the sliders then compress.
test('when WebGPU wins the race the page\'s engine takes its model over and compresses it on WebGPU', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '3' });
  await page.workers()[0].evaluate(() => {
    const handle = self.onmessage;
    let held; // the race's CPU run: held back once, then work goes on as usual
    self.onmessage = (event) => {
      if (event.data.type === 'run' && held === undefined) held = event.data;
      else if (event.data.type === 'cancel' && held) {
        self.postMessage({ id: held.id, type: 'error', message: 'cancelled after 0 of 3 epochs', kind: 'cancelled' });
        held = null;
      } else handle(event);
    };
  });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: raced the CPU against WebGPU \(in a second worker\) on this model: WebGPU finished first, in [\d.]+ s, when the CPU had done 0 of 3 epochs, so its model is kept; this page's engine took its model over, so compressing it runs on WebGPU too\. Per training step \(batch \d+\): not measured on the CPU \(no epoch after its first\), [\d.]+ ms on WebGPU\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.locator('#inspect-empty')).toBeHidden(); // the page's engine holds the model: it can be looked inside
  await page.screenshot({ path: `${ARTIFACTS}race-webgpu-won.png` });
  // The adopted model compresses here: a 4-bit point of the same model, on WebGPU.
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await page.getByLabel(/^Bits/).fill('4');
  await expect(page.getByTestId('pipeline')).toHaveText(/int4/, { timeout: 120_000 });
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.getByRole('alert')).toBeHidden();
  // Auto goes by the figures: WebGPU's step from the race, the CPU's timed now; the CPU's steps are
  // the faster (it lost only by being held back), so the CPU trains.
  await page.getByLabel('Quantize weights', { exact: true }).uncheck();
  await page.getByLabel('Run on').selectOption('auto');
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Auto: [\d.]+ ms per training step on the CPU, [\d.]+ ms on WebGPU \(this model, batch \d+\): the CPU trains\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
});

// A CPU slower per epoch than WebGPU, made so here: the page's worker stays busy for 0.4 s after each
// epoch's report, as a slow CPU would be. WebGPU on SwiftShader, once its kernels are compiled, then
// trains faster and takes the CPU's run over mid-run (the model and the optimizer's state, handed from
// the page's engine to the second worker), and the page's engine adopts the finished model. (A hand-over
// pays when the CPU is ahead by more than its epoch over WebGPU's: 0.4 s rather than a second, so that
// a machine that compiles WebGPU's kernels in a few seconds still sees one.)
test('once WebGPU trains faster it takes the CPU\'s run over mid-run, and the page goes on with its model', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await recordStatus(page);
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '60' });
  await holdCpuEpochs(page, 400);
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: raced the CPU against WebGPU \(in a second worker\) on this model: once started, WebGPU trained faster, so it took the CPU's run over after epoch \d+ of 60 \(its model and optimizer state\) and finished it, in [\d.]+ s in all; this page's engine took its model over, so compressing it runs on WebGPU too\. Per training step \(batch \d+\): [\d.]+ ms on the CPU, [\d.]+ ms on WebGPU\.$/);
  const hint = await page.locator('#backend-hint').textContent();
  console.log(hint);
  const after = Number(hint.match(/after epoch (\d+)/)[1]);
  // The status line followed WebGPU's epochs after the hand-over, to the run's last.
  const log = await page.evaluate(() => window.statusLog);
  expect(log.some((text) => text.startsWith(`WebGPU took the run over from the CPU after epoch ${after} · Epoch 60/60: test accuracy`))).toBe(true);
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.locator('#inspect-empty')).toBeHidden();
  await expect(page.getByRole('alert')).toBeHidden();
  await page.screenshot({ path: `${ARTIFACTS}race-handed-over.png` });
});

// A CPU faster per epoch than WebGPU on SwiftShader, but slow enough (busy 50 ms after each epoch's
// report: 500 epochs take ~27 s here, WebGPU's first two ~12 s) to be still training when WebGPU has
// two epochs: WebGPU then stops, as it could no longer catch up, and the CPU's run goes on alone and is
// kept.
test('once WebGPU could no longer catch up it stops, and the CPU\'s run goes on alone', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '500' });
  await holdCpuEpochs(page, 50);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → racing CPU and WebGPU');
  // WebGPU stops: the second worker closes while the CPU trains on.
  await expect(page.locator('#status')).toContainText(/^WebGPU stopped after its epoch \d+: it could not catch up · Epoch \d+\/500/, { timeout: 60_000 });
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → CPU (wasm)');
  await page.screenshot({ path: `${ARTIFACTS}race-webgpu-stopped.png` });
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first, in [\d.]+ s, when WebGPU had stopped after \d+ of 500 epochs, as it could no longer catch up, so its model is kept\. Per training step \(batch \d+\): [\d.]+ ms on the CPU, [\d.]+ ms on WebGPU\.$/);
  console.log(await page.locator('#backend-hint').textContent());
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  await expect(page.getByRole('alert')).toBeHidden();
});

test('Cancel during a race stops both runs and closes the second worker', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '500' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('#status')).toContainText('Racing WebGPU in a second worker', { timeout: 30_000 });
  await expect.poll(() => page.workers().length).toBe(2);
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → racing CPU and WebGPU');
  await page.screenshot({ path: `${ARTIFACTS}race-running.png` });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Training cancelled after \d+ of 500 epochs\.$/);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByRole('alert')).toBeHidden();
});

test('without a WebGPU adapter Auto, WebGPU and Race are not offered', async ({ watched: { page } }, info) => {
  test.skip(info.project.name !== 'cpu', 'the cpu project has no adapter');
  for (const name of ['auto', 'webgpu', 'race']) await expect(page.locator(`#backend-select option[value="${name}"]`)).toBeDisabled();
  await expect(page.getByLabel('Run on')).toHaveValue('cpu');
});

// What a visitor who went offline meets, and what ./scripts/serve serves while it builds the WebGPU
// engine: its download fails. Choosing WebGPU says so and trains on the CPU; a race says WebGPU could
// not race, keeps no verdict on it, and races it once the engine loads.
test('a WebGPU engine that does not load: the CPU trains, the page says why, and WebGPU races later', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.route(/engine_webgpu/, (route) => route.abort());
  await open(page, 'auto');
  await page.getByLabel('Run on').selectOption('webgpu');
  await expect(page.getByRole('alert')).toContainText('the WebGPU engine did not load');
  await expect(page.getByLabel('Run on')).toHaveValue('cpu');
  // Long enough that the second worker finds its engine missing before the CPU is done.
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', 'Epochs': '150' });
  await trainAndWait(page);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');

  await page.getByLabel('Run on').selectOption('race');
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: WebGPU could not race \(the WebGPU engine did not load: .*\), so the CPU trained, and WebGPU races next time\.$/);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), KEY);
  expect(Object.values(saved).flatMap((adapter) => Object.values(adapter.choices)).filter((c) => typeof c.webgpu === 'number')).toEqual([]);

  // The engine loads again: the next race has WebGPU in it.
  await page.unroute(/engine_webgpu/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Run on')).toHaveValue('race');
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(/^Race: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first/);
});
