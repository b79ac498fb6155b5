// Test helpers for the mesh: one client (multiplexer + mesh + a record of what it SENDs and what
// the mesh reports), and a fake server that follows docs/protocol.md: join sequence, stamped
// signals, leaves, and resume (away while the link is cut, "resumed" / "renew" / "back"); a
// gate can refuse a join or put it in the waiting room, and the owner's admit and remove exist.

import { Mesh } from '../src/call/mesh.js';
import { Multiplexer } from '../src/mux/multiplexer.js';
import { FakePeerConnection } from './fake-rtc.js';

/**
 * @typedef {object} ClientOptions
 * @property {any} [RTCPeerConnection] a FakePeerConnection class
 * @property {number} [connectTimeoutMs]
 * @property {number} [minIceRefreshMs]
 */

/**
 * @param {(destination: string, body: any) => boolean | void} [transport] gets every SEND; false: the socket is down
 * @param {ClientOptions} [options]
 */
export function client(transport = () => {}, { RTCPeerConnection = FakePeerConnection, connectTimeoutMs, minIceRefreshMs } = {}) {
  /** @type {{destination: string, body: any}[]} every SEND that went out */
  const sent = [];
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} */
  const removed = [];
  /** @type {string[]} peers added, in order (a renewed peer again) */
  const added = [];
  /** @type {any[]} */
  const joined = [];
  /** @type {any[]} */
  const resumed = [];
  /** @type {Record<string, any[]>} */
  const features = {};
  /** @type {Record<string, any[]>} participant id → problems reported (null: withdrawn) */
  const problems = {};
  const mux = new Multiplexer({ onError: (what, error) => errors.push(`${what}: ${error}`) });
  const mesh = new Mesh({
    multiplexer: mux,
    send: (destination, body) => {
      const copy = JSON.parse(JSON.stringify(body));
      if (transport(destination, copy) === false) return false;
      sent.push({ destination, body: copy });
      return true;
    },
    RTCPeerConnection: /** @type {any} */ (RTCPeerConnection),
    connectTimeoutMs,
    minIceRefreshMs,
    events: {
      onJoined: (self) => joined.push(self),
      onResumed: (self) => resumed.push(self),
      onPeerAdded: (id) => added.push(id),
      onPeerRemoved: (id) => removed.push(id),
      onFeatures: (id, f) => (features[id] ??= []).push(f),
      onPeerProblem: (id, problem) => (problems[id] ??= []).push(problem),
      onError: (what, error) => errors.push(`${what}: ${/** @type {Error} */ (error).message}`),
    },
  });
  const rtc = (/** @type {object} */ body) => mux.dispatch({ rtc: body });
  const pc = (/** @type {string} */ id) => /** @type {FakePeerConnection} */ (/** @type {unknown} */ (mesh.peers.get(id)?.pc));
  return { mux, mesh, sent, errors, removed, added, joined, resumed, features, problems, rtc, pc };
}

/** @typedef {ReturnType<typeof client>} Client */

/**
 * What the fake server talks to: a page's multiplexer; `mesh` (a Client's) is told to hold its
 * signals when the link is cut, `onServerError` gets ERROR messages.
 * @typedef {{mux: {dispatch: (message: unknown) => void}, mesh?: {holdSignals: () => void}, onServerError?: (message: string) => void}} Endpoint
 *
 * @typedef {object} Member
 * @property {Endpoint} client the endpoint that holds it now
 * @property {string} name
 * @property {number} epoch
 * @property {string} secret
 * @property {boolean} away its link is cut
 */

export class FakeServer {
  /** @type {Map<string, Member>} participant id → member */
  members = new Map();
  /** @type {Set<Endpoint>} endpoints whose link is cut: their SENDs fail, nothing reaches them */
  #cut = new Set();
  /** @type {Map<Endpoint, string>} the participant each endpoint holds */
  #ids = new Map();
  #next = 0;
  /** @type {{to: Endpoint, message: any}[]} */
  #queue = [];
  #ice;
  /** @type {{from: string, to: string, body: any}[]} signals dropped because the recipient was away */
  dropped = [];
  /**
   * Answers a join instead of letting it in, when it returns an rtc event ("refused", "waiting").
   * @type {((name: string) => {type: string, [key: string]: unknown} | null) | null}
   */
  gate = null;
  /** @type {Set<Endpoint>} endpoints in the waiting room */
  waiting = new Set();
  /** @type {Set<Endpoint>} let in by the owner: their next join passes the gate */
  #admitted = new Set();

  /** @param {object} [ice] what "connect" and "ice" carry: iceServers, iceTransportPolicy, iceRefreshIn */
  constructor(ice = {}) {
    this.#ice = ice;
  }

  /**
   * A client whose SENDs reach this server.
   * @param {string} name
   * @param {ClientOptions} [options]
   */
  client(name, options) {
    /** @type {Client} */
    const c = client((destination, body) => send(destination, body), options);
    const send = this.transport(c, name);
    return c;
  }

