// A class on one chart (issue #15): several participants' exports — the JSON or CSV that the
// Points panel saves — opened at once and drawn on one test-accuracy-versus-bytes chart, each
// participant with a name (editable) and a mark shape, and a table ranking everyone's best entry for
// a lesson's challenge. No server: the files are read in the browser and go nowhere. The chart is a
// small SVG drawn here, because uPlot (the page's other charts) has no per-series mark shapes and an
// SVG mark can carry its own accessible title.
import Papa from 'papaparse';
import { LESSONS, judge } from './lessons.js';
import { participantOf } from './participant.js';

/** The largest export read, the most participants on one chart, and the most points kept of one
 * participant (a class needs each one's frontier and best entries, not every point of a sweep). */
export const MAX_FILE_BYTES = 5_000_000;
export const MAX_PARTICIPANTS = 40;
export const MAX_POINTS = 400;
/** The largest file size a point may claim: 1 TiB (the chart's axis spans powers of two up to it). */
const MAX_BYTES = 2 ** 40;
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus', 'star', 'down'];
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#111827'];

/** The points of one export (`name` is the file's, for messages): the page's JSON (an array of
 * points) or CSV (one row per point, its `spec` column the point's spec). Throws a message that
 * names the file and what is wrong. */
export function parseExport(name, text) {
  const trimmed = text.trimStart();
  const points = trimmed.startsWith('[') ? fromJson(name, trimmed) : fromCsv(name, text);
  if (!points.length) throw new Error(`${name} holds no points`);
  return points;
}

function fromJson(name, text) {
  let rows;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(rows)) throw new Error(`${name} is not a list of points`);
  return rows.map((row, i) => checked(row, `${name}: entry ${i + 1}`));
}

const NEEDED = ['test_accuracy', 'bytes', 'spec'];
function fromCsv(name, text) {
  const { data, errors, meta } = Papa.parse(text, { header: true, skipEmptyLines: true, dynamicTyping: true });
  if (errors.length) throw new Error(`${name}: row ${errors[0].row + 2}: ${errors[0].message}`);
  const missing = NEEDED.filter((column) => !meta.fields?.includes(column));
  if (missing.length)
    throw new Error(`${name} is not a points export: it lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return data.map((row, i) => {
    let spec;
    try {
      spec = JSON.parse(row.spec);
    } catch {
      throw new Error(`${name}: row ${i + 2}'s spec is not JSON`);
    }
    return checked(
      {
        spec,
        test_accuracy: row.test_accuracy,
        footprint: { bytes: row.bytes, deflated_bytes: row.deflated_bytes, nonzero_params: row.nonzero_params },
        params: row.params,
        macs: row.macs,
        effective_macs: row.effective_macs,
      },
      `${name}: row ${i + 2}`,
    );
  });
}

// One check for a point from either format, so no row the chart cannot draw gets in: a spec naming
// its data, an accuracy in [0, 1] and a positive, bounded file size.
function checked(point, where) {
  if (typeof point?.spec?.data?.name !== 'string')
    throw new Error(`${where} is not a point (it needs spec, test_accuracy and footprint.bytes): its spec names no data set`);
  if (!(point.test_accuracy >= 0 && point.test_accuracy <= 1)) throw new Error(`${where} needs a number between 0 and 1 for test_accuracy`);
  const bytes = point.footprint?.bytes;
  if (!(Number.isFinite(bytes) && bytes > 0 && bytes <= MAX_BYTES))
    throw new Error(`${where} needs a positive number of bytes (at most 1 TiB), not ${bytes}`);
  return point;
}

/** At most MAX_POINTS of a participant's points: all of them when that many or fewer; else each
 * challenge's best entry and each data set's frontier of bytes against accuracy, smallest first. */
export function condense(points) {
  if (points.length <= MAX_POINTS) return points;
  const keep = new Set(LESSONS.map((l) => best(points, l.challenge)).filter(Boolean));
  const bySize = [...points].sort((a, b) => a.footprint.bytes - b.footprint.bytes || b.test_accuracy - a.test_accuracy);
  const bestSoFar = new Map(); // data set → the highest accuracy of a smaller file
  for (const point of bySize) {
    const data = point.spec.data.name;
    if (point.test_accuracy > (bestSoFar.get(data) ?? -1)) {
      bestSoFar.set(data, point.test_accuracy);
      keep.add(point);
    }
  }
  return bySize.filter((point) => keep.has(point)).slice(0, MAX_POINTS);
}

const best = (points, challenge) => judge(challenge, points).best;

/** Each participant's best entry for `challenge` (the smallest file that meets it, then the more
 * accurate), best first; those with none last, in the order given. */
export function rank(participants, challenge) {
  const entries = participants.map((participant) => ({ participant, entry: best(participant.points, challenge) }));
  return [
    ...entries
      .filter((e) => e.entry)
      .sort((a, b) => a.entry.footprint.bytes - b.entry.footprint.bytes || b.entry.test_accuracy - a.entry.test_accuracy),
    ...entries.filter((e) => !e.entry),
  ];
}

