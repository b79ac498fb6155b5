// Peer: recovering from lost signals and broken paths (resendPendingOffer, signalingRestored,
// the ICE restart after "disconnected").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Peer } from '../src/call/peer.js';
import { FakePeerConnection, FakeStream, FakeTrack, withNetwork } from '../test-support/fake-rtc.js';
import { Wire, until, settle } from '../test-support/wire.js';

/**
 * Two peers, "p" (polite) and "i" (impolite), on a signalling wire.
 * @param {{hold?: boolean, network?: object, disconnectedPatienceMs?: number, stallPatienceMs?: number}} [options]
 */
function pair({ hold = false, network, disconnectedPatienceMs = 30, stallPatienceMs = 60_000 } = {}) {
  const wire = new Wire();
  if (hold) wire.hold();
  /** @type {string[]} */
  const errors = [];
  /** @type {Record<'p' | 'i', any[]>} */
  const problems = { p: [], i: [] };
  const PeerConnection = /** @type {any} */ (network ? withNetwork(network) : FakePeerConnection);
  /** @param {'p' | 'i'} me @param {'p' | 'i'} them */
  const make = (me, them) =>
    new Peer({
      polite: me === 'p',
      send: wire.sender(me, them),
      localStream: new FakeStream(`stream-${me}`, [new FakeTrack('audio', `${me}-audio`)]),
      onError: (what, error) => errors.push(`${me} ${what}: ${/** @type {Error} */ (error).message}`),
      onProblem: (problem) => problems[me].push(problem),
      disconnectedPatienceMs,
      stallPatienceMs,
      RTCPeerConnection: PeerConnection,
    });
  const p = make('p', 'i');
  const i = make('i', 'p');
  wire.attach('p', (m) => p.handleSignal(m));
  wire.attach('i', (m) => i.handleSignal(m));
  const pc = (/** @type {Peer} */ peer) => /** @type {FakePeerConnection} */ (/** @type {unknown} */ (peer.pc));
  const connected = () => [p, i].every((peer) => pc(peer).connectionState === 'connected' && pc(peer).signalingState === 'stable');
  const close = () => [p, i].forEach((peer) => peer.close());
  return { wire, p, i, pc, errors, problems, connected, close };
}

/** @param {Wire} wire @param {string} from */
const offersFrom = (wire, from) => wire.log.filter((e) => e.from === from && e.message.description?.type === 'offer');

