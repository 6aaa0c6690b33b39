// The Learn panel (issue #15): runs a lesson of lessons.js step by step. The control that matters
// is highlighted (and one button away for keyboard users); a step that asks for a prediction takes
// it first, then the engine's next point that does what the step says reveals the measured answer
// beside it; the closing challenge is checked against the learner's points, with a model answer
// behind a disclosure. Predictions, answers and met challenges are kept in the browser's storage;
// the lesson and step live in the link (`lesson=quantization&step=3`).
import { LESSONS, judge, scope } from './lessons.js';
import { describe } from './points.js';
import { readJson, writeJson } from './storage.js';

const KEY = 'efficiency-playground.lessons.v1';
const $ = (id) => document.getElementById(id);

function load() {
  const stored = readJson(KEY, {});
  return { predictions: {}, challenges: {}, ...(stored && typeof stored === 'object' ? stored : {}) };
}

/** A lesson by id, or null. */
export const lessonById = (id) => LESSONS.find((l) => l.id === id) ?? null;

// `page`: {float() → the trained model's float point or null, points() → the learner's points
//  (saved, and the current one), keep(point) → saves it in the history (once), moved({lesson,
//  step} or null) → the page updates its link, shown(control id or null) → the presenter view
//  follows the step, focus(on) → a participant's lesson shows only what its step needs, or all}.
let page;
let records; // predictions and met challenges, kept in the browser
let lesson = null;
let step = 0; // 1-based; steps.length + 1 is the challenge
let lit = null; // the highlighted control's field

export function initLearn(parts) {
  page = parts;
  records = load();
  const select = $('lesson-select');
  select.append(...LESSONS.map((l, i) => new Option(`${i + 1}. ${l.title}`, l.id)));
  select.addEventListener('change', () => open(select.value || null, 1));
  $('lesson-back').addEventListener('click', () => go(-1));
  $('lesson-next').addEventListener('click', () => go(+1));
  $('lesson-lock').addEventListener('click', lockPrediction);
  $('lesson-retry').addEventListener('click', () => {
    delete records.predictions[key()];
    save();
    renderPrediction(current());
  });
  $('lesson-show').addEventListener('click', () => {
    const control = $(current()?.control);
    control?.scrollIntoView({ block: 'center' });
    control?.focus();
  });
  $('lesson-check').addEventListener('click', checkChallenge);
  $('lesson-focus-mode').addEventListener('click', () => {
    const on = $('lesson-focus-mode').getAttribute('aria-pressed') !== 'true';
    showFocus(on);
    page.focus(on);
  });
  return { open, go, onPoint, showFocus, reshow: () => page.shown(current()?.control ?? null) };
}

// Merged with what another tab stored meanwhile (a tab beside the projector's), this tab's
// records winning where both have one; storage off: this visit only.
function save() {
  const stored = load();
  records.predictions = { ...stored.predictions, ...records.predictions };
  records.challenges = { ...stored.challenges, ...records.challenges };
  writeJson(KEY, records);
}

const key = (n = step) => `${lesson.id}/${n}`;
const current = () => (lesson && step <= lesson.steps.length ? lesson.steps[step - 1] : null);
const last = () => lesson.steps.length + 1;

function open(id, at) {
  lesson = lessonById(id);
  step = lesson ? Math.min(Math.max(1, at), last()) : 0;
  $('lesson-select').value = lesson?.id ?? '';
  page.moved(lesson ? { lesson: lesson.id, step } : null); // before render: the layout follows the lesson
  render();
}

function go(delta) {
  if (!lesson) return;
  open(lesson.id, step + delta);
  $(delta > 0 ? 'lesson-next' : 'lesson-back').focus({ preventScroll: true });
}

function render() {
  $('lesson').hidden = !lesson;
  highlight(null);
  if (!lesson) return page.shown(null);
  const s = current();
  const where = s ? `Step ${step} of ${lesson.steps.length}` : 'Challenge';
  $('lesson-where').replaceChildren(
    `${where} · read: `,
    Object.assign(document.createElement('a'), {
      href: lesson.paper.url,
      target: '_blank',
      rel: 'noopener',
      textContent: lesson.paper.title,
    }),
  );
  $('lesson-text').textContent = s?.text ?? '';
  showControlNote(s?.control ?? null);
  renderPrediction(s);
  renderChallenge(!s);
  $('lesson-back').disabled = step === 1;
  $('lesson-next').disabled = step === last();
  highlight(s?.control ?? null);
  page.shown(s?.control ?? null);
}

// Go to the control, or, when the link hides it (`hide=`), a note saying so instead of a button
// that would do nothing.
function showControlNote(id) {
  const hiddenBy = id ? $(id)?.closest('[data-hide][hidden]') : null;
  $('lesson-show').hidden = !id || Boolean(hiddenBy);
  $('lesson-hidden').hidden = !hiddenBy;
  $('lesson-hidden').textContent = hiddenBy
    ? `This step's control is hidden by the link (hide=${hiddenBy.dataset.hide}): open the lesson without it to move the control.`
    : '';
}

