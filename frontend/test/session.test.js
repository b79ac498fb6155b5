// CallSession: the room page's call logic against a fake server (test-support/call-harness.js):
// the page's connection goes down and up, the page reloads, the server refuses a resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallSession, UNLOAD_DESTINATION } from '../src/call/session.js';
import { ResumeStore } from '../src/call/resume.js';
import { Multiplexer } from '../src/mux/multiplexer.js';
import { FakePeerConnection } from '../test-support/fake-rtc.js';
import { FakeServer } from '../test-support/call-harness.js';
import { until, settle } from '../test-support/wire.js';

/** Records what the session makes the page show. */
class FakeUi {
  /** @type {{text: string, tone: string}[]} */
  statuses = [];
  callState = '';
  signaling = '';
  /** @type {string | null} */
  icePolicy = null;
  /** @type {Map<string, {version: number | null, away?: boolean}>} remote tiles */
  tiles = new Map();
  /** @type {string[]} */
  removedTiles = [];
  /** @type {string | null} */
  outcome = null;
  /** @type {string | null} */
  refusal = null;

  get status() {
    return (/** @type {string} */ text, tone = 'info') => this.statuses.push({ text, tone });
  }
  get lastStatus() {
    return this.statuses.at(-1)?.text ?? '';
  }
  /** @param {any} state */
  setCallState(state) {
    this.callState = state;
  }
  /** @param {any} outcome @param {string} [reason] */
  setOutcome(outcome, reason) {
    this.outcome = outcome;
    this.refusal = outcome === 'refused' ? (reason ?? null) : null;
  }
  get lastTone() {
    return this.statuses.at(-1)?.tone ?? '';
  }
  /** @param {any} state */
  setSignaling(state) {
    this.signaling = state;
  }
  /** @param {any} policy */
  setIcePolicy(policy) {
    this.icePolicy = policy;
  }
  /** @param {string} id */
  peerAdded(id) {
    if (!this.tiles.has(id)) this.tiles.set(id, { version: null }); // the server's tile came with the join
  }
  /** @param {string} id */
  removeTile(id) {
    this.removedTiles.push(id);
    this.tiles.delete(id);
  }
  peerTrack() {}
  peerFeatures() {}
  peerState() {}
  peerProblem() {}
  clearRemoteTiles() {
    this.tiles.clear();
  }
  remoteTiles() {
    return [...this.tiles].map(([id, { version }]) => ({ id, version }));
  }
  /** @param {string} id */
  hasTile(id) {
    return this.tiles.has(id);
  }
  /** @param {Map<string, boolean>} members */
  markAway(members) {
    for (const [id, away] of members) {
      const tile = this.tiles.get(id);
      if (tile) tile.away = away;
    }
  }
}

/** sessionStorage in memory, shared by the pages of one tab. */
function tabStorage() {
  /** @type {Map<string, string>} */
  const items = new Map();
  return {
    getItem: (/** @type {string} */ key) => items.get(key) ?? null,
    setItem: (/** @type {string} */ key, /** @type {string} */ value) => void items.set(key, value),
    removeItem: (/** @type {string} */ key) => void items.delete(key),
  };
}

/**
 * A room page: its connection to the fake server (the test moves it up and down the way the
 * StompAdapter reports it), a CallSession, and what it shows.
 * @param {FakeServer} server
 * @param {ReturnType<typeof tabStorage>} storage
 * @param {{roster?: () => any, muteMicrophone?: () => unknown}} [options]
 */
function page(server, storage, { roster = () => null, muteMicrophone } = {}) {
  const ui = new FakeUi();
  /** @type {string[]} every call state the session reported, in order */
  const callStates = [];
  const mux = new Multiplexer();
  /** @type {{destination: string, body: any}[]} */
  const sent = [];
  const connection = {
    /** @type {any} */
    state: 'connecting',
    connections: 0,
    suspended: false,
    retries: 0,
    /** @type {(destination: string, body: any) => boolean} */
    send: (destination, body) => {
      if (connection.state !== 'connected') return false;
      const copy = JSON.parse(JSON.stringify(body));
      const ok = transport(destination, copy);
      if (ok) sent.push({ destination, body: copy });
      return ok;
    },
    suspend: () => void (connection.suspended = true),
    retryNow: () => void connection.retries++,
  };
  const endpoint = {
    mux,
    /** @param {string} message */
    onServerError: (message) => {
      call.connectionChanged({ state: 'error', message });
      down(); // the server closes the socket after an ERROR
    },
  };
  const transport = server.transport(endpoint, 'bob');
  const call = new CallSession({
    slug: 'standup',
    multiplexer: mux,
    connection,
    ui,
    store: new ResumeStore(storage, 'standup'),
    media: () => Promise.resolve(),
    readRoster: roster,
    muteMicrophone,
    onCallState: (state) => callStates.push(state),
    RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
    onError: (what, error) => assert.fail(`${what}: ${error}`),
  });
  const up = async () => {
    server.mend(endpoint);
    connection.state = 'connected';
    connection.connections++;
    await call.connectionChanged({ state: 'connected' });
  };
  const down = () => {
    server.cut(endpoint);
    connection.state = 'lost';
    call.connectionChanged({ state: 'lost', wasConnected: true });
  };
  return { call, ui, sent, connection, up, down, endpoint, callStates };
}

