// Pareto frontier of quality versus footprint (Menghani 2021, §1: the goal is a model on the
// frontier — no other model is both smaller and better). Footprint is minimised, quality maximised.

// Indexes of the points on the frontier of `points` ([{x, y}]): those that no other point
// dominates (x ≤, y ≥, one of them strictly). Sorted by x.
export function frontier(points) {
  const order = points.map((_, i) => i).sort((a, b) => points[a].x - points[b].x || points[b].y - points[a].y);
  const kept = [];
  let best = -Infinity;
  for (const i of order) {
    if (points[i].y > best) {
      kept.push(i);
      best = points[i].y;
    }
  }
  return kept;
}
