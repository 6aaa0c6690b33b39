// A participant's name on the files they export and on the class chart (issue #35): exports are
// named `points-<name>.json`, and the class chart names a participant after the file, without the
// `points-` and the copy counters browsers add (`points-ada (1).json` is Ada's).

/** The name as file-name words: letters and digits of any script, joined by hyphens ([] if none). */
export function slug(name) {
  return (
    String(name ?? '')
      .normalize('NFC')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, 8);
}

/** The participant a file is from: its name without the extension, the `points-` prefix and a
 * browser's copy counter, or the whole file name when nothing is left. */
export function participantOf(fileName) {
  const base = fileName.replace(/\.(json|csv)$/i, '').replace(/\s*\(\d+\)$/, '');
  const name = base
    .replace(/^points-?/i, '')
    .replace(/-/g, ' ')
    .trim();
  return name || base;
}
