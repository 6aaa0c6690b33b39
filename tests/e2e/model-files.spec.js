// Model files as a user opens them (issue #11): their own download comes back with the same figures;
// hostile files are refused with a message and the session keeps its runs and its trained model.
import { readFile } from 'node:fs/promises';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { test, expect, fill, trainAndWait } from './fixtures.js';

/** A model file (EPM2, docs/FORMAT.md: magic, u32 length, raw-DEFLATE JSON header, tensors) with its
 * header edited. */
function withHeader(file, edit) {
  const length = file.readUInt32LE(4);
  const header = JSON.parse(inflateRawSync(file.subarray(8, 8 + length)).toString());
  edit(header);
  const packed = deflateRawSync(Buffer.from(JSON.stringify(header)));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(packed.length);
  return Buffer.concat([file.subarray(0, 4), size, packed, file.subarray(8 + length)]);
}

/** The file with the first tensor's tag changed. */
function withFirstTag(file, edit) {
  const copy = Buffer.from(file);
  const at = 8 + file.readUInt32LE(4);
  copy[at] = edit(copy[at]);
  return copy;
}

test.describe('model files', { tag: '@cpu-only' }, () => {
  test('hostile files are refused with a message; the runs and the trained model stay', async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5' });
    const accuracy = await trainAndWait(page);
    await expect(page.getByTestId('payload')).toContainText(/weights, \d+ B header/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model' }).click()]);
    const file = await readFile(await download.path());
    const tag = file[8 + file.readUInt32LE(4)];
    const hostile = [
      ['not-a-model.epm', Buffer.from('hello, world'), 'not a playground model file'],
      ['truncated.epm', file.subarray(0, file.length - 3), 'file is truncated'],
      ['tag.epm', withFirstTag(file, (t) => t | 0x20), `unknown tensor tag 0x${(tag | 0x20).toString(16).padStart(2, '0')}`],
      [
        'huge.epm',
        withHeader(file, (h) => {
          h.shapes[0] = [30000, 30000];
        }),
        'is declared [30000, 30000]',
      ],
      [
        'eleven.epm',
        withHeader(file, (h) => {
          h.input.classes = 11;
        }),
        'but the data set "moons" has 2 inputs and 2 classes',
      ],
    ];
    const alert = page.getByRole('alert');
    for (const [name, buffer, message] of hostile) {
      await page.getByLabel('Open a model file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      await expect(alert).toContainText(`${name}: could not read the model file: `);
      await expect(alert).toContainText(message);
      await expect(page.locator('#runs tbody tr')).toHaveCount(1);
    }
    // The engine did not restart: the model it trained still answers a compression setting.
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await expect(page.getByTestId('pipeline')).toHaveText(/^int\d$/);
    await expect(alert).toBeHidden();
    // The untouched file opens with the accuracy it was trained to.
    await page.getByLabel('Open a model file').setInputFiles({ name: 'moons.epm', mimeType: 'application/octet-stream', buffer: file });
    await expect(page.locator('#status')).toContainText(`Opened moons.epm: float32, test accuracy ${accuracy.toFixed(1)} %`);
    await expect(page.getByRole('button', { name: 'Download model' })).toBeEnabled(); // the engine's own model again
  });

  test("a file of another session's model: its figures are shown, and nothing acts on the model before", async ({ watched: { page } }) => {
    await fill(page, { 'Data set': 'moons', 'Hidden widths': '16', Epochs: '5' });
    await trainAndWait(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model' }).click()]);
    // The same model with another seed in its spec: a model this session never trained.
    const file = withHeader(await readFile(await download.path()), (header) => {
      header.spec.seed = 7;
    });
    await page.getByLabel('Quantize weights', { exact: true }).check();
    await expect(page.getByTestId('pipeline')).toHaveText(/^int\d$/);
    await page.getByLabel('Open a model file').setInputFiles({ name: 'other.epm', mimeType: 'application/octet-stream', buffer: file });
    await expect(page.locator('#status')).toContainText('Opened other.epm: float32');
    await expect(page.locator('#inspect-empty')).toContainText('other.epm was opened from a file');
    await expect(page.getByRole('button', { name: 'Download model' })).toBeDisabled();
    await expect(page.getByLabel('Seed')).toHaveValue('7'); // the settings are the opened model's
    await expect(page.getByLabel('Quantize weights', { exact: true })).not.toBeChecked();
    // A slider no longer compresses the model trained before.
    await page.getByLabel('Prune weights', { exact: true }).check();
    await expect(page.locator('#status')).toContainText('it is applied when you train a model');
    await expect(page.getByTestId('pipeline')).toHaveText('float32');
  });
});
