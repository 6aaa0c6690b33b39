// The settings' view: the form (data, model, training), the compression controls and the teacher
// choice. They show the store's spec and read the learner's edits back into it (`commit`); nothing
// else on the page reads them as data.

import { readSpec, writeSpec } from './form.js';
import { pipeline, release, writeSteps } from './compress-controls.js';
import { fineTuneSpec, quantizeScheme } from './techniques.js';
import { initTeacherView } from './teacher-view.js';

// `store`: the page's store; `form`: the settings form; `say(text)`: the status line.
export function initSettings({ store, form, say }) {
  const teacher = initTeacherView({ store, form, say });
  let defaults = null; // the engine's default spec, the base every read starts from

  // The spec the controls show, each part read on its own: a part that does not read keeps the
  // store's and names the problem. `kept`: the pipeline the compression controls keep as given.
  function read(kept) {
    const spec = store.state.spec ?? defaults;
    let invalid = null;
    const part = (readPart, fallback) => {
      try {
        return readPart();
      } catch (error) {
        invalid ??= error.message;
        return fallback;
      }
    };
    const settings = part(() => readSpec(form, defaults), spec);
    const compress = part(() => pipeline(kept), spec.compress);
    return { spec: { ...settings, compress, distill: teacher.read() }, invalid };
  }

  return {
    /** The engine's default spec: the settings start from it. */
    setDefaults(spec) {
      defaults = spec;
    },
    /** Reads the learner's edit into the store; resolves to the message of a field that does not
     * read, else null. `pipelineMoved`: a compression control moved (its pipeline replaces a kept one). */
    commit({ pipelineMoved = false } = {}) {
      if (!defaults) return null;
      if (pipelineMoved) release();
      const reading = read(store.state.spec?.compress ?? []);
      store.dispatch('setSpec', reading);
      return reading.invalid;
    },
    /** Shows `spec` in every control and makes it the store's (as the controls read it). */
    show(spec) {
      writeSpec(form, spec);
      writeSteps(spec.compress ?? []);
      teacher.write(spec.distill);
      store.dispatch('setSpec', read(spec.compress ?? []));
    },
    /** Shows a pipeline in the compression controls and makes it the spec's. */
    showPipeline(steps) {
      writeSteps(steps);
      store.dispatch('setSpec', read(steps));
    },
    /** The learner's own table (own-data.js) becomes the data set. */
    useTable(table) {
      form.elements['data.name'].value = 'custom';
      form.elements['data.table'].value = JSON.stringify(table);
      form.dispatchEvent(new Event('change'));
    },
    /** The quantization scheme and the fine-tuning the compression controls set, for automation. */
    quantizeScheme,
    fineTune: fineTuneSpec,
    /** The saved points changed: the teachers offered follow. */
    renderTeachers: teacher.render,
  };
}
