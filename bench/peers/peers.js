// Trains the digits MLP with each peer and reports the engine's figures: first epoch, warm ms per
// epoch (the second half of the epochs; an epoch: shuffled batches, then both splits evaluated),
// training samples per second.
// `?threads=N` runs only TF.js wasm with N threads (the page must be cross-origin isolated);
// `?skip=webgpu` leaves TF.js's webgpu backend out; `?epochs=N` trains N epochs (default 6).
// Results land in window.peerResults for scripts/bench-peers.
import { loadDigits, shuffled } from './digits.js';
import { plainMlp, trainStep, evaluate } from './plain-mlp.js';
import { tfjsTrainer, tfVersion, useTfjsBackend } from './tfjs-mlp.js';

const WIDTHS = [64, 64, 10];
const LR = 0.001;
const SEED = 42;
const EPOCHS = Number(new URLSearchParams(location.search).get('epochs')) || 6;

async function measure(peer, batch, data, makeTrainer) {
  const trainer = makeTrainer(data);
  const seconds = [];
  let last;
  for (let e = 0; e < EPOCHS; e++) {
    const order = shuffled(data.train.n, SEED + e);
    const started = performance.now();
    last = await trainer.epoch(order, batch);
    seconds.push((performance.now() - started) / 1000);
  }
  trainer.dispose?.();
  const warm = seconds.slice(Math.floor(seconds.length / 2)); // the second half, as bench.html
  const warmSeconds = warm.reduce((a, b) => a + b, 0);
  return {
    peer, batch_size: batch, epochs: EPOCHS, first_epoch_s: seconds[0],
    warm_ms_per_epoch: (1000 * warmSeconds) / warm.length,
    samples_per_s: (data.train.n * warm.length) / warmSeconds,
    test_accuracy: last.test_accuracy,
  };
}

function plainTrainer(data) {
  const model = plainMlp(WIDTHS, SEED);
  return {
    async epoch(order, batch) {
      const { x, y } = data.train;
      for (let start = 0; start < order.length; start += batch) {
        const rows = order.slice(start, start + batch);
        const xb = new Float32Array(rows.length * 64);
        rows.forEach((r, k) => xb.set(x.subarray(r * 64, (r + 1) * 64), k * 64));
        trainStep(model, xb, Int32Array.from(rows, (r) => y[r]), rows.length, LR);
      }
      evaluate(model, data.train);
      return { test_accuracy: evaluate(model, data.test).accuracy };
    },
  };
}

async function run() {
  const status = document.getElementById('status');
  const query = new URLSearchParams(location.search);
  const threads = Number(query.get('threads') ?? 1);
  const results = [];
  const data = await loadDigits(SEED);
  const peers = threads > 1 ? [[`tfjs-wasm-${threads}-threads`, 'wasm']]
    : [['plain-js', null], ['tfjs-wasm', 'wasm'], ['tfjs-cpu', 'cpu'], ['tfjs-webgpu', 'webgpu']].filter(([, b]) => !b || b !== query.get('skip'));
  for (const [peer, backend] of peers) {
    if (backend && !(await useTfjsBackend(backend, threads).catch(() => false))) {
      results.push({ peer, skipped: `TF.js could not start its ${backend} backend here` });
      continue;
    }
    for (const batch of [32, 256]) {
      status.textContent = `Training with ${peer}, batch ${batch}…`;
      results.push(await measure(peer, batch, data, backend ? (d) => tfjsTrainer(d, WIDTHS, LR, SEED) : plainTrainer));
    }
  }
  document.getElementById('results').textContent = JSON.stringify(results, null, 1);
  status.textContent = `Done (TF.js ${tfVersion}).`;
  window.peerResults = { tfjs: tfVersion, crossOriginIsolated, results };
}

run().catch((error) => {
  document.getElementById('status').textContent = `Failed: ${error.message}`;
  window.peerResults = { error: String(error) };
});
