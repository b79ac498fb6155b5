import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RESUME_PEERS } from '../src/call/mesh.js';
import { FakeServer, client } from '../test-support/call-harness.js';
import { FakePeerConnection, FakeStream, FakeTrack } from '../test-support/fake-rtc.js';
import { until, settle } from '../test-support/wire.js';

/** @typedef {import('../test-support/call-harness.js').Client} Client */

/** @param {Client} c */
const resumeRequests = (c) => c.sent.filter((s) => s.destination === '/app/resume');
/** @param {Client} c @param {string} to */
const offersTo = (c, to) => c.sent.filter((s) => s.body.to === to && s.body.description?.type === 'offer');

/** A client in the call as B, with peers for A (polite toward it: A came later) and C. */
function inCall() {
  const c = client();
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', secret: 'sB', epoch: 0 });
  c.rtc({ type: 'others', others: [{ id: 'C', name: 'cy', epoch: 3 }] });
  c.rtc({ type: 'other', id: 'A', name: 'alice', epoch: 1 });
  return c;
}

test('"connect" hands the resume secret and our epoch to onJoined; "others" and "other" bring epochs', async () => {
  const c = inCall();
  assert.deepEqual(c.joined, [{ id: 'B', name: 'bob', secret: 'sB', epoch: 0 }]);
  assert.equal(c.mesh.epoch, 0);
  assert.equal(c.mesh.epochOf('C'), 3);
  assert.equal(c.mesh.epochOf('A'), 1);
  assert.equal(c.mesh.epochOf('nobody'), null);
  c.mesh.leave();
  await settle();
});

test('resume names the peers (those kept) with their epochs; until "resumed" nothing else goes out', async () => {
  const c = inCall();
  await until(() => offersTo(c, 'C').length === 1, 'our offer to C');
  c.mesh.holdSignals(); // the socket dropped
  const sentBefore = c.sent.length;
  assert.equal(c.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: false, keep: (id) => id !== 'A' }), true);
  assert.deepEqual(resumeRequests(c).at(-1)?.body, { id: 'B', secret: 'sB', fresh: false, peers: { C: 3 } });
  // A negotiation while the resume is on its way: alice offers, our answer must wait.
  const remote = new FakePeerConnection();
  remote.addTrack(new FakeTrack('audio', 'alice-audio'), new FakeStream('alice'));
  await remote.setLocalDescription();
  c.rtc({ type: 'signal', from: 'A', description: remote.localDescription });
  await settle();
  assert.equal(c.sent.length, sentBefore + 1, 'only the resume');
  assert.ok(c.mesh.pendingSignals > 0, 'the rest waits');
  remote.close();
  c.mesh.leave();
  await settle();
});

test('a fresh resume (a reload) names no peers and starts from nothing', async () => {
  const c = client();
  c.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: true });
  assert.deepEqual(resumeRequests(c)[0].body, { id: 'B', secret: 'sB', fresh: true, peers: {} });
  assert.equal(c.mesh.slug, 'standup');
  assert.equal(c.mesh.selfId, null, 'known once "resumed" says so');

  const again = inCall();
  again.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: true });
  assert.equal(again.mesh.peers.size, 0);
  assert.deepEqual(resumeRequests(again)[0].body.peers, {});
  await settle();
});

test('no more than 64 peers go into a resume request', async () => {
  const c = client();
  c.mesh.join('big');
  c.rtc({ type: 'connect', id: 'B', name: 'bob' });
  c.rtc({ type: 'others', others: Array.from({ length: 70 }, (_, i) => ({ id: `P${i}`, name: `p${i}`, epoch: 0 })) });
  c.mesh.resume('big', { id: 'B', secret: 's' }, { fresh: false });
  assert.equal(Object.keys(resumeRequests(c)[0].body.peers).length, MAX_RESUME_PEERS);
  c.mesh.leave();
  await settle();
});

test('"resumed": a live peer keeps its connection, one that is not gets a fresh impolite one (tile kept), one not listed leaves', async () => {
  const c = inCall();
  c.rtc({ type: 'other', id: 'D', name: 'dee', epoch: 0 });
  const [pcA, pcC, pcD] = [c.pc('A'), c.pc('C'), c.pc('D')];
  c.mesh.holdSignals();
  c.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: false });
  c.added.length = 0;
  const offersBefore = offersTo(c, 'C').length;

  c.rtc({
    type: 'resumed', id: 'B', name: 'bob', epoch: 0,
    others: [{ id: 'A', name: 'alice', epoch: 1, live: true }, { id: 'C', name: 'cy', epoch: 4, live: false }],
  });

  assert.equal(c.pc('A'), pcA, 'live: the same connection');
  assert.notEqual(pcA.signalingState, 'closed');
  assert.equal(pcC.signalingState, 'closed', 'not live: closed…');
  assert.notEqual(c.pc('C'), pcC, '…and replaced');
  assert.equal(c.mesh.peers.get('C')?.polite, false, 'we are the newcomer: we offer');
  assert.equal(c.mesh.epochOf('C'), 4);
  assert.equal(pcD.signalingState, 'closed');
  assert.equal(c.mesh.peers.has('D'), false);
  assert.deepEqual(c.removed, ['D'], 'only the one that left loses its tile');
  assert.deepEqual(c.added, ['C'], 'the replacement is announced (same tile)');
  assert.equal(c.resumed.length, 1);
  await until(() => offersTo(c, 'C').length === offersBefore + 1, 'a fresh offer to C');
  c.mesh.leave();
  await settle();
});

