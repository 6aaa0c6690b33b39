// The "Distill from" choice (knowledge distillation, Hinton, Vinyals & Dean 2015): a saved point of
// this session (the engine keeps its model, or retrains it from its spec), or the teacher a link or
// a stored point names — not among the points, it is kept as given and trained first.

import { showRelevant } from './form.js';
import { describeModel } from './runs.js';
import { describePipeline } from './techniques.js';
import { pct } from './result-view.js';

const $ = (id) => document.getElementById(id);
const trainedPart = (spec) => JSON.stringify({ ...spec, compress: [] });

// `store`: the page's store (its saved points are the teachers offered); `say(text)`: the status line.
export function initTeacherView({ store, form, say }) {
  let linkTeacher = null; // a teacher given by a link or a point, not among the saved points

  function read() {
    const value = $('d-teacher').value;
    const teacher = value === 'link' ? linkTeacher : store.state.runs[Number(value)]?.spec;
    if (value === '' || !teacher) return null;
    return { teacher: { ...teacher, compress: [] }, temperature: Number($('d-temperature').value), alpha: Number($('d-alpha').value) };
  }

  // Shows a spec's distillation: its teacher is chosen among the saved points by its training spec.
  function write(distill) {
    const runs = store.state.runs;
    const teacher = distill ? runs.findIndex((p) => trainedPart(p.spec) === trainedPart(distill.teacher)) : -1;
    linkTeacher = distill && teacher < 0 ? distill.teacher : null;
    render();
    $('d-teacher').value = teacher >= 0 ? String(teacher) : linkTeacher ? 'link' : '';
    if (distill) {
      $('d-temperature').value = distill.temperature;
      $('d-alpha').value = distill.alpha;
      if (teacher < 0) say('The distillation teacher of these settings is not among your points: Train trains it first.');
    }
    showRelevant(form);
  }

  // The saved points, offered as teachers.
  function render() {
    const select = $('d-teacher');
    const runs = store.state.runs;
    const chosen = select.value;
    const fromLink = linkTeacher ? [new Option(`from the link: ${describeModel(linkTeacher.model)} (trained first)`, 'link')] : [];
    const points = runs.map(
      (p, i) =>
        new Option(
          `point ${i + 1}: ${p.spec.data.name} · ${describeModel(p.spec.model)} · ${describePipeline(p.spec.compress)}, ${pct(p.test_accuracy)}`,
          String(i),
        ),
    );
    select.replaceChildren(new Option('no teacher', ''), ...fromLink, ...points);
    select.value = (chosen === 'link' && linkTeacher) || chosen < runs.length ? chosen : '';
    showRelevant(form);
  }

  return { read, write, render };
}
