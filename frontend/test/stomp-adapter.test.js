import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIRST_DELAY_MS,
  IN_CALL_MAX_DELAY_MS,
  IDLE_MAX_DELAY_MS,
  STABLE_CONNECTION_MS,
  StompAdapter,
  isBusyHint,
  isReconnectHint,
  reconnectDelay,
} from '../src/mux/stomp-adapter.js';

/**
 * The part of @stomp/stompjs's Client the adapter uses, driven by the test: `open()` plays a
 * successful CONNECT, `error(msg)` an ERROR frame, `close()` the socket closing.
 */
class FakeClient {
  connected = false;
  activations = 0;
  /** @type {Map<string, {destination: string, callback: (m: {body: string}) => void, active: boolean}>} */
  subscriptions = new Map();
  /** @type {{destination: string, body: string, headers?: Record<string, string>}[]} */
  published = [];
  #nextId = 0;
  beforeConnect = () => {};
  onConnect = (/** @type {any} */ _frame) => {};
  onStompError = (/** @type {any} */ _frame) => {};
  onWebSocketClose = (/** @type {any} */ _event) => {};

  deactivations = 0;

  activate() {
    this.activations++;
  }

  async deactivate() {
    this.deactivations++;
    this.connected = false;
  }

  /** @type {Map<string, () => void>} receipts watched, by id */
  receipts = new Map();
  /** When false, the broker holds its receipts until the test calls `confirm()`. */
  autoReceipts = true;

  /** @param {string} id @param {() => void} callback */
  watchForReceipt(id, callback) {
    this.receipts.set(id, callback);
  }

  /** Sends the RECEIPTs the broker held back. */
  confirm() {
    const waiting = [...this.receipts.values()];
    this.receipts.clear();
    waiting.forEach((callback) => callback());
  }

  /** @param {string} destination @param {(m: {body: string}) => void} callback @param {Record<string, string>} [headers] */
  subscribe(destination, callback, headers = {}) {
    if (!this.connected) throw new TypeError('There is no underlying STOMP connection');
    const id = `sub-${this.#nextId++}`;
    const entry = { destination, callback, active: true, headers };
    if (headers.receipt && this.autoReceipts) queueMicrotask(() => this.confirmOne(headers.receipt));
    this.subscriptions.set(id, entry);
    return { id, unsubscribe: () => (entry.active = false) };
  }

  /** @param {{destination: string, body: string, headers?: Record<string, string>}} params */
  publish(params) {
    if (!this.connected) throw new TypeError('There is no underlying STOMP connection');
    this.published.push(params);
  }

  /** @param {string} id */
  confirmOne(id) {
    const callback = this.receipts.get(id);
    this.receipts.delete(id);
    callback?.();
  }

  // ---- test controls ----
  open() {
    this.beforeConnect();
    this.connected = true;
    this.onConnect({ headers: {} });
  }

  /** @param {string} message */
  error(message) {
    this.onStompError({ headers: { message } });
  }

  close(code = 1006) {
    this.connected = false;
    this.onWebSocketClose({ code });
  }

  /** The active subscriptions' destinations, in order. */
  active() {
    return [...this.subscriptions.values()].filter((s) => s.active).map((s) => s.destination);
  }

  /** @param {string} destination @param {string} body */
  deliver(destination, body) {
    for (const s of this.subscriptions.values()) if (s.active && s.destination === destination) s.callback({ body });
  }
}

