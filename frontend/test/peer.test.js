import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Peer } from '../src/call/peer.js';
import { FakePeerConnection, FakeStream, FakeTrack, withNetwork } from '../test-support/fake-rtc.js';
import { Wire, until, settle } from '../test-support/wire.js';
import { problemKind } from '../src/call/ice.js';

/**
 * @typedef {object} PairOptions
 * @property {boolean} [hold] the wire holds messages until released
 * @property {boolean} [awaitOffer]
 * @property {string[]} [impoliteKinds]
 * @property {RTCIceServer[]} [iceServers]
 * @property {RTCIceTransportPolicy} [iceTransportPolicy]
 * @property {{p?: object, i?: object}} [network] each side's FakeNetwork
 * @property {number} [connectTimeoutMs]
 */

/**
 * Two peers, "p" (polite) and "i" (impolite), joined by a signalling wire.
 * @param {PairOptions} [options]
 */
function pair({
  hold = false,
  awaitOffer = false,
  impoliteKinds = ['audio', 'video'],
  iceServers,
  iceTransportPolicy,
  network = {},
  connectTimeoutMs,
} = {}) {
  const wire = new Wire();
  if (hold) wire.hold();
  /** @type {string[]} */
  const errors = [];
  const seen = {
    p: { features: /** @type {any[]} */ ([]), tracks: /** @type {string[]} */ ([]), states: /** @type {string[]} */ ([]), problems: /** @type {any[]} */ ([]) },
    i: { features: /** @type {any[]} */ ([]), tracks: /** @type {string[]} */ ([]), states: /** @type {string[]} */ ([]), problems: /** @type {any[]} */ ([]) },
  };
  /** @param {'p' | 'i'} me @param {'p' | 'i'} them @param {{mic: boolean, cam: boolean}} features */
  const make = (me, them, features) =>
    new Peer({
      polite: me === 'p',
      awaitOffer: me === 'p' && awaitOffer,
      send: wire.sender(me, them),
      localStream: new FakeStream(
        `stream-${me}`,
        (me === 'i' ? impoliteKinds : ['audio', 'video']).map((kind) => new FakeTrack(kind, `${me}-${kind}`)),
      ),
      features,
      onTrack: (track) => seen[me].tracks.push(track.id),
      onFeatures: (f) => seen[me].features.push(f),
      onStateChange: (state) => seen[me].states.push(state),
      onProblem: (problem) => seen[me].problems.push(problem),
      onError: (what, error) => errors.push(`${me} ${what}: ${/** @type {Error} */ (error).message}`),
      iceServers,
      iceTransportPolicy,
      connectTimeoutMs,
      RTCPeerConnection: /** @type {any} */ (network[me] ? withNetwork(network[me]) : FakePeerConnection),
    });
  const p = make('p', 'i', { mic: true, cam: false });
  const i = make('i', 'p', { mic: false, cam: true });
  wire.attach('p', (m) => p.handleSignal(m));
  wire.attach('i', (m) => i.handleSignal(m));
  const pc = (/** @type {Peer} */ peer) => /** @type {FakePeerConnection} */ (/** @type {unknown} */ (peer.pc));
  const connected = () =>
    pc(p).connectionState === 'connected' &&
    pc(i).connectionState === 'connected' &&
    pc(p).signalingState === 'stable' &&
    pc(i).signalingState === 'stable';
  return { wire, p, i, pc, errors, seen, connected };
}

/** @param {Wire} wire @param {string} from @param {string} type */
const sentDescriptions = (wire, from, type) =>
  wire.log.filter((e) => e.from === from && e.message.description?.type === type).map((e) => e.message.description);

