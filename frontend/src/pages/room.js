// The room page: wires the connection, the mesh and the call UI together.
// Page data comes from <body data-room="<slug>">. ICE servers (with TURN credentials) come only
// with the "connect" event, to a participant who joined: never in the page.

import { openConnection } from './connection.js';
import { Mesh } from '../call/mesh.js';
import { CallUi } from '../call/call-ui.js';
import { acquireMedia } from '../call/media.js';

const slug = document.body.dataset.room ?? '';
const roomTopic = `/topic/room.${slug}`;
/** How long a join may go unanswered before the status line says so. */
const JOIN_PATIENCE_MS = 10000;

const ui = new CallUi(document);
/** The user wants to be in the call: joins again after a reconnect. */
let wantInCall = false;
let everConnected = false;
/** @type {string | null} */
let lastServerError = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let joinTimer;
/** @type {import('../call/peer.js').Features} */
const features = { mic: false, cam: false };

const { multiplexer, adapter } = openConnection({ standing: ['/user/queue/events'], onState: connectionChanged });

const mesh = new Mesh({
  multiplexer,
  send: (destination, body) => adapter.send(destination, body),
  events: {
    onJoined: () => {
      clearTimeout(joinTimer);
      adapter.subscribe(roomTopic);
      ui.setCallState('in');
      const relayOnly = mesh.iceTransportPolicy === 'relay';
      document.body.dataset.icePolicy = mesh.iceTransportPolicy;
      ui.status(relayOnly ? 'You are in the call. Relay-only room: the others never see your address.' : 'You are in the call.', 'ok');
    },
    onPeerAdded: (id) => ui.peerAdded(id),
    onPeerRemoved: (id) => ui.removeTile(id),
    onTrack: (id, track, streams) => ui.peerTrack(id, mesh.nameOf(id) ?? '', track, streams),
    onFeatures: (id, remote) => ui.peerFeatures(id, remote),
    onPeerState: (id, state) => ui.peerState(id, state),
    onPeerProblem: (id, problem) => ui.peerProblem(id, mesh.nameOf(id) ?? '', problem),
    onError: (what, error) => console.warn(`confab: ${what}`, error),
  },
});

// For browser tests and for poking at the call from the console.
Object.assign(window, { confab: { mesh } });

ui.setCallState('out');
ui.status('Connecting…');
const media = acquireMedia(navigator.mediaDevices).then((local) => {
  ui.showLocalMedia(local);
  features.mic = local.audio;
  features.cam = local.video;
  mesh.setLocalStream(local.stream);
  mesh.setFeatures(features);
  return local;
});

document.getElementById('join')?.addEventListener('click', join);
document.getElementById('leave')?.addEventListener('click', leave);
document.getElementById('toggle-mic')?.addEventListener('click', () => toggle('mic'));
document.getElementById('toggle-cam')?.addEventListener('click', () => toggle('cam'));
document.getElementById('copy-link')?.addEventListener('click', copyLink);
showRoomLink();

async function join() {
  wantInCall = true;
  ui.setCallState('joining');
  ui.status('Starting your camera and microphone…');
  await media;
  if (!wantInCall) return;
  if (adapter.connected) sendJoin();
  else ui.status('Waiting for the connection to the server…', 'warn');
}

function sendJoin() {
  ui.clearRemoteTiles(); // whatever is left from an earlier session
  if (!mesh.join(slug)) {
    ui.status('Not connected to the server yet; joining as soon as it is back.', 'warn');
    return;
  }
  ui.status('Joining…');
  clearTimeout(joinTimer);
  joinTimer = setTimeout(() => {
    if (wantInCall && !mesh.selfId) ui.status('The server has not answered yet. Still trying…', 'warn');
  }, JOIN_PATIENCE_MS);
}

function leave() {
  wantInCall = false;
  clearTimeout(joinTimer);
  mesh.leave();
  delete document.body.dataset.icePolicy;
  adapter.unsubscribe(roomTopic);
  ui.clearRemoteTiles();
  ui.setCallState('out');
  ui.status('You left the call. Join again whenever you like.');
}

/** @param {import('../mux/stomp-adapter.js').ConnectionEvent} event */
async function connectionChanged(event) {
  switch (event.state) {
    case 'connecting':
      ui.status(everConnected ? reconnectingText() : 'Connecting…', everConnected ? 'warn' : 'info');
      break;
    case 'connected':
      everConnected = true;
      lastServerError = null;
      if (wantInCall) {
        await media;
        if (wantInCall && adapter.connected && !mesh.slug) sendJoin();
      } else {
        ui.status('Connected. Join the call when you are ready.', 'ok');
      }
      break;
    case 'lost':
      // The server ends a closed session's call; the peers are gone with it.
      clearTimeout(joinTimer);
      if (mesh.slug) mesh.reset();
      ui.clearRemoteTiles();
      if (wantInCall) ui.setCallState('joining');
      ui.status(event.wasConnected ? reconnectingText() : 'Cannot reach the server. Retrying…', 'warn');
      break;
    case 'error':
      lastServerError = event.message ?? null;
      ui.status(`The server refused: ${event.message}`, 'error');
      break;
  }
}

function reconnectingText() {
  const why = lastServerError ? ` (the server said: ${lastServerError})` : '';
  return wantInCall ? `Connection lost${why}. Reconnecting, then rejoining…` : `Connection lost${why}. Reconnecting…`;
}

/** @param {'mic' | 'cam'} kind */
async function toggle(kind) {
  const local = await media;
  const tracks = kind === 'mic' ? local.stream?.getAudioTracks() : local.stream?.getVideoTracks();
  if (!tracks?.length) return;
  features[kind] = !features[kind];
  for (const track of tracks) track.enabled = features[kind];
  ui.setDevice(kind, features[kind], true);
  mesh.setFeatures(features);
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
