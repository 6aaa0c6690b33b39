// Your own data (issue #15): points drawn on a canvas, a class at a time (as GAN Lab lets learners
// do), or a CSV file of numeric feature columns and a label column. The table is checked here
// (shape, numbers, limits, each error naming the row and column), handed to the engine, which
// checks it again and returns a reference `{id, name, rows, features, classes}` (the id comes from
// the contents) that specs, points, links and model files carry; the values themselves stay in
// this browser (table-store.js, when they fit), so a link says which data its points came from and
// works where that data has been opened.
import Papa from 'papaparse';

export const LIMITS = { rows: 5000, minRows: 10, features: 64, classes: 20, fileBytes: 2_000_000 };
const LABEL_COLUMNS = ['label', 'class', 'target', 'y'];
export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706'];

/** A table from CSV text: the label column is named label, class, target or y (else the last
 * column); every other column is a numeric feature. Labels may be numbers or words: classes are
 * their distinct values in sorted order. Throws a message naming the file, row and column. */
export function parseTable(name, text) {
  const { data: rows, errors } = Papa.parse(text.trim(), { skipEmptyLines: true });
  if (errors.length) throw new Error(`${name}: row ${errors[0].row + 1}: ${errors[0].message}`);
  if (rows.length < 2) throw new Error(`${name} has no rows of data`);
  const numeric = (cell) => cell.trim() !== '' && Number.isFinite(Number(cell));
  const header = rows[0].some((cell) => !numeric(cell)) && !numeric(rows[0][0]) ? rows[0].map((c) => c.trim()) : null;
  const body = header ? rows.slice(1) : rows;
  const width = rows[0].length;
  if (width < 2) throw new Error(`${name} needs at least one feature column and a label column`);
  if (width - 1 > LIMITS.features) throw new Error(`${name} has ${width - 1} feature columns; at most ${LIMITS.features} are allowed`);
  if (body.length > LIMITS.rows)
    throw new Error(`${name} has ${body.length.toLocaleString('en')} rows; at most ${LIMITS.rows.toLocaleString('en')} are allowed`);
  if (body.length < LIMITS.minRows)
    throw new Error(`${name} has ${body.length} rows; at least ${LIMITS.minRows} are needed to train and test`);
  const columns = header ?? Array.from({ length: width }, (_, i) => (i === width - 1 ? 'label' : `x${i + 1}`));
  const named = header ? header.findIndex((c) => LABEL_COLUMNS.includes(c.toLowerCase())) : -1;
  const label = named >= 0 ? named : width - 1;
  const features = new Float32Array(body.length * (width - 1));
  const raw = [];
  body.forEach((row, r) => {
    const line = r + (header ? 2 : 1);
    if (row.length !== width) throw new Error(`${name}: row ${line} has ${row.length} cells, the others ${width}`);
    let j = 0;
    row.forEach((cell, c) => {
      if (c === label) {
        if (cell.trim() === '') throw new Error(`${name}: row ${line} has no label (column "${columns[c]}")`);
        raw.push(cell.trim());
        return;
      }
      if (!numeric(cell)) throw new Error(`${name}: row ${line}, column "${columns[c]}": "${cell}" is not a number`);
      features[r * (width - 1) + j++] = Number(cell);
    });
  });
  const classNames = [...new Set(raw)].sort((a, b) => (numeric(a) && numeric(b) ? Number(a) - Number(b) : a.localeCompare(b)));
  if (classNames.length < 2) throw new Error(`${name} has one class ("${classNames[0]}"); a classifier needs two or more`);
  if (classNames.length > LIMITS.classes)
    throw new Error(`${name} has ${classNames.length} classes in column "${columns[label]}"; at most ${LIMITS.classes} are allowed`);
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { name, features, labels: Uint32Array.from(raw, (c) => index.get(c)), nFeatures: width - 1, classNames };
}

/** The drawn points as a table (two features, x and y in [−1, 1]). */
export function drawnTable(points) {
  const used = [...new Set(points.map((p) => p.label))].sort((a, b) => a - b);
  if (used.length < 2) throw new Error('Draw points of at least two classes (choose another class to draw with)');
  if (points.length < LIMITS.minRows) throw new Error(`Draw at least ${LIMITS.minRows} points; there are ${points.length}`);
  const index = new Map(used.map((c, i) => [c, i]));
  return {
    name: `drawn (${points.length} points)`,
    features: Float32Array.from(points.flatMap((p) => [p.x, p.y])),
    labels: Uint32Array.from(points, (p) => index.get(p.label)),
    nFeatures: 2,
    classNames: used.map((c) => `class ${c + 1}`),
  };
}

/** Training steps below which a small table is undertrained with the recipe set (49 drawn points
 * at 30 epochs of batch 64 were 30 steps: 80 % test accuracy, one class never predicted). */
export const MIN_STEPS = 300;

/** The epochs to suggest for a table whose run is `stepsPerEpoch` × `epochs` steps, when that is
 * too few to learn from (at most MIN_STEPS, within the engine's limit); null when the recipe is
 * enough. */
export function suggestEpochs(stepsPerEpoch, epochs) {
  return stepsPerEpoch * epochs >= MIN_STEPS ? null : Math.ceil(MIN_STEPS / stepsPerEpoch);
}