test('after "resumed" a live peer sends again the offer whose answer was lost while we were away', async () => {
  const c = inCall();
  await until(() => offersTo(c, 'C').length === 1, 'our offer to C went out; its answer never comes');
  c.mesh.holdSignals();
  c.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: false });
  c.rtc({ type: 'resumed', id: 'B', name: 'bob', epoch: 0, others: [{ id: 'C', name: 'cy', epoch: 3, live: true }] });
  assert.equal(offersTo(c, 'C').length, 2);
  c.mesh.leave();
  await settle();
});

test('"renew": the other side starts afresh; we close ours, keep the tile and answer its offer', async () => {
  const c = inCall();
  await until(() => offersTo(c, 'C').length === 1, 'our offer to C');
  const old = c.pc('C');
  c.rtc({ type: 'renew', id: 'C', name: 'cy', epoch: 4 });
  assert.equal(old.signalingState, 'closed');
  assert.equal(c.mesh.peers.get('C')?.polite, true);
  assert.equal(c.mesh.epochOf('C'), 4);
  assert.deepEqual(c.removed, []);
  await settle();
  assert.equal(offersTo(c, 'C').length, 1, 'the renewed peer waits for their offer');
  c.mesh.leave();
  await settle();
});

test('"back": an offer that went unanswered while they were away is sent again', async () => {
  const c = inCall();
  await until(() => offersTo(c, 'C').length === 1, 'our offer to C (its answer never comes)');
  c.rtc({ type: 'back', id: 'C', epoch: 3 });
  assert.equal(offersTo(c, 'C').length, 2);
  assert.equal(offersTo(c, 'C')[1].body.description.sdp, offersTo(c, 'C')[0].body.description.sdp, 'the same offer');
  c.rtc({ type: 'back', id: 'nobody', epoch: 0 });
  assert.deepEqual(c.errors, []);
  c.mesh.leave();
  await settle();
});

test('signals that cannot go out wait for "resumed"; those of a peer replaced meanwhile are dropped', async () => {
  let up = true;
  const c = client(() => up);
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', secret: 'sB', minIceRefresh: 0 });
  up = false; // the socket is gone before the first offers go out
  c.rtc({ type: 'others', others: [{ id: 'A', name: 'alice', epoch: 0 }, { id: 'C', name: 'cy', epoch: 0 }] });
  await until(() => c.mesh.pendingSignals >= 4, 'offers and candidates to A and C, kept');
  assert.equal(c.sent.filter((s) => s.destination === '/app/signal').length, 0);

  up = true;
  c.mesh.resume('standup', { id: 'B', secret: 'sB' }, { fresh: false });
  c.rtc({
    type: 'resumed', id: 'B', name: 'bob', epoch: 0,
    others: [{ id: 'A', name: 'alice', epoch: 0, live: true }, { id: 'C', name: 'cy', epoch: 1, live: false }],
  });
  assert.equal(c.mesh.pendingSignals, 0);
  const toA = c.sent.filter((s) => s.body.to === 'A');
  assert.equal(toA.filter((s) => s.body.description?.type === 'offer').length, 1, 'the kept offer, once (not re-sent on top)');
  assert.ok(toA.some((s) => 'candidate' in s.body), 'and its candidates');
  assert.equal(c.sent.filter((s) => s.body.to === 'C').length, 0, 'what the closed peer said is void');
  await until(() => offersTo(c, 'C').length === 1, 'the fresh peer offers to C');
  c.mesh.leave();
  await settle();
});

test('no ICE refresh is asked for while signaling is down; "resumed" brings fresh servers to the open connections', async () => {
  const c = client(undefined, { minIceRefreshMs: 0 });
  c.mesh.join('standup');
  c.rtc({ type: 'connect', id: 'B', name: 'bob', iceServers: [], iceRefreshIn: 10 });
  c.rtc({ type: 'others', others: [{ id: 'A', name: 'alice', epoch: 0 }] });
  c.mesh.holdSignals();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(c.sent.filter((s) => s.destination === '/app/ice').length, 0);
  const fresh = [{ urls: ['stun:fresh.example.org'] }];
  c.rtc({ type: 'resumed', id: 'B', name: 'bob', epoch: 0, iceServers: fresh, others: [{ id: 'A', name: 'alice', epoch: 0, live: true }] });
  assert.deepEqual(c.pc('A').getConfiguration().iceServers, fresh);
  c.mesh.leave();
  await settle();
});

