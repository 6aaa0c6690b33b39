// The "Your own data" panel (issue #15): points drawn on a canvas, a class at a time (as GAN Lab
// lets learners do), or a CSV file (own-data.js reads both into a table), handed to the engine and
// kept in this browser when they fit (table-store.js), with a way to forget what is kept.

import { COLORS, LIMITS, drawnTable, parseTable, suggestEpochs } from './own-data.js';
import { forgetAll, keep, kept, usage } from './table-store.js';

const $ = (id) => document.getElementById(id);

// `page`: {engine, use(ref) → the form trains on it, spec() → the settings' spec, error(message)}.
let page;
const points = []; // the drawn points: {x, y in [−1, 1], label}
const opened = new Map(); // id → table, this visit's
let drawing = false;

export function initOwnData(parts) {
  page = parts;
  $('own-forget').addEventListener('click', forget);
  $('own-csv').addEventListener('change', openCsv);
  const canvas = $('own-canvas');
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    add(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (drawing) add(event);
  });
  canvas.addEventListener('pointerup', () => {
    drawing = false;
  });
  $('own-clear').addEventListener('click', () => {
    points.length = 0;
    draw();
  });
  $('own-use').addEventListener('click', () => use(drawnTable(points)).catch((error) => page.error(error.message)));
  showKept();
  draw();
  return { table, restore };
}

async function use(table) {
  const ref = await page.engine.provideTable(table);
  opened.set(ref.id, table);
  const stored = keep(ref.id, table);
  page.use(ref);
  const gaveUp = stored.evicted.length ? `; to make room, this browser forgot ${stored.evicted.join(', ')}` : '';
  const lasts = stored.kept ? '' : '; too large to keep in this browser, so it lasts for this visit';
  $('own-status').textContent =
    `Using ${ref.name}: ${ref.rows.toLocaleString('en')} rows, ${ref.features} feature${ref.features === 1 ? '' : 's'}, ${ref.classes} classes (${table.classNames.join(', ')})` +
    `${lasts}${gaveUp}.${await epochsHint()}`;
  showKept();
}

// A table this small learns little in the recipe's steps: say how many epochs would do.
async function epochsHint() {
  const spec = page.spec();
  const cost = await page.engine.runCost({ ...spec, compress: [] }).catch(() => null);
  const epochs = cost && suggestEpochs(cost.steps_per_epoch, spec.train.epochs);
  return epochs
    ? ` With ${cost.train_examples} training rows, ${spec.train.epochs} epochs are only ${cost.steps_per_epoch * spec.train.epochs} training steps: set Epochs to ${epochs} (${cost.steps_per_epoch * epochs} steps) for a model that has learnt the data.`
    : '';
}

async function openCsv(event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  try {
    if (file.size > LIMITS.fileBytes)
      throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; at most ${LIMITS.fileBytes / 1e6} MB are read`);
    await use(parseTable(file.name, await file.text()));
  } catch (error) {
    page.error(`Not opened: ${error.message}. The data and points you had are unchanged.`);
  }
}

// What this browser keeps of the learner's tables, and a way to forget them.
function showKept() {
  const { names, chars } = usage();
  $('own-kept').textContent = names.length
    ? `Kept in this browser: ${names.length} table${names.length === 1 ? '' : 's'} (${Math.ceil(chars / 1024).toLocaleString('en')} kB of storage).`
    : 'No table of yours is kept in this browser.';
  $('own-forget').disabled = !names.length;
}

function forget() {
  const { names } = usage();
  if (!forgetAll()) return page.error('This browser refused to change its storage.');
  showKept();
  $('own-status').textContent =
    `Forgot ${names.join(', ')}: links and points that name ${names.length === 1 ? 'it' : 'them'} will ask for the file again.`;
}

function draw() {
  const canvas = $('own-canvas');
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.strokeStyle = '#e2e8f0';
  context.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
  for (const p of points) {
    context.fillStyle = COLORS[p.label];
    context.beginPath();
    context.arc(((p.x + 1) / 2) * canvas.width, ((1 - p.y) / 2) * canvas.height, 4, 0, 2 * Math.PI);
    context.fill();
  }
  $('own-count').textContent = `${points.length} point${points.length === 1 ? '' : 's'}`;
}

function add(event) {
  const box = $('own-canvas').getBoundingClientRect();
  const x = (2 * (event.clientX - box.left)) / box.width - 1;
  const y = 1 - (2 * (event.clientY - box.top)) / box.height;
  const last = points.at(-1);
  if (last && Math.hypot(last.x - x, last.y - y) < 0.04) return; // a drag adds a trail, not a pile
  if (points.length < LIMITS.rows) points.push({ x, y, label: Number($('own-class').value) });
  draw();
}

/** The values of table `ref`, opened in this visit or kept by an earlier one; or null. */
function table(ref) {
  return opened.get(ref.id) ?? kept(ref.id);
}

/** Hands a kept table to the engine again (a link or a point naming it); false when this browser
 * does not have it. */
async function restore(ref) {
  const found = kept(ref.id);
  if (!found) return false;
  await page.engine.provideTable(found);
  $('own-status').textContent =
    `Using ${ref.name}: ${ref.rows.toLocaleString('en')} rows, ${ref.features} features, ${ref.classes} classes (kept in this browser).`;
  return true;
}
