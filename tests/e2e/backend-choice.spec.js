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
    new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
}

// No verdict below depends on how fast this machine, SwiftShader or the browser is. The race's
// decisions (hand over, give up) are a pure function of measured times, tested with given figures in
// tests/js/backend-race.test.mjs; here the page's wiring is driven by a scripted decision
// (www/src/test-fakes.js) and by the page's engine — the race's CPU run — held back until WebGPU
// has reported what the script waits for. Only what holds whatever the speeds is asserted of a real race.

// Before the page loads: the race decides by `decision` (a function of the epochs each run has
// reported, run in the page), and the page's first worker (its engine) can be told to let a held run
// go (`release`) from the page itself, with no round trip to the test.
async function scriptRace(page, decision) {
  const install = (decide) => {
    const workers = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        workers.push(this);
      }
    };
    window.releaseCpuRun = () => workers[0].postMessage({ type: 'release-held-run' });
    window.raceSeen = { cpu: 0, webgpu: 0 };
    window.playgroundFakes = {
      raceDecision: (epochs) => {
        window.raceSeen = { cpu: epochs.cpu.length, webgpu: epochs.webgpu.length };
        return decide(epochs, window.releaseCpuRun);
      },
    };
  };
  // As script text (not a function argument, which would need eval under the page's CSP).
  await page.addInitScript({ content: `(${install})(${decision});` });
}

// The page's engine holds the race's CPU run back (its 'run' request) until released, by the page
// (releaseCpuRun) or the test (`release` below); Cancel while held fails it as cancelled. With `slowMs`,
// it stays busy that long after each epoch's report, so that a run of many epochs is still going
// when the page asks for a hand-over (which only decides when, not what).
async function holdCpuRun(page, { slowMs = 0 } = {}) {
  await page.workers()[0].evaluate((busyMs) => {
    const post = self.postMessage.bind(self);
    self.postMessage = (message, transfer) => {
      post(message, transfer);
      if (busyMs && message.type === 'progress' && message.progress.kind === 'epoch') {
        const until = performance.now() + busyMs;
        while (performance.now() < until); // busy
      }
    };
    const handle = self.onmessage;
    let held; // the race's CPU run, once it has arrived, until released
    self.releaseHeldRun = () => {
      const run = held;
      held = null;
      if (run) handle({ data: run });
    };
    self.onmessage = (event) => {
      const { data } = event;
      if (data.type === 'run' && held === undefined) held = data;
      else if (data.type === 'release-held-run') self.releaseHeldRun();
      else if (data.type === 'cancel' && held) {
        post({ id: held.id, type: 'error', message: `cancelled after 0 of ${held.spec.train.epochs} epochs`, kind: 'cancelled' });
        held = null;
      } else handle(event);
    };
  }, slowMs);
}

test('Auto on a software adapter trains on the CPU without a race and says why', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'auto');
  await expect(page.getByLabel('Run on')).toHaveValue('auto');
  await expect(page.getByTestId('backend')).toContainText('Auto');
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', Epochs: '2' });
  const webgpuEngine = [];
  page.on('request', (request) => {
    if (/engine_webgpu/.test(request.url())) webgpuEngine.push(request.url());
  });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Auto: [\d.]+ ms per training step on the CPU \(this model, batch 64\); this WebGPU adapter is a software one, emulated on the same cores: it cannot beat the CPU, so the CPU trains without a race \(choose \*Race\* to see one\)\.$/,
  );
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  expect(webgpuEngine).toEqual([]);
  expect(new URL(page.url()).searchParams.get('backend')).toBe('auto');
});