/** @param {{destination: string}[]} sent @param {string} destination */
const sends = (sent, destination) => sent.filter((s) => s.destination === destination);

/** Alice is in the call already; bob's page joins it. */
async function bobInACallWithAlice() {
  const server = new FakeServer();
  const alice = server.client('alice');
  alice.mesh.join('standup');
  await until(() => alice.mesh.selfId !== null, 'alice in');
  const storage = tabStorage();
  const bob = page(server, storage);
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'in', 'bob in');
  const aliceId = /** @type {string} */ (alice.mesh.selfId);
  await until(
    () => bob.call.mesh.peers.get(aliceId)?.pc.connectionState === 'connected' && alice.mesh.peers.size === 1,
    'bob and alice connected',
  );
  return { server, alice, aliceId, storage, bob };
}

test('before joining: the roster is asked for on every connection, the status waits for a click', async () => {
  const server = new FakeServer();
  const bob = page(server, tabStorage());
  assert.equal(bob.ui.signaling, 'connecting');
  assert.equal(bob.ui.callState, 'out');
  await bob.up();
  assert.equal(bob.ui.signaling, 'connected');
  assert.deepEqual(bob.sent, [{ destination: '/app/room/standup/roster', body: {} }]);
  assert.equal(bob.ui.lastStatus, 'Connected. Join the call when you are ready.');
  assert.equal(bob.call.pageHidden(), false, 'not in a call: the page may DISCONNECT');
  bob.down();
  await bob.up();
  assert.equal(sends(bob.sent, '/app/room/standup/roster').length, 2);
});