  /**
   * The SEND function of an endpoint.
   * @param {Endpoint} endpoint
   * @param {string} name its user's screen name
   * @returns {(destination: string, body: any) => boolean}
   */
  transport(endpoint, name) {
    return (destination, body) => {
      if (this.#cut.has(endpoint)) return false;
      const me = this.#ids.get(endpoint);
      /** @type {string | null | undefined} */
      let now = me;
      if (destination.endsWith('/join')) now = this.#gated(endpoint, name);
      else if (destination === '/app/resume') now = this.#resume(endpoint, body);
      else if (destination === '/app/signal' && me) this.#signal(me, body);
      else if (destination === '/app/ice' && me) this.#post(endpoint, { rtc: { type: 'ice', ...this.#ice } });
      else if (destination.endsWith('/leave')) {
        this.waiting.delete(endpoint);
        if (me) this.#leave(me);
      }
      if (now) this.#ids.set(endpoint, now);
      else this.#ids.delete(endpoint);
      return true;
    };
  }

  /**
   * The endpoint's socket drops: its participant is away, its SENDs fail, messages to it are lost.
   * @param {Endpoint} endpoint
   */
  cut(endpoint) {
    this.#cut.add(endpoint);
    this.#ids.delete(endpoint); // a new socket is a new session
    for (const member of this.members.values()) if (member.client === endpoint) member.away = true;
    endpoint.mesh?.holdSignals(); // what the page does on "lost"
  }

  /**
   * The endpoint's socket is back (a new session): it may resume now.
   * @param {Endpoint} endpoint
   */
  mend(endpoint) {
    this.#cut.delete(endpoint);
  }

  /** @param {string} id */
  secretOf(id) {
    return this.members.get(id)?.secret ?? '';
  }

  /**
   * The owner lets a waiting endpoint in: it gets "admitted" (and joins again, past the gate).
   * @param {Endpoint} endpoint
   */
  admit(endpoint) {
    if (!this.waiting.delete(endpoint)) return;
    this.#admitted.add(endpoint);
    this.#post(endpoint, { rtc: { type: 'admitted' } });
  }

  /**
   * The owner removes a participant: the others get "disconnected", it gets "removed".
   * @param {string} id
   */
  remove(id) {
    const member = this.members.get(id);
    if (!member) return;
    this.members.delete(id);
    this.#ids.delete(member.client);
    for (const other of this.members.values()) this.#post(other.client, { remove: `#tile-${id}`, rtc: { type: 'disconnected', id } });
    this.#post(member.client, { rtc: { type: 'removed', message: 'The owner removed you from the call.' } });
  }

  /**
   * Sends any message to one endpoint, in order with the rest.
   * @param {Endpoint} endpoint
   * @param {object} message
   */
  tell(endpoint, message) {
    this.#post(endpoint, message);
  }

  /** @param {Endpoint} c @param {string} name */
  #gated(c, name) {
    const answer = this.#admitted.delete(c) ? null : this.gate?.(name);
    if (!answer) return this.#join(c, name);
    if (answer.type === 'waiting') this.waiting.add(c);
    this.#post(c, { rtc: answer });
    return null;
  }

  /** @param {Endpoint} c @param {string} name */
  #join(c, name) {
    const id = `P${++this.#next}`;
    const secret = `secret-${id}`;
    const others = [...this.members.entries()];
    this.members.set(id, { client: c, name, epoch: 0, secret, away: false });
    for (const [, other] of others) this.#post(other.client, { rtc: { type: 'other', id, name, epoch: 0 } });
    this.#post(c, { rtc: { type: 'connect', id, name, secret, epoch: 0, ...this.#ice } });
    this.#post(c, { rtc: { type: 'others', others: others.map(([oid, o]) => ({ id: oid, name: o.name, epoch: o.epoch })) } });
    return id;
  }

  /** @param {Endpoint} c @param {any} body */
  #resume(c, { id, secret, fresh, peers }) {
    const member = this.members.get(id);
    if (!member || member.secret !== secret) {
      this.#post(c, { error: 'Cannot resume: unknown participant or wrong secret; join again.' });
      return null;
    }
    // The session that held it before, if still open, is told that the call moved.
    if (member.client !== c && !this.#cut.has(member.client)) {
      this.#post(member.client, { error: 'This call continues on another connection.' });
    }
    if (fresh) member.epoch++;
    member.client = c;
    member.away = false;
    const others = [...this.members.entries()].filter(([oid]) => oid !== id);
    const entries = others.map(([oid, o]) => ({ id: oid, name: o.name, epoch: o.epoch, live: !fresh && peers?.[oid] === o.epoch }));
    this.#post(c, { rtc: { type: 'resumed', id, name: member.name, epoch: member.epoch, ...this.#ice, others: entries } });
    entries.forEach((entry, i) => {
      const other = others[i][1];
      const event = entry.live
        ? { type: 'back', id, epoch: member.epoch }
        : { type: 'renew', id, name: member.name, epoch: member.epoch };
      this.#post(other.client, { rtc: event });
    });
    return id;
  }

  /** @param {string} from @param {any} body */
  #signal(from, body) {
    const { to, ...rest } = body;
    const target = this.members.get(to);
    if (!target) return;
    // Signals addressed to an away participant are dropped, not held (docs/protocol.md).
    if (target.away) this.dropped.push({ from, to, body });
    else this.#post(target.client, { rtc: { type: 'signal', from, ...rest } });
  }

  /** @param {string} id */
  #leave(id) {
    this.members.delete(id);
    for (const other of this.members.values()) this.#post(other.client, { remove: `#tile-${id}`, rtc: { type: 'disconnected', id } });
  }

  /** @param {Endpoint} to @param {object} message */
  #post(to, message) {
    this.#queue.push({ to, message: JSON.parse(JSON.stringify(message)) });
    if (this.#queue.length === 1) this.#pump();
  }

  #pump() {
    setTimeout(() => {
      const next = this.#queue.shift();
      if (next && !this.#cut.has(next.to)) {
        // An ERROR frame, in real life followed by the server closing the socket.
        if (typeof next.message.error === 'string') next.to.onServerError?.(next.message.error);
        else next.to.mux.dispatch(next.message);
      }
      if (this.#queue.length) this.#pump();
    }, 0);
  }
}