// The one real race (SwiftShader against the CPU, at whatever speeds this machine has): what must
// hold whoever wins — one backend finishes, its point is kept and said to be its, the second worker
// closes, and the figures the race measured are kept for Auto.
test('Race trains on both, keeps the first to finish and closes the second worker', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await expect(page.getByLabel('Run on')).toHaveValue('race');
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '64', Epochs: '2' });
  await trainAndWait(page);
  const hint = page.locator('#backend-hint');
  await expect(hint).toHaveText(
    /^Race: raced the CPU against WebGPU \(in a second worker\) on this model: (the CPU|WebGPU) finished first, in [\d.]+ s, when (WebGPU|the CPU) had (done \d|stopped after \d+) of 2 epochs.* Per training step \(batch 64\): .*\.$/,
  );
  const winner = /^Race: [^:]*: the CPU finished first/.test(await hint.textContent()) ? 'CPU (wasm)' : 'WebGPU';
  await expect(page.getByTestId('point-backend')).toHaveText(winner);
  await expect(page.getByTestId('backend')).toHaveText(`backend: Race → ${winner}`);
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByRole('alert')).toBeHidden();
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
  expect(Object.keys(Object.values(saved)[0].choices)).toHaveLength(1);
});

// Auto goes by the figures it has for a model (a race's, or its own timing), here given: whichever is
// the faster per step trains, and nothing is timed again.
test('Auto goes by the figures it has: the faster backend trains, nothing is timed again', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'auto');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '2' });
  await trainAndWait(page); // times the CPU's step once, and keeps it
  const setWebGpuStep = (factor) =>
    page.evaluate(
      ([key, f]) => {
        const saved = JSON.parse(localStorage.getItem(key));
        for (const adapter of Object.values(saved)) for (const choice of Object.values(adapter.choices)) choice.webgpu = choice.cpu * f;
        localStorage.setItem(key, JSON.stringify(saved));
      },
      [KEY, factor],
    );
  for (const [factor, winner, said] of [
    [0.5, 'WebGPU', 'WebGPU trains'],
    [4, 'CPU (wasm)', 'the CPU trains'],
  ]) {
    await setWebGpuStep(factor);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '2' });
    await recordStatus(page);
    await trainAndWait(page);
    await expect(page.locator('#backend-hint')).toHaveText(
      new RegExp(`^Auto: [\\d.]+ ms per training step on the CPU, [\\d.]+ ms on WebGPU \\(this model, batch \\d+\\): ${said}\\.$`),
    );
    await expect(page.getByTestId('point-backend')).toHaveText(winner);
    expect(await page.evaluate(() => window.statusLog.filter((text) => text.startsWith('Auto: timing')))).toEqual([]);
  }
});

// The page's engine stands for a far slower CPU: its run is held back until Cancel, so WebGPU wins
// whatever the speeds. Everything else is the page's own path: WebGPU trains in the second worker,
// wins, and the page's engine loads its WebGPU build and adopts the model, which the sliders then
// compress.
test("when WebGPU wins the race the page's engine takes its model over and compresses it on WebGPU", async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' });
  await holdCpuRun(page);
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Race: raced the CPU against WebGPU \(in a second worker\) on this model: WebGPU finished first, in [\d.]+ s, when the CPU had done 0 of 3 epochs, so its model is kept; this page's engine took its model over, so compressing it runs on WebGPU too\. Per training step \(batch \d+\): not measured on the CPU \(no epoch after its first\), [\d.]+ ms on WebGPU\.$/,
  );
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
});

// The race decides to hand over (scripted: once each run has an epoch): the CPU's run stops after its
// next epoch, its model and optimizer state go to the second worker, WebGPU finishes the run, and the
// page's engine adopts the model. The CPU's run is held until WebGPU's first epoch, so that both are
// under way when the hand-over is asked for.
test("when the race hands over, WebGPU takes the CPU's run over mid-run and the page goes on with its model", async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await scriptRace(page, ({ cpu, webgpu }, release) => {
    if (webgpu.length === 1 && cpu.length === 0) release();
    return cpu.length >= 1 && webgpu.length >= 1 ? 'handover' : null;
  });
  await open(page, 'race');
  await recordStatus(page);
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '100' });
  await holdCpuRun(page, { slowMs: 50 });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Race: raced the CPU against WebGPU \(in a second worker\) on this model: once started, WebGPU trained faster, so it took the CPU's run over after epoch \d+ of 100 \(its model and optimizer state\) and finished it, in [\d.]+ s in all; this page's engine took its model over, so compressing it runs on WebGPU too\. Per training step \(batch \d+\): ([\d.]+ ms|not measured) on the CPU( \(no epoch after its first\))?, [\d.]+ ms on WebGPU\.$/,
  );
  const hint = await page.locator('#backend-hint').textContent();
  const after = Number(hint.match(/after epoch (\d+)/)[1]);
  // The status line followed WebGPU's epochs after the hand-over, to the run's last.
  const log = await page.evaluate(() => window.statusLog);
  expect(
    log.some((text) => text.startsWith(`WebGPU took the run over from the CPU after epoch ${after} · Epoch 100/100: test accuracy`)),
  ).toBe(true);
  await expect(page.getByTestId('point-backend')).toHaveText('WebGPU');
  await expect(page.locator('#inspect-empty')).toBeHidden();
  await expect(page.getByRole('alert')).toBeHidden();
  await expect.poll(() => page.workers().length).toBe(1);
  await page.screenshot({ path: `${ARTIFACTS}race-handed-over.png` });
});

