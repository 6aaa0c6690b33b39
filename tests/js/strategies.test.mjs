// Unit tests of the survey's two strategies (www/src/strategies.js), run by `node --test`: each stage
// makes the point of the pipeline the engine gives, sizes are respected, and the sentence reports the measured figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shrinkAndImprove, growImproveShrink } from '../../www/src/strategies.js';

const TUNE = { epochs: 5, learning_rate: 0.005 };
// A fake engine: a file of 1000 bytes per unit of width per bit (float: 32 bits); fine-tuning adds
// 5 points of accuracy, quantizing costs (8 − bits) points. It records every pipeline asked for.
const resize = (width) => ({ kind: 'resize', width, hidden_layers: null });
const quantize = (bits) => ({ kind: 'quantize', bits, symmetric: true, per_channel: true });
const fineTune = (tune) => ({ kind: 'fine_tune', ...tune });
function engine() {
  return {
    asked: [],
    // The engine's stages (src/strategy.rs, whose native tests pin them).
    async strategyStages({ kind, width, bits, tune }) {
      if (kind === 'shrink_and_improve') {
        return [
          { name: 'shrunk', steps: [resize(width), quantize(bits)] },
          { name: 'improved', steps: [resize(width), fineTune(tune), quantize(bits)] },
        ];
      }
      return [
        { name: 'grown', steps: [resize(width)] },
        { name: 'improved', steps: [resize(width), fineTune(tune)] },
        { name: 'shrunk back', steps: [resize(width), fineTune(tune), quantize(bits)] },
      ];
    },
    async compress(spec) {
      this.asked.push(spec.compress);
      const width = spec.compress.find((s) => s.kind === 'resize')?.width ?? 1;
      const bits = spec.compress.find((s) => s.kind === 'quantize')?.bits ?? 32;
      const tuned = spec.compress.some((s) => s.kind === 'fine_tune');
      return {
        spec,
        footprint: { bytes: Math.round(1000 * width * bits) },
        test_accuracy: (80 + (tuned ? 5 : 0) - Math.max(0, 8 - bits)) / 100,
      };
    },
  };
}
const trained = { data: { name: 'digits' }, compress: [] };
const float = { footprint: { bytes: 32_000 }, test_accuracy: 0.9 };

test('Shrink-and-Improve: the widest quantization within the budget, then the same with fine-tuning', async () => {
  const e = engine();
  const kept = [];
  const said = [];
  const { points, sentence } = await shrinkAndImprove(
    e,
    { trained, float },
    { budget: 2_600, width: 0.5, tune: TUNE },
    (t) => said.push(t),
    async (p) => {
      kept.push(p);
    },
  );
  // 8, 7, 6 bits at width 0.5 are 4000, 3500, 3000 bytes; 5 bits is 2500: the widest that fits.
  assert.deepEqual(
    points.map((p) => p.spec.compress),
    (await e.strategyStages({ kind: 'shrink_and_improve', width: 0.5, bits: 5, tune: TUNE })).map((s) => s.steps),
  );
  assert.deepEqual(
    points.map((p) => p.footprint.bytes),
    [2500, 2500],
  );
  assert.deepEqual(kept, points);
  assert.deepEqual(e.asked.at(-1), [
    { kind: 'resize', width: 0.5, hidden_layers: null },
    { kind: 'fine_tune', epochs: 5, learning_rate: 0.005 },
    { kind: 'quantize', bits: 5, symmetric: true, per_channel: true },
  ]);
  assert.equal(
    sentence,
    'Shrink-and-Improve: at 2.5 kB (width ×0.5, int5) test accuracy went from 77.0 % (shrunk) to 82.0 % (improved); the float model is 32.0 kB at 90.0 %.',
  );
  assert.equal(said.length, 2);
  await assert.rejects(
    shrinkAndImprove(
      engine(),
      { trained, float },
      { budget: 100, width: 0.5, tune: TUNE },
      () => {},
      async () => {},
    ),
    /even 1-bit weights at width ×0.5 make a file over 0.1 kB/,
  );
});

test("Grow-Improve-and-Shrink: grown, fine-tuned, then quantized back within the float model's bytes", async () => {
  const e = engine();
  const { points, sentence } = await growImproveShrink(
    e,
    { trained, float },
    { width: 2, tune: TUNE },
    () => {},
    async () => {},
  );
  const stages = await e.strategyStages({ kind: 'grow_improve_shrink', width: 2, bits: 8, tune: TUNE });
  assert.deepEqual(points[0].spec.compress, stages[0].steps);
  assert.deepEqual(points[1].spec.compress, stages[1].steps);
  // Width 2 at 8 bits: 16,000 bytes ≤ 32,000, so 8 bits fit at once.
  assert.deepEqual(points[2].spec.compress, stages[2].steps);
  assert.ok(points[2].footprint.bytes <= float.footprint.bytes);
  assert.equal(
    sentence,
    "Grow-Improve-and-Shrink: grown ×2 (80.0 %), improved (85.0 %), shrunk back to int8 at 16.0 kB ≤ the original's 32.0 kB: 85.0 % against 90.0 %, 5.0 points worse in no more bytes.",
  );
});
