// The engine protocol is written once (www/src/protocol.js): every request is named after an
// export of the engine (src/web.rs, in its JavaScript spelling), and the client has one method per
// request that sends exactly its named arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REQUESTS, fields } from '../../www/src/protocol.js';

// The engine's exports as JavaScript sees them: a `js_name`, or the Rust name when it has none.
function engineExports() {
  const source = readFileSync(new URL('../../src/web.rs', import.meta.url), 'utf8');
  const names = new Set();
  for (const [, jsName, rustName] of source.matchAll(/#\[wasm_bindgen(?:\(js_name = (\w+)\))?\]\s*pub (?:async )?fn (\w+)/g)) {
    names.add(jsName ?? rustName);
  }
  return names;
}

test('every request names an engine export', () => {
  const exports = engineExports();
  assert.ok(exports.size > 20, `found ${exports.size} exports`);
  const missing = Object.keys(REQUESTS).filter((name) => !exports.has(name));
  assert.deepEqual(missing, []);
});

test("a request's message carries its arguments by name, in order", () => {
  assert.deepEqual(fields('measureLatency', [{ seed: 1 }, 30]), { spec: { seed: 1 }, repeats: 30 });
  assert.deepEqual(fields('adoptModel', [new Uint8Array([1]), { id: 'p' }]), { bytes: new Uint8Array([1]), point: { id: 'p' } });
});

test('the client has one method per request, and sends its name and fields', async () => {
  globalThis.Worker = class {
    postMessage(message) {
      this.sent = message;
    }
  };
  const { EngineClient } = await import('../../www/src/engine-client.js');
  const client = new EngineClient({ onReady() {}, onProgress() {}, onCrash() {} });
  for (const [name, args] of Object.entries(REQUESTS)) {
    client[name](...args.map((arg) => `${arg}-value`));
    assert.deepEqual(client.worker.sent, { id: client.nextId - 1, type: name, ...Object.fromEntries(args.map((a) => [a, `${a}-value`])) });
  }
});
