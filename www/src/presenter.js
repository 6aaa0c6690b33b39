// The presenter view (issue #15; `?present` in the link): for a projector, large type and high
// contrast (styles.css, `body.present`), and only what the room needs, on one screen from 1024×768
// up: the lesson on the left; on the right the chart, the one control group the lesson's step is
// about, and the Train bar when that control takes effect by training (a setting of the form).
// Everything else is folded away; at the challenge, the class chart is offered below. The lesson's keys — → and ← , Page Down and Page Up, which
// presentation clickers send — step through the lesson whatever has the focus, and never move a
// control (a focused slider would otherwise take them).

const KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
const WIDE = matchMedia('(min-width: 900px)');

/** Turns the presenter view on; `step(delta)` moves through the lesson. */
export function initPresenter(step) {
  document.body.classList.add('present');
  document.addEventListener(
    'keydown',
    (event) => {
      const delta = KEYS[event.key];
      if (!delta || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault(); // not the focused control's: a slider keeps its value
      event.stopPropagation();
      step(delta);
    },
    { capture: true },
  );
}

/** A participant's focus on the lesson (`&focus`, or the Learn panel's button): the presenter's
 * layout at the page's own type size, so a 1280×720 laptop shows the step's text, its control and
 * the chart together; the keys stay the controls'. Off, the whole page is back. */
export function setFocus(on) {
  document.body.classList.toggle('focus', on && WIDE.matches); // a phone keeps its one column
  if (!on) unfold();
}

function unfold() {
  for (const element of document.querySelectorAll('.present-off')) element.classList.remove('present-off');
  document.body.classList.remove('present-class');
}

/** Shows the lesson, the chart, control `id` with its technique's group (the fields marked with its
 * `data-hide` name; of a whole section of the form, such as Training, only the control's own field)
 * and, for a setting of the form (or no step), the Train bar; hides the rest. */
export function show(id) {
  unfold();
  const control = id ? document.getElementById(id) : null;
  const keep = [document.getElementById('learn'), ...document.querySelectorAll('.explorer > :not(.toolbar)')];
  if (!control || control.closest('#controls')) keep.push(document.querySelector('.train-bar'));
  const group = control?.closest('[data-hide]');
  if (group && !group.matches('fieldset')) keep.push(...document.querySelectorAll(`[data-hide="${group.dataset.hide}"]`));
  else if (control) keep.push(control.closest('.field') ?? control);
  fold(document.querySelector('main'), keep);
  // The challenge (no control): the class chart below, to put the room's exports on one chart.
  document.body.classList.toggle('present-class', !control);
}

// Hides every descendant of `node` that neither is kept nor holds something kept.
function fold(node, keep) {
  for (const child of node.children) {
    if (keep.includes(child)) continue;
    if (keep.some((kept) => child.contains(kept))) fold(child, keep);
    else child.classList.add('present-off');
  }
}