test('glare: both offer at once; the polite side rolls back, the impolite offer wins, both end stable', async () => {
  const { wire, p, i, pc, errors, seen, connected } = pair({ hold: true });

  // Both peers have tracks and a data channel, so both fire negotiationneeded and offer.
  await until(
    () => sentDescriptions(wire, 'p', 'offer').length === 1 && sentDescriptions(wire, 'i', 'offer').length === 1,
    'both sides to send an offer',
  );
  await until(() => wire.log.some((e) => e.from === 'p' && e.message.candidate), 'a candidate of the polite offer');
  assert.equal(pc(p).signalingState, 'have-local-offer');
  assert.equal(pc(i).signalingState, 'have-local-offer');

  wire.release(); // the offers cross
  await until(connected, 'both sides connected and stable');
  await until(() => seen.p.features.length > 0 && seen.i.features.length > 0, 'features over the data channel');
  await settle();

  const impoliteOffer = sentDescriptions(wire, 'i', 'offer')[0];
  assert.deepEqual(errors, []);
  assert.equal(pc(p).rollbacks, 1, 'the polite side rolled its offer back');
  assert.equal(pc(i).rollbacks, 0, 'the impolite side kept its offer');
  assert.equal(pc(p).remoteDescription?.sdp, impoliteOffer.sdp, 'the polite side applied the impolite offer');
  assert.equal(pc(i).localDescription?.sdp, impoliteOffer.sdp);
  assert.equal(pc(i).remoteDescription?.type, 'answer');
  assert.equal(sentDescriptions(wire, 'p', 'answer').length, 1, 'the polite side answered once');
  assert.equal(sentDescriptions(wire, 'i', 'answer').length, 0, 'the impolite side never answered');
  assert.ok(pc(i).rejectedCandidates > 0, 'candidates of the ignored offer did arrive and were dropped');

  assert.deepEqual(seen.p.features.at(-1), { mic: false, cam: true });
  assert.deepEqual(seen.i.features.at(-1), { mic: true, cam: false });
  assert.deepEqual(seen.p.tracks.sort(), ['i-audio', 'i-video']);
  assert.deepEqual(seen.i.tracks.sort(), ['p-audio', 'p-video']);
  assert.ok(seen.p.states.includes('connected') && seen.i.states.includes('connected'));
  p.close();
  i.close();
});

test('candidates that arrive while an offer is being ignored are dropped without an error', async () => {
  const { wire, p, i, pc, errors } = pair({ hold: true });
  await until(() => sentDescriptions(wire, 'i', 'offer').length === 1, 'the impolite offer');
  await until(() => wire.log.some((e) => e.from === 'p' && e.message.candidate), 'a polite candidate');

  // Deliver only the polite side's offer and candidates to the impolite side, as a real wire might.
  const toImpolite = wire.log.filter((e) => e.from === 'p').map((e) => e.message);
  for (const message of toImpolite) await i.handleSignal(message);

  assert.deepEqual(errors, []);
  assert.equal(pc(i).signalingState, 'have-local-offer', 'still waiting for an answer to its own offer');
  assert.equal(pc(i).remoteDescription, null, 'the polite offer was not applied');
  assert.ok(pc(i).rejectedCandidates >= 1);
  p.close();
  i.close();
});

test('after connecting, either side can renegotiate without glare', async () => {
  const { wire, p, i, pc, errors, connected } = pair();
  await until(connected, 'connected');
  await settle();
  const offersBefore = wire.log.filter((e) => e.message.description?.type === 'offer').length;

  pc(p).restartIce(); // the polite side starts this time
  await until(() => sentDescriptions(wire, 'p', 'offer').length === 2, 'a new polite offer');
  await until(() => sentDescriptions(wire, 'i', 'answer').length === 1, 'the impolite answer');
  await until(connected, 'stable again');

  assert.deepEqual(errors, []);
  assert.equal(wire.log.filter((e) => e.message.description?.type === 'offer').length, offersBefore + 1);
  assert.equal(pc(i).rollbacks, 0);
  p.close();
  i.close();
});

