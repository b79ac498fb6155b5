import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakePeerConnection, FakeStream, FakeTrack, withNetwork } from '../test-support/fake-rtc.js';
import { FakeServer, client } from '../test-support/call-harness.js';
import { until, settle } from '../test-support/wire.js';
import { problemKind } from '../src/call/ice.js';

/** An offer made by a stand-alone fake pc, as a remote participant would send it. */
async function remoteOffer() {
  const remote = new FakePeerConnection();
  remote.addTrack(new FakeTrack('audio', 'remote-audio'), new FakeStream('remote'));
  await remote.setLocalDescription();
  return { remote, offer: /** @type {{type: string, sdp: string}} */ (remote.localDescription) };
}

test('join and leave SEND to the room destinations; leave closes every peer', async () => {
  const { mesh, sent, rtc, pc, removed } = client();
  assert.equal(mesh.join('standup'), true);
  assert.deepEqual(sent.shift(), { destination: '/app/room/standup/join', body: {} });

  rtc({ type: 'connect', id: 'B', name: 'bob' });
  rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }, { id: 'C', name: 'carol' }] });
  const pcs = [pc('A'), pc('C')];

  assert.equal(mesh.leave(), true);
  assert.deepEqual(sent.at(-1), { destination: '/app/room/standup/leave', body: {} });
  assert.equal(mesh.peers.size, 0);
  assert.deepEqual(pcs.map((p) => p.signalingState), ['closed', 'closed']);
  assert.deepEqual(removed.sort(), ['A', 'C']);
  assert.equal(mesh.selfId, null);
  assert.equal(mesh.leave(), false, 'nothing to leave any more');
  await settle();
});

test('the newcomer is impolite toward "others"; whoever gets "other" is polite', async () => {
  const newcomer = client();
  newcomer.mesh.join('standup');
  newcomer.rtc({ type: 'connect', id: 'B', name: 'bob' });
  newcomer.rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }, { id: 'B', name: 'bob' }] });
  assert.equal(newcomer.mesh.selfId, 'B');
  assert.deepEqual([...newcomer.mesh.peers.keys()], ['A'], 'no peer with oneself');
  assert.equal(newcomer.mesh.peers.get('A')?.polite, false);
  assert.equal(newcomer.mesh.nameOf('A'), 'alice');

  const old = client();
  old.mesh.join('standup');
  old.rtc({ type: 'connect', id: 'A', name: 'alice' });
  old.rtc({ type: 'others', others: [] });
  old.rtc({ type: 'other', id: 'B', name: 'bob' });
  assert.equal(old.mesh.peers.get('B')?.polite, true);

  newcomer.mesh.leave();
  old.mesh.leave();
  await settle();
});

test('a peer\'s negotiation goes out as SEND /app/signal addressed to that participant', async () => {
  const { mesh, sent, rtc } = client();
  mesh.join('standup');
  rtc({ type: 'connect', id: 'B', name: 'bob' });
  rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }] });
  await until(() => sent.some((s) => s.body.description?.type === 'offer'), 'an offer');

  const offer = sent.find((s) => s.body.description?.type === 'offer');
  assert.equal(offer?.destination, '/app/signal');
  assert.equal(offer?.body.to, 'A');
  assert.deepEqual(Object.keys(offer?.body).sort(), ['description', 'to']);
  await until(() => sent.some((s) => 'candidate' in s.body), 'a candidate');
  const candidate = sent.find((s) => 'candidate' in s.body);
  assert.equal(candidate?.body.to, 'A');
  mesh.leave();
  await settle();
});

test('a signal reaches the peer it comes from, and only that one', async () => {
  const { mesh, sent, rtc, pc, errors } = client();
  mesh.join('standup');
  rtc({ type: 'connect', id: 'A', name: 'alice' });
  rtc({ type: 'others', others: [] });
  rtc({ type: 'other', id: 'B', name: 'bob' });
  rtc({ type: 'other', id: 'C', name: 'carol' });
  const { remote, offer } = await remoteOffer();

  rtc({ type: 'signal', from: 'C', description: offer });
  await until(() => sent.some((s) => s.body.to === 'C' && s.body.description?.type === 'answer'), 'an answer to C');

  assert.equal(pc('C').remoteDescription?.sdp, offer.sdp);
  assert.notEqual(pc('B').remoteDescription?.sdp, offer.sdp);
  assert.ok(!sent.some((s) => s.body.to === 'B' && s.body.description?.type === 'answer'));
  assert.deepEqual(errors, []);
  remote.close();
  mesh.leave();
  await settle();
});

