// The presenter view (issue #15; `?present` in the link): for a projector, large type and high
// contrast (styles.css, `body.present`), and only what the room needs — the lesson, the chart, the
// Train bar and the one control group the lesson's step is about; everything else is folded away.
// The arrow keys (and Page Up / Page Down, which presentation clickers send) step through the lesson.

const ALWAYS = '#learn, .explorer, .train-bar';

/** Turns the presenter view on; `step(delta)` moves through the lesson. Returns show(controlId). */
export function initPresenter(step) {
  document.body.classList.add('present');
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest('input, select, textarea')) return;
    const delta = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (!delta) return;
    event.preventDefault();
    step(delta);
  });
  return show;
}

/** Shows the always-shown parts and the group of control `id` (its `data-hide` group), hides the rest. */
function show(id) {
  document.querySelectorAll('.present-off').forEach((element) => element.classList.remove('present-off'));
  const keep = [...document.querySelectorAll(ALWAYS)];
  const control = id ? document.getElementById(id) : null;
  const group = control?.closest('[data-hide]')?.dataset.hide;
  if (group) keep.push(...document.querySelectorAll(`[data-hide="${group}"]`));
  else if (control) keep.push(control);
  fold(document.querySelector('main'), keep);
}

// Hides every descendant of `node` that neither is kept nor holds something kept.
function fold(node, keep) {
  for (const child of node.children) {
    if (keep.includes(child)) continue;
    if (keep.some((kept) => child.contains(kept))) fold(child, keep);
    else child.classList.add('present-off');
  }
}
