// Browser benchmark: trains the digits MLP on each available backend and reports samples/s over
// the warm epochs, then times slider re-evaluation (a compression step applied to the trained
// model, evaluated, exported, and the point back on the page). Results also land in
// window.benchResults for scripts/bench-browser.
import '../styles.css';
import { EngineClient } from './engine-client.js';

// WebGPU steps carry a fixed dispatch cost, so it is measured with large batches as well.
// The CNN case trains the small CNN (16/32 channels) the issue tracker measured at 7.7 s per epoch.
const CNN = { kind: 'cnn', channels: [16, 32], activation: 'relu' };
const CASES = [
  { backend: 'cpu', batch_size: 32, epochs: 20 },
  { backend: 'cpu', batch_size: 64, epochs: 20 }, // the default
  { backend: 'cpu', batch_size: 256, epochs: 20 },
  { backend: 'cpu', batch_size: 64, epochs: 8, model: CNN },
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
  onCrash: (reason) => {
    $('status').textContent = `Engine crashed: ${reason}`;
  },
});

async function runCase({ backend, batch_size, epochs: caseEpochs, model }) {
  const epochs = epochsWanted ?? caseEpochs;
  await engine.useBackend(backend);
  const spec = { ...defaults, model: model ?? defaults.model, train: { ...defaults.train, batch_size, epochs } };
  const point = await engine.run(spec);
  // Warm: the second half of the epochs. The browser compiles wasm in tiers (a quick baseline
  // first, optimised code for hot functions later), so the first epochs after the first run slower.
  const warm = point.history.slice(Math.floor(point.history.length / 2));
  const warmSeconds = warm.reduce((s, m) => s + m.seconds, 0);
  const trainExamples = Math.round(1797 * (1 - spec.data.test_fraction));
  return {
    backend,
    model: model ? `CNN ${model.channels.join('/')}` : 'MLP 64',
    batch_size,
    epochs,
    first_epoch_s: point.history[0].seconds,
    warm_ms_per_epoch: (1000 * warmSeconds) / warm.length,
    samples_per_s: (trainExamples * warm.length) / warmSeconds,
    test_accuracy: point.test_accuracy,
  };
}

// Time from posting a compression setting to having its point on the page, as a slider does
// (`trained`: the spec of the model trained last).
async function sliderLatency(backend, trained) {
  const settings = [];
  for (let bits = 8; bits >= 1; bits--) settings.push([{ kind: 'quantize', bits, symmetric: true, per_channel: false }]);
  for (let s = 0.1; s < 0.96; s += 0.1) settings.push([{ kind: 'prune', sparsity: Number(s.toFixed(2)), global: true }]);
  settings.push([{ kind: 'cluster', clusters: 16, init: 'linear' }]);
  settings.push([{ kind: 'low_rank', choose: { rank: 8 }, first_layer_only: true }]);
  const times = [];
  for (const round of [0, 1, 2]) {
    for (const steps of settings) {
      const started = performance.now();
      await engine.compress({ ...trained, compress: steps });
      if (round > 0) times.push(performance.now() - started); // round 0 warms up
    }
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { backend, case: 'slider', samples: times.length, median_ms: at(0.5), p95_ms: at(0.95) };
}

// Issue #9's sweep: the page's prune sweep (9 sparsities) with 5 fine-tuning epochs a point, on the
// model trained last, timed from the first request to the last point (three rounds; the median).
async function sweepSeconds(backend, trained) {
  const sparsities = [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]; // sweep.js's prune values
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const sparsity of sparsities) {
      await engine.compress({
        ...trained,
        compress: [
          { kind: 'prune', sparsity, global: true },
          { kind: 'fine_tune', epochs: 5, learning_rate: 0.001 },
        ],
      });
    }
    rounds.push((performance.now() - started) / 1000);
  }
  rounds.sort((a, b) => a - b);
  return { backend, case: 'prune sweep, 9 points × 5 fine-tuning epochs', rounds, median_s: rounds[1] };
}

// `?only=cpu` runs the CPU cases alone (scripts/bench-peers compares them with TF.js); `?epochs=N`
// trains every case N epochs.
const query = new URLSearchParams(location.search);
const only = query.get('only');
const epochsWanted = Number(query.get('epochs')) || null;

$('start').addEventListener('click', async () => {
  $('start').disabled = true;
  const results = [];
  for (const c of CASES.filter((c) => (c.backend === 'cpu' || webgpu) && (!only || c.backend === only))) {
    $('status').textContent = `Running ${c.backend}, batch ${c.batch_size}…`;
    const r = await runCase(c);
    results.push(r);
    const row = $('results').tBodies[0].insertRow();
    for (const v of [
      r.backend,
      r.model,
      r.batch_size,
      r.epochs,
      r.first_epoch_s.toFixed(2),
      r.warm_ms_per_epoch.toFixed(1),
      Math.round(r.samples_per_s).toLocaleString('en'),
    ]) {
      row.insertCell().textContent = v;
    }
  }
  if (only) return finish(results);
  $('status').textContent = 'Timing slider re-evaluation on the CPU…';
  await engine.useBackend('cpu');
  const trained = { ...defaults, compress: [] }; // the page's default digits model
  await engine.run(trained);
  const slider = await sliderLatency('cpu', trained);
  results.push(slider);
  $('status').textContent = 'Timing a prune sweep with fine-tuning on the CPU…';
  const swept = await sweepSeconds('cpu', trained);
  results.push(swept);
  $('slider').textContent =
    `Slider re-evaluation (CPU, digits MLP, ${slider.samples} settings): median ${slider.median_ms.toFixed(1)} ms, p95 ${slider.p95_ms.toFixed(1)} ms. ` +
    `Prune sweep, 9 points × 5 fine-tuning epochs: median ${swept.median_s.toFixed(2)} s.`;
  finish(results);
});

function finish(results) {
  window.benchResults = results;
  $('status').textContent = 'Done.';
  $('start').disabled = false;
}
