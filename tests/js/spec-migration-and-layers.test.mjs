// The page's reading of older specs, and the crate-layering checker catching a circle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSpec } from '../../www/src/spec-migration.js';

const teacher = { data: { name: 'moons' }, model: { kind: 'mlp', hidden: [32], activation: 'relu' }, train: { epochs: 3 } };

test('distillation stored inside train moves to the top level, in canonical key order', () => {
  const old = {
    data: { name: 'moons' },
    model: teacher.model,
    train: { epochs: 3, distill: { teacher, temperature: 2, alpha: 0.5 } },
    seed: 1,
    compress: [],
  };
  const spec = migrateSpec(old);
  assert.deepEqual(Object.keys(spec), ['data', 'model', 'train', 'distill', 'seed', 'compress']);
  assert.deepEqual(spec.train, { epochs: 3 });
  assert.deepEqual(spec.distill, { teacher, temperature: 2, alpha: 0.5 });
  assert.equal(migrateSpec(spec), spec, 'a current spec is returned as it is');
  assert.equal(migrateSpec({ ...old, train: { epochs: 3, distill: null } }).distill, null);
  assert.equal(migrateSpec('not a spec'), 'not a spec');
});

const checker = new URL('../../scripts/check-layers.mjs', import.meta.url).pathname;

function checkLayers(files) {
  const src = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return spawnSync(process.execPath, [checker, `${src}/`], { encoding: 'utf8' });
}

test('the layering check prints the stack and fails on a circle, also one through a folder', () => {
  const stack = checkLayers({ 'lib.rs': 'pub mod a;\npub mod b;', 'a.rs': '', 'b.rs': 'use crate::a::X;' });
  assert.equal(stack.status, 0, stack.stderr);
  assert.match(stack.stdout, /crate: a {2}< {2}b/);
  const circle = checkLayers({
    'lib.rs': '',
    'a.rs': 'use crate::b::Y;',
    'b/mod.rs': 'pub mod c;\npub use c::Y;',
    'b/c.rs': 'fn f() { crate::a::g(); }',
  });
  assert.equal(circle.status, 1);
  assert.match(circle.stderr, /circle: a → b → a/);
  const inner = checkLayers({ 'lib.rs': '', 'd/mod.rs': 'pub mod e;\npub use e::E;\npub struct M(E);', 'd/e.rs': 'use super::M;' });
  assert.equal(inner.status, 1);
  assert.match(inner.stderr, /d\/: imports go round in a circle: (e → mod → e|mod → e → mod)/);
  const tests = checkLayers({
    'lib.rs': '',
    'd/mod.rs': 'pub mod e;\npub use e::E;\npub struct M(E);',
    'd/e.rs': 'pub struct E;\n#[cfg(test)]\nmod tests { use super::*; }',
  });
  assert.equal(tests.status, 0, `a file's own tests (super:: is the file) are not imports: ${tests.stderr}`);
  const comment = checkLayers({ 'lib.rs': '', 'a.rs': '/// See [`crate::b`].\nlet s = "crate::b::x";', 'b.rs': 'use crate::a::X;' });
  assert.equal(comment.status, 0, 'doc links and strings are not imports');
});