/** @param {FakePeerConnection} pc @param {string} state */
function goes(pc, state) {
  pc.connectionState = state;
  pc.onconnectionstatechange?.({});
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('resendPendingOffer: an unanswered offer goes out again, with the candidates of its ICE session', async () => {
  const { wire, i, pc, close } = pair({ hold: true });
  await until(() => wire.log.some((e) => e.from === 'i' && e.message.candidate === null), 'offer and candidates, held');
  const first = wire.log.filter((e) => e.from === 'i').map((e) => e.message);
  assert.equal(pc(i).signalingState, 'have-local-offer');

  assert.equal(i.resendPendingOffer(), true);
  const again = wire.log.filter((e) => e.from === 'i').map((e) => e.message).slice(first.length);
  assert.deepEqual(again, first, 'the same offer, then the same candidates');
  close();
});

test('resendPendingOffer does nothing once the offer is answered', async () => {
  const { i, connected, wire, close } = pair();
  await until(connected, 'connected');
  const before = wire.log.length;
  assert.equal(i.resendPendingOffer(), false);
  assert.equal(wire.log.length, before);
  close();
});

test('an answer that comes twice (to an offer sent twice) is ignored quietly', async () => {
  const { wire, i, connected, errors, close } = pair();
  await until(connected, 'connected');
  const answer = wire.log.find((e) => e.from === 'p' && e.message.description?.type === 'answer')?.message;
  await i.handleSignal(answer);
  await settle();
  assert.deepEqual(errors, []);
  close();
});

test('"disconnected" for longer than the patience: the impolite side restarts ICE, the polite side waits for it', async () => {
  const { p, i, pc, connected, close } = pair({ disconnectedPatienceMs: 30 });
  await until(connected, 'connected');
  await settle(); // late candidates would make the fake "connected" again
  goes(pc(p), 'disconnected');
  goes(pc(i), 'disconnected');
  await sleep(10);
  assert.equal(pc(i).restarts, 0, 'not yet: it often heals by itself');
  await until(() => pc(i).restarts === 1, 'a restart');
  await sleep(50);
  assert.equal(pc(p).restarts, 0);
  close();
});

test('"disconnected" that heals within the patience restarts nothing', async () => {
  const { i, pc, connected, close } = pair({ disconnectedPatienceMs: 30 });
  await until(connected, 'connected');
  await settle();
  goes(pc(i), 'disconnected');
  await sleep(5);
  goes(pc(i), 'connected');
  await sleep(60);
  assert.equal(pc(i).restarts, 0);
  close();
});

test('signalingRestored renews the restart budget: a connection that failed for good is restarted again', async () => {
  const NO_DIRECT = { direct: false, turn: 'ok' };
  const { p, i, pc, problems, connected, close } = pair({ network: NO_DIRECT });
  await until(() => problems.i.length === 1, 'failed, restarted once, failed again: reported');
  assert.equal(pc(i).restarts, 1);

  pc(p).network.direct = true;
  pc(i).network.direct = true;
  p.signalingRestored(); // the polite side does not restart…
  assert.equal(pc(p).restarts, 0);
  i.signalingRestored(); // …the impolite one does
  assert.equal(pc(i).restarts, 2);
  await until(connected, 'connected after the second restart');
  await until(() => problems.i.at(-1) === null, 'the problem withdrawn');
  close();
});

test('signalingRestored with a restart offer still unanswered sends that offer again instead of restarting twice', async () => {
  const { wire, i, pc, connected, close } = pair();
  await until(connected, 'connected');
  wire.hold();
  goes(pc(i), 'failed');
  await until(() => offersFrom(wire, 'i').length === 2, 'the restart offer (lost)');
  i.signalingRestored();
  assert.equal(offersFrom(wire, 'i').length, 3);
  assert.equal(pc(i).restarts, 1);
  i.signalingRestored({ offerSent: true });
  assert.equal(offersFrom(wire, 'i').length, 3, 'offerSent: it just went out from the outbox');
  wire.release();
  await until(connected, 'connected');
  close();
});

test('a first offer that is lost goes out again once the connection has stalled in "new", and the pair connects', async () => {
  const { wire, i, pc, connected, close } = pair({ stallPatienceMs: 40 });
  try {
    wire.lose((from, message) => from === 'i' && message.description?.type === 'offer');
    await until(() => offersFrom(wire, 'i').length === 1, 'the offer, lost');
    wire.lose(null);
    await sleep(20);
    assert.equal(pc(i).connectionState, 'new');
    assert.equal(offersFrom(wire, 'i').length, 1, 'nothing sent again before the stall patience');
    await until(connected, 'connected after the offer went out again');
    assert.equal(offersFrom(wire, 'i').length, 2);
    assert.equal(pc(i).restarts, 0, 'the offer itself, not a restart');
  } finally {
    close();
  }
});

test('an answer that is lost: the offer goes out again and is answered', async () => {
  const { wire, connected, close } = pair({ stallPatienceMs: 40 });
  try {
    wire.lose((from, message) => from === 'p' && message.description?.type === 'answer');
    await until(() => wire.log.some((e) => e.from === 'p' && e.message.description?.type === 'answer'), 'the answer, lost');
    wire.lose(null);
    await until(connected, 'connected after the offer went out again');
    assert.equal(offersFrom(wire, 'i').length, 2);
  } finally {
    close();
  }
});

test('negotiated but every candidate lost: the impolite side restarts ICE, the polite side never does', async () => {
  const { wire, p, i, pc, connected, close } = pair({ stallPatienceMs: 40 });
  try {
    wire.lose((_, message) => message.candidate !== undefined);
    await until(() => [p, i].every((peer) => pc(peer).signalingState === 'stable' && pc(peer).remoteDescription), 'negotiated');
    await settle();
    assert.equal(pc(i).connectionState, 'new', 'no candidates, no ICE');
    wire.lose(null);
    await until(connected, 'connected after the restart');
    assert.equal(pc(i).restarts, 1);
    assert.equal(pc(p).restarts, 0);
  } finally {
    close();
  }
});

test('a connection that is up is left alone by the stall watch', async () => {
  const { wire, i, p, pc, connected, close } = pair({ stallPatienceMs: 20 });
  try {
    await until(connected, 'connected');
    const sent = wire.log.length;
    await sleep(80);
    assert.equal(wire.log.length, sent);
    assert.equal(pc(i).restarts + pc(p).restarts, 0);
  } finally {
    close();
  }
});
