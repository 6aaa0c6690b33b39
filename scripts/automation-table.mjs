// the automation figures of docs/BENCHMARKS.md, from the page's CPU engine (pkg/engine_cpu) under Node and the
// page's own flows (www/src/strategies.js, with the engine's stages): for each seed, the default digits model with two hidden
// layers, then uniform int4 against mixed precision within the same bytes, Shrink-and-Improve to that
// budget, and Grow-Improve-and-Shrink. One JSON line per seed.
// Usage: node scripts/automation-table.mjs [seeds…]   (after the engine is built: ./scripts/serve or
// `source scripts/common.sh && build_wasm`)
import { readFile } from 'node:fs/promises';
import { shrinkAndImprove, growImproveShrink } from '../www/src/strategies.js';

const engine = await import(new URL('../pkg/engine_cpu.js', import.meta.url));
await engine.default({ module_or_path: await readFile(new URL('../pkg/engine_cpu_bg.wasm', import.meta.url)) });
await engine.useBackend('cpu');
const page = { compress: (spec) => engine.compress(spec, () => true), strategyStages: async (strategy) => engine.strategyStages(strategy) };
const seeds = process.argv.slice(2).map(Number);
const tune = { epochs: 15, learning_rate: 0.005 };
const figures = (p) => ({ bytes: p.footprint.bytes, accuracy: Number((100 * p.test_accuracy).toFixed(1)) });

for (const seed of seeds.length ? seeds : [1, 2, 3]) {
  const defaults = engine.defaultSpec();
  const trained = { ...defaults, seed, model: { ...defaults.model, hidden: [64, 32] } };
  const float = await engine.run(trained, () => true);
  const int4 = await page.compress({ ...trained, compress: [{ kind: 'quantize', bits: 4, symmetric: true, per_channel: false }] });
  const budget = int4.footprint.bytes;
  const step = await engine.mixedPrecision(trained, { budget_bytes: budget, symmetric: true, per_channel: false }, () => true);
  const mixed = await page.compress({ ...trained, compress: [step] });
  const models = { trained, float };
  const shrink = await shrinkAndImprove(
    page,
    models,
    { budget, width: 0.5, tune },
    () => {},
    async () => {},
  );
  const grow = await growImproveShrink(
    page,
    models,
    { width: 2, tune },
    () => {},
    async () => {},
  );
  console.log(
    JSON.stringify({
      seed,
      float: figures(float),
      int4: figures(int4),
      mixed: { bits: step.layers, ...figures(mixed) },
      shrink_and_improve: shrink.points.map(figures),
      grow_improve_shrink: grow.points.map(figures),
    }),
  );
}
