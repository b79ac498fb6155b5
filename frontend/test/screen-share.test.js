import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDocument } from '../test-support/fake-dom.js';
import { el } from '../test-support/room-dom.js';
import { FakeServer } from '../test-support/call-harness.js';
import { FakePeerConnection, FakeStream, FakeTrack } from '../test-support/fake-rtc.js';
import { Wire, settle, until } from '../test-support/wire.js';
import { joinAll, leaveAll, screenClient, screenStream } from '../test-support/screen-harness.js';
import { installScreenShare, displayMediaErrorText } from '../src/call/screen-share.js';
import { createScreenTiles, screenMeshEvents } from '../src/call/screen-tiles.js';
import { parseFeatures, serializeFeatures, isStreamId } from '../src/call/features-channel.js';
import { Peer } from '../src/call/peer.js';

/** The parts of the room page the screen share uses: #tiles with a camera tile, the button. */
function page() {
  const doc = new FakeDocument();
  doc.body.append(
    el(doc, 'div', { id: 'tiles' },
      el(doc, 'figure', { id: 'tile-self', class: 'tile self' }, el(doc, 'video')),
      el(doc, 'figure', { id: 'tile-P2', class: 'tile remote', 'data-participant': 'P2' }, el(doc, 'video'), el(doc, 'figcaption', {}, el(doc, 'span', { class: 'name' }, 'bob')))),
    el(doc, 'button', { id: 'toggle-screen', 'aria-pressed': 'false' }, el(doc, 'span', { class: 'label' }, 'Share screen')),
  );
  return doc;
}

/** A mesh that records what the share asks of it. */
function recordingMesh() {
  /** @type {(string | null)[]} */
  const calls = [];
  return { calls, startScreen: (/** @type {any} */ s) => calls.push(s.id), stopScreen: () => calls.push(null) };
}

/** @param {(() => Promise<any>)} getDisplayMedia */
function devices(getDisplayMedia) {
  /** @type {any[]} */
  const asked = [];
  return { asked, getDisplayMedia: (/** @type {any} */ constraints) => (asked.push(constraints), getDisplayMedia()) };
}

const button = (/** @type {FakeDocument} */ doc) => /** @type {any} */ (doc.getElementById('toggle-screen'));

test('the button: disabled out of a call (and says why); sharing asks for screen and tab audio, marks the video "detail", previews it', async () => {
  const doc = page();
  const mesh = recordingMesh();
  const share = screenStream('s1');
  const media = devices(async () => share);
  const screen = installScreenShare({ doc: /** @type {any} */ (doc), mesh, mediaDevices: /** @type {any} */ (media) });
  assert.equal(button(doc).disabled, true);
  assert.equal(button(doc).title, 'Join the call to share your screen');
  await screen.toggle();
  assert.equal(media.asked.length, 0, 'nothing out of a call');

  screen.setAvailable(true);
  assert.equal(button(doc).disabled, false);
  button(doc).click();
  await until(() => screen.sharing, 'sharing');
  assert.deepEqual(media.asked, [{ video: true, audio: true }]);
  assert.deepEqual(mesh.calls, ['s1']);
  assert.equal(share.getVideoTracks()[0].contentHint, 'detail');
  assert.equal(button(doc).getAttribute('aria-pressed'), 'true');
  assert.equal(button(doc).querySelector('.label').textContent, 'Stop sharing');
  const preview = /** @type {any} */ (doc.getElementById('screen-self'));
  assert.equal(preview.className, 'tile screen self');
  assert.equal(preview.querySelector('.name').textContent, 'Your screen');
  assert.equal(preview.querySelector('video').muted, true);
  assert.equal(preview.querySelector('video').srcObject, share);

  await screen.toggle();
  assert.equal(screen.sharing, false);
  assert.deepEqual(mesh.calls, ['s1', null]);
  assert.ok(share.getTracks().every((t) => t.readyState === 'ended'), 'our tracks stopped');
  assert.equal(doc.getElementById('screen-self'), null);
  assert.equal(button(doc).getAttribute('aria-pressed'), 'false');
  assert.equal(button(doc).querySelector('.label').textContent, 'Share screen');
});

test('the browser\'s own "Stop sharing" (the video track ends) stops it; so does leaving the call', async () => {
  const doc = page();
  const mesh = recordingMesh();
  let n = 0;
  /** @type {FakeStream[]} */
  const given = [];
  const media = devices(async () => (given.push(screenStream(`s${++n}`)), given.at(-1)));
  const screen = installScreenShare({ doc: /** @type {any} */ (doc), mesh, mediaDevices: /** @type {any} */ (media) });
  screen.setAvailable(true);
  await screen.toggle();
  given[0].getVideoTracks()[0].end();
  assert.equal(screen.sharing, false);
  assert.deepEqual(mesh.calls, ['s1', null]);
  assert.equal(given[0].getAudioTracks()[0].readyState, 'ended', 'the tab audio stopped too');

  await screen.toggle();
  assert.equal(screen.sharing, true);
  screen.setAvailable(false);
  assert.equal(screen.sharing, false);
  assert.deepEqual(mesh.calls, ['s1', null, 's2', null]);
  assert.equal(button(doc).disabled, true);
  assert.equal(doc.getElementById('screen-self'), null);
});

