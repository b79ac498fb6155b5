import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeServer } from '../test-support/call-harness.js';
import { FakeStream, FakeTrack } from '../test-support/fake-rtc.js';
import { allSettled, joinAll, leaveAll, screenClient, screenStream } from '../test-support/screen-harness.js';
import { settle, until } from '../test-support/wire.js';
import { TrackSorter, ScreenSender } from '../src/call/screen-tracks.js';

/** @param {import('../test-support/screen-harness.js').ScreenClient} c @param {string} id */
const screenTrackIds = (c, id) => c.screenOf(id)?.getTracks().map((t) => t.id).sort() ?? [];

test('a screen share from one of three reaches both others as extra tracks, classified as screen; stopping removes it', async () => {
  const server = new FakeServer();
  const [a, b, c] = ['alice', 'bob', 'carol'].map((name) => screenClient(server, name));
  await joinAll([a, b, c]);
  const A = /** @type {string} */ (a.mesh.selfId);
  const share = screenStream('screen-alice');

  a.mesh.startScreen(/** @type {any} */ (share));
  for (const other of [b, c]) {
    await until(() => screenTrackIds(other, A).length === 2, `${other.name} shows alice's screen`);
    assert.equal(other.screenOf(A)?.id, 'screen-alice');
    assert.deepEqual(screenTrackIds(other, A), ['screen-alice-audio', 'screen-alice-video']);
    assert.deepEqual(other.cameraTracks[A].sort(), ['alice-cam', 'alice-mic'], 'the camera tile gets the camera only');
    assert.deepEqual(other.names[A], ['alice']);
  }
  await until(() => allSettled([a, b, c]), 'renegotiated and stable');
  for (const peer of a.mesh.peers.values()) {
    const kinds = peer.pc.getTransceivers().filter((t) => t.direction === 'sendonly').map((t) => t.sender.track?.id);
    assert.deepEqual(kinds.sort(), ['screen-alice-audio', 'screen-alice-video'], 'on sendonly transceivers of their own');
  }
  assert.equal(b.screenOf(a.mesh.selfId ?? ''), b.screens[A].at(-1));
  assert.equal(b.screens[c.mesh.selfId ?? ''], undefined, 'nobody else shares');

  a.mesh.stopScreen();
  for (const other of [b, c]) await until(() => other.screenOf(A) === null, `${other.name} drops alice's screen`);
  await until(() => allSettled([a, b, c]), 'renegotiated after the stop');
  for (const peer of a.mesh.peers.values()) {
    const screens = peer.pc.getTransceivers().filter((t) => 'direction' in t && t.direction !== 'sendrecv');
    assert.deepEqual(screens.map((t) => [t.direction, t.sender.track]), [['inactive', null], ['inactive', null]]);
  }
  // The receivers' streams lost the tracks once the stop was negotiated.
  for (const other of [b, c]) {
    const stream = /** @type {FakeStream} */ (/** @type {unknown} */ (other.screens[A].at(-2)));
    await until(() => stream.getTracks().length === 0, 'the screen tracks removed from the remote stream');
    assert.deepEqual(other.screens[A].map((s) => s?.id ?? null), ['screen-alice', null], 'one start, one end');
  }
  for (const x of [a, b, c]) assert.deepEqual(x.errors, []);
  leaveAll([a, b, c]);
  await settle();
});

test('a late joiner gets an ongoing share: its tracks come before the features channel opens, and are sorted out', async () => {
  const server = new FakeServer();
  const [a, b] = ['alice', 'bob'].map((name) => screenClient(server, name));
  await joinAll([a, b]);
  a.mesh.startScreen(/** @type {any} */ (screenStream('screen-alice')));
  await until(() => b.screenOf(a.mesh.selfId ?? '') !== null, 'bob shows it');

  const d = screenClient(server, 'dave');
  d.mesh.join('standup');
  await until(() => allSettled([a, b, d]), 'dave connected to both');
  const A = a.mesh.selfId ?? '';
  await until(() => screenTrackIds(d, A).length === 2, 'dave shows alice\'s screen');
  assert.deepEqual(d.cameraTracks[A].sort(), ['alice-cam', 'alice-mic']);
  assert.equal(d.screens[b.mesh.selfId ?? ''], undefined);
  assert.deepEqual([...a.errors, ...b.errors, ...d.errors], []);
  leaveAll([a, b, d]);
  await settle();
});

