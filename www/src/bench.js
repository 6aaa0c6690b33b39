// Browser benchmark: trains the digits MLP on each available backend and reports samples/s over
// the warm epochs. Results also land in window.benchResults for scripts/bench-browser.
import '../styles.css';
import { EngineClient } from './engine-client.js';

// WebGPU steps carry a fixed dispatch cost, so it is measured with large batches as well.
const CASES = [
  { backend: 'cpu', batch_size: 32, epochs: 6 },
  { backend: 'cpu', batch_size: 256, epochs: 6 },
  { backend: 'webgpu', batch_size: 32, epochs: 3 },
  { backend: 'webgpu', batch_size: 256, epochs: 4 },
];

const $ = (id) => document.getElementById(id);
let defaults;
let webgpu = false;
const engine = new EngineClient({
  onReady: (message) => {
    defaults = message.defaults;
    webgpu = message.webgpu;
    $('start').disabled = false;
    $('status').textContent = webgpu ? 'Ready (CPU and WebGPU).' : 'Ready (CPU only: no WebGPU adapter).';
  },
  onProgress: () => {},
  onCrash: (reason) => { $('status').textContent = `Engine crashed: ${reason}`; },
});

async function runCase({ backend, batch_size, epochs }) {
  await engine.useBackend(backend);
  const spec = { ...defaults, train: { ...defaults.train, batch_size, epochs } };
  const point = await engine.run(spec);
  const warm = point.history.slice(1);
  const warmSeconds = warm.reduce((s, m) => s + m.seconds, 0);
  const trainExamples = Math.round(1797 * (1 - spec.data.test_fraction));
  return {
    backend, batch_size, epochs,
    first_epoch_s: point.history[0].seconds,
    warm_ms_per_epoch: (1000 * warmSeconds) / warm.length,
    samples_per_s: (trainExamples * warm.length) / warmSeconds,
  };
}

$('start').addEventListener('click', async () => {
  $('start').disabled = true;
  const results = [];
  for (const c of CASES.filter((c) => c.backend === 'cpu' || webgpu)) {
    $('status').textContent = `Running ${c.backend}, batch ${c.batch_size}…`;
    const r = await runCase(c);
    results.push(r);
    const row = $('results').tBodies[0].insertRow();
    for (const v of [r.backend, r.batch_size, r.epochs, r.first_epoch_s.toFixed(2), r.warm_ms_per_epoch.toFixed(1), Math.round(r.samples_per_s).toLocaleString('en')]) {
      row.insertCell().textContent = v;
    }
  }
  window.benchResults = results;
  $('status').textContent = 'Done.';
  $('start').disabled = false;
});