test('a cancelled picker says nothing; other failures are told; no getDisplayMedia: disabled with a reason; leaving while asked', async () => {
  const cancelled = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
  const unreadable = Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' });
  /** @type {string[]} */
  const told = [];
  const doc = page();
  const mesh = recordingMesh();
  let failure = cancelled;
  const screen = installScreenShare({ doc: /** @type {any} */ (doc), mesh, mediaDevices: /** @type {any} */ (devices(() => Promise.reject(failure))), notify: (t) => told.push(t) });
  screen.setAvailable(true);
  await screen.toggle();
  assert.deepEqual([told, mesh.calls, screen.sharing], [[], [], false]);
  failure = unreadable;
  await screen.toggle();
  assert.equal(told.length, 1);
  assert.match(told[0], /could not be captured/);
  assert.equal(button(doc).disabled, false, 'the user may try again');
  assert.equal(displayMediaErrorText(Object.assign(new Error('Permission denied by system'), { name: 'NotAllowedError' }))?.includes('system'), true);

  const bare = page();
  installScreenShare({ doc: /** @type {any} */ (bare), mesh, mediaDevices: /** @type {any} */ ({}) }).setAvailable(true);
  assert.equal(button(bare).disabled, true);
  assert.equal(button(bare).title, 'Your browser cannot share a screen');

  // The call ends while the browser asks what to share: the stream it gives is stopped at once.
  /** @type {(s: FakeStream) => void} */
  let give = () => {};
  const slow = page();
  const slowMesh = recordingMesh();
  const late = installScreenShare({ doc: /** @type {any} */ (slow), mesh: slowMesh, mediaDevices: /** @type {any} */ (devices(() => new Promise((resolve) => (give = resolve)))) });
  late.setAvailable(true);
  const asking = late.toggle();
  late.setAvailable(false);
  const s = screenStream('late');
  give(s);
  await asking;
  assert.equal(late.sharing, false);
  assert.deepEqual(slowMesh.calls, []);
  assert.ok(s.getTracks().every((t) => t.readyState === 'ended'));
});

test('remote screen tiles: "‹name›\'s screen", data-screen-of and data-shared-at, sound on; removed at the end; clear() takes all', () => {
  const doc = page();
  let clock = 1000;
  const tiles = createScreenTiles({ doc: /** @type {any} */ (doc), now: () => clock });
  const events = screenMeshEvents(tiles);
  const s1 = /** @type {any} */ (screenStream('a'));
  events.onScreen?.('P2', s1, ''); // no name from the mesh: the camera tile's
  clock = 2000;
  events.onScreen?.('P3', /** @type {any} */ (screenStream('b')), '<b>carol</b>');
  const tile = /** @type {any} */ (doc.getElementById('screen-P2'));
  assert.equal(tile.className, 'tile screen');
  assert.equal(tile.dataset.screenOf, 'P2');
  assert.equal(tile.dataset.participant, undefined, 'not a camera tile: roster and owner menus leave it alone');
  assert.equal(tile.dataset.sharedAt, '1000');
  assert.equal(tile.querySelector('.name').textContent, "bob's screen");
  assert.equal(tile.querySelector('video').muted, false);
  assert.equal(tile.querySelector('video').srcObject, s1);
  const other = /** @type {any} */ (doc.getElementById('screen-P3'));
  assert.equal(other.querySelector('.name').textContent, "<b>carol</b>'s screen", 'text, never markup');
  assert.equal(other.querySelector('.name').children.length, 0);
  assert.equal(other.dataset.sharedAt, '2000', 'the newest share');

  events.onScreen?.('P2', null, 'bob');
  assert.equal(doc.getElementById('screen-P2'), null);
  tiles.showSelf(/** @type {any} */ (screenStream('mine')));
  tiles.clear();
  assert.deepEqual(doc.querySelectorAll('#tiles .tile.screen'), []);
  assert.ok(doc.getElementById('tile-P2'), 'camera tiles stay');
});

test('end to end: the browser\'s stop on the sharer\'s page removes the screen tile on the others', async () => {
  const server = new FakeServer();
  const [a, b, c] = ['alice', 'bob', 'carol'].map((name) => screenClient(server, name));
  await joinAll([a, b, c]);
  const A = a.mesh.selfId ?? '';
  const pages = [b, c].map((x) => {
    const doc = page();
    const tiles = createScreenTiles({ doc: /** @type {any} */ (doc) });
    const { onScreen } = screenMeshEvents(tiles);
    return { x, doc, onScreen };
  });
  const share = screenStream('screen-alice');
  const sharer = installScreenShare({ doc: /** @type {any} */ (page()), mesh: a.mesh, mediaDevices: /** @type {any} */ ({ getDisplayMedia: async () => share }) });
  sharer.setAvailable(true);
  await sharer.toggle();
  for (const { x, doc, onScreen } of pages) {
    await until(() => x.screenOf(A) !== null, `${x.name} has the screen`);
    onScreen?.(A, x.screenOf(A), 'alice');
    assert.equal(doc.getElementById(`screen-${A}`)?.querySelector('.name')?.textContent, "alice's screen");
  }
  share.getVideoTracks()[0].end(); // "Stop sharing" in the browser's bar
  for (const { x, doc, onScreen } of pages) {
    await until(() => x.screenOf(A) === null, `${x.name} told it ended`);
    onScreen?.(A, null, 'alice');
    assert.equal(doc.getElementById(`screen-${A}`), null);
  }
  leaveAll([a, b, c]);
  await settle();
});

