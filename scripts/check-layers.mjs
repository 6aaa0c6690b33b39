#!/usr/bin/env node
// Checks that the engine's modules form a strict stack: no module imports one that imports it
// back, directly or through others, at two levels — the crate's top-level modules (src/*.rs and
// src/*/), and the files inside each folder module (a folder's mod.rs counts as one more file:
// what it defines itself, not what it re-exports). Prints the stack, lowest layer first, and exits
// with 1 naming a circle if there is one. Dependency-free on purpose: `cargo modules` needs a
// nightly-dependent install, and this rule needs only the `use` lines and `crate::`/`super::` paths.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The crate's src/ folder (an argument names another, for the checker's own tests).
const SRC = process.argv[2] ?? new URL('../src/', import.meta.url).pathname;

/** Every .rs file under `dir`, as paths relative to src/ without `.rs` (`model/spec`). */
function files(dir = SRC) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.rs') ? [relative(SRC, path).slice(0, -3)] : [];
  });
}

/** Source without comments, string literals (a doc link or a message is not an import) and the
 * in-file tests (`#[cfg(test)] mod tests` closes a file; its `super::` is the file itself). */
function code(text) {
  const tests = text.indexOf('#[cfg(test)]');
  return (tests < 0 ? text : text.slice(0, tests)).replace(/"(\\.|[^"\\])*"/g, '""').replace(/\/\/.*$/gm, '');
}

/** Expands a use tree (`crate::a::{b, c::{d, self}}`) into full paths. */
function expand(tree) {
  tree = tree.replace(/\s+/g, '');
  const open = tree.indexOf('{');
  if (open < 0) return [tree.replace(/::self$/, '').replace(/\bas\w+$/, '')];
  const prefix = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '{') depth++;
    if (c === '}') depth--;
    if ((c === ',' && depth === 0) || i === inner.length) {
      if (inner.slice(start, i)) parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  return parts.flatMap((part) => expand(part === 'self' ? prefix.replace(/::$/, '') : prefix + part));
}

/** The paths a file names: its `use` trees (not `pub use` re-exports in a mod.rs) and inline paths. */
function paths(file, text) {
  const body = code(text);
  const found = [];
  const isMod = file.endsWith('/mod') || file === 'lib';
  for (const m of body.matchAll(/(pub(\([^)]*\))?\s+)?use\s+((crate|super)::[^;]+);/g)) {
    if (!(isMod && m[1])) found.push(...expand(m[3]));
  }
  const withoutUses = body.replace(/(pub(\([^)]*\))?\s+)?use\s+[^;]+;/g, '');
  for (const m of withoutUses.matchAll(/\b(crate|super)(::\w+)+/g)) found.push(m[0]);
  if (file.endsWith('/mod')) found.push(...ownChildren(file.slice(0, -4), body, withoutUses));
  return found;
}

/** In a folder's mod.rs: the children its own code uses, by path (`mlp::Mlp`) or by a name it
 * re-exports (`pub use mlp::Mlp;` then `Mlp::new`). Written as `crate::folder::child` paths. */
function ownChildren(folder, body, withoutUses) {
  const uses = [];
  for (const m of body.matchAll(/pub\s+use\s+([^;]+);/g)) {
    for (const path of expand(m[1])) {
      const [child, ...rest] = path.split('::');
      const name = rest.at(-1);
      if (child !== 'crate' && name && new RegExp(`\\b${name}\\b`).test(withoutUses)) uses.push(`crate::${folder}::${child}`);
    }
  }
  for (const m of withoutUses.matchAll(/(?<!::)\b(\w+)::\w+/g)) {
    if (all.includes(`${folder}/${m[1]}`)) uses.push(`crate::${folder}::${m[1]}`);
  }
  return uses;
}

const all = files();
const texts = Object.fromEntries(all.map((f) => [f, readFileSync(join(SRC, `${f}.rs`), 'utf8')]));
const folders = new Set(all.filter((f) => f.endsWith('/mod')).map((f) => f.slice(0, -4)));

/** Which child of `folder` a name re-exported by its mod.rs comes from (`pub use spec::{X}`). */
function reexportSource(folder, name) {
  const text = code(texts[`${folder}/mod`]);
  for (const m of text.matchAll(/pub\s+use\s+([^;]+);/g)) {
    for (const path of expand(m[1])) {
      const segments = path.split('::');
      if (segments.at(-1) === name && segments[0] !== 'crate') return segments[0];
    }
  }
  return null;
}

/** The file (`model/spec`, `model/mod`, `cost`) a path's item lives in, as seen from `file`. */
function target(file, path) {
  let segments = path.split('::');
  if (segments[0] === 'super') {
    const folder = file.split('/').slice(0, -1);
    segments = [...folder, ...segments.slice(1)];
  } else segments = segments.slice(1);
  const [top, second] = segments;
  if (!folders.has(top)) return top;
  if (second && all.includes(`${top}/${second}`)) return `${top}/${second}`;
  const from = second && reexportSource(top, second);
  return from ? `${top}/${from}` : `${top}/mod`;
}

/** Edges `from → to` between nodes named by `nodeOf` (null: not a node of this graph). */
function graph(nodeOf) {
  const edges = new Map();
  for (const file of all) {
    const from = nodeOf(file);
    if (!from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const path of paths(file, texts[file])) {
      const to = nodeOf(target(file, path));
      if (to && to !== from) edges.get(from).add(to);
    }
  }
  return edges;
}

/** Layers, lowest first (a node sits one above the highest node it uses); or a circle. */
function layers(edges) {
  const level = new Map();
  const visiting = [];
  const visit = (node) => {
    if (level.has(node)) return level.get(node);
    const at = visiting.indexOf(node);
    if (at >= 0) throw new Error([...visiting.slice(at), node].join(' → '));
    visiting.push(node);
    const below = [...(edges.get(node) ?? [])].map(visit);
    visiting.pop();
    level.set(node, below.length ? Math.max(...below) + 1 : 0);
    return level.get(node);
  };
  [...edges.keys()].sort().forEach(visit);
  const out = [];
  for (const [node, l] of level) {
    out[l] ??= [];
    out[l].push(node);
  }
  return out.map((names) => names.sort().join(', '));
}

const checks = [['crate', (f) => (f === 'lib' ? null : f.split('/')[0])]];
for (const folder of [...folders].sort()) {
  checks.push([`${folder}/`, (f) => (f.startsWith(`${folder}/`) ? f.slice(folder.length + 1) : null)]);
}
let failed = false;
for (const [name, nodeOf] of checks) {
  try {
    console.log(`${name}: ${layers(graph(nodeOf)).join('  <  ')}`);
  } catch (circle) {
    console.error(`${name}: imports go round in a circle: ${circle.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
