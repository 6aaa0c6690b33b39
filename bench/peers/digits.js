// The digits exactly as the engine sees them: the shipped CSV, the engine's split sizes (20 % test,
// 360 of 1,797) and its standardisation (one mean and deviation over all training pixels).
import digitsUrl from '../../data/digits.csv.gz?url';

export async function loadDigits(seed = 42) {
  const response = await fetch(digitsUrl);
  const csv = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  const rows = csv.trim().split('\n').map((line) => line.split(',').map(Number));
  const order = shuffled(rows.length, seed);
  const testCount = Math.ceil(rows.length * 0.2);
  const [test, train] = [order.slice(0, testCount), order.slice(testCount)].map((ids) => ({
    x: Float32Array.from(ids.flatMap((i) => rows[i].slice(0, 64))),
    y: Int32Array.from(ids.map((i) => rows[i][64])),
    n: ids.length,
  }));
  let sum = 0, squares = 0;
  for (const v of train.x) { sum += v; squares += v * v; }
  const mean = sum / train.x.length, std = Math.sqrt(squares / train.x.length - mean * mean);
  for (const set of [train, test]) set.x = set.x.map((v) => (v - mean) / std);
  return { train, test, features: 64, classes: 10 };
}

/** 0..n−1 in a seeded order (a small LCG: any fixed shuffle gives the same work per epoch). */
export function shuffled(n, seed) {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
