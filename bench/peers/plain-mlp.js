// A hand-written JavaScript training loop: what a web developer could write without a library.
// MLP with ReLU, softmax cross-entropy, Adam; Float32Arrays and plain loops, one thread.

/** An MLP of `widths` (e.g. [64, 64, 10]) with Glorot-uniform weights from a seeded generator. */
export function plainMlp(widths, seed) {
  let state = seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const layers = widths.slice(1).map((out, l) => {
    const inp = widths[l], limit = Math.sqrt(6 / (inp + out));
    const w = Float32Array.from({ length: inp * out }, () => (2 * random() - 1) * limit);
    return { inp, out, w, b: new Float32Array(out) };
  });
  for (const layer of layers) {
    layer.params = [layer.w, layer.b];
    layer.moments = layer.params.map((p) => [new Float32Array(p.length), new Float32Array(p.length)]);
    layer.grads = layer.params.map((p) => new Float32Array(p.length));
  }
  return { layers, steps: 0 };
}

/** Activations of every layer for `n` rows of `x` (the last one: logits). */
function forward(model, x, n) {
  const outputs = [x];
  model.layers.forEach((layer, l) => {
    const input = outputs[l], y = new Float32Array(n * layer.out);
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < layer.out; o++) y[r * layer.out + o] = layer.b[o];
      for (let i = 0; i < layer.inp; i++) {
        const v = input[r * layer.inp + i];
        if (v === 0) continue;
        for (let o = 0; o < layer.out; o++) y[r * layer.out + o] += v * layer.w[i * layer.out + o];
      }
      if (l < model.layers.length - 1) for (let o = 0; o < layer.out; o++) y[r * layer.out + o] = Math.max(0, y[r * layer.out + o]);
    }
    outputs.push(y);
  });
  return outputs;
}

/** Softmax probabilities of each row of logits, in place; returns the mean cross-entropy. */
function softmax(logits, labels, n, classes) {
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += (row[c] = Math.exp(row[c] - max));
    for (let c = 0; c < classes; c++) row[c] /= sum;
    loss -= Math.log(Math.max(row[labels[r]], 1e-12));
  }
  return loss / n;
}

/** One Adam step (lr, β = 0.9 / 0.999, ε = 1e-8) on the batch `x` (n rows) with `labels`. */
export function trainStep(model, x, labels, n, lr) {
  const outputs = forward(model, x, n);
  const classes = model.layers.at(-1).out;
  let delta = outputs.at(-1);
  softmax(delta, labels, n, classes);
  for (let r = 0; r < n; r++) delta[r * classes + labels[r]] -= 1;
  for (let k = 0; k < delta.length; k++) delta[k] /= n;
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l], input = outputs[l];
    const [gw, gb] = layer.grads;
    gw.fill(0); gb.fill(0);
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < layer.out; o++) gb[o] += delta[r * layer.out + o];
      for (let i = 0; i < layer.inp; i++) {
        const v = input[r * layer.inp + i];
        if (v === 0) continue;
        for (let o = 0; o < layer.out; o++) gw[i * layer.out + o] += v * delta[r * layer.out + o];
      }
    }
    if (l > 0) {
      const back = new Float32Array(n * layer.inp);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < layer.inp; i++) {
          if (input[r * layer.inp + i] <= 0) continue; // ReLU
          let s = 0;
          for (let o = 0; o < layer.out; o++) s += delta[r * layer.out + o] * layer.w[i * layer.out + o];
          back[r * layer.inp + i] = s;
        }
      }
      delta = back;
    }
  }
  model.steps += 1;
  const [c1, c2] = [1 - 0.9 ** model.steps, 1 - 0.999 ** model.steps];
  for (const layer of model.layers) {
    layer.params.forEach((p, k) => {
      const [m, v] = layer.moments[k], g = layer.grads[k];
      for (let j = 0; j < p.length; j++) {
        m[j] = 0.9 * m[j] + 0.1 * g[j];
        v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
        p[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + 1e-8);
      }
    });
  }
}

/** Accuracy and mean cross-entropy on a whole split. */
export function evaluate(model, set) {
  const logits = forward(model, set.x, set.n).at(-1);
  const classes = model.layers.at(-1).out;
  let correct = 0;
  for (let r = 0; r < set.n; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    if (row.indexOf(Math.max(...row)) === set.y[r]) correct += 1;
  }
  const loss = softmax(logits, set.y, set.n, classes);
  return { accuracy: correct / set.n, loss };
}
