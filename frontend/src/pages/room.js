// The room page: wires the connection, the call session (call/session.js) and the DOM together.
// Page data comes from <body data-room="<slug>">. ICE servers (with TURN credentials) come only
// with the "connect" and "resumed" events, to a participant: never in the page. The resume
// secret lives in sessionStorage (call/resume.js), never in the page either.
//
// For browser tests: <body data-signaling="connecting | connected | reconnecting">,
// data-call="out | joining | waiting | in", data-outcome="refused | removed" (with data-refusal),
// data-owner="true" while we own the room, data-chat="open | closed", data-view="grid | speaker";
// the tiles carry data-hand and data-owner from the roster, data-speaking while someone speaks;
// window.confab.mesh, .session, .adapter, .chat, .hand, .reactions, .owner, .media (our camera and
// microphone), .devices, .screen, .health and .tiles.

import { openConnection } from './connection.js';
import { CallUi } from '../call/call-ui.js';
import { CallSession } from '../call/session.js';
import { LocalMedia } from '../call/local-media.js';
import { installDevicePickers } from '../call/device-pickers.js';
import { installScreenShare, screenMeshEvents } from '../call/screen-share.js';
import { installCallHealth } from '../call/call-health.js';
import { installTileView } from '../call/tile-view.js';
import { ask, installShortcuts } from '../call/shortcuts.js';
import { installLeaveGuard } from '../call/leave-guard.js';
import { ResumeStore } from '../call/resume.js';
import { isNewerRoster, readRoster, rosterIn } from '../call/roster.js';
import { Chat } from '../call/chat.js';
import { HandToggle, markTiles } from '../call/hands.js';
import { Reactions } from '../call/reactions.js';
import { OwnerControls } from '../call/owner-controls.js';

const slug = document.body.dataset.room ?? '';

const ui = new CallUi(document);
/** What the user wants on (the toggles), kept across a leave and a rejoin. */
const wanted = { mic: true, cam: true };
/** @type {import('../call/peer.js').Features} what is on: wanted, and there is such a track */
const features = { mic: false, cam: false };
const localMedia = new LocalMedia({ mediaDevices: navigator.mediaDevices, storage: storageOrNull('localStorage') });

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
const chat = new Chat({ doc: document, send, selfId, readMark: chatReadMark(storageOrNull('sessionStorage'), slug) });
const hand = new HandToggle({ doc: document, send });
const reactions = new Reactions({ doc: document, multiplexer, send, selfId });
const owner = new OwnerControls({ doc: document, send });

const tiles = installTileView({ doc: document, win: window });
/** @type {ReturnType<typeof installCallHealth> | undefined} set once the session exists (the first call state comes before) */
let health;
/** Set right below; the screen's mesh events are called only once there is a call. */
let screen = /** @type {ReturnType<typeof installScreenShare> | undefined} */ (undefined);
const screenEvents = screenMeshEvents({ doc: document, nameOf: (id) => call.mesh.nameOf(id) ?? '' });

performance.mark('confab:modules');
/** @type {Promise<import('../call/local-media.js').Acquired> | null} our camera and microphone, while they run */
let media = null;

/** Starts the camera and microphone (again, after a leave), onto the self tile and the mesh. */
function startMedia() {
  if (media && localMedia.needsAcquire) media = null; // a device chosen while none ran starts now
  media ??= localMedia.acquire().then((local) => {
    performance.mark('confab:media');
    // Runs after this module's body: `call` exists by then.
    features.mic = local.audio && wanted.mic;
    features.cam = local.video && wanted.cam;
    localMedia.setEnabled('mic', features.mic);
    localMedia.setEnabled('cam', features.cam);
    ui.showLocalMedia({ ...local, problem: local.problem ?? local.notice ?? null }, { on: features });
    call.mesh.setLocalStream(local.stream);
    call.mesh.setFeatures(features);
    devices.refresh().catch((error) => console.warn('confab: devices', error));
    return local;
  });
  return media;
}

/** Leave: every track of ours ends (the browser's recording indicator goes off); the toggles keep the choice. */
function stopMedia() {
  media = null;
  screen?.stop();
  localMedia.stop();
  call.mesh.setLocalStream(null);
  features.mic = false;
  features.cam = false;
  ui.showLocalMedia({ stream: null, audio: false, video: false, problem: null }, { on: wanted, available: { mic: true, cam: true } });
}

