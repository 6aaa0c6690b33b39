// Auto's race (issue #8): the first time a model is worth it, the page's engine trains it on the CPU
// while a second engine, in its own Web Worker, trains the same spec on WebGPU. The first to finish
// is kept and the other is stopped. Timing WebGPU before training cost a first visit the seconds
// its engine needs to load and compile the model's kernels, lost whenever the CPU then won; in a
// race they overlap the CPU's run, one core each. Both runs report their epochs, which give each
// backend's warm milliseconds per step (kept for the next runs of the model) and WebGPU's start-up.
//
// Once WebGPU has trained two epochs it is known to be faster per epoch or not. If it is, and the
// CPU is ahead, WebGPU takes the CPU's run over after the CPU's next epoch (the model, the
// optimizer's state and the epochs done, handed between the engines) instead of finishing its own
// from behind: the run then costs WebGPU's start-up overlapped with the CPU's first epochs, not
// added to a whole run on WebGPU. If instead WebGPU would end after the CPU at both's pace, it
// stops: its run could no longer win, and it would only slow the CPU's down (cores, memory).
//
// The decisions are a pure function of the epochs' times, `raceDecision` (tested with given figures
// in tests/js/backend-race.test.mjs); the Race only carries them out.
//
// Runners: {cpu, webgpu}, each {run() → Promise of the point, stop()}; with hand-over, also
// cpu.handOver() → Promise of the run's state (the CPU's run then fails with kind 'handed_over'),
// webgpu.resume(state) → Promise of the point (it stops WebGPU's own run first), and optionally
// cpu.resume(state), should WebGPU fail after taking the run over. The host
// forwards each run's epoch progress to `epoch(name, metrics)`.

export class Race {
  // `decide`: the race's policy (raceDecision below; a test may pass a scripted one).
  constructor(runners, { stepsPerEpoch, epochs, decide = raceDecision }, now = () => performance.now()) {
    this.runners = runners;
    this.decide = decide;
    this.stepsPerEpoch = stepsPerEpoch;
    this.totalEpochs = epochs;
    this.now = now;
    this.epochs = Object.fromEntries(Object.keys(runners).map((name) => [name, []]));
    this.failures = {};
    this.handover = null; // {asked_ms, then state and after_epoch} once WebGPU is to take the CPU's run over
    this.gaveUpAfter = null; // WebGPU's epochs when it stopped, behind for good
    this.pending = 0;
    this.settled = new Promise((resolve) => {
      this.allSettled = resolve;
    }); // every run has ended
  }

  /** Records a finished epoch of `name`'s run (the engine's epoch metrics: epoch, seconds, ...). */
  epoch(name, metrics) {
    this.epochs[name]?.push({ epoch: metrics.epoch, seconds: metrics.seconds, at: this.now() - this.started });
    const decision = this.decision();
    if (decision === 'handover') this.handOver();
    else if (decision === 'give_up') this.giveUp();
  }

  /** Runs both; resolves to {winner, point, wall_ms, figures}, the loser stopped. If both fail
   * (or Cancel stopped both), rejects with the CPU's error: the page's own engine says why. */
  run() {
    this.started = this.now();
    return new Promise((resolve, reject) => {
      this.outcome = { resolve, reject };
      for (const [name, runner] of Object.entries(this.runners))
        this.track(
          name,
          runner.run().then((point) => ({ name, point })),
        );
    });
  }

  /** Stops both runs (Cancel). */
  stop() {
    for (const runner of Object.values(this.runners)) runner.stop();
  }

  // Follows one run (each backend's own, or the one WebGPU resumed: `name`), which resolves to the
  // winner's {name, point}; when every run has failed, the race fails. The CPU's run that handed
  // over and WebGPU's own run that the resumed one replaced are not failures.
  track(name, run) {
    this.pending += 1;
    run
      .then(
        ({ name: winner, point }) => this.win(winner, point),
        (error) => {
          const replaced = name === 'webgpu' && this.handover?.state;
          if (error?.kind !== 'handed_over' && !replaced) this.failures[name] = error;
        },
      )
      .finally(() => this.ended());
  }

  ended() {
    this.pending -= 1;
    if (this.pending > 0) return;
    this.allSettled();
    if (!this.done) this.outcome.reject(this.failures.cpu ?? Object.values(this.failures)[0]);
  }

  win(name, point) {
    if (this.done) return;
    this.done = true;
    const wallMs = this.now() - this.started;
    for (const [other, runner] of Object.entries(this.runners)) if (other !== name) runner.stop();
    this.outcome.resolve({ winner: name, point, wall_ms: wallMs, figures: this.figures(wallMs) });
  }