/** Timers the test runs by hand, and a clock it moves. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  /** @type {Map<number, {fn: () => void, ms: number}>} */
  const pending = new Map();
  return {
    pending,
    setTimeout: (/** @type {() => void} */ fn, /** @type {number} */ ms) => {
      pending.set(nextId, { fn, ms });
      return nextId++;
    },
    clearTimeout: (/** @type {number} */ id) => pending.delete(id),
    now: () => now,
    /** @param {number} ms */
    advance: (ms) => (now += ms),
    /** the delays of the pending timers */
    delays: () => [...pending.values()].map((t) => t.ms),
    /** Runs every pending timer, then lets the adapter's deactivate() settle. */
    async fire() {
      const due = [...pending.values()];
      pending.clear();
      due.forEach((t) => t.fn());
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

/** @param {{backoff?: (attempt: number) => number}} [options] */
function setup({ backoff } = {}) {
  const client = new FakeClient();
  const timers = fakeTimers();
  /** @type {unknown[]} */
  const dispatched = [];
  /** @type {any[]} */
  const states = [];
  /** @type {string[]} */
  const errors = [];
  const adapter = new StompAdapter(/** @type {any} */ (client), { dispatch: (m) => dispatched.push(m) }, {
    standing: ['/user/queue/events', '/topic/lobby'],
    onState: (e) => states.push(e),
    onError: (what) => errors.push(what),
    backoff,
    timers,
  });
  return { client, adapter, dispatched, states, errors, timers };
}

test('start activates the client; on CONNECT the standing destinations are subscribed', async () => {
  const { client, adapter, states } = setup();
  adapter.start();
  assert.equal(client.activations, 1);
  client.open();
  assert.deepEqual(client.active(), ['/user/queue/events', '/topic/lobby']);
  await Promise.resolve();
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'connected']);
});

test('"connected" waits for the broker to confirm every standing subscription', () => {
  const { client, adapter, states } = setup();
  client.autoReceipts = false;
  adapter.start();
  client.open();
  const receipts = [...client.subscriptions.values()].map((s) => s.headers.receipt);
  assert.equal(receipts.length, 2);
  assert.ok(receipts.every((r) => typeof r === 'string' && r.length > 0), 'each standing SUBSCRIBE asks for a receipt');
  assert.deepEqual(states.map((s) => s.state), ['connecting'], 'not connected before the receipts');
  client.confirmOne(receipts[0]);
  assert.deepEqual(states.map((s) => s.state), ['connecting']);
  client.confirmOne(receipts[1]);
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'connected']);
});

test('a receipt that arrives after the connection dropped reports nothing', () => {
  const { client, adapter, states } = setup();
  client.autoReceipts = false;
  adapter.start();
  client.open();
  client.close();
  client.confirm();
  assert.deepEqual(states.map((s) => s.state), ['connecting', 'lost']);
});

test('each MESSAGE body is parsed and dispatched; an unreadable one is reported', () => {
  const { client, adapter, dispatched, errors } = setup();
  adapter.start();
  client.open();
  client.deliver('/user/queue/events', '{"rtc": {"type": "connect", "id": "B"}}');
  client.deliver('/topic/lobby', 'not json');
  assert.deepEqual(dispatched, [{ rtc: { type: 'connect', id: 'B' } }]);
  assert.deepEqual(errors, ['unreadable message on /topic/lobby']);
});

test('send publishes JSON, and refuses quietly while disconnected', () => {
  const { client, adapter } = setup();
  adapter.start();
  assert.equal(adapter.send('/app/room/standup/join', {}), false);
  client.open();
  assert.equal(adapter.send('/app/signal', { to: 'A', candidate: null }), true);
  assert.deepEqual(client.published, [
    { destination: '/app/signal', body: '{"to":"A","candidate":null}', headers: { 'content-type': 'application/json' } },
  ]);
});

test('a room subscription lasts one connection; after a reconnect only the standing ones return', () => {
  const { client, adapter, states } = setup();
  adapter.start();
  client.open();
  assert.equal(adapter.subscribe('/topic/room.standup'), true);
  assert.deepEqual(client.active().at(-1), '/topic/room.standup');

  client.close();
  assert.deepEqual(states.at(-1), { state: 'lost', wasConnected: true, code: 1006, retryInMs: 0 });
  assert.equal(adapter.subscribe('/topic/room.standup'), false, 'cannot subscribe while down');

  client.subscriptions.clear(); // the broker forgot them with the session
  client.open();
  assert.deepEqual(client.active(), ['/user/queue/events', '/topic/lobby']);
});

test('unsubscribe sends UNSUBSCRIBE for that destination only', () => {
  const { client, adapter } = setup();
  adapter.start();
  client.open();
  adapter.subscribe('/topic/room.standup');
  adapter.unsubscribe('/topic/room.standup');
  adapter.unsubscribe('/topic/room.never');
  assert.deepEqual(client.active(), ['/user/queue/events', '/topic/lobby']);
});

