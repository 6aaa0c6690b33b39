// Layers named as a learner reads them — "layer 3 (64→10)", a kernel "layer 1 (conv 1→8, 3×3)" —
// in place of the engine's parameter paths (`layers.2.weight`), which stay in tooltips. Shapes are
// burn's: `[inputs, outputs]` for a dense layer, `[out, in, kh, kw]` for a convolution's kernel.
export function layerName(index, shape) {
  const name = `layer ${index + 1}`;
  if (shape?.length === 2) return `${name} (${shape[0]}→${shape[1]})`;
  if (shape?.length === 4) return `${name} (conv ${shape[1]}→${shape[0]}, ${shape[2]}×${shape[3]})`;
  return name;
}