  // Hand-over or give-up, as `decide` says of the epochs so far (at most one of each per race).
  decision() {
    if (this.done || this.handover || this.gaveUpAfter !== null) return null;
    const canHandOver = Boolean(this.runners.cpu.handOver && this.runners.webgpu.resume);
    return this.decide(this.epochs, { totalEpochs: this.totalEpochs, canHandOver });
  }

  giveUp() {
    this.gaveUpAfter = this.epochs.webgpu.length;
    this.runners.webgpu.stop();
  }

  async handOver() {
    this.handover = { asked_ms: this.now() - this.started };
    this.pending += 1; // the resumed run, from now: the race is not over when the CPU's run ends
    try {
      this.handover.state = await this.runners.cpu.handOver();
      this.handover.after_epoch = this.epochs.cpu.length;
      this.track('resumed', this.resume(this.handover.state));
    } catch {
      // The CPU's run ended first (or was cancelled): the race goes on without a hand-over.
    } finally {
      this.ended();
    }
  }

  // WebGPU goes on with the CPU's run; should it fail on the way, the page's engine goes on with it
  // on the CPU instead, so the epochs done are not lost.
  async resume(state) {
    try {
      return { name: 'webgpu', point: await this.runners.webgpu.resume(state) };
    } catch (error) {
      if (this.done || error?.kind === 'cancelled' || !this.runners.cpu.resume) throw error;
      this.failures.webgpu = error;
      return { name: 'cpu', point: await this.runners.cpu.resume(state) };
    }
  }

  // Per backend: warm ms per step (the epochs after the first; null before one), epochs done; for
  // WebGPU also what it needed before training at speed (its first epoch's end less a warm epoch),
  // or, when it had not finished an epoch, the race's length as a lower bound. A WebGPU run that
  // failed on the model (not for want of its engine) counts as infinitely slow. With a hand-over:
  // after which of the CPU's epochs; if WebGPU gave up: after how many of its own.
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
      webgpu: {
        ...webgpu,
        step_ms: failure && failure.kind !== 'engine_unavailable' && failure.kind !== 'cancelled' ? Infinity : webgpu.step_ms,
      },
      webgpu_start_ms: first ? Math.max(0, first.at - (webgpu.epoch_ms ?? 0)) : wallMs,
      webgpu_started: Boolean(first),
      unavailable: failure?.kind === 'engine_unavailable' ? failure.message : null,
      handed_over_after: this.handover?.state ? this.handover.after_epoch : null,
      webgpu_gave_up_after: this.gaveUpAfter,
    };
  }
}

// What the race does after an epoch, from each run's epochs so far ({cpu, webgpu}: [{epoch, at}],
// `at` in ms into the race): 'handover' when, both timed, WebGPU's epochs are the shorter, the CPU
// is ahead, and going on from the CPU's next epoch ends sooner than either run would by itself
// (`canHandOver`: both runners support it); 'give_up' when WebGPU would end after the CPU; else
// null. An epoch counts with its evaluation (wall time between reports); WebGPU's first one, which
// compiles its kernels, is left out.
export function raceDecision(epochs, { totalEpochs, canHandOver }) {
  const p = pace(epochs, totalEpochs);
  if (!p) return null;
  if (canHandOver && p.cpuLeft < p.gpuLeft && p.gpuMs < p.cpuMs && p.cpuLeft >= 2) {
    // The CPU ends its next epoch, WebGPU trains the rest; one more of its epochs for the hand-over.
    const handedOver = epochs.cpu.at(-1).at + p.cpuMs + p.cpuLeft * p.gpuMs;
    if (handedOver < Math.min(p.cpuEnd, p.gpuEnd)) return 'handover';
  }
  return p.gpuEnd > p.cpuEnd ? 'give_up' : null;
}

// Each run's ms per epoch so far, epochs left and when it would end at that pace (ms into the race),
// once the CPU has one epoch and WebGPU two (its first, which compiles its kernels, left out); null
// before.
function pace({ cpu, webgpu: gpu }, totalEpochs) {
  if (!cpu.length || gpu.length < 2) return null;
  const cpuMs = cpu.at(-1).at / cpu.length;
  const gpuMs = (gpu.at(-1).at - gpu[0].at) / (gpu.length - 1);
  const cpuLeft = totalEpochs - cpu.length;
  const gpuLeft = totalEpochs - gpu.length;
  return {
    cpuMs,
    gpuMs,
    cpuLeft,
    gpuLeft,
    cpuEnd: cpu.at(-1).at + cpuLeft * cpuMs,
    gpuEnd: gpu.at(-1).at + gpuLeft * gpuMs,
  };
}
