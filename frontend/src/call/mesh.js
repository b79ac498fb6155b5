// The call as a mesh: one Peer per other participant, driven by the server's rtc events
// (docs/protocol.md). Roles are deterministic: the newcomer (who gets "connect" + "others") is
// impolite toward everyone already there; whoever gets "other" is polite toward the newcomer.
// No DOM: the UI listens through the callbacks.
//
// ICE configuration comes with "connect" (STUN / TURN servers with a short-lived TURN credential,
// the room's transport policy, when to refresh). Before the credential expires the mesh SENDs
// /app/ice; the "ice" answer goes to every open connection with setConfiguration (no media
// renegotiation) and to every connection made from then on.

import { Peer } from './peer.js';
import { ICE_DESTINATION } from './ice.js';

/**
 * @typedef {import('./peer.js').Features} Features
 * @typedef {import('./peer.js').Signal} Signal
 * @typedef {import('./ice.js').ConnectionProblem} ConnectionProblem
 * @typedef {{type: string, [key: string]: unknown}} RtcMessage
 *
 * @typedef {object} MeshEvents
 * @property {(self: {id: string, name: string}) => void} [onJoined] this session is in the call
 * @property {(id: string, name: string, peer: Peer) => void} [onPeerAdded]
 * @property {(id: string) => void} [onPeerRemoved]
 * @property {(id: string, track: MediaStreamTrack, streams: readonly MediaStream[]) => void} [onTrack]
 * @property {(id: string, features: Features) => void} [onFeatures]
 * @property {(id: string, state: string) => void} [onPeerState]
 * @property {(id: string, problem: ConnectionProblem | null) => void} [onPeerProblem] no connection to that participant (null: it is up after all)
 * @property {(what: string, error: unknown) => void} [onError]
 *
 * @typedef {object} MeshOptions
 * @property {{add: (app: string, event: string, fn: (message: RtcMessage) => void) => () => void}} multiplexer
 * @property {(destination: string, body: unknown) => boolean | void} send a STOMP SEND
 * @property {RTCIceServer[]} [iceServers] used unless the "connect" event brings its own
 * @property {number} [connectTimeoutMs] see PeerOptions
 * @property {number} [minIceRefreshMs] the soonest a refresh is asked for, whatever the server says
 * @property {typeof RTCPeerConnection} [RTCPeerConnection] injectable for tests
 * @property {MeshEvents} [events]
 */

export const SIGNAL_DESTINATION = '/app/signal';

/** A floor under the server's iceRefreshIn, so a bad value cannot make us hammer /app/ice. */
export const MIN_ICE_REFRESH_MS = 5000;

/** @param {unknown} value @returns {value is RTCIceTransportPolicy} */
const isPolicy = (value) => value === 'all' || value === 'relay';

export class Mesh {
  /** @type {Map<string, Peer>} participant id → its peer */
  peers = new Map();
  /** @type {string | null} our participant id in the current call */
  selfId = null;
  /** @type {string | null} the room whose call we joined (or are joining) */
  slug = null;

  #send;
  #events;
  /** @type {RTCIceServer[]} */
  #iceServers;
  /** @type {RTCIceTransportPolicy} */
  #iceTransportPolicy = 'all';
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #iceRefreshTimer;
  #minIceRefreshMs;
  /** @type {number | undefined} */
  #connectTimeoutMs;
  #PeerConnection;
  /** @type {MediaStream | null} */
  #localStream = null;
  /** @type {Features} */
  #features = { mic: true, cam: true };
  /** @type {Map<string, string>} participant id → screen name */
  #names = new Map();
  /** @type {(() => void)[]} */
  #registrations;

