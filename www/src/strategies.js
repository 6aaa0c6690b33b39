// The survey's two strategies for reaching the Pareto frontier (Menghani 2021, §2), one click each:
// the engine gives each strategy's stages as ordinary pipelines on the trained model (src/strategy.rs,
// pinned by native tests), and this file runs them — choosing the widest quantization that fits the
// budget, narrating, keeping each point as it is made — so every point is reproducible from its link:
// - Shrink-and-Improve: shrink (a width multiplier, then the widest quantization that fits the
//   learner's byte budget), then improve (fine-tune the shrunk model before quantizing it).
// - Grow-Improve-and-Shrink: grow (Net2Net: wider with the same function), improve (fine-tune),
//   then shrink back (the widest quantization whose file is no larger than the original float model).
// `engine.strategyStages(strategy)` gives the stages, `engine.compress(spec)` makes each point;
// `say(text)` narrates the stages.
import { pct } from './result-view.js';

const kept = (keep) => async (point) => {
  await keep(point);
  return point;
};
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The widest bits (8 → 1) for which the pipeline `stepsFor(bits)` (or a Promise of it) on the model trained from
 * `trained` makes a file within `budget`: {bits, point}, or null. */
export async function widest(engine, trained, stepsFor, budget) {
  for (let bits = 8; bits >= 1; bits--) {
    const point = await engine.compress({ ...trained, compress: await stepsFor(bits) });
    if (point.footprint.bytes <= budget) return { bits, point };
  }
  return null;
}

/**
 * Shrink-and-Improve the model trained from `trained` (its float point: `float`) to `budget` bytes
 * with width multiplier `width` and fine-tuning `tune` ({epochs, learning_rate}). Resolves to
 * {points, sentence}; `keep(point)` is called for each point as it is made.
 */
export async function shrinkAndImprove(engine, { trained, float }, { budget, width, tune }, say, keep) {
  const made = kept(keep);
  const stages = (bits) => engine.strategyStages({ kind: 'shrink_and_improve', width, bits, tune });
  say(`Shrink-and-Improve 1/2: shrinking to width ×${width} and the widest quantization within ${kB(budget)}…`);
  const fit = await widest(engine, trained, async (bits) => (await stages(bits))[0].steps, budget);
  if (!fit)
    throw new Error(
      `Shrink-and-Improve: even 1-bit weights at width ×${width} make a file over ${kB(budget)}; raise the budget or shrink further`,
    );
  const { bits } = fit;
  const shrunk = await made(fit.point);
  const improve = (await stages(bits))[1];
  say(`Shrink-and-Improve 2/2: improving (fine-tuning ${tune.epochs} epochs before quantizing)…`);
  const improved = await made(await engine.compress({ ...trained, compress: improve.steps }));
  return {
    points: [shrunk, improved],
    sentence:
      `Shrink-and-Improve: at ${kB(improved.footprint.bytes)} (width ×${width}, int${bits}) test accuracy went from ` +
      `${pct(shrunk.test_accuracy)} (shrunk) to ${pct(improved.test_accuracy)} (improved); ` +
      `the float model is ${kB(float.footprint.bytes)} at ${pct(float.test_accuracy)}.`,
  };
}

/** Grow-Improve-and-Shrink the model trained from `trained` (float point `float`) by `width`,
 * back to the float model's bytes. As `shrinkAndImprove`. */
export async function growImproveShrink(engine, { trained, float }, { width, tune }, say, keep) {
  const made = kept(keep);
  const budget = float.footprint.bytes;
  const stages = (bits) => engine.strategyStages({ kind: 'grow_improve_shrink', width, bits, tune });
  say(`Grow-Improve-and-Shrink 1/3: growing to width ×${width} (Net2Net keeps the function)…`);
  const [grow, improve] = await stages(8);
  const grown = await made(await engine.compress({ ...trained, compress: grow.steps }));
  say(`Grow-Improve-and-Shrink 2/3: improving (fine-tuning ${tune.epochs} epochs)…`);
  const improved = await made(await engine.compress({ ...trained, compress: improve.steps }));
  say(`Grow-Improve-and-Shrink 3/3: shrinking back to the original ${kB(budget)}…`);
  const back = await widest(engine, trained, async (bits) => (await stages(bits))[2].steps, budget);
  if (!back) throw new Error(`Grow-Improve-and-Shrink: the grown model does not fit the original ${kB(budget)} even at 1 bit`);
  await keep(back.point);
  const gap = 100 * (back.point.test_accuracy - float.test_accuracy);
  return {
    points: [grown, improved, back.point],
    sentence:
      `Grow-Improve-and-Shrink: grown ×${width} (${pct(grown.test_accuracy)}), improved (${pct(improved.test_accuracy)}), ` +
      `shrunk back to int${back.bits} at ${kB(back.point.footprint.bytes)} ≤ the original's ${kB(budget)}: ` +
      `${pct(back.point.test_accuracy)} against ${pct(float.test_accuracy)}, ${Math.abs(gap).toFixed(1)} points ${gap >= 0 ? 'better' : 'worse'} in no more bytes.`,
  };
}