test('an ERROR frame reports its message header; a failed first attempt is "lost" without a session', () => {
  const { client, adapter, states } = setup();
  adapter.start();
  client.beforeConnect();
  client.close(1002);
  assert.deepEqual(states.at(-1), { state: 'lost', wasConnected: false, code: 1002, retryInMs: 0 });
  client.open();
  client.error('rate limit exceeded');
  client.close();
  const [error, lost] = states.slice(-2);
  assert.deepEqual(error, { state: 'error', message: 'rate limit exceeded' });
  assert.deepEqual({ ...lost, retryInMs: undefined }, { state: 'lost', wasConnected: true, code: 1006, retryInMs: undefined });
  assert.ok(lost.retryInMs > 0, 'after a refusal, not at once');
});

// ---- reconnecting ----

test('reconnectDelay: at once, then under 500 ms, then doubling with jitter, never above the cap', () => {
  assert.equal(reconnectDelay(0, IN_CALL_MAX_DELAY_MS), 0);
  for (const random of [0, 0.5, 0.999999]) {
    const first = reconnectDelay(1, IN_CALL_MAX_DELAY_MS, () => random);
    assert.ok(first >= FIRST_DELAY_MS / 2 && first < FIRST_DELAY_MS, `first retry ${first}`);
    for (let attempt = 1; attempt < 40; attempt++) {
      assert.ok(reconnectDelay(attempt, IN_CALL_MAX_DELAY_MS, () => random) <= IN_CALL_MAX_DELAY_MS);
      assert.ok(reconnectDelay(attempt, 15000, () => random) <= 15000);
    }
  }
  assert.ok(reconnectDelay(3, 60000, () => 0) >= 1000, 'it grows');
  assert.equal(reconnectDelay(30, 5000, () => 0), 2500, 'jitter within the upper half of the cap');
});

test('pages that lost the server at one moment do not come back in lockstep (issue 8)', () => {
  // 100 pages, the default randomness: when does each make its retries 1..6?
  for (const cap of [IN_CALL_MAX_DELAY_MS, IDLE_MAX_DELAY_MS]) {
    const pages = Array.from({ length: 100 }, () => {
      let at = 0;
      return Array.from({ length: 6 }, (_, i) => (at += reconnectDelay(i + 1, cap)));
    });
    for (let retry = 2; retry < 6; retry++) {
      const times = pages.map((p) => p[retry]).sort((a, b) => a - b);
      // Busiest 15 ms of that retry: with jitter a handful of the 100 pages, without it all of them.
      let busiest = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] > 15) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
      assert.ok(busiest <= 15, `retry ${retry + 1} (cap ${cap} ms): ${busiest} of 100 pages within 15 ms`);
    }
  }
});

test('a reconnect hint is told apart from a refusal', () => {
  assert.equal(isReconnectHint('Server shutting down; reconnect.'), true);
  assert.equal(isReconnectHint('Server lost contact with the others; reconnect.'), true);
  assert.equal(isReconnectHint('Cannot resume: the grace period is over; join again.'), false);
  assert.equal(isReconnectHint('rate limit exceeded'), false);
});

