// Which data sets are images (one channel, square): they get CNNs, shifts and rotations, pictures
// of first-layer weights, and no decision boundary.
const IMAGE_SETS = new Set(['digits', 'mnist']);

export function isImageSet(name) {
  return IMAGE_SETS.has(name);
}