// ---- whole calls through a fake server ----

/** @param {Client[]} clients @param {number} size */
const fullMesh = (clients, size) => () =>
  clients.every(
    (c) => c.mesh.peers.size === size && [...c.mesh.peers.values()].every((p) => p.pc.connectionState === 'connected' && p.pc.signalingState === 'stable'),
  );

async function threeInACall() {
  const server = new FakeServer();
  const clients = ['alice', 'bob', 'cy'].map((name) => server.client(name));
  for (const c of clients) {
    c.mesh.join('standup');
    await until(() => c.mesh.selfId !== null, 'connect');
  }
  await until(fullMesh(clients, 2), 'a full mesh');
  return { server, clients };
}

/** @param {Client} c */
const id = (c) => /** @type {string} */ (c.mesh.selfId);

test('an outage of one participant: the call goes on, lost offers are sent again, the same connections stay', async () => {
  const { server, clients } = await threeInACall();
  const [a, b, cy] = clients;
  const before = clients.map((c) => [...c.mesh.peers.values()].map((p) => p.pc));

  server.cut(b);
  // Both sides renegotiate meanwhile: cy's offer to bob is dropped by the server, bob's to
  // alice cannot leave bob at all (bob is impolite toward alice, cy toward bob).
  cy.pc(id(b)).restartIce();
  b.pc(id(a)).restartIce();
  await until(() => server.dropped.some((d) => d.to === id(b) && d.body.description?.type === 'offer'), 'cy\'s offer dropped');
  await until(() => b.mesh.pendingSignals > 0, 'bob\'s offer kept');

  server.mend(b);
  b.mesh.resume('standup', { id: id(b), secret: server.secretOf(id(b)) }, { fresh: false });
  await until(() => b.resumed.length === 1, 'resumed');
  await until(fullMesh(clients, 2), 'everyone connected and stable again');

  assert.deepEqual(clients.map((c) => [...c.mesh.peers.values()].map((p) => p.pc)), before, 'not one connection replaced');
  assert.deepEqual(clients.map((c) => c.removed), [[], [], []], 'no tile removed');
  assert.equal(cy.pc(id(b)).restarts, 1);
  assert.equal(b.pc(id(a)).restarts, 1);
  for (const c of clients) assert.deepEqual(c.errors, []);
  for (const c of clients) c.mesh.leave();
  await settle();
});

test('a reload: the new page resumes fresh under the same id; the others renew their connection and keep the tile', async () => {
  const { server, clients } = await threeInACall();
  const [a, b, cy] = clients;
  const bob = id(b);
  const oldPcs = [a.pc(bob), cy.pc(bob)];

  server.cut(b);
  b.mesh.dispose(); // the old page is gone, and its connections with it
  const reloaded = server.client('bob');
  reloaded.mesh.resume('standup', { id: bob, secret: server.secretOf(bob) }, { fresh: true });
  const everyone = [a, reloaded, cy];
  await until(fullMesh(everyone, 2), 'the reloaded page connected to everyone');

  assert.equal(reloaded.mesh.selfId, bob);
  assert.equal(reloaded.mesh.epoch, 1);
  assert.deepEqual([a.mesh.epochOf(bob), cy.mesh.epochOf(bob)], [1, 1]);
  assert.deepEqual([a.removed, cy.removed], [[], []], 'the others never lost bob\'s tile');
  assert.ok(oldPcs.every((pc) => pc.signalingState === 'closed'));
  assert.equal(a.mesh.peers.get(bob)?.polite, true, 'the reloaded page offers, the others answer');
  assert.equal(reloaded.mesh.peers.get(id(a))?.polite, false);
  for (const c of everyone) assert.deepEqual(c.errors, []);
  for (const c of everyone) c.mesh.leave();
  await settle();
});

test('whoever left during the outage is gone after the resume', async () => {
  const { server, clients } = await threeInACall();
  const [a, b, cy] = clients;
  const alice = id(a);
  server.cut(b);
  a.mesh.leave(); // bob misses "disconnected"
  await settle();
  server.mend(b);
  b.mesh.resume('standup', { id: id(b), secret: server.secretOf(id(b)) }, { fresh: false });
  await until(() => b.resumed.length === 1, 'resumed');
  assert.deepEqual(b.removed, [alice]);
  assert.deepEqual([...b.mesh.peers.keys()], [id(cy)]);
  b.mesh.leave();
  cy.mesh.leave();
  await settle();
});
