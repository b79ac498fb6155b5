// The lobby: the room list stays live (the server pushes it on /topic/lobby as an htmx
// out-of-band fragment); a small badge says whether it is.

import { openConnection } from './connection.js';

const badge = document.getElementById('live-status');

/** @param {string} text @param {'live' | 'waiting' | 'offline'} state */
function show(text, state) {
  if (!badge) return;
  badge.textContent = text;
  badge.dataset.state = state;
}

// Changes pushed while the connection was down are lost: after a reconnect the list is fetched again.
let connectedBefore = false;

function reloadRoomList() {
  const htmx = /** @type {any} */ (window).htmx;
  // The page's #room-list carries hx-swap-oob, so htmx swaps it in even with swap 'none'.
  htmx?.ajax('GET', window.location.pathname, { target: '#room-list', swap: 'none' });
}

openConnection({
  standing: ['/user/queue/events', '/topic/lobby'],
  onState: (event) => {
    switch (event.state) {
      case 'connecting':
        show('Connecting…', 'waiting');
        break;
      case 'connected':
        show('Live', 'live');
        if (connectedBefore) reloadRoomList();
        connectedBefore = true;
        break;
      case 'lost':
        show('Offline, retrying…', 'offline');
        break;
      case 'error':
        show(`Offline: ${event.message}`, 'offline');
        break;
    }
  },
});

// One click, one room: no double submissions while the page loads the room.
const form = /** @type {HTMLFormElement | null} */ (document.getElementById('create-room'));
form?.addEventListener('submit', () => {
  const submit = /** @type {HTMLButtonElement | null} */ (document.getElementById('create-room-submit'));
  if (submit) setTimeout(() => (submit.disabled = true), 0);
});
