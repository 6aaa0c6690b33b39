// Step by step (issue #15): training one batch or one epoch at a time, to watch the decision
// boundary and the curves move. Each stop is a spec of its own — the form's, trained for `epochs`
// and stopped after `stop_after` steps (the engine's `train.stop_after`) — so a stop is reproducible
// from its link, and the engine's batch order makes step k of a stepped run the same model as step k
// of a longer one. This file counts the steps; main.js trains each stop.

/** The spec of the next stop after `steps` steps of `spec` (`perEpoch` steps an epoch), one batch
 * (`unit` 'batch') or to the end of the epoch (`unit` 'epoch'): {spec, steps}. */
export function nextStop(spec, steps, perEpoch, unit) {
  const next = unit === 'batch' ? steps + 1 : (Math.floor(steps / perEpoch) + 1) * perEpoch;
  const epochs = Math.ceil(next / perEpoch);
  const train = { ...spec.train, epochs };
  if (next % perEpoch) train.stop_after = next;
  else delete train.stop_after;
  return { spec: { ...spec, train, compress: [] }, steps: next };
}

/** What a stepped run is, whatever its length: the spec without its epochs and stop. */
export function stepKey(spec) {
  const { epochs, stop_after, ...train } = spec.train;
  return JSON.stringify({ ...spec, train, compress: [] });
}

/** "epoch 3, batch 2 of 4 (10 steps)". */
export function describeStop(steps, perEpoch) {
  const epoch = Math.ceil(steps / perEpoch);
  const batch = steps - (epoch - 1) * perEpoch;
  return `epoch ${epoch}, batch ${batch} of ${perEpoch} (${steps} step${steps === 1 ? '' : 's'})`;
}