test('the connection drops mid-call: peers and tiles stay, the page says the call goes on, then resumes them', async () => {
  const { alice, aliceId, bob } = await bobInACallWithAlice();
  const pc = bob.call.mesh.peers.get(aliceId)?.pc;
  const bobId = bob.call.mesh.selfId;

  bob.down();
  assert.equal(bob.ui.signaling, 'reconnecting');
  assert.match(bob.ui.lastStatus, /Reconnecting… The call goes on meanwhile\.$/);
  assert.equal(bob.ui.callState, 'in', 'still in the call');
  assert.equal(bob.call.mesh.peers.get(aliceId)?.pc, pc);
  assert.equal(pc?.connectionState, 'connected');

  await bob.up();
  const [resume] = sends(bob.sent, '/app/resume');
  assert.deepEqual(resume.body, { id: bobId, secret: `secret-${bobId}`, fresh: false, peers: { [aliceId]: 0 } });
  assert.equal(bob.sent.indexOf(resume) < bob.sent.findLastIndex((s) => s.destination.endsWith('/roster')), true, 'the resume goes first');
  await until(() => bob.ui.lastStatus === 'Reconnected. You are in the call.', 'resumed');
  assert.equal(bob.call.mesh.peers.get(aliceId)?.pc, pc, 'the same connection');
  assert.equal(bob.call.mesh.selfId, bobId);
  assert.deepEqual([bob.ui.removedTiles, alice.removed], [[], []]);
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1, 'never joined again');
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('a tile without a peer is dropped before resuming; a peer without a tile is not named', async () => {
  const { alice, aliceId, bob } = await bobInACallWithAlice();
  bob.ui.tiles.set('ghost', { version: null });
  bob.down();
  bob.ui.tiles.delete(aliceId); // say the roster took it
  await bob.up();
  assert.deepEqual(bob.ui.removedTiles, ['ghost']);
  assert.deepEqual(sends(bob.sent, '/app/resume')[0].body.peers, {});
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('a reload resumes by itself, fresh, under the same id; alice keeps bob\'s tile', async () => {
  const { server, alice, aliceId, storage, bob } = await bobInACallWithAlice();
  const bobId = bob.call.mesh.selfId;
  assert.equal(bob.call.pageHidden(), true);
  assert.deepEqual(bob.sent.at(-1), { destination: UNLOAD_DESTINATION, body: {} });
  assert.equal(bob.connection.suspended, true, 'no DISCONNECT, no reconnect from a page that is going away');
  server.cut(bob.endpoint);
  bob.call.mesh.dispose();

  const reloaded = page(server, storage);
  assert.equal(reloaded.ui.callState, 'joining');
  assert.equal(reloaded.ui.lastStatus, 'Rejoining the call…', 'without a click');
  await reloaded.up();
  assert.deepEqual(sends(reloaded.sent, '/app/resume')[0].body, { id: bobId, secret: `secret-${bobId}`, fresh: true, peers: {} });
  await until(() => reloaded.ui.callState === 'in', 'back in the call');
  assert.equal(reloaded.ui.lastStatus, 'You are back in the call.');
  await until(() => reloaded.call.mesh.peers.get(aliceId)?.pc.connectionState === 'connected', 'connected to alice afresh');
  assert.equal(reloaded.call.mesh.selfId, bobId);
  assert.deepEqual(alice.removed, [], 'alice never lost bob\'s tile');
  reloaded.call.leave();
  alice.mesh.leave();
  await settle();
});

test('a refused resume forgets the token and the old call; the next connection joins afresh', async () => {
  const { alice, aliceId, storage, bob } = await bobInACallWithAlice();
  const key = 'confab.resume.standup';
  storage.setItem(key, JSON.stringify({ id: bob.call.mesh.selfId, secret: 'wrong' }));
  bob.down();
  await bob.up();
  await until(() => bob.connection.state === 'lost', 'refused, and the socket closed');
  assert.equal(storage.getItem(key), null);
  assert.equal(bob.call.mesh.peers.size, 0);
  assert.equal(bob.ui.tiles.size, 0);
  assert.equal(bob.ui.callState, 'joining', 'the user still wants to be in the call');

  await bob.up();
  await until(() => bob.ui.callState === 'in', 'in again');
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 2);
  assert.notEqual(storage.getItem(key), null, 'a new token');
  await until(() => bob.call.mesh.peers.get(aliceId)?.pc.connectionState === 'connected', 'connected to alice');
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('another page took the participant over (a duplicated tab): this one is out, and stays out', async () => {
  const { server, alice, storage, bob } = await bobInACallWithAlice();
  const copy = page(server, tabStorage());
  copy.endpoint.onServerError = () => {};
  const token = storage.getItem('confab.resume.standup');
  await copy.up();
  copy.connection.send('/app/resume', { ...JSON.parse(token ?? '{}'), fresh: true, peers: {} });
  await until(() => bob.ui.callState === 'out', 'bob\'s page out of the call');
  assert.match(bob.ui.lastStatus, /another tab or window/);
  assert.equal(storage.getItem('confab.resume.standup'), null);
  await bob.up();
  assert.equal(sends(bob.sent, '/app/resume').length, 0);
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1, 'no rejoin by itself');
  alice.mesh.leave();
  await settle();
});

test('leave forgets the token; a Join click while the connection is down asks it to retry now', async () => {
  const { alice, storage, bob } = await bobInACallWithAlice();
  bob.call.leave();
  assert.equal(storage.getItem('confab.resume.standup'), null);
  assert.equal(bob.ui.callState, 'out');
  bob.down();
  await bob.call.join();
  assert.equal(bob.connection.retries, 1);
  assert.equal(bob.ui.lastStatus, 'Waiting for the connection to the server…');
  await bob.up();
  await until(() => bob.ui.callState === 'in', 'joined once connected');
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('the roster drops stale tiles and their peers, and marks who is away', async () => {
  /** @type {any} */
  let roster = null;
  const server = new FakeServer();
  const alice = server.client('alice');
  alice.mesh.join('standup');
  await until(() => alice.mesh.selfId !== null, 'alice in');
  const bob = page(server, tabStorage(), { roster: () => roster });
  await bob.up();
  await bob.call.join();
  const aliceId = /** @type {string} */ (alice.mesh.selfId);
  await until(() => bob.call.mesh.peers.has(aliceId), 'a peer for alice');
  bob.ui.tiles.set(aliceId, { version: 3 });

  roster = { version: 4, members: new Map([[aliceId, true]]) };
  bob.call.applyRoster();
  assert.equal(bob.ui.tiles.get(aliceId)?.away, true);

  roster = { version: 2, members: new Map() }; // older than alice's tile: proves nothing
  bob.call.applyRoster();
  assert.equal(bob.call.mesh.peers.has(aliceId), true);

  roster = { version: 5, members: new Map() };
  bob.call.applyRoster();
  assert.equal(bob.call.mesh.peers.has(aliceId), false);
  assert.deepEqual(bob.ui.removedTiles, [aliceId]);
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('a tile that comes after its participant left (the leave from another instance first) is removed', async () => {
  const server = new FakeServer();
  const bob = page(server, tabStorage(), { roster: () => ({ version: 1, members: new Map() }) });
  await bob.up();
  await bob.call.join();
  await until(() => bob.call.mesh.selfId !== null, 'bob in');
  bob.call.mesh.forget('gone-one'); // a newer roster, or "disconnected", said so
  bob.ui.tiles.set('gone-one', { version: null });
  bob.ui.tiles.set('here', { version: null });

  bob.call.applyRoster();

  assert.deepEqual(bob.ui.removedTiles, ['gone-one']);
  bob.call.leave();
  await settle();
});

// ---- Join outcomes (issue 9): refused, waiting room, admitted, removed, mute request ----

test('a refused join: out of the call with the server\'s sentence, no token, no join again by itself', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'refused', reason: 'locked', message: 'This room is locked.' });
  const storage = tabStorage();
  const bob = page(server, storage);
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'out', 'back out');
  assert.deepEqual(bob.callStates.slice(-2), ['joining', 'out']);
  assert.equal(bob.ui.lastStatus, 'This room is locked.');
  assert.equal(bob.ui.lastTone, 'warn');
  assert.deepEqual([bob.ui.outcome, bob.ui.refusal], ['refused', 'locked']);
  assert.equal(storage.getItem('confab.resume.standup'), null);
  assert.equal(bob.call.inCall, false);
  assert.equal(bob.call.pageHidden(), false, 'nothing to resume: the page may DISCONNECT');

  bob.down();
  await bob.up();
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1, 'a reconnect does not knock on a locked door');
  assert.equal(sends(bob.sent, '/app/resume').length, 0);

  server.gate = null; // unlocked: a click joins, and the outcome is cleared
  await bob.call.join();
  assert.equal(bob.ui.outcome, null);
  await until(() => bob.ui.callState === 'in', 'in');
  bob.call.leave();
  await settle();
});

test('refusals without a sentence of their own; being turned away reads as an error', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'refused', reason: 'removed' });
  const bob = page(server, tabStorage());
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'out', 'back out');
  assert.equal(bob.ui.lastStatus, 'You were removed from this call; you can join again in a few minutes.');
  assert.equal(bob.ui.lastTone, 'error');
  assert.equal(bob.ui.refusal, 'removed');
});

