// The room's link (issue #32): in the presenter view, a button shows the participants' link — the
// lesson and step on screen, the link's `hide=` flags, laid out for a laptop (`&focus`) — as a large
// QR code (drawn by the `qrcode` library, offline) and as text the instructor can correct: a page
// opened as 127.0.0.1 must be reached by its address on the room's network (`ROOM=1
// ./scripts/serve` prints it).
import QRCode from 'qrcode';

const $ = (id) => document.getElementById(id);

/** The participants' link for `base` (the page's address): the lesson and step, the hidden parts. */
export function roomLink(base, { lesson, hide }) {
  const params = new URLSearchParams();
  if (lesson) {
    params.set('lesson', lesson.lesson);
    params.set('step', String(lesson.step));
  }
  if (hide.length) params.set('hide', hide.join(','));
  params.set('focus', '');
  return `${base}?${params}`;
}

// `store`: the page's store (its lesson and hide flags make the link).
export function initRoomLink({ store }) {
  const dialog = $('room-dialog');
  const draw = () =>
    QRCode.toCanvas($('room-qr'), $('room-url').value, { width: 360, margin: 2, errorCorrectionLevel: 'M' }).catch((error) => {
      $('room-note').textContent = `No QR code for this text: ${error.message}`;
    });
  $('room-link').addEventListener('click', () => {
    $('room-url').value = roomLink(`${location.origin}${location.pathname}`, store.state);
    const local = /^(localhost|127\.|\[::1\])/.test(location.hostname);
    $('room-note').textContent = local
      ? 'This page is open as this computer alone knows it: replace the address with the Network one that ROOM=1 ./scripts/serve printed.'
      : 'Participants scan the code, or type the link.';
    draw();
    dialog.showModal();
  });
  $('room-url').addEventListener('input', draw);
  $('room-close').addEventListener('click', () => dialog.close());
}