test('a sharer without a camera: the other side\'s camera does not land on the screen\'s sections', async () => {
  const server = new FakeServer();
  const a = screenClient(server, 'alice', { camera: false });
  const b = screenClient(server, 'bob');
  await joinAll([a, b]);
  a.mesh.startScreen(/** @type {any} */ (screenStream('screen-alice')));
  const late = screenClient(server, 'carol');
  late.mesh.join('standup');
  await until(() => allSettled([a, b, late]), 'carol connected');
  await until(() => screenTrackIds(late, a.mesh.selfId ?? '').length === 2, 'carol shows the screen');
  await until(() => (a.cameraTracks[late.mesh.selfId ?? ''] ?? []).length === 2, 'alice gets carol\'s camera and microphone');
  assert.deepEqual(a.cameraTracks[late.mesh.selfId ?? ''].sort(), ['carol-cam', 'carol-mic']);
  leaveAll([a, b, late]);
  await settle();
});

test('sharing again re-uses the transceivers; the others see the new stream', async () => {
  const server = new FakeServer();
  const [a, b] = ['alice', 'bob'].map((name) => screenClient(server, name));
  await joinAll([a, b]);
  const A = a.mesh.selfId ?? '';
  a.mesh.startScreen(/** @type {any} */ (screenStream('first')));
  await until(() => b.screenOf(A)?.id === 'first', 'the first share');
  await until(() => allSettled([a, b]), 'stable');
  const count = a.pc(b.mesh.selfId ?? '').getTransceivers().length;
  a.mesh.stopScreen();
  await until(() => b.screenOf(A) === null && allSettled([a, b]), 'stopped');
  a.mesh.startScreen(/** @type {any} */ (screenStream('second', { audio: false })));
  await until(() => screenTrackIds(b, A).length === 1 && b.screenOf(A)?.id === 'second', 'the second share');
  await until(() => allSettled([a, b]), 'stable again');
  const transceivers = a.pc(b.mesh.selfId ?? '').getTransceivers();
  assert.equal(transceivers.length, count, 'no new transceivers');
  assert.deepEqual(transceivers.filter((t) => 'direction' in t && t.direction !== 'sendrecv').map((t) => t.direction).sort(), ['inactive', 'sendonly'], 'no audio this time');
  assert.deepEqual([...a.errors, ...b.errors], []);
  leaveAll([a, b]);
  await settle();
});

test('glare: two participants start sharing at once; perfect negotiation converges and each sees the other\'s screen', async () => {
  const server = new FakeServer();
  const [a, b] = ['alice', 'bob'].map((name) => screenClient(server, name));
  await joinAll([a, b]);
  const [A, B] = [a.mesh.selfId ?? '', b.mesh.selfId ?? ''];
  a.mesh.startScreen(/** @type {any} */ (screenStream('screen-alice')));
  b.mesh.startScreen(/** @type {any} */ (screenStream('screen-bob')));
  await until(() => screenTrackIds(a, B).length === 2 && screenTrackIds(b, A).length === 2, 'both screens across');
  await until(() => allSettled([a, b]), 'both stable');
  assert.ok(a.pc(B).rollbacks + b.pc(A).rollbacks >= 1, 'the offers crossed: the polite side rolled back');
  assert.deepEqual(a.cameraTracks[B].sort(), ['bob-cam', 'bob-mic']);
  assert.deepEqual(b.cameraTracks[A].sort(), ['alice-cam', 'alice-mic']);
  assert.deepEqual([...a.errors, ...b.errors], []);
  leaveAll([a, b]);
  await settle();
});

test('a sharer who leaves, or is dropped, ends its screen on the others; so does a renewed connection', async () => {
  const server = new FakeServer();
  const [a, b, c] = ['alice', 'bob', 'carol'].map((name) => screenClient(server, name));
  await joinAll([a, b, c]);
  const A = a.mesh.selfId ?? '';
  a.mesh.startScreen(/** @type {any} */ (screenStream('screen-alice')));
  await until(() => b.screenOf(A) !== null && c.screenOf(A) !== null, 'both show it');
  b.mesh.forget(A); // the roster says alice is gone
  assert.equal(b.screenOf(A), null);
  a.mesh.leave();
  await until(() => c.screenOf(A) === null, 'carol drops it on "disconnected"');
  leaveAll([b, c]);
  await settle();
});

test('TrackSorter: a track of a stream not yet named waits for the features message', async () => {
  /** @type {string[]} */
  const camera = [];
  /** @type {(string | null)[]} */
  const screens = [];
  const sorter = new TrackSorter({ onCamera: (t) => camera.push(t.id), onScreen: (s) => screens.push(s?.id ?? null), holdMs: 50 });
  const cam = new FakeStream('cam', []);
  const scr = new FakeStream('scr', []);
  sorter.track(/** @type {any} */ (new FakeTrack('video', 'cam-v')), /** @type {any} */ ([cam]));
  sorter.track(/** @type {any} */ (new FakeTrack('video', 'scr-v')), /** @type {any} */ ([scr]));
  assert.deepEqual([camera, screens], [[], []], 'both wait for the first features message');
  sorter.announce('scr');
  assert.deepEqual(camera, ['cam-v']);
  assert.deepEqual(screens, ['scr']);
  // A later share whose tracks come first: held, then named.
  sorter.announce(null);
  sorter.track(/** @type {any} */ (new FakeTrack('video', 'next-v')), /** @type {any} */ ([new FakeStream('next', [])]));
  assert.deepEqual(screens, ['scr', null]);
  sorter.announce('next');
  assert.deepEqual(screens, ['scr', null, 'next']);
  assert.deepEqual(camera, ['cam-v'], 'the camera tile never saw a screen track');
  sorter.close();
});