const call = new CallSession({
  slug,
  multiplexer,
  connection: adapter,
  ui,
  store: new ResumeStore(storageOrNull('sessionStorage'), slug),
  media: startMedia,
  stopMedia,
  meshEvents: screenEvents,
  readRoster: () => readRoster(document.getElementById('roster')),
  muteMicrophone: () => setDevice('mic', false),
  onCallState: (state) => {
    const inCall = state === 'in';
    chat.setAvailable(inCall);
    hand.setAvailable(inCall);
    reactions.setAvailable(inCall);
    screen?.setAvailable(inCall);
    if (inCall) health?.start();
    else if (state === 'out') health?.stop();
    // Our own id is known (or gone) now: the roster's marks for it apply (or stop applying).
    roomChanged();
  },
});
session = call;
const notify = (/** @type {string} */ text) => ui.mediaProblem(text);
const devices = installDevicePickers({
  doc: document,
  media: localMedia,
  mesh: call.mesh,
  mediaDevices: navigator.mediaDevices,
  storage: storageOrNull('localStorage'),
  notify,
});
screen = installScreenShare({ doc: document, mesh: call.mesh, mediaDevices: navigator.mediaDevices, notify });
health = installCallHealth({
  doc: document,
  mesh: call.mesh,
  localAudioEnabled: () => features.mic,
  onSpeaker: (tileId) => tiles.setActiveSpeaker(tileId),
});
startMedia();
roomChanged();

// For browser tests and for poking at the call from the console. Holds no secret.
Object.assign(window, {
  confab: Object.freeze({ mesh: call.mesh, session: call, adapter, chat, hand, reactions, owner, media: localMedia, devices, screen, health, tiles }),
});

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
document.getElementById('show-help')?.addEventListener('click', () => ask(dialog('help-dialog')));
showRoomLink();
installLeaveGuard({ win: window, inCall: () => call.callState === 'in' });
installShortcuts({
  doc: document,
  actions: {
    mic: () => toggle('mic'),
    cam: () => toggle('cam'),
    screen: () => (call.callState === 'in' ? screen?.toggle() : undefined),
    chat: () => clickIfEnabled('toggle-chat'),
    hand: () => clickIfEnabled('toggle-hand'),
    view: () => tiles.toggleView(),
    leave: async () => {
      if (call.callState === 'in' && (await ask(dialog('leave-dialog'))) === 'leave') call.leave();
    },
    help: () => ask(dialog('help-dialog')),
  },
});

/** @param {string} id @returns {HTMLDialogElement | null} */
function dialog(id) {
  return /** @type {HTMLDialogElement | null} */ (document.getElementById(id));
}

/** @param {string} id a button: a shortcut does what its click does, when it can be clicked */
function clickIfEnabled(id) {
  const button = /** @type {HTMLButtonElement | null} */ (document.getElementById(id));
  if (button && !button.disabled && !button.hidden) button.click();
}

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

/**
 * @param {'sessionStorage' | 'localStorage'} which
 * @returns {Storage | null} null when the browser blocks it: a reload joins afresh, device choices are not kept
 */
function storageOrNull(which) {
  try {
    return window[which];
  } catch {
    return null;
  }
}

/** @param {'mic' | 'cam'} kind */
async function toggle(kind) {
  if (!media) {
    // Out of a call after a leave: nothing runs; the choice applies to the next join.
    wanted[kind] = !wanted[kind];
    ui.setDevice(kind, wanted[kind], true);
    return;
  }
  await media; // what is on is known once the devices are
  await setDevice(kind, !features[kind]);
}

/**
 * Turns our microphone or camera on or off: the tracks, the toggle, the self tile, the peers.
 * @param {'mic' | 'cam'} kind
 * @param {boolean} on
 */
async function setDevice(kind, on) {
  const local = await (media ?? startMedia());
  if (!(kind === 'mic' ? local.audio : local.video)) return;
  wanted[kind] = on;
  features[kind] = on;
  localMedia.setEnabled(kind, on);
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
