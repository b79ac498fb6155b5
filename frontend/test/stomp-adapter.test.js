import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StompAdapter } from '../src/mux/stomp-adapter.js';

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

  activate() {
    this.activations++;
  }

  async deactivate() {
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

function setup() {
  const client = new FakeClient();
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
  });
  return { client, adapter, dispatched, states, errors };
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
  assert.deepEqual(states.at(-1), { state: 'lost', wasConnected: true, code: 1006 });
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
  assert.deepEqual(states.at(-1), { state: 'lost', wasConnected: false, code: 1002 });
  client.open();
  client.error('rate limit exceeded');
  client.close();
  assert.deepEqual(
    states.slice(-2),
    [{ state: 'error', message: 'rate limit exceeded' }, { state: 'lost', wasConnected: true, code: 1006 }],
  );
});
