// Race: trains a spec on the CPU in the page's engine and on WebGPU in a second engine at once
// (backend-race.js decides); the first to finish is kept. A WebGPU winner's model is handed to the
// page's engine, which switches to WebGPU.

import { Race } from './backend-race.js';
import { describeRace } from './backend-choice.js';
import { EnginePool } from './engine-pool.js';
import { fake } from './test-fakes.js';

const $ = (id) => document.getElementById(id);

// The epochs a run trains: all of them, or up to the step it stops after.
export function plannedEpochs({ epochs, stop_after: stopAfter }, stepsPerEpoch) {
  return stopAfter ? Math.min(epochs, Math.ceil(stopAfter / stepsPerEpoch)) : epochs;
}

let page; // the page's parts (main.js), set by initRaceRunner

export function initRaceRunner(parts) {
  page = parts;
  return { run };
}

// The race's own line: how far WebGPU, in the second engine, has got. Once it has taken the CPU's
// run over, its progress is the run's (not what its own run, being stopped, still reports); once
// it has stopped, behind for good, the line says so (backend-race.js).
function progress(race, p) {
  if (race.gaveUpAfter === null && p.kind === 'epoch') race.epoch('webgpu', p.metrics);
  if (race.gaveUpAfter !== null) return; // stopped, behind for good (now or before): its line says so
  const after = race.handover?.after_epoch;
  if (after !== undefined) {
    page.activity.raceStatus = `WebGPU took the run over from the CPU after epoch ${after}`;
    if ((p.kind === 'epoch' ? p.metrics.epoch : p.epoch) > after) page.training.showTraining(p);
    return;
  }
  const where =
    p.kind === 'epoch'
      ? `epoch ${p.metrics.epoch}/${p.epochs} done`
      : p.kind === 'batch'
        ? `epoch ${p.epoch}/${p.epochs}${p.epoch === 1 ? ', compiling its kernels' : ''}`
        : 'loading the data';
  page.activity.raceStatus = `Racing WebGPU in a second worker (${where})`;
}

// The two runners: the page's engine on the CPU, a second engine on WebGPU.
function runners(spec, helper, race) {
  const table = spec.data.table && page.ownData.table(spec.data.table);
  const onHelper = async (work) => (await helper.each(work))[0];
  let ownRun; // WebGPU's run from scratch, stopped when it takes the CPU's run over instead
  return {
    cpu: {
      run: () => page.engine.run(spec),
      stop: () => page.engine.cancel(),
      handOver: () => page.engine.handOver(),
      resume: (runState) => page.engine.resume(spec, runState),
    },
    webgpu: {
      run: () => {
        ownRun = onHelper(async (other) => {
          if (table) await other.provideTable(table);
          await other.useBackend('webgpu');
          return other.run(spec);
        });
        return ownRun;
      },
      resume: async (runState) => {
        await onHelper((other) => other.cancel());
        await ownRun.catch(() => {});
        return onHelper((other) => other.resume(spec, runState));
      },
      stop: () => {
        if (race().gaveUpAfter !== null)
          page.activity.raceStatus = `WebGPU stopped after its epoch ${race().gaveUpAfter}: it could not catch up`;
        helper.close('WebGPU lost the race');
        page.backend.show();
      },
    },
  };
}

// Races `spec` (`cost`: its run's cost; `cpuMs`: the CPU's step as Auto timed it, null for Race).
// Resolves to the winner's point.
async function run(spec, { steps_per_epoch: stepsPerEpoch }, cpuMs) {
  await page.backend.useEngineBackend('cpu');
  let race = null;
  const helper = new EnginePool(1, { onProgress: (p) => progress(race, p) });
  race = new Race(
    runners(spec, helper, () => race),
    {
      stepsPerEpoch,
      epochs: plannedEpochs(spec.train, stepsPerEpoch),
      decide: fake('raceDecision'),
    },
  );
  page.activity.race = race;
  page.activity.raceStatus = 'Racing WebGPU in a second worker (starting its engine)';
  page.backend.show();
  try {
    const outcome = await race.run();
    if (outcome.winner === 'webgpu') {
      const bytes = await helper.each((other) => other.exportModel(spec));
      page.backend.adopted(await page.engine.useBackend('webgpu').catch(() => page.backend.engineBackend()));
      await page.engine.adoptModel(bytes[0], outcome.point);
      page.charts.clear();
      for (const m of outcome.point.history) page.charts.add(m);
    }
    page.backend.record(spec, outcome.figures);
    const who = page.store.state.backend === 'race' ? 'Race' : 'Auto';
    $('backend-hint').textContent = describeRace(outcome, spec.train.batch_size, spec.train.epochs, cpuMs, who);
    return outcome.point;
  } finally {
    page.activity.race = null;
    page.activity.raceStatus = null;
    helper.close('the race is over');
    page.backend.show();
  }
}