test('after a close the adapter itself reconnects: at once, then with the back-off; stompjs never does', async () => {
  const { client, adapter, states, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  client.open();
  await Promise.resolve();
  timers.advance(STABLE_CONNECTION_MS);
  client.close();
  assert.deepEqual(timers.delays(), [0], 'at once');
  assert.equal(states.at(-1).retryInMs, 0);
  await timers.fire();
  assert.equal(client.deactivations, 1, 'deactivate first, so that activate starts afresh');
  assert.equal(client.activations, 2);

  client.close(1006); // the attempt fails
  assert.deepEqual(timers.delays(), [100]);
  await timers.fire();
  client.close(1006);
  assert.deepEqual(timers.delays(), [200]);
  await timers.fire();
  assert.equal(client.activations, 4);

  // A connection that stays up resets the back-off.
  client.open();
  await Promise.resolve();
  timers.advance(STABLE_CONNECTION_MS);
  client.close();
  assert.deepEqual(timers.delays(), [0]);
});

test('a connection that drops right after connecting keeps backing off', async () => {
  const { client, adapter, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  client.close();
  await timers.fire();
  client.open();
  await Promise.resolve();
  client.close(); // up for no time at all
  assert.deepEqual(timers.delays(), [100]);
});

test('after a refusal the next attempt waits; after a reconnect hint it goes at once', async () => {
  const { client, adapter, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  client.open();
  await Promise.resolve();
  timers.advance(STABLE_CONNECTION_MS);
  client.error('Cannot resume: the grace period is over; join again.');
  client.close();
  assert.deepEqual(timers.delays(), [100], 'a refusal repeated at once would only repeat');
  await timers.fire();

  client.open();
  await Promise.resolve();
  timers.advance(STABLE_CONNECTION_MS);
  client.error('Server shutting down; reconnect.');
  client.close();
  assert.deepEqual(timers.delays(), [0]);
});

test('a busy server that sheds the session is come back to after a back-off that grows while it sheds', async () => {
  assert.equal(isBusyHint('Server busy; reconnect in a moment.'), true);
  assert.equal(isBusyHint('Too many requests at once; reconnect in a moment.'), true);
  assert.equal(isBusyHint('Server shutting down; reconnect.'), false);
  const { client, adapter, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  client.open();
  await Promise.resolve();
  timers.advance(STABLE_CONNECTION_MS);
  client.error('Server busy; reconnect in a moment.');
  client.close();
  assert.deepEqual(timers.delays(), [100], 'not at once, though the connection was stable');
  await timers.fire();
  for (const expected of [200, 300]) {
    client.open();
    await Promise.resolve();
    client.error('Too many requests at once; reconnect in a moment.');
    client.close();
    assert.deepEqual(timers.delays(), [expected]);
    await timers.fire();
  }
});

test('refusals in a row back off further each time', async () => {
  const { client, adapter, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  for (const expected of [100, 200, 300]) {
    client.open();
    await Promise.resolve();
    timers.advance(STABLE_CONNECTION_MS);
    client.error('Join a call before asking for ICE servers.');
    client.close();
    assert.deepEqual(timers.delays(), [expected]);
    await timers.fire();
  }
});

test('retryNow (the browser is online again) skips the wait; without a pending retry it does nothing', async () => {
  const { client, adapter, timers } = setup({ backoff: () => 4000 });
  adapter.start();
  adapter.retryNow();
  assert.equal(client.activations, 1);
  client.close();
  assert.deepEqual(timers.delays(), [4000]);
  adapter.retryNow();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(client.activations, 2);
  assert.equal(timers.pending.size, 0);
});

test('stop() sends DISCONNECT and ends the reconnecting; suspend() ends it without DISCONNECT', async () => {
  const stopped = setup();
  stopped.adapter.start();
  stopped.client.open();
  await stopped.adapter.stop();
  assert.equal(stopped.client.deactivations, 1);
  stopped.client.close();
  assert.equal(stopped.timers.pending.size, 0);
  assert.equal('retryInMs' in stopped.states.at(-1), false);

  const suspended = setup();
  suspended.adapter.start();
  suspended.client.open();
  suspended.client.close();
  suspended.adapter.suspend();
  assert.equal(suspended.timers.pending.size, 0, 'the pending retry is cancelled');
  await suspended.timers.fire();
  assert.equal(suspended.client.deactivations, 0, 'no DISCONNECT: the server keeps the participant for a reload');
  assert.equal(suspended.client.activations, 1);
});

test('state and connections say where the connection stands', async () => {
  const { client, adapter } = setup();
  adapter.start();
  assert.equal(adapter.state, 'connecting');
  client.open();
  await Promise.resolve();
  assert.equal(adapter.state, 'connected');
  assert.equal(adapter.connections, 1);
  client.error('rate limit exceeded');
  assert.equal(adapter.state, 'connected', 'an ERROR alone does not end the connection');
  client.close();
  assert.equal(adapter.state, 'lost');
});

test('a refusal right after a long outage is retried soon: the server answered, the outage is over', async () => {
  const { client, adapter, timers } = setup({ backoff: (attempt) => attempt * 100 });
  adapter.start();
  for (let i = 0; i < 5; i++) {
    client.close(); // the server is down
    await timers.fire();
  }
  client.open();
  await Promise.resolve();
  client.error('Cannot resume: the grace period is over; join again.');
  client.close();
  assert.deepEqual(timers.delays(), [100]);
});