test('setFeatures reaches the other side over the features channel', async () => {
  const { p, i, seen, connected } = pair();
  await until(connected, 'connected');
  await until(() => seen.i.features.length === 1, 'the first features message');

  p.setFeatures({ mic: false, cam: false });
  await until(() => seen.i.features.length === 2, 'the updated features');

  assert.deepEqual(seen.i.features, [
    { mic: true, cam: false },
    { mic: false, cam: false },
  ]);
  assert.deepEqual(i.remoteFeatures, { mic: false, cam: false });
  p.close();
  i.close();
});

test('a malformed features message is reported and ignored', async () => {
  const { p, i, pc, seen, errors, connected } = pair();
  await until(connected, 'connected');
  await until(() => seen.p.features.length === 1, 'features');
  const channel = pc(i).channels[0];
  channel.send('{"mic": "yes"}');
  channel.send('not json');
  await settle();
  assert.equal(seen.p.features.length, 1);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e.startsWith('p features message')));
  p.close();
  i.close();
});

test('signals go out as JSON with description {type, sdp} or candidate (null at the end)', async () => {
  const { wire, p, i, connected } = pair();
  await until(connected, 'connected');
  const kinds = wire.log.map((e) => Object.keys(e.message).join());
  assert.ok(kinds.every((k) => k === 'description' || k === 'candidate'), kinds.join(' '));
  const description = wire.log.find((e) => e.message.description).message.description;
  assert.deepEqual(Object.keys(description).sort(), ['sdp', 'type']);
  assert.ok(wire.log.some((e) => e.message.candidate === null), 'end of candidates');
  const candidate = wire.log.find((e) => e.message.candidate).message.candidate;
  assert.equal(typeof candidate.candidate, 'string');
  assert.equal(candidate.sdpMid, '0');
  p.close();
  i.close();
});

test('a failed connection is reported; the impolite side (only) retries with an ICE restart', async () => {
  const { p, i, pc, seen, connected } = pair();
  await until(connected, 'connected');
  for (const peer of [p, i]) {
    pc(peer).connectionState = 'failed';
    pc(peer).onconnectionstatechange?.({});
  }
  assert.equal(seen.p.states.at(-1), 'failed');
  assert.equal(seen.i.states.at(-1), 'failed');
  assert.equal(pc(i).restarts, 1);
  assert.equal(pc(p).restarts, 0, 'two restarts would cross');
  p.close();
  i.close();
});

test('after close() the peer sends nothing and ignores signals', async () => {
  const { wire, p, i, pc, errors } = pair({ hold: true });
  await until(() => sentDescriptions(wire, 'i', 'offer').length === 1, 'an offer');
  const offer = sentDescriptions(wire, 'i', 'offer')[0];
  const sentByPolite = () => wire.log.filter((e) => e.from === 'p').length;
  p.close();
  const before = sentByPolite();
  await p.handleSignal({ description: offer });
  await settle();
  assert.equal(pc(p).signalingState, 'closed');
  assert.equal(sentByPolite(), before);
  assert.deepEqual(errors, []);
  i.close();
});

test('an offer that arrives while our answer is still being applied is not mistaken for glare', async () => {
  /** @type {any[]} */
  const sent = [];
  /** @type {string[]} */
  const errors = [];
  const impolite = new Peer({
    polite: false,
    send: (m) => sent.push(JSON.parse(JSON.stringify(m))),
    localStream: new FakeStream('s', [new FakeTrack('audio', 'i-audio')]),
    onError: (what, error) => errors.push(`${what}: ${/** @type {Error} */ (error).message}`),
    RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
  });
  // The other side, driven by hand.
  const remote = new FakePeerConnection();
  remote.createDataChannel('features', { negotiated: true, id: 0 });
  await until(() => sent.some((m) => m.description?.type === 'offer'), 'our offer');
  await remote.setRemoteDescription(sent.find((m) => m.description?.type === 'offer').description);
  await remote.setLocalDescription();
  const answer = /** @type {any} */ (remote.localDescription);
  remote.addTrack(new FakeTrack('video', 'r-video'), new FakeStream('r'));
  await remote.setLocalDescription();
  const nextOffer = /** @type {any} */ (remote.localDescription);

  // Back to back: the offer comes in while setRemoteDescription(answer) is still pending.
  const applying = impolite.handleSignal({ description: answer });
  const second = impolite.handleSignal({ description: nextOffer });
  await Promise.all([applying, second]);
  await until(() => sent.some((m) => m.description?.type === 'answer'), 'our answer to the second offer');

  assert.deepEqual(errors, []);
  assert.equal(impolite.pc.signalingState, 'stable');
  assert.equal(impolite.pc.remoteDescription?.sdp, nextOffer.sdp);
  impolite.close();
  remote.close();
});