test('TrackSorter: never named, a stream counts as the camera after holdMs; named later, it moves to the screen and the camera comes back', async () => {
  /** @type {string[]} */
  const camera = [];
  /** @type {(string | null)[]} */
  const screens = [];
  const sorter = new TrackSorter({ onCamera: (t, s) => camera.push(`${t.id}@${s[0]?.id}`), onScreen: (s) => screens.push(s?.id ?? null), holdMs: 20 });
  sorter.track(/** @type {any} */ (new FakeTrack('video', 'cam-v')), /** @type {any} */ ([new FakeStream('cam', [])]));
  sorter.announce(null); // first message: the first stream is the camera
  sorter.track(/** @type {any} */ (new FakeTrack('video', 'x-v')), /** @type {any} */ ([new FakeStream('x', [])]));
  await until(() => camera.length === 2, 'x counted as camera after the hold');
  assert.deepEqual(camera, ['cam-v@cam', 'x-v@x']);
  sorter.announce('x');
  assert.deepEqual(screens, ['x']);
  assert.deepEqual(camera, ['cam-v@cam', 'x-v@x', 'cam-v@cam'], 'the camera is shown again');
  // A track without a stream goes to the camera at once (today's path).
  sorter.track(/** @type {any} */ (new FakeTrack('audio', 'bare')), []);
  assert.equal(camera.at(-1), 'bare@undefined');
  sorter.close();
});

test('TrackSorter: the screen ends when its video track ends, or when its stream loses its video', async () => {
  /** @type {(string | null)[]} */
  const screens = [];
  const sorter = new TrackSorter({ onCamera: () => {}, onScreen: (s) => screens.push(s?.id ?? null) });
  sorter.announce('s1');
  const video = new FakeTrack('video', 'v1');
  const s1 = new FakeStream('s1', [video]);
  sorter.track(/** @type {any} */ (video), /** @type {any} */ ([s1]));
  video.end();
  assert.deepEqual(screens, ['s1', null]);

  sorter.announce('s2');
  const v2 = new FakeTrack('video', 'v2');
  const s2 = new FakeStream('s2', [v2]);
  sorter.track(/** @type {any} */ (v2), /** @type {any} */ ([s2]));
  s2.removeTrack(v2);
  s2._emit('removetrack', { track: v2 });
  assert.deepEqual(screens, ['s1', null, 's2', null]);
  video.end(); // an old record's listener: nothing more
  assert.equal(screens.length, 4);
  sorter.close();
});

test('ScreenSender: sendonly transceivers named with the stream; stop leaves them inactive without a track', async () => {
  const { FakePeerConnection } = await import('../test-support/fake-rtc.js');
  const pc = new FakePeerConnection();
  /** @type {string[]} */
  const errors = [];
  const sender = new ScreenSender(/** @type {any} */ (pc), (what) => errors.push(what));
  const share = screenStream('s');
  sender.set(/** @type {any} */ (share));
  assert.deepEqual(pc.getTransceivers().map((t) => [t.direction, t.sender.track?.id]), [['sendonly', 's-video'], ['sendonly', 's-audio']]);
  sender.set(null);
  await settle();
  assert.deepEqual(pc.getTransceivers().map((t) => [t.direction, t.sender.track]), [['inactive', null], ['inactive', null]]);
  assert.equal(sender.stream, null);
  assert.deepEqual(errors, []);
  pc.close();
});

test('padMissingKinds: a sharer without a camera offers receive-only sections first, for the other side\'s own microphone and camera', async () => {
  const { FakePeerConnection } = await import('../test-support/fake-rtc.js');
  const { padMissingKinds } = await import('../src/call/screen-tracks.js');
  const pc = new FakePeerConnection();
  padMissingKinds(/** @type {any} */ (pc), /** @type {any} */ (new FakeStream('cam', [new FakeTrack('audio', 'mic')])));
  new ScreenSender(/** @type {any} */ (pc), () => {}).set(/** @type {any} */ (screenStream('s')));
  assert.deepEqual(pc.getTransceivers().map((t) => [/** @type {any} */ (t).kind, t.direction]), [['video', 'recvonly'], ['video', 'sendonly'], ['audio', 'sendonly']]);
  pc.close();
});
