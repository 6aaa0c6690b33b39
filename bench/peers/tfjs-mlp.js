// The same MLP in TF.js, trained the way its guides do without the Layers API: variables, a
// functional forward pass and `optimizer.minimize`, with the training set on the backend and each
// batch gathered there.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreads from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const tfVersion = tf.version.tfjs;

/** Switches TF.js to `name` ('wasm', 'cpu', 'webgpu'); `threads` applies to wasm (needs a
 * cross-origin isolated page for more than 1). Returns false when the backend cannot start. */
export async function useTfjsBackend(name, threads = 1) {
  if (name === 'wasm') {
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasm, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreads });
    setThreadsCount(threads);
  }
  return (await tf.setBackend(name)) && tf.getBackend() === name;
}

/** A trainer with `epoch(order, batch)` (shuffled batches, then both splits evaluated and read). */
export function tfjsTrainer(data, widths, lr, seed) {
  const xs = tf.tensor2d(data.train.x, [data.train.n, data.features]);
  const ys = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), data.classes).toFloat();
  const sets = [data.train, data.test].map((s) => ({
    x: tf.tensor2d(s.x, [s.n, data.features]),
    y: tf.oneHot(tf.tensor1d(s.y, 'int32'), data.classes).toFloat(),
    labels: tf.tensor1d(s.y, 'int32'),
  }));
  const params = widths.slice(1).flatMap((out, l) => {
    const limit = Math.sqrt(6 / (widths[l] + out));
    return [tf.variable(tf.randomUniform([widths[l], out], -limit, limit, 'float32', seed + l)), tf.variable(tf.zeros([out]))];
  });
  const forward = (x) => params.reduce((h, p, k) => {
    if (k % 2 === 1) return h;
    const y = h.matMul(p).add(params[k + 1]);
    return k + 2 < params.length ? y.relu() : y;
  }, x);
  const optimizer = tf.train.adam(lr);
  return {
    async epoch(order, batch) {
      for (let start = 0; start < order.length; start += batch) {
        tf.tidy(() => {
          const idx = tf.tensor1d(order.slice(start, start + batch), 'int32');
          const [xb, yb] = [tf.gather(xs, idx), tf.gather(ys, idx)];
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)), false, params);
        });
      }
      const read = sets.map((s) => tf.tidy(() => {
        const logits = forward(s.x);
        return tf.stack([tf.losses.softmaxCrossEntropy(s.y, logits), logits.argMax(1).equal(s.labels).toFloat().mean()]);
      }));
      const [train, test] = await Promise.all(read.map((t) => t.data()));
      read.forEach((t) => t.dispose());
      return { train_accuracy: train[1], test_accuracy: test[1] };
    },
    dispose() {
      tf.dispose([xs, ys, ...params, ...sets.flatMap((s) => [s.x, s.y, s.labels])]);
      optimizer.dispose();
    },
  };
}