test('awaitOffer: the polite side answers the newcomer instead of offering too (no glare, no rollback)', async () => {
  const { wire, p, i, pc, errors, seen, connected } = pair({ awaitOffer: true });
  await until(connected, 'connected');
  await until(() => seen.p.features.length > 0 && seen.i.features.length > 0, 'features');
  await settle();
  assert.deepEqual(errors, []);
  assert.equal(sentDescriptions(wire, 'p', 'offer').length, 0);
  assert.equal(sentDescriptions(wire, 'i', 'offer').length, 1);
  assert.equal(pc(p).rollbacks + pc(i).rollbacks, 0);
  assert.deepEqual(seen.i.tracks.sort(), ['p-audio', 'p-video']);
  p.close();
  i.close();
});

test('awaitOffer: a track the newcomer\'s offer had no place for is offered right after answering', async () => {
  // The newcomer has no camera: its offer carries audio only.
  const { wire, p, i, pc, errors, seen, connected } = pair({ awaitOffer: true, impoliteKinds: ['audio'] });
  await until(() => seen.i.tracks.includes('p-video'), 'the polite video at the newcomer');
  await until(connected, 'connected and stable');
  await settle();
  assert.deepEqual(errors, []);
  assert.equal(sentDescriptions(wire, 'p', 'offer').length, 1, 'exactly one follow-up offer');
  assert.equal(sentDescriptions(wire, 'i', 'answer').length, 1);
  assert.equal(pc(p).rollbacks + pc(i).rollbacks, 0);
  p.close();
  i.close();
});

test('awaitOffer: with no offer coming, the polite side offers after its patience runs out', async () => {
  /** @type {any[]} */
  const sent = [];
  const polite = new Peer({
    polite: true,
    awaitOffer: true,
    firstOfferPatienceMs: 1000, // well above what settle() takes on a busy machine
    send: (m) => sent.push(m),
    localStream: new FakeStream('s', [new FakeTrack('audio', 'a')]),
    RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
  });
  await settle();
  assert.equal(sent.length, 0, 'holding its offer');
  await until(() => sent.some((m) => m.description?.type === 'offer'), 'an offer after the patience');
  polite.close();
});

// ---- ICE configuration and connections that cannot be made ----

const STUN = { urls: ['stun:stun.example.org:3478'] };
/** @param {string} credential */
const turnServer = (credential) => ({
  urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'],
  username: '1764000000:abc',
  credential,
});
const WITH_TURN = [STUN, turnServer('first')];
const NO_DIRECT = { direct: false };

/** @param {ReturnType<typeof pair>} peers */
const bothReported = ({ seen }) => () => seen.p.problems.length > 0 && seen.i.problems.length > 0;

test('the ICE servers and the transport policy are the RTCPeerConnection configuration; relay-only sends relay candidates only', async () => {
  const { wire, p, i, pc, errors, connected } = pair({ iceServers: WITH_TURN, iceTransportPolicy: 'relay' });
  assert.deepEqual(pc(p).config, { iceServers: WITH_TURN, iceTransportPolicy: 'relay' });
  assert.deepEqual(pc(i).config, { iceServers: WITH_TURN, iceTransportPolicy: 'relay' });
  await until(connected, 'connected through the relay');
  const lines = wire.log.filter((e) => e.message.candidate).map((e) => e.message.candidate.candidate);
  assert.ok(lines.length > 0 && lines.every((line) => / typ relay /.test(line)), lines.join('\n'));
  assert.deepEqual(errors, []);
  assert.equal(p.problem, null);
  p.close();
  i.close();
});