test('the waiting room: data-call "waiting", the message; Stop waiting sends leave and stays out', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'waiting', message: 'Waiting for the owner to let you in.' });
  const bob = page(server, tabStorage());
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'waiting', 'waiting');
  assert.equal(bob.call.waiting, true);
  assert.equal(bob.ui.lastStatus, 'Waiting for the owner to let you in.');
  assert.equal(bob.call.inCall, true, 'reconnects stay quick while waiting');
  assert.equal(bob.call.pageHidden(), false, 'no participant: a closed page ends its knock with DISCONNECT');
  assert.equal(server.waiting.size, 1);

  await bob.call.join(); // a second click on the same button while waiting does not knock twice
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1);

  assert.equal(bob.call.stopWaiting(), true);
  assert.deepEqual(bob.sent.at(-1), { destination: '/app/room/standup/leave', body: {} });
  assert.equal(bob.ui.callState, 'out');
  assert.equal(bob.call.waiting, false);
  assert.equal(server.waiting.size, 0);
  assert.equal(bob.call.stopWaiting(), false, 'nothing to stop');
  bob.down();
  await bob.up();
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1, 'no knock after a reconnect');
});

test('waiting, the connection drops: the page knocks again once it is back', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'waiting', message: 'Waiting for the owner to let you in.' });
  const bob = page(server, tabStorage());
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'waiting', 'waiting');
  bob.down();
  assert.match(bob.ui.lastStatus, /asking to be let in again/);
  assert.equal(bob.ui.callState, 'waiting');
  await bob.up();
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 2);
  assert.equal(sends(bob.sent, '/app/resume').length, 0, 'a knock is no participant');
  await until(() => bob.ui.lastStatus === 'Waiting for the owner to let you in.', 'waiting again');
});

