// One crash, one restart (issue #29, item 2). A panic in the wasm engine reaches the page twice —
// the engine's panic hook posts a 'panic' message, then the trap is the worker's uncaught error —
// and the page must restart the engine once, stay usable and keep its points. The crash is injected
// into the page's engine worker exactly as a panic arrives: both reports, one after the other.
import { test, expect, fill, trainAndWait } from './fixtures.js';

const rows = (page) => page.locator('#runs tbody tr');

// The page's engine panics: on the first epoch report of a run (`on: 'epoch'`), or when a request
// of `on`'s type arrives (e.g. 'compress').
async function injectPanic(page, on) {
  await page.workers()[0].evaluate((when) => {
    const post = self.postMessage.bind(self);
    const panic = () => {
      post({ type: 'panic', message: 'panicked at src/injected.rs: injected by the test' });
      setTimeout(() => {
        throw new WebAssembly.RuntimeError('unreachable');
      });
    };
    if (when === 'epoch') {
      self.postMessage = (message, transfer) => {
        if (message.type === 'progress' && message.progress.kind === 'epoch') panic();
        else post(message, transfer);
      };
    } else {
      const handle = self.onmessage;
      self.onmessage = (event) => (event.data.type === when ? panic() : handle(event));
    }
  }, on);
}

// `added`: the points a new run adds (two when a compression is set: the float model and its own).
async function expectRecovered(page, problems, points, added = 1) {
  await expect(page.getByRole('alert')).toContainText('The engine crashed and was restarted');
  await expect(page.getByRole('alert')).not.toContainText('could not start');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(rows(page)).toHaveCount(points);
  await expect.poll(() => page.workers().length).toBe(1); // the old worker is gone, one new one runs
  // The new engine answers: a run trains and adds its point.
  await trainAndWait(page);
  await expect(rows(page)).toHaveCount(points + added);
  await expect(page.getByRole('alert')).toBeHidden();
  problems.consoleErrors.length = 0; // the injected panic is reported on the console by design
}

test('a panic during training restarts the engine once; the page trains again and keeps its points', async ({
  watched: { page, problems },
}) => {
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' });
  await trainAndWait(page);
  await injectPanic(page, 'epoch');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expectRecovered(page, problems, 1);
});

test('a panic during compression restarts the engine once; the page trains again and keeps its points', async ({
  watched: { page, problems },
}) => {
  await fill(page, { 'Data set': 'moons', 'Hidden widths': '8', Epochs: '3' });
  await trainAndWait(page);
  await injectPanic(page, 'compress');
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await expectRecovered(page, problems, 1, 2);
});