test('setIceServers: the open connection gets them through setConfiguration, the rest kept, nothing renegotiated', async () => {
  const { wire, p, i, pc, errors, connected } = pair({ iceServers: WITH_TURN, iceTransportPolicy: 'relay' });
  await until(connected, 'connected');
  await settle();
  const offersBefore = wire.log.filter((e) => e.message.description?.type === 'offer').length;
  const negotiationsBefore = pc(p).negotiationEvents + pc(i).negotiationEvents;
  const fresh = [STUN, turnServer('second')];

  p.setIceServers(fresh);
  i.setIceServers(fresh);
  await settle();

  for (const peer of [p, i]) {
    assert.equal(pc(peer).configurations.length, 1);
    assert.deepEqual(pc(peer).getConfiguration(), { iceServers: fresh, iceTransportPolicy: 'relay' });
    assert.equal(pc(peer).connectionState, 'connected');
  }
  assert.equal(wire.log.filter((e) => e.message.description?.type === 'offer').length, offersBefore, 'no offer');
  assert.equal(pc(p).negotiationEvents + pc(i).negotiationEvents, negotiationsBefore, 'no negotiationneeded');
  p.close();
  p.setIceServers(WITH_TURN); // closed: ignored, no error
  assert.equal(pc(p).configurations.length, 1);
  assert.deepEqual(errors, []);
  i.close();
});

test('no direct path because one side hides its host address (mDNS): that side, not TURN, is named', async () => {
  const peers = pair({ iceServers: [STUN], network: { p: { ...NO_DIRECT, mdns: true }, i: NO_DIRECT } });
  const { p, i, seen, errors } = peers;
  await until(bothReported(peers), 'both sides report a problem');
  const [ours, theirs] = [seen.p.problems[0], seen.i.problems[0]];
  assert.equal(ours.localHidden, true);
  assert.equal(ours.remoteHidden, false);
  assert.equal(theirs.localHidden, false);
  assert.equal(theirs.remoteHidden, true);
  assert.equal(problemKind(ours), 'hidden-address');
  assert.equal(problemKind(theirs), 'hidden-address');
  assert.deepEqual(errors, []);
  p.close();
  i.close();
});

test('no TURN relay and no direct path: both say so; only the impolite side tries one ICE restart first', async () => {
  const peers = pair({ iceServers: [STUN], network: { p: NO_DIRECT, i: NO_DIRECT } });
  const { p, i, pc, seen, errors } = peers;
  await until(bothReported(peers), 'both sides report a problem');
  await settle();
  assert.equal(pc(i).restarts, 1, 'the impolite side restarted ICE once');
  assert.equal(pc(p).restarts, 0);
  for (const side of [seen.p, seen.i]) {
    assert.equal(side.problems.length, 1, 'said once, although ICE failed again after the restart');
    assert.deepEqual(side.problems[0], {
      reason: 'failed',
      answered: true,
      turnConfigured: false,
      turnReachable: false,
      turnRefused: false,
      relayOnly: false,
      localHidden: false,
      remoteHidden: false,
    });
    assert.equal(problemKind(side.problems[0]), 'no-turn');
  }
  assert.deepEqual(p.problem, seen.p.problems[0]);
  assert.ok(seen.i.states.filter((s) => s === 'failed').length === 2, 'failed, restarted, failed again');
  assert.deepEqual(errors, []);
  p.close();
  i.close();
});

