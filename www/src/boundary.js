// Paints a 2D model's decision boundary (from the engine's grid of predictions) on a canvas,
// with the training points filled and the test points hollow.

const PALETTE = [
  [37, 99, 235],
  [225, 29, 72],
  [22, 163, 74],
  [217, 119, 6],
];

export function drawBoundary(canvas, boundary) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const n = boundary.resolution;
  const image = ctx.createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const [r, g, b] = PALETTE[boundary.predicted[k] % PALETTE.length];
    // Grid rows go from y_min up; image rows go from the top down.
    const row = n - 1 - Math.floor(k / n);
    const offset = 4 * (row * n + (k % n));
    const strength = 0.15 + (0.45 * (boundary.confidence[k] - 1 / boundary.classes)) / (1 - 1 / boundary.classes);
    image.data.set([255 - strength * (255 - r), 255 - strength * (255 - g), 255 - strength * (255 - b), 255], offset);
  }
  const cells = new OffscreenCanvas(n, n);
  cells.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, width, height);

  const [x0, x1] = boundary.x_range;
  const [y0, y1] = boundary.y_range;
  for (const [x, y, label, isTest] of boundary.points) {
    const [r, g, b] = PALETTE[label % PALETTE.length];
    ctx.beginPath();
    ctx.arc(((x - x0) / (x1 - x0)) * width, (1 - (y - y0) / (y1 - y0)) * height, 3, 0, 2 * Math.PI);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = `rgb(${r},${g},${b})`;
    ctx.fillStyle = isTest ? 'white' : `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.stroke();
  }
}