test('a signal from an unknown participant creates a polite peer for it, also while the join is in flight; outside a call it is ignored', async () => {
  const { mesh, rtc, sent } = client();
  const { remote, offer } = await remoteOffer();

  rtc({ type: 'signal', from: 'Z', description: offer });
  assert.equal(mesh.peers.size, 0, 'not in a call');

  mesh.join('standup');
  rtc({ type: 'signal', from: 'Z', description: offer });
  assert.equal(mesh.peers.get('Z')?.polite, true, 'the join is in flight: the signal is ours all the same');
  rtc({ type: 'connect', id: 'A', name: 'alice' });
  await until(() => sent.some((s) => s.body.to === 'Z' && s.body.description?.type === 'answer'), 'an answer to Z');
  remote.close();
  mesh.leave();
  await settle();
});

test('"disconnected" closes and forgets that peer only', async () => {
  const { mesh, rtc, pc, removed } = client();
  mesh.join('standup');
  rtc({ type: 'connect', id: 'B', name: 'bob' });
  rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }, { id: 'C', name: 'carol' }] });
  const pcA = pc('A');

  rtc({ type: 'disconnected', id: 'A' });

  assert.equal(pcA.signalingState, 'closed');
  assert.deepEqual([...mesh.peers.keys()], ['C']);
  assert.deepEqual(removed, ['A']);
  assert.equal(mesh.nameOf('A'), null);
  assert.notEqual(pc('C').signalingState, 'closed');
  mesh.leave();
  await settle();
});

test('events that name a participant after its "disconnected" (from another instance, the leave first) are ignored', async () => {
  const { mesh, rtc, removed } = client();
  mesh.join('standup');
  try {
    rtc({ type: 'disconnected', id: 'A' }); // overtook the join's own "others", which still lists A
    rtc({ type: 'connect', id: 'B', name: 'bob' });
    rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }, { id: 'C', name: 'carol' }] });
    rtc({ type: 'other', id: 'A', name: 'alice' });
    rtc({ type: 'signal', from: 'A', candidate: null });

    assert.deepEqual([...mesh.peers.keys()], ['C']);
    assert.equal(mesh.isGone('A'), true);
    assert.equal(mesh.isGone('C'), false);
    assert.deepEqual(removed, [], 'no peer or tile was ever made for A');
  } finally {
    mesh.leave();
  }
  mesh.join('standup');
  assert.equal(mesh.isGone('A'), false, 'a new call starts with nobody gone');
  mesh.leave();
  await settle();
});

test('setFeatures goes to every peer, and to peers created later', async () => {
  const { mesh, rtc } = client();
  mesh.join('standup');
  rtc({ type: 'connect', id: 'B', name: 'bob' });
  rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }] });
  /** @type {any[]} */
  const told = [];
  const peerA = mesh.peers.get('A');
  assert.ok(peerA);
  const original = peerA.setFeatures.bind(peerA);
  peerA.setFeatures = (f) => {
    told.push(f);
    original(f);
  };
  mesh.setFeatures({ mic: false, cam: true });
  assert.deepEqual(told, [{ mic: false, cam: true }]);
  rtc({ type: 'other', id: 'D', name: 'dave' });
  assert.deepEqual(mesh.peers.get('D')?.features, { mic: false, cam: true });
  mesh.leave();
  await settle();
});

// ---- a whole call: three clients and a fake server that follows docs/protocol.md ----

test('three participants joining one after another all end up connected to each other', async () => {
  const server = new FakeServer();
  const names = ['alice', 'bob', 'carol'];
  const clients = names.map((name) => server.client(name));
  for (const c of clients) {
    c.mesh.join('standup');
    await until(() => c.mesh.selfId !== null, 'connect');
  }
  const allConnected = () =>
    clients.every(
      (c) =>
        c.mesh.peers.size === 2 &&
        [...c.mesh.peers.values()].every(
          (p) => p.pc.connectionState === 'connected' && p.pc.signalingState === 'stable',
        ),
    );
  await until(allConnected, 'a full mesh');
  await until(() => clients.every((c) => Object.keys(c.features).length === 2), 'features from both others');
  for (const c of clients) assert.deepEqual(c.errors, []);

  // The earlier participant is polite toward each later one.
  const [a, b, c] = clients;
  assert.equal(a.mesh.peers.get(/** @type {string} */ (b.mesh.selfId))?.polite, true);
  assert.equal(b.mesh.peers.get(/** @type {string} */ (a.mesh.selfId))?.polite, false);
  assert.equal(c.mesh.peers.get(/** @type {string} */ (b.mesh.selfId))?.polite, false);

  // bob leaves: the others drop him, carol and alice stay connected.
  const bobId = /** @type {string} */ (b.mesh.selfId);
  b.mesh.leave();
  await until(() => a.mesh.peers.size === 1 && c.mesh.peers.size === 1, 'bob gone');
  assert.deepEqual(a.removed, [bobId]);
  assert.equal(a.mesh.peers.values().next().value?.pc.connectionState, 'connected');
  a.mesh.leave();
  c.mesh.leave();
  await settle();
});

