// The learning techniques of issue #13 from the page, on the CPU and on WebGPU: label smoothing
// and data augmentation train, and the point and the link keep them.
import { test, expect, fill, trainAndWait } from './fixtures.js';

test('label smoothing and augmentation train from the page and are kept in the point and the link', async ({ watched: { page } }) => {
  await fill(page, {
    'Data set': 'digits',
    'Hidden widths': '32',
    Epochs: '10',
    'Batch size': '256',
    'Learning rate': '0.02',
    'Label smoothing ε': '0.1',
    'Augment: shift (px)': '1',
    'Augment: rotate (°)': '10',
    'Augment: input noise': '0.1',
  });
  const accuracy = await trainAndWait(page);
  expect(accuracy).toBeGreaterThan(50); // chance is 10 %; docs/SPEC.md's table has the real comparison
  const spec = JSON.parse(new URL(page.url()).searchParams.get('spec'));
  expect(spec.train.label_smoothing).toBe(0.1);
  expect(spec.train.augment).toEqual({ shift: 1, rotate: 10, noise: 0.1 });
  // Only images can be shifted or rotated: the controls go with the data set.
  await fill(page, { 'Data set': 'moons' });
  await expect(page.getByLabel('Augment: shift (px)')).toBeHidden();
  await expect(page.getByLabel('Augment: input noise')).toBeVisible();
  await fill(page, { 'Hidden widths': '8', Epochs: '3' });
  await trainAndWait(page);
  const moons = JSON.parse(new URL(page.url()).searchParams.get('spec'));
  expect(moons.train.augment).toEqual({ shift: 0, rotate: 0, noise: 0.1 });
});