test('a relay-only room whose TURN relay does not answer: TURN configured, not reachable', async () => {
  const unreachable = { turn: 'unreachable' };
  const peers = pair({ iceServers: WITH_TURN, iceTransportPolicy: 'relay', network: { p: unreachable, i: unreachable } });
  await until(bothReported(peers), 'both sides report a problem');
  for (const side of [peers.seen.p, peers.seen.i]) {
    assert.deepEqual(
      { ...side.problems[0], reason: undefined },
      { reason: undefined, answered: true, turnConfigured: true, turnReachable: false, turnRefused: false, relayOnly: true, localHidden: false, remoteHidden: false },
    );
    assert.equal(problemKind(side.problems[0]), 'turn-unreachable');
  }
  peers.p.close();
  peers.i.close();
});

test('a TURN relay that refuses our credentials (401) is told apart from one that does not answer', async () => {
  const refuses = { turn: 'refuses', direct: false };
  const peers = pair({ iceServers: WITH_TURN, network: { p: refuses, i: refuses } });
  await until(bothReported(peers), 'both sides report a problem');
  for (const side of [peers.seen.p, peers.seen.i]) {
    assert.equal(side.problems[0].turnRefused, true);
    assert.equal(side.problems[0].relayOnly, false);
    assert.equal(problemKind(side.problems[0]), 'turn-refused');
  }
  peers.p.close();
  peers.i.close();
});

test('we reached the relay but they did not: our side says the relayed path failed, theirs that TURN did not answer', async () => {
  const peers = pair({
    iceServers: WITH_TURN,
    iceTransportPolicy: 'relay',
    network: { i: { turn: 'ok' }, p: { turn: 'unreachable' } },
  });
  await until(bothReported(peers), 'both sides report a problem');
  assert.equal(peers.seen.i.problems[0].turnReachable, true);
  assert.equal(problemKind(peers.seen.i.problems[0]), 'relay-failed');
  assert.equal(problemKind(peers.seen.p.problems[0]), 'turn-unreachable');
  peers.p.close();
  peers.i.close();
});

test('not connected within connectTimeoutMs: reported (nothing answered yet), and withdrawn once connected', async () => {
  const peers = pair({ hold: true, connectTimeoutMs: 40, iceServers: WITH_TURN });
  const { wire, p, i, seen, connected, errors } = peers;
  await until(bothReported(peers), 'a problem on both sides');
  assert.equal(seen.p.problems[0].reason, 'timeout');
  assert.equal(seen.p.problems[0].answered, false);
  assert.equal(problemKind(seen.p.problems[0]), 'no-answer');

  wire.release();
  await until(connected, 'connected after all');
  await until(() => seen.p.problems.at(-1) === null && seen.i.problems.at(-1) === null, 'both problems withdrawn');
  assert.equal(p.problem, null);
  assert.equal(i.problem, null);
  assert.equal(seen.p.problems.length, 2);
  assert.deepEqual(errors, []);
  p.close();
  i.close();
});

test('an ICE restart that gets through withdraws the polite side\'s problem; the impolite side never reported one', async () => {
  const peers = pair({ iceServers: [STUN], network: { p: NO_DIRECT, i: NO_DIRECT } });
  const { p, i, pc, seen, connected } = peers;
  // The network heals while the impolite side's restart is on its way.
  await until(() => seen.p.problems.length === 1, 'the polite side reports the failure');
  pc(p).network.direct = true;
  pc(i).network.direct = true;
  await until(connected, 'connected after the restart');
  await until(() => seen.p.problems.at(-1) === null, 'withdrawn');
  assert.equal(pc(i).restarts, 1);
  assert.deepEqual(seen.i.problems, []);
  p.close();
  i.close();
});

test('close() stops the connect timer: a closed peer reports nothing', async () => {
  /** @type {any[]} */
  const problems = [];
  const peer = new Peer({
    polite: false,
    send: () => {},
    connectTimeoutMs: 10,
    onProblem: (problem) => problems.push(problem),
    RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
  });
  peer.close();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(problems, []);
});
