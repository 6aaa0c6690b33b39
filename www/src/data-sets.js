// Which data sets are images (one channel, square): they get CNNs, shifts and rotations, pictures
// of first-layer weights, and no decision boundary.
const IMAGE_SETS = new Set(['digits', 'mnist']);

export function isImageSet(name) {
  return IMAGE_SETS.has(name);
}

// Whether a model of `data` has a decision boundary to draw: two features (the generated sets, and
// the learner's own data when it has two columns, such as drawn points).
export function hasBoundary(data) {
  return !isImageSet(data.name) && (data.table?.features ?? 2) === 2;
}