test('features messages: screen is a short stream id or null, may be missing; hostile input is rejected', () => {
  assert.deepEqual(parseFeatures('{"mic":true,"cam":false}'), { mic: true, cam: false, screen: null });
  assert.deepEqual(parseFeatures('{"mic":true,"cam":true,"screen":null}'), { mic: true, cam: true, screen: null });
  assert.deepEqual(parseFeatures('{"mic":false,"cam":true,"screen":"{3f2a-9c}"}'), { mic: false, cam: true, screen: '{3f2a-9c}' });
  assert.deepEqual(parseFeatures('{"mic":true,"cam":true,"screen":"a1b2","extra":1}')?.screen, 'a1b2', 'unknown fields ignored');
  for (const hostile of [
    '{"mic":true,"cam":true,"screen":"<img src=x onerror=alert(1)>"}',
    '{"mic":true,"cam":true,"screen":"has space"}',
    `{"mic":true,"cam":true,"screen":"${'x'.repeat(65)}"}`,
    '{"mic":true,"cam":true,"screen":""}',
    '{"mic":true,"cam":true,"screen":42}',
    '{"mic":true,"cam":true,"screen":{"id":"a"}}',
    '{"mic":true,"cam":true,"screen":["a"]}',
    '{"mic":"yes","cam":true}',
    '{"cam":true}',
    '[true,true]',
    'null',
    '"mic"',
    'not json',
    `{"mic":true,"cam":true,"pad":"${'x'.repeat(600)}"}`,
    '{"__proto__":{"mic":true},"cam":true}',
  ]) {
    assert.equal(parseFeatures(hostile), null, hostile.slice(0, 60));
  }
  assert.equal(parseFeatures(/** @type {any} */ (new ArrayBuffer(8))), null);
  assert.equal(serializeFeatures({ mic: true, cam: false, screen: 'bad id!' }), '{"mic":true,"cam":false,"screen":null}');
  assert.equal(isStreamId('5e1c0b9a-0d7c-4b1e-9f0a-2a6c1d3e4f5a'), true);
});

test('a peer ignores (and reports) a features message with a hostile screen id: nothing is shown as a screen', async () => {
  const wire = new Wire();
  /** @type {string[]} */
  const errors = [];
  /** @type {(MediaStream | null)[]} */
  const screens = [];
  /** @type {any[]} */
  const features = [];
  const make = (/** @type {'p' | 'i'} */ me, /** @type {'p' | 'i'} */ them) =>
    new Peer({
      polite: me === 'p',
      send: wire.sender(me, them),
      localStream: /** @type {any} */ (new FakeStream(`cam-${me}`, [new FakeTrack('video', `${me}-v`)])),
      onScreen: (s) => screens.push(s),
      onFeatures: (f) => me === 'p' && features.push(f),
      onError: (what, error) => errors.push(`${me} ${what}: ${/** @type {Error} */ (error).message}`),
      RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
    });
  const p = make('p', 'i');
  const i = make('i', 'p');
  wire.attach('p', (m) => p.handleSignal(m));
  wire.attach('i', (m) => i.handleSignal(m));
  await until(() => features.length === 1, 'the first features message');
  const channel = /** @type {any} */ (i.pc).channels[0];
  channel.send('{"mic":true,"cam":true,"screen":"../../etc"}');
  await settle();
  assert.equal(features.length, 1);
  assert.deepEqual(screens, []);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^p features message/);
  assert.deepEqual(p.remoteFeatures, { mic: true, cam: true }, 'the last valid message stands');
  p.close();
  i.close();
});

test('screenMeshEvents also takes the document and a nameOf (what room.js hands it), from screen-share.js', async () => {
  const { screenMeshEvents: fromShare } = await import('../src/call/screen-share.js');
  const doc = page();
  const { onScreen } = fromShare({ doc: /** @type {any} */ (doc), nameOf: (id) => (id === 'P7' ? 'dave' : '') });
  onScreen?.('P7', /** @type {any} */ (screenStream('d')), '');
  assert.equal(doc.getElementById('screen-P7')?.querySelector('.name')?.textContent, "dave's screen");
  onScreen?.('P7', null, '');
  assert.equal(doc.getElementById('screen-P7'), null);
});