function renderPrediction(s) {
  const fieldset = $('lesson-predict');
  fieldset.hidden = !s?.predict;
  $('lesson-reveal').textContent = '';
  if (!s?.predict) return;
  const record = records.predictions[key()];
  $('lesson-question').textContent = s.predict.question;
  $('lesson-choices').replaceChildren(
    ...s.predict.choices.map((choice, i) => {
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), {
        type: 'radio',
        name: 'lesson-choice',
        value: String(i),
        checked: record?.predicted === i,
        disabled: Boolean(record),
      });
      label.append(input, ` ${choice}`);
      return label;
    }),
  );
  $('lesson-lock').disabled = Boolean(record);
  $('lesson-retry').hidden = !record;
  if (record) $('lesson-reveal').textContent = reveal(s, record);
}

function lockPrediction() {
  const chosen = document.querySelector('input[name="lesson-choice"]:checked');
  if (!chosen) {
    $('lesson-reveal').textContent = 'Pick the answer you expect first.';
    return;
  }
  records.predictions[key()] = { predicted: Number(chosen.value) };
  save();
  renderPrediction(current());
  $('lesson-reveal').textContent =
    `Prediction locked in: "${current().predict.choices[Number(chosen.value)]}". Now move the highlighted control.`;
}

function reveal(s, record) {
  if (record.measured === undefined)
    return `Prediction locked in: "${s.predict.choices[record.predicted]}". Now move the highlighted control.`;
  const verdict =
    record.measured === null
      ? ''
      : record.measured === record.predicted
        ? ' Your prediction was right.'
        : ` Your prediction was "${s.predict.choices[record.predicted]}"; the measurement says "${s.predict.choices[record.measured]}".`;
  return `Measured: ${record.text}${verdict}`;
}

function renderChallenge(shown) {
  $('lesson-challenge').hidden = !shown;
  if (!shown) return;
  $('lesson-target').textContent = `${lesson.challenge.text} Counted: ${scope(lesson.challenge)}.`;
  $('lesson-answer').textContent = lesson.challenge.answer;
  $('lesson-verdict').textContent = records.challenges[lesson.id]
    ? 'You met this challenge before. Try it again with another model, or open the next lesson.'
    : '';
}

// Checks the learner's points (saved, and the current one) against the challenge, names the one
// it credits, and keeps it (an unsaved current point is saved).
async function checkChallenge() {
  const points = page.points();
  const { counted, best } = judge(lesson.challenge, points);
  const ignored = points.length - counted.length;
  const others = ignored
    ? ` (${ignored} other point${ignored === 1 ? '' : 's'} not counted: this challenge counts ${scope(lesson.challenge)})`
    : '';
  if (!best) {
    $('lesson-verdict').textContent =
      `Not yet: none of your ${counted.length} ${scope(lesson.challenge)} meets the target${others}. Try another setting.`;
    return;
  }
  records.challenges[lesson.id] = true;
  save();
  await page.keep(best);
  $('lesson-verdict').textContent =
    `Challenge met by ${describe(best)}: ${best.footprint.bytes.toLocaleString('en')} B at ${(100 * best.test_accuracy).toFixed(1)} % test accuracy${others}.`;
}

/** Whether the lesson is laid out to show only its step (the button's state). */
function showFocus(on) {
  $('lesson-focus-mode').setAttribute('aria-pressed', String(on));
  $('lesson-focus-mode').textContent = on ? 'Show the whole page' : 'Focus on this step';
}

function highlight(id) {
  lit?.classList.remove('lesson-focus');
  const control = id ? $(id) : null;
  lit = control?.closest('.field, .row') ?? control;
  lit?.classList.add('lesson-focus');
}

/** The point the engine now holds: the step's measurement, if it is the one the step asks for. */
function onPoint(point) {
  const s = current();
  const float = page.float();
  if (!s?.measure || !float) return;
  const found = s.measure(point, { float, previous: records.predictions[key(step - 1)]?.point ?? null, runs: page.points() });
  if (!found) return;
  page.keep(point); // every point a step measured stays in the history (and counts for the challenge)
  const record = records.predictions[key()];
  if (!record) {
    $('lesson-reveal').textContent =
      'You moved the control before predicting: pick the answer you expect, lock it in, then move the control again.';
    return;
  }
  Object.assign(record, {
    measured: found.choice,
    text: found.text,
    point: { test_accuracy: point.test_accuracy, footprint: { bytes: point.footprint.bytes } },
  });
  save();
  $('lesson-reveal').textContent = reveal(s, record);
}