// The race decides WebGPU cannot catch up (scripted: at its first epoch, when the held CPU run is let
// go): the second worker closes and the CPU's run goes on alone and is kept.
test("once the race gives WebGPU up it stops, and the CPU's run goes on alone", async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await scriptRace(page, ({ cpu, webgpu }, release) => {
    if (webgpu.length === 1 && cpu.length === 0) {
      release();
      return 'give_up';
    }
    return null;
  });
  await open(page, 'race');
  await recordStatus(page);
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '100' });
  await holdCpuRun(page, { slowMs: 20 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → racing CPU and WebGPU');
  await expect.poll(() => page.evaluate(() => window.raceSeen.webgpu), { timeout: 120_000 }).toBe(1);
  // WebGPU stops: the second worker closes while the CPU trains on.
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText('backend: Race → CPU (wasm)');
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Race: raced the CPU against WebGPU \(in a second worker\) on this model: the CPU finished first, in [\d.]+ s, when WebGPU had stopped after 1 of 100 epochs, as it could no longer catch up, so its model is kept\. Per training step \(batch \d+\): [\d.]+ ms on the CPU, not measured on WebGPU \(no epoch after its first\)\.$/,
  );
  const log = await page.evaluate(() => window.statusLog);
  expect(log.some((text) => /^WebGPU stopped after its epoch 1: it could not catch up · Epoch \d+\/100/.test(text))).toBe(true);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  await expect(page.getByRole('alert')).toBeHidden();
  await page.screenshot({ path: `${ARTIFACTS}race-webgpu-stopped.png` });
});

// The CPU's run is held, so neither run can end or be decided on before Cancel, whatever the speeds.
test('Cancel during a race stops both runs and closes the second worker', async ({ page }, info) => {
  test.skip(info.project.name !== 'webgpu', 'needs a WebGPU adapter');
  await open(page, 'race');
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '500' });
  await holdCpuRun(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
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
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '20' });
  await trainAndWait(page);
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');

  // The race's CPU run waits until the second worker's engine request has failed, whatever the speeds.
  await page.getByLabel('Run on').selectOption('race');
  await holdCpuRun(page);
  await page.unroute(/engine_webgpu/);
  await page.route(/engine_webgpu/, async (route) => {
    await route.abort();
    await page.workers()[0].evaluate(() => self.releaseHeldRun());
  });
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Race: WebGPU could not race \(the WebGPU engine did not load: .*\), so the CPU trained, and WebGPU races next time\.$/,
  );
  await expect(page.getByTestId('point-backend')).toHaveText('CPU (wasm)');
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), KEY);
  expect(
    Object.values(saved)
      .flatMap((adapter) => Object.values(adapter.choices))
      .filter((c) => typeof c.webgpu === 'number'),
  ).toEqual([]);

  // The engine loads again: the next race has WebGPU in it.
  await page.unroute(/engine_webgpu/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByLabel('Run on')).toHaveValue('race');
  await trainAndWait(page);
  await expect(page.locator('#backend-hint')).toHaveText(
    /^Race: raced the CPU against WebGPU \(in a second worker\) on this model: (the CPU|WebGPU) finished first/,
  );
});
