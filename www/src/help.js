// Puts the explanations (explanations.js) on the page: each explained control gets its one-line
// description as its accessible description and its label's tooltip, and a "?" button after its
// label that opens the longer text with the paper (Escape closes it again); the glossary fills its
// list. Plain buttons and `aria-expanded`, so keyboard and screen-reader users reach the same text.
import { EXPLANATIONS, GLOSSARY } from './explanations.js';

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// The longer text of control `id`: the description, the explanation and a link to the paper.
function helpText(id, { short, long, paper }) {
  const text = element('div', { id: `${id}-help`, class: 'help-text', role: 'note', hidden: '' }, element('p', {}, `${short} ${long}`));
  if (paper) text.append(element('p', {}, 'Paper: ', element('a', { href: paper.url, target: '_blank', rel: 'noopener' }, paper.title)));
  return text;
}

function attach(id, explanation) {
  const control = document.getElementById(id);
  const label = document.querySelector(`label[for="${id}"]`);
  if (!control || !label) throw new Error(`explanations.js explains #${id}, which the page lacks`);
  const described = element('span', { id: `${id}-what`, class: 'sr-only' }, explanation.short);
  label.parentElement.append(described);
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), described.id].filter(Boolean).join(' '));
  label.title = explanation.short;
  // Named "What is this?" and described by the control's one line: a name that repeated the
  // label would make the button a second element labelled like the control.
  const button = element(
    'button',
    { type: 'button', class: 'help', 'aria-expanded': 'false', 'aria-controls': `${id}-help`, 'aria-describedby': described.id },
    element('span', { 'aria-hidden': 'true' }, '?'),
    element('span', { class: 'sr-only' }, 'What is this?'),
  );
  const text = helpText(id, explanation);
  const toggle = (open) => {
    text.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => toggle(text.hidden));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') toggle(false);
  });
  label.after(button);
  label.parentElement.after(text);
}

/** Adds every explanation and the glossary to the page. */
export function attachHelp() {
  for (const [id, explanation] of Object.entries(EXPLANATIONS)) attach(id, explanation);
  const list = document.getElementById('glossary-terms');
  list.replaceChildren(...GLOSSARY.flatMap(([term, definition]) => [element('dt', {}, term), element('dd', {}, definition)]));
}
