// The efficient architectures and the larger image set of issue #13 from the page, on the CPU and
// on WebGPU: a depthwise-separable CNN with a global-average-pooling head and a width multiplier
// trains and compresses, and MNIST is fetched only when chosen, then trains.
import { test, expect, fill, trainAndWait, ARTIFACTS } from './fixtures.js';

test('a separable CNN with an average head and half the width trains, compresses and keeps its design in the link', async ({
  watched: { page },
}, info) => {
  await fill(page, {
    'Data set': 'digits',
    Kind: 'cnn',
    'Conv channels': '8, 16',
    'Second convolution': 'separable',
    Head: 'global_average',
    'Channel multiplier α': '0.5',
    Epochs: '8',
    'Batch size': '64',
  });
  const accuracy = await trainAndWait(page);
  expect(accuracy).toBeGreaterThan(30); // chance is 10 %; docs/SPEC.md's table has the real comparison
  const spec = JSON.parse(new URL(page.url()).searchParams.get('spec'));
  expect(spec.model).toEqual({
    kind: 'cnn',
    channels: [8, 16],
    activation: 'relu',
    block: 'separable',
    head: 'global_average',
    width: 0.5,
  });
  await expect(page.locator('#runs tbody tr').first()).toContainText('CNN 8-16 separable GAP ×0.5');
  // 4 and 8 channels: conv1 64·9·4, depthwise 16·9·4, pointwise 16·4·8, head 8·10 MACs.
  await expect(page.locator('#result')).toContainText((64 * 9 * 4 + 16 * 9 * 4 + 16 * 4 * 8 + 8 * 10).toLocaleString('en-US'));
  await page.getByLabel('Quantize weights', { exact: true }).check();
  await expect(page.getByTestId('pipeline')).toHaveText(/^int\d/, { timeout: 60_000 });
  expect(parseFloat(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(30);
  await page.locator('#inspect').screenshot({ path: `${ARTIFACTS}separable-cnn-${info.project.name}.png` });
});

test('MNIST is fetched only when chosen, then trains', async ({ watched: { page } }, info) => {
  const fetched = [];
  page.on('request', (r) => {
    if (r.url().includes('mnist')) fetched.push(r.url());
  });
  await fill(page, { 'Data set': 'digits', 'Hidden widths': '16', Epochs: '1', 'Batch size': '256' });
  await trainAndWait(page);
  expect(fetched, 'a digits visit never downloads MNIST').toEqual([]);
  await fill(page, { 'Data set': 'mnist', 'Learning rate': '0.01' });
  const accuracy = await trainAndWait(page);
  expect(fetched).toHaveLength(1);
  expect(accuracy).toBeGreaterThan(50);
  await expect(page.locator('#runs tbody tr').last()).toContainText('mnist');
  await page.screenshot({ path: `${ARTIFACTS}mnist-${info.project.name}.png`, fullPage: true });
});
