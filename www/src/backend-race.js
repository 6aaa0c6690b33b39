// Auto's race (issue #8): the first time a model is worth it, the page's engine trains it on the CPU
// while a second engine, in its own Web Worker, trains the same spec on WebGPU. The first to finish
// is kept and the other is stopped. Timing WebGPU before training cost a first visit the seconds
// its engine needs to load and compile the model's kernels, lost whenever the CPU then won; in a
// race they overlap the CPU's run, one core each. Both runs report their epochs, which give each
// backend's warm milliseconds per step (kept for the next runs of the model) and WebGPU's start-up.
// Runners: {cpu, webgpu}, each {run() → Promise of the point, stop()}; the host forwards each
// run's epoch progress to `epoch(name, metrics)`.

export class Race {
  constructor(runners, stepsPerEpoch, now = () => performance.now()) {
    this.runners = runners;
    this.stepsPerEpoch = stepsPerEpoch;
    this.now = now;
    this.epochs = Object.fromEntries(Object.keys(runners).map((name) => [name, []]));
    this.failures = {};
  }

  /** Records a finished epoch of `name`'s run (the engine's epoch metrics: epoch, seconds, ...). */
  epoch(name, metrics) {
    this.epochs[name]?.push({ epoch: metrics.epoch, seconds: metrics.seconds, at: this.now() - this.started });
  }

  /** Runs both; resolves to {winner, point, wall_ms, figures}, the loser stopped. If both fail
   * (or Cancel stopped both), rejects with the CPU's error: the page's own engine says why. */
  async run() {
    this.started = this.now();
    const runs = Object.entries(this.runners).map(([name, runner]) => runner.run().then(
      (point) => ({ name, point }),
      (error) => {
        this.failures[name] = error;
        throw error;
      },
    ));
    this.settled = Promise.allSettled(runs); // the loser too has stopped
    let first;
    try {
      first = await Promise.any(runs);
    } catch {
      throw this.failures.cpu ?? Object.values(this.failures)[0];
    }
    const wallMs = this.now() - this.started;
    for (const [name, runner] of Object.entries(this.runners)) if (name !== first.name) runner.stop();
    return { winner: first.name, point: first.point, wall_ms: wallMs, figures: this.figures(wallMs) };
  }

  /** Stops both runs (Cancel). */
  stop() {
    for (const runner of Object.values(this.runners)) runner.stop();
  }

  // Per backend: warm ms per step (the epochs after the first; null before one), epochs done; for
  // WebGPU also what it needed before training at speed (its first epoch's end less a warm epoch),
  // or, when it had not finished an epoch, the race's length as a lower bound. A WebGPU run that
  // failed on the model (not for want of its engine) counts as infinitely slow.
  figures(wallMs) {
    const of = (name) => {
      const epochs = this.epochs[name];
      const warm = epochs.filter((e) => e.epoch > 1).map((e) => e.seconds * 1000);
      const epochMs = warm.length ? warm.reduce((a, b) => a + b, 0) / warm.length : null;
      return { step_ms: epochMs === null ? null : epochMs / this.stepsPerEpoch, epoch_ms: epochMs, epochs: epochs.length };
    };
    const cpu = of('cpu');
    const webgpu = of('webgpu');
    const first = this.epochs.webgpu.find((e) => e.epoch === 1);
    const failure = this.failures.webgpu;
    return {
      cpu,
      webgpu: { ...webgpu, step_ms: failure && failure.kind !== 'engine_unavailable' && failure.kind !== 'cancelled' ? Infinity : webgpu.step_ms },
      webgpu_start_ms: first ? Math.max(0, first.at - (webgpu.epoch_ms ?? 0)) : wallMs,
      webgpu_started: Boolean(first),
      unavailable: failure?.kind === 'engine_unavailable' ? failure.message : null,
    };
  }
}
