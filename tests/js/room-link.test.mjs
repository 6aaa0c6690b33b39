// The participants' link the presenter view shows as a QR code (www/src/room-link.js): the lesson
// and step on screen, the link's hidden parts, laid out for a laptop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roomLink } from '../../www/src/room-link.js';
import { parse } from '../../www/src/url-state.js';

test("the room's link opens the lesson's step with the same parts hidden, focused, and nothing of the projector", () => {
  const link = roomLink('http://192.168.1.20:8080/', { lesson: { lesson: 'quantization', step: 2 }, hide: ['automation', 'backend'] });
  assert.equal(link, 'http://192.168.1.20:8080/?lesson=quantization&step=2&hide=automation%2Cbackend&focus=');
  const read = parse(new URL(link).search);
  assert.deepEqual(
    { lesson: read.lesson, hide: read.hide, focus: read.focus, present: read.present, error: read.error },
    { lesson: { lesson: 'quantization', step: 2 }, hide: ['automation', 'backend'], focus: true, present: false, error: null },
  );
  assert.equal(roomLink('https://x.github.io/playground/', { lesson: null, hide: [] }), 'https://x.github.io/playground/?focus=');
});