test('admitted: the page joins again by itself and is in the call', async () => {
  const server = new FakeServer();
  const alice = server.client('alice');
  alice.mesh.join('standup');
  await until(() => alice.mesh.selfId !== null, 'alice in');
  server.gate = (name) => (name === 'bob' ? { type: 'waiting', message: 'Waiting for the owner to let you in.' } : null);
  const storage = tabStorage();
  const bob = page(server, storage);
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'waiting', 'waiting');
  server.admit(bob.endpoint);
  await until(() => bob.ui.callState === 'in', 'let in');
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 2);
  assert.equal(bob.call.waiting, false);
  assert.notEqual(storage.getItem('confab.resume.standup'), null, 'a participant now: a token to resume it');
  await until(() => bob.call.mesh.peers.get(/** @type {string} */ (alice.mesh.selfId))?.pc.connectionState === 'connected', 'connected to alice');
  bob.call.leave();
  alice.mesh.leave();
  await settle();
});

test('waiting, then refused by the owner: out, with the reason', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'waiting', message: 'Waiting for the owner to let you in.' });
  const bob = page(server, tabStorage());
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'waiting', 'waiting');
  server.tell(bob.endpoint, { rtc: { type: 'refused', reason: 'refused', message: 'The owner did not let you in.' } });
  await until(() => bob.ui.callState === 'out', 'out');
  assert.equal(bob.call.waiting, false);
  assert.equal(bob.ui.lastStatus, 'The owner did not let you in.');
  assert.equal(bob.ui.lastTone, 'error');
  assert.equal(bob.ui.refusal, 'refused');
  server.tell(bob.endpoint, { rtc: { type: 'admitted' } }); // late, after the refusal: ignored
  await settle();
  assert.equal(sends(bob.sent, '/app/room/standup/join').length, 1);
});

test('removed by the owner: the call ends as Leave does, without a leave; a reload does not resume', async () => {
  const { server, alice, storage, bob } = await bobInACallWithAlice();
  const bobId = /** @type {string} */ (bob.call.mesh.selfId);
  server.remove(bobId);
  await until(() => bob.ui.callState === 'out', 'out');
  assert.equal(bob.ui.lastStatus, 'The owner removed you from the call.');
  assert.equal(bob.ui.lastTone, 'error');
  assert.equal(bob.ui.outcome, 'removed');
  assert.equal(sends(bob.sent, '/app/room/standup/leave').length, 0, 'the server removed us already');
  assert.equal(bob.call.mesh.peers.size, 0);
  assert.equal(bob.ui.tiles.size, 0);
  assert.equal(bob.ui.icePolicy, null);
  assert.equal(storage.getItem('confab.resume.standup'), null);
  assert.equal(bob.call.pageHidden(), false);
  await until(() => alice.mesh.peers.size === 0, 'alice lost bob');

  const reloaded = page(server, storage);
  assert.equal(reloaded.ui.callState, 'out', 'a reload starts out of the call');
  await reloaded.up();
  assert.deepEqual(
    reloaded.sent.map((s) => s.destination),
    ['/app/room/standup/roster'],
  );
  alice.mesh.leave();
  await settle();
});

test('a mute request turns the microphone off as its toggle does and says so; out of a call it is ignored', async () => {
  let mutes = 0;
  const server = new FakeServer();
  const bob = page(server, tabStorage(), { muteMicrophone: () => void mutes++ });
  await bob.up();
  server.tell(bob.endpoint, { rtc: { type: 'mute-request' } });
  await settle();
  assert.equal(mutes, 0, 'not in a call');
  await bob.call.join();
  await until(() => bob.ui.callState === 'in', 'in');
  server.tell(bob.endpoint, { rtc: { type: 'mute-request' } });
  await until(() => mutes === 1, 'muted');
  assert.equal(bob.ui.lastStatus, 'The owner muted you. Turn your microphone back on when you want to speak.');
  assert.equal(bob.ui.callState, 'in', 'still in the call');
  bob.call.leave();
  await settle();
});

test('waiting, a reconnect, and the waiting room was turned off meanwhile: in the call, and Leave leaves', async () => {
  const server = new FakeServer();
  server.gate = () => ({ type: 'waiting', message: 'Waiting for the owner to let you in.' });
  const storage = tabStorage();
  const bob = page(server, storage);
  await bob.up();
  await bob.call.join();
  await until(() => bob.ui.callState === 'waiting', 'waiting');
  bob.down();
  server.gate = null;
  await bob.up();
  await until(() => bob.ui.callState === 'in', 'in');
  assert.equal(bob.call.waiting, false);
  bob.call.leave();
  assert.deepEqual(bob.sent.at(-1), { destination: '/app/room/standup/leave', body: {} });
  assert.equal(storage.getItem('confab.resume.standup'), null);
  assert.equal(bob.ui.lastStatus, 'You left the call. Your camera and microphone are off. Join again whenever you like.');
  await settle();
});