// ---- ICE configuration: TURN credentials, relay-only rooms, refresh, failures ----

const STUN = { urls: ['stun:stun.example.org:3478'] };
/** @param {string} credential */
const turnServer = (credential) => ({
  urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'],
  username: '1764000000:abc',
  credential,
});
const ICE = [STUN, turnServer('first')];
const FRESH_ICE = [STUN, turnServer('second')];

/** @param {ReturnType<typeof client>} c */
const iceRequests = (c) => c.sent.filter((s) => s.destination === '/app/ice');
/** @param {ReturnType<typeof client>} c */
const offers = (c) => c.sent.filter((s) => s.body.description?.type === 'offer').length;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('"connect" brings the ICE servers and the relay-only policy; every peer connection uses them', async () => {
  const c = client();
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', iceServers: ICE, iceTransportPolicy: 'relay' });
  c.rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }] });
  c.rtc({ type: 'other', id: 'C', name: 'carol' });

  assert.equal(c.mesh.iceTransportPolicy, 'relay');
  for (const id of ['A', 'C']) assert.deepEqual(c.pc(id).config, { iceServers: ICE, iceTransportPolicy: 'relay' });
  assert.equal(iceRequests(c).length, 0, 'no iceRefreshIn: nothing to refresh');
  c.mesh.leave();

  // The next call's "connect" decides again: an ordinary room.
  c.mesh.join('other');
  c.rtc({ type: 'connect', id: 'B2', name: 'bob', iceServers: [STUN] });
  c.rtc({ type: 'others', others: [{ id: 'D', name: 'dave' }] });
  assert.deepEqual(c.pc('D').config, { iceServers: [STUN], iceTransportPolicy: 'all' });
  c.mesh.leave();
  await settle();
});

test('refresh: after iceRefreshIn the mesh asks /app/ice; "ice" updates open connections without renegotiating, and new ones', async () => {
  const c = client(undefined, { minIceRefreshMs: 0 });
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', iceServers: ICE, iceTransportPolicy: 'relay', iceRefreshIn: 100 });
  c.rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }] });
  await until(() => offers(c) === 1, 'the offer to alice');
  assert.equal(iceRequests(c).length, 0, 'not yet');

  await until(() => iceRequests(c).length === 1, 'a request for fresh credentials');
  assert.deepEqual(iceRequests(c)[0].body, {});
  const pcA = c.pc('A');
  const negotiationsBefore = pcA.negotiationEvents;

  c.rtc({ type: 'ice', iceServers: FRESH_ICE, iceTransportPolicy: 'relay', iceRefreshIn: 30 });

  assert.equal(pcA.configurations.length, 1, 'one setConfiguration');
  assert.deepEqual(pcA.getConfiguration(), { iceServers: FRESH_ICE, iceTransportPolicy: 'relay' }, 'the rest of the configuration kept');
  await settle();
  assert.equal(offers(c), 1, 'no new offer');
  assert.equal(pcA.negotiationEvents, negotiationsBefore, 'no negotiationneeded');

  c.rtc({ type: 'other', id: 'C', name: 'carol' });
  assert.deepEqual(c.pc('C').config, { iceServers: FRESH_ICE, iceTransportPolicy: 'relay' }, 'a new peer starts with the fresh servers');

  await until(() => iceRequests(c).length === 2, 'the next refresh, rescheduled by the answer');
  c.rtc({ type: 'ice', iceServers: FRESH_ICE, iceTransportPolicy: 'relay' }); // no iceRefreshIn: no more refreshes
  await sleep(80);
  assert.equal(iceRequests(c).length, 2);
  assert.deepEqual(c.errors, []);
  c.mesh.leave();
  await settle();
});