/** An SVG path of `shape` centred on (x, y), about 2r across. */
export function markPath(shape, x, y, r = 5) {
  const polygon = (...pts) => `M${pts.map(([dx, dy]) => `${(x + dx * r).toFixed(1)},${(y + dy * r).toFixed(1)}`).join('L')}Z`;
  switch (shape) {
    case 'square':
      return polygon([-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]);
    case 'triangle':
      return polygon([0, -1.1], [1, 0.8], [-1, 0.8]);
    case 'down':
      return polygon([0, 1.1], [1, -0.8], [-1, -0.8]);
    case 'diamond':
      return polygon([0, -1.2], [1.1, 0], [0, 1.2], [-1.1, 0]);
    case 'cross':
      return `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`;
    case 'plus':
      return `M${x - r},${y}L${x + r},${y}M${x},${y - r}L${x},${y + r}`;
    case 'star':
      return polygon(
        ...Array.from({ length: 10 }, (_, i) => {
          const angle = -Math.PI / 2 + (i * Math.PI) / 5;
          const radius = i % 2 ? 0.5 : 1.2;
          return [radius * Math.cos(angle), radius * Math.sin(angle)];
        }),
      );
    default:
      return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attributes = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
};
const filled = (shape) => !['cross', 'plus'].includes(shape);
const $ = (id) => document.getElementById(id);

/** The class panel: reads the chosen files, draws them, ranks them. */
export function initClassChart() {
  const participants = [];
  const challenge = $('class-challenge');
  challenge.append(...LESSONS.map((l) => new Option(l.challenge.text, l.id)));
  challenge.addEventListener('change', render);

  $('class-files').addEventListener('change', async (event) => {
    const files = [...event.target.files];
    const problems = [];
    const notes = [];
    for (const file of files) {
      if (participants.length === MAX_PARTICIPANTS) {
        problems.push(`at most ${MAX_PARTICIPANTS} participants fit on one chart; ${file.name} was left out`);
        continue;
      }
      if (file.size > MAX_FILE_BYTES) {
        problems.push(`${file.name} is over ${MAX_FILE_BYTES / 1e6} MB: not a points export`);
        continue;
      }
      try {
        const text = await file.text();
        const content = contentKey(text);
        const twin = participants.find((p) => p.content === content);
        if (twin) {
          notes.push(`${file.name} holds the same points as ${twin.file}: shown once`);
          continue;
        }
        const all = parseExport(file.name, text);
        const points = condense(all);
        if (points.length < all.length)
          notes.push(`of ${file.name}'s ${all.length} points, its frontier and best entries (${points.length}) are shown`);
        const i = participants.length;
        participants.push({
          name: participantOf(file.name),
          file: file.name,
          content,
          shape: SHAPES[i % SHAPES.length],
          color: COLORS[i % COLORS.length],
          points,
        });
      } catch (error) {
        problems.push(error.message);
      }
    }
    event.target.value = '';
    $('class-error').hidden = !problems.length;
    $('class-error').textContent = problems.length ? `Not opened: ${problems.join('; ')}.` : '';
    $('class-note').hidden = !notes.length;
    $('class-note').textContent = notes.length ? `Note: ${notes.join('; ')}.` : '';
    render();
  });

  function render() {
    const lesson = LESSONS.find((l) => l.id === challenge.value);
    draw(participants, lesson);
    const body = $('class-table').tBodies[0];
    const remove = (participant) => {
      participants.splice(participants.indexOf(participant), 1);
      render();
    };
    body.replaceChildren(
      ...rank(participants, lesson.challenge).map(({ participant, entry }, i) => row(participant, entry, i, render, remove)),
    );
    $('class-table').hidden = !participants.length;
  }
  render();
}

function row(participant, entry, i, render, remove) {
  const tr = document.createElement('tr');
  const name = Object.assign(document.createElement('input'), { value: participant.name });
  name.setAttribute('aria-label', `Name of the participant marked ${participant.shape}`);
  name.addEventListener('change', () => {
    participant.name = name.value.trim() || participant.name;
    render();
  });
  const mark = svg('svg', { width: 16, height: 16, 'aria-label': participant.shape, role: 'img' });
  mark.append(
    svg('path', {
      d: markPath(participant.shape, 8, 8, 5),
      fill: filled(participant.shape) ? participant.color : 'none',
      stroke: participant.color,
      'stroke-width': 2,
    }),
  );
  const removal = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
  removal.setAttribute('aria-label', `Remove ${participant.name} from the chart`);
  removal.addEventListener('click', () => remove(participant));
  const cells = [
    entry ? String(i + 1) : '—',
    name,
    mark,
    entry ? `${entry.footprint.bytes.toLocaleString('en')} B` : 'not met',
    entry ? `${(100 * entry.test_accuracy).toFixed(1)} %` : '',
    String(participant.points.length),
    removal,
  ];
  tr.append(
    ...cells.map((cell) => {
      const td = document.createElement('td');
      td.append(cell);
      return td;
    }),
  );
  return tr;
}

/** A key of a file's content (its length and 32-bit FNV-1a hash): the same export opened twice,
 * under another name, is one participant. */
export function contentKey(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(hash >>> 0).toString(16)}`;
}

/** [min, max] of `values` (a loop: spreading 100,000 values into Math.min overflows the stack). */
export function extent(values) {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

// Test accuracy against bytes (log scale) of every participant's points on the challenge's data.
function draw(participants, lesson) {
  const plot = $('class-plot');
  const [width, height, left, bottom] = [640, 300, 48, 36];
  plot.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const data = lesson.challenge.data ?? 'digits';
  const points = participants.flatMap((p) => p.points.filter((q) => q.spec.data.name === data).map((q) => ({ p, q })));
  plot.replaceChildren();
  $('class-caption').textContent = participants.length
    ? `${points.length} points of ${participants.length} participant${participants.length === 1 ? '' : 's'} on the ${data}; the table ranks each one's smallest file that meets the challenge of lesson "${lesson.title}".`
    : 'Open two or more exports to see a class on one chart.';
  if (!points.length) return;
  const { challenge } = lesson;
  const limit = challenge.unit === 'B' ? [Math.log2(challenge.limit)] : []; // drawn when the axis is its size
  const [xMin, xMax] = extent([...points.map(({ q }) => Math.log2(q.footprint.bytes)), ...limit]);
  const [yMin] = extent(points.map(({ q }) => 100 * q.test_accuracy));
  const [x0, x1] = [Math.floor(xMin), Math.ceil(xMax) + (xMin === xMax ? 1 : 0)];
  const [y0, y1] = [Math.max(0, Math.floor(yMin / 10) * 10), 100];
  const every = Math.ceil((x1 - x0) / 12); // at most about a dozen ticks, whatever the span
  const right = 30; // room for the last tick's label
  const sx = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const sy = (v) => height - bottom - ((v - y0) / (y1 - y0)) * (height - bottom - 10);
  for (let e = x0; e <= x1; e += every) {
    plot.append(svg('line', { x1: sx(e), x2: sx(e), y1: 10, y2: height - bottom, class: 'grid' }));
    const label = svg('text', { x: sx(e), y: height - bottom + 16, 'text-anchor': 'middle' });
    label.textContent = 2 ** e >= 1024 ? `${2 ** e / 1024} KiB` : `${2 ** e} B`;
    plot.append(label);
  }
  for (let v = y0; v <= y1; v += 10) {
    plot.append(svg('line', { x1: left, x2: width - right, y1: sy(v), y2: sy(v), class: 'grid' }));
    const label = svg('text', { x: left - 6, y: sy(v) + 4, 'text-anchor': 'end' });
    label.textContent = `${v} %`;
    plot.append(label);
  }
  const axis = svg('text', { x: (left + width) / 2, y: height - 4, 'text-anchor': 'middle', class: 'axis' });
  axis.textContent = 'exported bytes (log) · test accuracy';
  plot.append(axis);
  drawTarget(plot, challenge, { sx, sy, left, right: width - right, top: 10, bottom: height - bottom });
  const taken = new Map(); // marks that would coincide are set side by side, so none hides another
  for (const { p, q } of points) {
    const [x, y] = [sx(Math.log2(q.footprint.bytes)), sy(100 * q.test_accuracy)];
    const at = `${Math.round(x / 6)},${Math.round(y / 6)}`;
    const n = taken.get(at) ?? 0;
    taken.set(at, n + 1);
    const mark = svg('path', {
      d: markPath(p.shape, x + (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 11, y),
      fill: filled(p.shape) ? p.color : 'none',
      stroke: p.color,
      'stroke-width': 2,
      'fill-opacity': 0.75,
    });
    const title = svg('title');
    title.textContent = `${p.name}: ${q.footprint.bytes.toLocaleString('en')} B, ${(100 * q.test_accuracy).toFixed(1)} %`;
    mark.append(title);
    plot.append(mark);
  }
}

// The challenge's target on the class chart: its accuracy as a dashed line and, when its size is
// bytes (the x axis), its byte limit; a point meets it below-left of both.
function drawTarget(plot, challenge, { sx, sy, left, right, top, bottom }) {
  const y = sy(100 * challenge.accuracy);
  plot.append(svg('line', { x1: left, x2: right, y1: y, y2: y, class: 'target' }));
  const words = [`≥ ${(100 * challenge.accuracy).toFixed(0)} %`];
  if (challenge.unit === 'B') {
    const x = sx(Math.log2(challenge.limit));
    plot.append(svg('line', { x1: x, x2: x, y1: top, y2: bottom, class: 'target' }));
    words.unshift(`≤ ${challenge.limit.toLocaleString('en')} B`);
  } else words.push(`(and ≤ ${challenge.limit.toLocaleString('en')} ${challenge.unit}, not drawn)`);
  const label = svg('text', { x: right - 4, y: y - 6, 'text-anchor': 'end', class: 'target-label' });
  label.textContent = `target: ${words.join(', ')}`;
  plot.append(label);
}
