// The automatic backend choice: before training, a few timed training steps of the model about to
// be trained, on the CPU and on WebGPU (engine `measureStep`: warm-up steps, then timed ones ended
// by a read-back); the faster one trains. Which wins depends on the model, the batch and the
// adapter, so the figures are kept per data, model, batch size and optimizer, and shown.

const NAMES = { cpu: 'the CPU', webgpu: 'WebGPU' };

export class BackendChoice {
  constructor(engine) {
    this.engine = engine;
    this.measured = new Map();
  }

  // {cpu, webgpu: ms per step, chosen} for `spec`, measuring the first time; `say(text)` narrates.
  async choose(spec, say) {
    const key = JSON.stringify([spec.data, spec.model, spec.train.batch_size, spec.train.optimizer]);
    if (!this.measured.has(key)) {
      const ms = {};
      for (const name of ['cpu', 'webgpu']) {
        say(`Auto: timing a training step of this model on ${NAMES[name]}…`);
        try {
          await this.engine.useBackend(name);
          ms[name] = await this.engine.measureStep({ ...spec, compress: [] });
        } catch (error) {
          if (name === 'cpu') throw error; // a bad spec: training would fail the same way
          ms[name] = Infinity; // WebGPU failed (lost device, out of memory): the CPU trains
        }
      }
      this.measured.set(key, { ...ms, chosen: ms.webgpu < ms.cpu ? 'webgpu' : 'cpu' });
    }
    return this.measured.get(key);
  }
}

// "Auto: 2.10 ms per training step on the CPU, 21.4 ms on WebGPU (this model, batch 32): the CPU trains."
export function describeChoice({ cpu, webgpu, chosen }, batch) {
  const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'failed');
  return `Auto: ${ms(cpu)} per training step on the CPU, ${ms(webgpu)} on WebGPU (this model, batch ${batch}): ${NAMES[chosen]} trains.`;
}