test('refresh timers end with the call: leave, reset (connection lost), joining again; a late "ice" is ignored', async () => {
  const c = client(undefined, { minIceRefreshMs: 0 });
  const refreshing = (/** @type {string} */ slug) => {
    c.mesh.join(slug);
    c.rtc({ type: 'connect', id: `me-${slug}`, name: 'bob', iceServers: ICE, iceRefreshIn: 20 });
  };

  refreshing('one');
  c.mesh.leave();
  refreshing('two');
  c.mesh.reset();
  refreshing('three');
  c.mesh.join('four'); // a second join leaves the call first
  await sleep(80);
  assert.equal(iceRequests(c).length, 0);

  // An answer that arrives after the call ended: no peers to update, no timer started.
  c.mesh.leave();
  c.rtc({ type: 'ice', iceServers: FRESH_ICE, iceRefreshIn: 20 });
  await sleep(60);
  assert.equal(iceRequests(c).length, 0);
  assert.deepEqual(c.errors, []);
});

test('a refresh sooner than minIceRefreshMs waits for it', async () => {
  const c = client(undefined, { minIceRefreshMs: 60 });
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', iceServers: ICE, iceRefreshIn: 0 });
  await sleep(20);
  assert.equal(iceRequests(c).length, 0);
  await until(() => iceRequests(c).length === 1, 'the refresh, at the floor');
  c.mesh.leave();
});

test('a relay-only call: everyone connects, and no candidate but a relay one ever leaves a client', async () => {
  const server = new FakeServer({ iceServers: ICE, iceTransportPolicy: 'relay', iceRefreshIn: 40 });
  const clients = ['alice', 'bob', 'carol'].map((name) => server.client(name, { minIceRefreshMs: 0 }));
  for (const c of clients) {
    c.mesh.join('standup');
    await until(() => c.mesh.selfId !== null, 'connect');
  }
  await until(
    () => clients.every((c) => c.mesh.peers.size === 2 && [...c.mesh.peers.values()].every((p) => p.pc.connectionState === 'connected')),
    'a full mesh',
  );
  // Refreshes come and go during the call without touching the connections.
  await until(() => clients.every((c) => iceRequests(c).length >= 2), 'two refreshes each');
  for (const c of clients) {
    assert.deepEqual(c.errors, []);
    const candidates = c.sent.filter((s) => s.body.candidate).map((s) => s.body.candidate.candidate);
    assert.ok(candidates.length > 0);
    assert.ok(candidates.every((line) => / typ relay /.test(line)), candidates.join('\n'));
    for (const peer of c.mesh.peers.values()) {
      assert.equal(peer.pc.getConfiguration().iceTransportPolicy, 'relay');
      assert.equal(peer.pc.connectionState, 'connected');
      assert.equal(peer.problem, null);
    }
  }
  assert.deepEqual(clients.map((c) => Object.keys(c.problems).length), [0, 0, 0]);
  for (const c of clients) c.mesh.leave();
  await settle();
});

test('a relay-only room whose TURN relay does not answer: each client names each other participant it cannot reach', async () => {
  const server = new FakeServer({ iceServers: ICE, iceTransportPolicy: 'relay' });
  const RTCPeerConnection = withNetwork({ turn: 'unreachable' });
  const clients = ['alice', 'bob', 'carol'].map((name) => server.client(name, { RTCPeerConnection }));
  for (const c of clients) {
    c.mesh.join('standup');
    await until(() => c.mesh.selfId !== null, 'connect');
  }
  await until(() => clients.every((c) => Object.keys(c.problems).length === 2), 'a problem for each other participant');
  for (const c of clients) {
    assert.deepEqual(Object.keys(c.problems).sort(), [...c.mesh.peers.keys()].sort());
    for (const [id, reported] of Object.entries(c.problems)) {
      assert.equal(reported.length, 1, 'said once');
      assert.equal(problemKind(reported[0]), 'turn-unreachable');
      assert.equal(reported[0].relayOnly, true);
      assert.deepEqual(c.mesh.peers.get(id)?.problem, reported[0], 'also readable on the peer');
    }
  }
  for (const c of clients) c.mesh.leave();
  await settle();
});

test('a peer that is not connected within connectTimeoutMs is reported with its participant id', async () => {
  const c = client(undefined, { connectTimeoutMs: 30 });
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', iceServers: ICE });
  c.rtc({ type: 'others', others: [{ id: 'A', name: 'alice' }] });
  await until(() => !!c.problems.A, 'a problem for alice');
  assert.equal(c.problems.A[0].reason, 'timeout');
  assert.equal(problemKind(c.problems.A[0]), 'no-answer', 'alice never answered our offer');
  c.mesh.leave();
  await settle();
});
