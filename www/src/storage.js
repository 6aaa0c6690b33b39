// The browser's storage for this page, or null where the browser blocks it (site data off, a
// sandboxed frame): there even reading `localStorage` throws, and the page must still start. Every
// module reads and writes through here, so no access can stop the page; without storage nothing is
// kept after the visit, and the page says so (main.js).

function open() {
  try {
    const storage = globalThis.localStorage;
    storage?.getItem('efficiency-playground.probe');
    return storage ?? null;
  } catch {
    return null;
  }
}

export const storage = open();

/** The JSON stored at `key`: `fallback` when there is none or storage is blocked, `damaged` (by
 * default `fallback` too) when it does not parse. */
export function readJson(key, fallback, damaged = fallback) {
  let text;
  try {
    text = storage?.getItem(key);
  } catch {
    return fallback;
  }
  if (text == null) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return damaged;
  }
}

/** Stores `value` at `key` as JSON; false when the browser refuses (storage full or blocked). */
export function writeJson(key, value) {
  try {
    if (!storage) return false;
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Removes `key`; false when the browser refuses (storage blocked). */
export function remove(key) {
  try {
    storage?.removeItem(key);
    return Boolean(storage);
  } catch {
    return false;
  }
}
