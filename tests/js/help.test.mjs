// The explanations on the real page's markup (happy-dom): every explained control exists, gets its
// one-line description as its accessible description without changing its label, and a "?"
// button that opens and closes the longer text with its paper; the glossary is filled.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';

let EXPLANATIONS;
let window;

before(async () => {
  window = new Window();
  const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
  window.document.body.innerHTML = html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>'));
  globalThis.document = window.document;
  ({ EXPLANATIONS } = await import('../../www/src/explanations.js'));
  (await import('../../www/src/help.js')).attachHelp();
});

test('every explained control is described, keeps its label and has a "?" that opens its paper', () => {
  assert.ok(Object.keys(EXPLANATIONS).length >= 40);
  for (const [id, { short, paper }] of Object.entries(EXPLANATIONS)) {
    const control = document.getElementById(id);
    const described = control
      .getAttribute('aria-describedby')
      .split(' ')
      .map((d) => document.getElementById(d).textContent);
    assert.ok(described.includes(short), id);
    assert.ok(!document.querySelector(`label[for="${id}"]`).textContent.includes(short), `${id}'s label is unchanged`);
    const button = document.querySelector(`button.help[aria-controls="${id}-help"]`);
    const text = document.getElementById(`${id}-help`);
    assert.equal(text.hidden, true);
    button.click();
    assert.equal(text.hidden, false);
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    if (paper) assert.equal(text.querySelector('a').getAttribute('href'), paper.url);
    button.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Escape' }));
    assert.equal(text.hidden, true);
  }
});

test('the quantize control is explained with the outlier and the per-channel scale', () => {
  const button = document.querySelector('button[aria-controls="c-per-channel-help"]');
  assert.equal(button.textContent, '?What is this?');
  assert.equal(
    document.getElementById(button.getAttribute('aria-describedby')).textContent,
    'One scale per output unit instead of one per layer.',
  );
  assert.match(document.getElementById('c-per-channel-help').textContent, /outlier.*Jacob et al\. 2018/s);
});

test('the glossary lists its terms', () => {
  const terms = [...document.querySelectorAll('#glossary-terms dt')].map((t) => t.textContent);
  assert.ok(terms.includes('Pareto frontier') && terms.includes('MACs') && terms.includes('Per-channel scale'));
});
