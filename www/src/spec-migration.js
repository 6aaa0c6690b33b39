// Specs written by earlier versions, read as they meant: distillation moved from `train.distill`
// to the top-level `distill` (the engine migrates model files and JSON the same way, in
// src/spec.rs). Applied to stored points and to links before anything reads them.
export function migrateSpec(spec) {
  if (typeof spec !== 'object' || spec === null || typeof spec.train !== 'object' || spec.train === null) return spec;
  if (!('distill' in spec.train)) return spec;
  const { distill, ...train } = spec.train;
  const moved = spec.distill ?? (distill && { ...distill, teacher: migrateSpec(distill.teacher) });
  const { data, model, train: _old, seed, compress, ...rest } = spec;
  return { data, model, train, ...rest, distill: moved ?? null, seed, compress };
}
