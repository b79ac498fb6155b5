// The room page: wires the connection, the call session (call/session.js) and the DOM together.
// Page data comes from <body data-room="<slug>">. ICE servers (with TURN credentials) come only
// with the "connect" and "resumed" events, to a participant: never in the page. The resume
// secret lives in sessionStorage (call/resume.js), never in the page either.
//
// For browser tests: <body data-signaling="connecting | connected | reconnecting">,
// data-call="out | joining | waiting | in", data-outcome="refused | removed" (with data-refusal),
// data-owner="true" while we own the room, data-chat="open | closed"; the tiles carry data-hand and
// data-owner from the roster; window.confab.mesh, .session, .adapter, .chat, .hand, .reactions
// and .owner.

import { openConnection } from './connection.js';
import { CallUi } from '../call/call-ui.js';
import { CallSession } from '../call/session.js';
import { acquireMedia } from '../call/media.js';
import { ResumeStore } from '../call/resume.js';
import { isNewerRoster, readRoster, rosterIn } from '../call/roster.js';
import { Chat } from '../call/chat.js';
import { HandToggle, markTiles } from '../call/hands.js';
import { Reactions } from '../call/reactions.js';
import { OwnerControls } from '../call/owner-controls.js';

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
  afterHtml: () => {
    session?.applyRoster();
    roomChanged();
  },
  onPageHide: () => !!session?.pageHidden(),
});

/** @type {(destination: string, body: unknown) => boolean} */
const send = (destination, body) => adapter.send(destination, body);
/** Our participant id in the call (null out of it); `call` is set before any message comes. */
const selfId = () => session?.mesh.selfId ?? null;
const chat = new Chat({ doc: document, send, selfId, readMark: chatReadMark(sessionStorageOrNull(), slug) });
const hand = new HandToggle({ doc: document, send });
const reactions = new Reactions({ doc: document, multiplexer, send, selfId });
const owner = new OwnerControls({ doc: document, send });

performance.mark('confab:modules');
const media = acquireMedia(navigator.mediaDevices).then((local) => {
  performance.mark('confab:media');
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
  muteMicrophone: () => setDevice('mic', false),
  onCallState: (state) => {
    const inCall = state === 'in';
    chat.setAvailable(inCall);
    hand.setAvailable(inCall);
    reactions.setAvailable(inCall);
    // Our own id is known (or gone) now: the roster's marks for it apply (or stop applying).
    roomChanged();
  },
});
session = call;
roomChanged();

// For browser tests and for poking at the call from the console. Holds no secret.
Object.assign(window, { confab: Object.freeze({ mesh: call.mesh, session: call, adapter, chat, hand, reactions, owner }) });

/**
 * After every fragment and call state change: the roster's hands, owners and room state onto
 * the tiles and controls; new chat messages counted.
 */
function roomChanged() {
  const roster = readRoster(document.getElementById('roster'));
  const id = selfId();
  markTiles(document, roster, id);
  hand.apply(roster, id);
  owner.apply(roster, id);
  chat.update();
}

document.getElementById('join')?.addEventListener('click', () => (call.waiting ? call.stopWaiting() : call.join()));
document.getElementById('leave')?.addEventListener('click', () => call.leave());
document.getElementById('toggle-mic')?.addEventListener('click', () => toggle('mic'));
document.getElementById('toggle-cam')?.addEventListener('click', () => toggle('cam'));
document.getElementById('copy-link')?.addEventListener('click', copyLink);
showRoomLink();

/**
 * Where this tab keeps the last chat message it read, so that a reload's history is not unread again.
 * @param {Storage | null} storage
 * @param {string} room
 * @returns {import('../call/chat.js').ReadMark}
 */
function chatReadMark(storage, room) {
  const key = `confab.chat-read.${room}`;
  return {
    load: () => {
      try {
        return Number(storage?.getItem(key)) || 0;
      } catch {
        return 0;
      }
    },
    save: (seq) => {
      try {
        storage?.setItem(key, String(seq));
      } catch {
        // without storage a reload shows the history as unread: no harm done
      }
    },
  };
}

function sessionStorageOrNull() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: a reload joins afresh
  }
}

/** @param {'mic' | 'cam'} kind */
async function toggle(kind) {
  await media; // what is on is known once the devices are
  await setDevice(kind, !features[kind]);
}

/**
 * Turns our microphone or camera on or off: the tracks, the toggle, the self tile, the peers.
 * @param {'mic' | 'cam'} kind
 * @param {boolean} on
 */
async function setDevice(kind, on) {
  const local = await media;
  const tracks = kind === 'mic' ? local.stream?.getAudioTracks() : local.stream?.getVideoTracks();
  if (!tracks?.length) return;
  features[kind] = on;
  for (const track of tracks) track.enabled = on;
  ui.setDevice(kind, on, true);
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