  /** @param {MeshOptions} options */
  constructor({
    multiplexer,
    send,
    iceServers = [],
    connectTimeoutMs,
    minIceRefreshMs = MIN_ICE_REFRESH_MS,
    RTCPeerConnection,
    events = {},
  }) {
    this.#send = send;
    this.#events = events;
    this.#iceServers = iceServers;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#minIceRefreshMs = minIceRefreshMs;
    this.#PeerConnection = RTCPeerConnection;
    this.#registrations = [
      multiplexer.add('rtc', 'connect', (m) => this.#connected(m)),
      multiplexer.add('rtc', 'others', (m) => this.#others(m)),
      multiplexer.add('rtc', 'other', (m) => this.#other(m)),
      multiplexer.add('rtc', 'signal', (m) => this.#signalled(m)),
      multiplexer.add('rtc', 'disconnected', (m) => this.#disconnected(m)),
      multiplexer.add('rtc', 'ice', (m) => this.#iceRefreshed(m)),
    ];
  }

  /** "relay": this room's connections use TURN only (no one learns anyone's address). */
  get iceTransportPolicy() {
    return this.#iceTransportPolicy;
  }

  /** @param {MediaStream | null} stream sent to every peer created from now on */
  setLocalStream(stream) {
    this.#localStream = stream;
  }

  /** @param {Features} features our microphone / camera state, told to every peer */
  setFeatures(features) {
    this.#features = { mic: !!features.mic, cam: !!features.cam };
    for (const peer of this.peers.values()) peer.setFeatures(this.#features);
  }

  /** @param {string} id */
  nameOf(id) {
    return this.#names.get(id) ?? null;
  }

  /**
   * Asks to join the call of a room; the server answers with "connect" and "others".
   * @param {string} slug
   * @returns {boolean} false when the SEND could not go out
   */
  join(slug) {
    // The server makes a session that joins again leave its current call first: so do we.
    if (this.slug) this.reset();
    this.slug = slug;
    this.selfId = null;
    const sent = this.#send(`/app/room/${slug}/join`, {}) !== false;
    if (!sent) this.slug = null;
    return sent;
  }

  /**
   * Leaves the call: tells the server, closes every peer.
   * @returns {boolean} false when not in a call
   */
  leave() {
    const slug = this.slug;
    if (!slug) return false;
    this.#send(`/app/room/${slug}/leave`, {});
    this.reset();
    return true;
  }

  /** Forgets the call without telling the server (the connection is gone, so is our session). */
  reset() {
    clearTimeout(this.#iceRefreshTimer);
    this.#iceRefreshTimer = undefined;
    for (const id of [...this.peers.keys()]) this.#drop(id);
    this.slug = null;
    this.selfId = null;
  }

  /** Unregisters from the multiplexer and closes everything. */
  dispose() {
    this.reset();
    for (const unregister of this.#registrations) unregister();
    this.#registrations = [];
  }

  /** @param {RtcMessage} message */
  #connected({ id, name, iceServers, iceTransportPolicy, iceRefreshIn }) {
    if (!this.slug || typeof id !== 'string') return;
    this.selfId = id;
    if (Array.isArray(iceServers)) this.#iceServers = iceServers;
    this.#iceTransportPolicy = isPolicy(iceTransportPolicy) ? iceTransportPolicy : 'all';
    this.#scheduleIceRefresh(iceRefreshIn);
    this.#events.onJoined?.({ id, name: typeof name === 'string' ? name : '' });
  }

  /**
   * Fresh credentials: open connections take them without renegotiating, new ones start with them.
   * A change of policy applies to new connections only (a room does not change it mid-call).
   * @param {RtcMessage} message
   */
  #iceRefreshed({ iceServers, iceTransportPolicy, iceRefreshIn }) {
    if (!this.selfId) return; // an answer that outlived its call
    if (Array.isArray(iceServers)) {
      this.#iceServers = iceServers;
      for (const peer of this.peers.values()) peer.setIceServers(iceServers);
    }
    if (isPolicy(iceTransportPolicy)) this.#iceTransportPolicy = iceTransportPolicy;
    this.#scheduleIceRefresh(iceRefreshIn);
  }

  /** @param {unknown} refreshIn milliseconds; anything else: no credential to refresh */
  #scheduleIceRefresh(refreshIn) {
    clearTimeout(this.#iceRefreshTimer);
    this.#iceRefreshTimer = undefined;
    if (typeof refreshIn !== 'number' || !Number.isFinite(refreshIn)) return;
    this.#iceRefreshTimer = setTimeout(() => {
      this.#iceRefreshTimer = undefined;
      // Out of the call by now: the next "connect" brings credentials of its own.
      if (this.slug && this.selfId) this.#send(ICE_DESTINATION, {});
    }, Math.max(refreshIn, this.#minIceRefreshMs));
  }

  /** @param {RtcMessage} message */
  #others({ others }) {
    if (!this.slug || !Array.isArray(others)) return;
    for (const other of others) {
      if (other && typeof other.id === 'string') this.#ensurePeer(other.id, other.name, false);
    }
  }

  /** @param {RtcMessage} message */
  #other({ id, name }) {
    if (!this.slug || typeof id !== 'string') return;
    this.#ensurePeer(id, name, true);
  }

  /** @param {RtcMessage} message */
  #signalled({ from, description, candidate }) {
    if (!this.selfId || typeof from !== 'string') return;
    // A signal from someone we have not heard of: the "other" event is still on its way,
    // so the sender is a newcomer and we are the polite side.
    const peer = this.#ensurePeer(from, undefined, true);
    /** @type {Signal} */
    const signal = {};
    if (description !== undefined) signal.description = /** @type {any} */ (description);
    if (candidate !== undefined) signal.candidate = /** @type {any} */ (candidate);
    return peer?.handleSignal(signal);
  }

  /** @param {RtcMessage} message */
  #disconnected({ id }) {
    if (typeof id === 'string') this.#drop(id);
  }

  /**
   * @param {string} id
   * @param {unknown} name
   * @param {boolean} polite
   */
  #ensurePeer(id, name, polite) {
    if (id === this.selfId) return null;
    if (typeof name === 'string') this.#names.set(id, name);
    const existing = this.peers.get(id);
    if (existing) return existing;

    const events = this.#events;
    const peer = new Peer({
      polite,
      send: (signal) => this.#send(SIGNAL_DESTINATION, { to: id, ...signal }),
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      localStream: this.#localStream,
      features: this.#features,
      onTrack: (track, streams) => events.onTrack?.(id, track, streams),
      onFeatures: (features) => events.onFeatures?.(id, features),
      onStateChange: (state) => events.onPeerState?.(id, state),
      onProblem: (problem) => events.onPeerProblem?.(id, problem),
      onError: (what, error) => (events.onError ?? console.error)(`peer ${id}: ${what}`, error),
      // The newcomer makes the first offer; whoever was already there answers it.
      awaitOffer: polite,
      connectTimeoutMs: this.#connectTimeoutMs,
      RTCPeerConnection: this.#PeerConnection,
    });
    this.peers.set(id, peer);
    events.onPeerAdded?.(id, this.#names.get(id) ?? '', peer);
    return peer;
  }

  /** @param {string} id */
  #drop(id) {
    const peer = this.peers.get(id);
    this.#names.delete(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.close();
    this.#events.onPeerRemoved?.(id);
  }
}
