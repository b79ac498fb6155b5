// The room page: wires the connection, the call session (call/session.js) and the DOM together.
// Page data comes from <body data-room="<slug>">. ICE servers (with TURN credentials) come only
// with the "connect" and "resumed" events, to a participant: never in the page. The resume
// secret lives in sessionStorage (call/resume.js), never in the page either.
//
// For browser tests: <body data-signaling="connecting | connected | reconnecting"> and
// data-call="out | joining | in"; window.confab.mesh, .session and .adapter.

import { openConnection } from './connection.js';
import { CallUi } from '../call/call-ui.js';
import { CallSession } from '../call/session.js';
import { acquireMedia } from '../call/media.js';
import { ResumeStore } from '../call/resume.js';
import { isNewerRoster, readRoster, rosterIn } from '../call/roster.js';

const slug = document.body.dataset.room ?? '';

const ui = new CallUi(document);
/** @type {import('../call/peer.js').Features} */
const features = { mic: false, cam: false };

// Rosters may arrive out of order (topic vs personal queue): only a newer one replaces ours.
document.addEventListener('htmx:oobBeforeSwap', (event) => {
  const detail = /** @type {CustomEvent} */ (event).detail;
  if (detail?.target?.id === 'roster' && !isNewerRoster(detail.target, rosterIn(detail.fragment))) detail.shouldSwap = false;
});

/** @type {CallSession | undefined} set right below; the first "connecting" comes before it */
let session;
// The room topic is standing: the roster is live before joining and after leaving, too.
const { multiplexer, adapter } = openConnection({
  standing: ['/user/queue/events', `/topic/room.${slug}`],
  onState: (event) => {
    session?.connectionChanged(event).catch((error) => console.warn('confab: connection state', error));
  },
  inCall: () => !!session?.inCall,
  afterHtml: () => session?.applyRoster(),
  onPageHide: () => !!session?.pageHidden(),
});

const media = acquireMedia(navigator.mediaDevices).then((local) => {
  // Runs after this module's body: `call` exists by then.
  ui.showLocalMedia(local);
  features.mic = local.audio;
  features.cam = local.video;
  call.mesh.setLocalStream(local.stream);
  call.mesh.setFeatures(features);
  return local;
});

const call = new CallSession({
  slug,
  multiplexer,
  connection: adapter,
  ui,
  store: new ResumeStore(sessionStorageOrNull(), slug),
  media,
  readRoster: () => readRoster(document.getElementById('roster')),
});
session = call;

// For browser tests and for poking at the call from the console. Holds no secret.
Object.assign(window, { confab: Object.freeze({ mesh: call.mesh, session: call, adapter }) });

document.getElementById('join')?.addEventListener('click', () => call.join());
document.getElementById('leave')?.addEventListener('click', () => call.leave());
document.getElementById('toggle-mic')?.addEventListener('click', () => toggle('mic'));
document.getElementById('toggle-cam')?.addEventListener('click', () => toggle('cam'));
document.getElementById('copy-link')?.addEventListener('click', copyLink);
showRoomLink();

function sessionStorageOrNull() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: a reload joins afresh
  }
}

/** @param {'mic' | 'cam'} kind */
async function toggle(kind) {
  const local = await media;
  const tracks = kind === 'mic' ? local.stream?.getAudioTracks() : local.stream?.getVideoTracks();
  if (!tracks?.length) return;
  features[kind] = !features[kind];
  for (const track of tracks) track.enabled = features[kind];
  ui.setDevice(kind, features[kind], true);
  call.mesh.setFeatures(features);
}

function roomUrl() {
  return `${window.location.origin}${window.location.pathname}`;
}

function showRoomLink() {
  const input = /** @type {HTMLInputElement | null} */ (document.getElementById('room-link'));
  if (input) input.value = roomUrl();
}

async function copyLink() {
  const button = document.getElementById('copy-link');
  const label = button?.querySelector('.label') ?? button;
  const input = /** @type {HTMLInputElement | null} */ (document.getElementById('room-link'));
  let copied = false;
  try {
    await navigator.clipboard.writeText(roomUrl());
    copied = true;
  } catch {
    input?.select(); // let the user copy it by hand
  }
  if (!label) return;
  const before = label.textContent;
  label.textContent = copied ? 'Copied!' : 'Copy it from the box';
  setTimeout(() => {
    label.textContent = before;
  }, 2000);
}
