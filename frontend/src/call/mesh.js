// The call as a mesh: one Peer per other participant, driven by the server's rtc events
// (docs/protocol.md). Roles are deterministic: the newcomer (who gets "connect" + "others") is
// impolite toward everyone already there; whoever gets "other" is polite toward the newcomer.
// No DOM: the UI listens through the callbacks.
//
// ICE configuration comes with "connect" (STUN / TURN servers with a short-lived TURN credential,
// the room's transport policy, when to refresh). Before the credential expires the mesh SENDs
// /app/ice; the "ice" answer goes to every open connection with setConfiguration (no media
// renegotiation) and to every connection made from then on.
//
// The peers never depend on the signaling socket (docs/protocol.md, "Resume"): when it drops,
// they stay, and their signals wait in an outbox until "resumed". A pair the server calls live
// keeps its connection; any other starts afresh with the roles of a join ("renew" makes us the
// polite side). Each participant's epoch (its page loads) tells the server which pairs are live.

import { Peer } from './peer.js';
import { ICE_DESTINATION } from './ice.js';
import { Outbox } from './outbox.js';

/**
 * @typedef {import('./peer.js').Features} Features
 * @typedef {import('./peer.js').Signal} Signal
 * @typedef {import('./ice.js').ConnectionProblem} ConnectionProblem
 * @typedef {{type: string, [key: string]: unknown}} RtcMessage
 *
 * @typedef {{id: string, secret: string}} ResumeToken what /app/resume needs to take our participant back
 *
 * @typedef {object} MeshEvents
 * @property {(self: {id: string, name: string, secret: string | null, epoch: number}) => void} [onJoined] this session is in the call
 * @property {(self: {id: string, name: string, epoch: number}) => void} [onResumed] our participant is back on this session
 * @property {(id: string, name: string, peer: Peer) => void} [onPeerAdded] a new peer (also one that replaces a closed one: same tile)
 * @property {(id: string) => void} [onPeerRemoved]
 * @property {(id: string, track: MediaStreamTrack, streams: readonly MediaStream[]) => void} [onTrack] a camera / microphone track (never a screen's)
 * @property {(id: string, stream: MediaStream | null, name: string) => void} [onScreen] that participant's screen share starts (its stream) or ends (null; also when its peer closes)
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
export const RESUME_DESTINATION = '/app/resume';
/** The server takes at most this many peers in a resume request. */
export const MAX_RESUME_PEERS = 64;

/** A floor under the server's iceRefreshIn, so a bad value cannot make us hammer /app/ice. */
export const MIN_ICE_REFRESH_MS = 5000;

/** @param {unknown} value @returns {value is RTCIceTransportPolicy} */
const isPolicy = (value) => value === 'all' || value === 'relay';

/** @param {unknown} value an epoch from the server; 0 when it sent none */
const epochOf = (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);

export class Mesh {
  /** @type {Map<string, Peer>} participant id → its peer */
  peers = new Map();
  /** @type {string | null} our participant id in the current call */
  selfId = null;
  /** @type {string | null} the room whose call we joined (or are joining, or resuming) */
  slug = null;
  /** @type {number | null} our epoch in the current call */
  epoch = null;

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
  /** @type {MediaStream | null} our screen share: sent to every peer, and to later ones */
  #screenStream = null;
  /** @type {Features} */
  #features = { mic: true, cam: true };
  /** @type {Map<string, string>} participant id → screen name */
  #names = new Map();
  /** @type {Map<string, number>} participant id → its epoch, as the server last told us */
  #epochs = new Map();
  /**
   * Participants that left this call: ids are never reused, so anything that names one later (an
   * event or tile from another instance that crossed the leave) is stale and ignored.
   * @type {Set<string>}
   */
  #gone = new Set();
  /** @type {Outbox<Peer>} */
  #outbox = new Outbox();
  /** Signaling is down or not yet resumed: signals wait in the outbox. */
  #held = false;
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
      multiplexer.add('rtc', 'resumed', (m) => this.#resumed(m)),
      multiplexer.add('rtc', 'renew', (m) => this.#renewed(m)),
      multiplexer.add('rtc', 'back', (m) => this.#back(m)),
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

  /** Our screen share, while there is one. */
  get screenStream() {
    return this.#screenStream;
  }

  /**
   * Shares a screen with every peer, and with every peer made later (until stopScreen).
   * Kept over a leave, as the local stream is: the screen share module stops it then.
   * @param {MediaStream} stream from getDisplayMedia
   */
  startScreen(stream) {
    this.#screenStream = stream;
    for (const peer of this.peers.values()) peer.setScreen(stream);
  }

  /** Stops sharing a screen: every peer tells its participant, and stops sending it. */
  stopScreen() {
    this.#screenStream = null;
    for (const peer of this.peers.values()) peer.setScreen(null);
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

  /** @param {string} id @returns {number | null} that participant's epoch, as far as we know */
  epochOf(id) {
    return this.#epochs.get(id) ?? null;
  }

  /** Signals sent since signaling went down, waiting for "resumed". */
  get pendingSignals() {
    return this.#outbox.size;
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

  /**
   * Asks to take our participant back after a reconnect; the server answers with "resumed".
   * `fresh`: this page has no peer connections from before (a reload). Otherwise every peer
   * that `keep` accepts is named with its epoch: the server tells us which of them are live.
   * @param {string} slug
   * @param {ResumeToken} token
   * @param {{fresh: boolean, keep?: (id: string) => boolean}} options
   * @returns {boolean} false when the SEND could not go out
   */
  resume(slug, { id, secret }, { fresh, keep = () => true }) {
    if (fresh && this.slug) this.reset();
    this.slug = slug;
    this.#held = true; // nothing but the resume until the server has moved us to this session
    /** @type {Record<string, number>} */
    const peers = {};
    if (!fresh) {
      for (const peerId of [...this.peers.keys()].filter(keep).slice(0, MAX_RESUME_PEERS)) {
        peers[peerId] = this.#epochs.get(peerId) ?? 0;
      }
    }
    return this.#send(RESUME_DESTINATION, { id, secret, fresh, peers }) !== false;
  }

  /** Signaling is down: signals wait in the outbox until "resumed" (or the call ends). */
  holdSignals() {
    this.#held = true;
  }

  /**
   * Drops one participant's peer and tile (the roster says it is no longer in the call).
   * @param {string} id
   */
  forget(id) {
    this.#gone.add(id);
    this.#drop(id);
  }

  /**
   * Whether the participant left this call (told by `disconnected`, or by a newer roster).
   * @param {string} id
   */
  isGone(id) {
    return this.#gone.has(id);
  }

  /** Forgets the call without telling the server. */
  reset() {
    clearTimeout(this.#iceRefreshTimer);
    this.#iceRefreshTimer = undefined;
    for (const id of [...this.peers.keys()]) this.#drop(id);
    this.#outbox.clear();
    this.#epochs.clear();
    this.#gone.clear();
    this.#held = false;
    this.slug = null;
    this.selfId = null;
    this.epoch = null;
  }

  /** Unregisters from the multiplexer and closes everything. */
  dispose() {
    this.reset();
    for (const unregister of this.#registrations) unregister();
    this.#registrations = [];
  }

  /** @param {RtcMessage} message */
  #connected({ id, name, secret, epoch, iceServers, iceTransportPolicy, iceRefreshIn }) {
    if (!this.slug || typeof id !== 'string') return;
    this.selfId = id;
    this.epoch = epochOf(epoch);
    this.#held = false;
    if (Array.isArray(iceServers)) this.#iceServers = iceServers;
    this.#iceTransportPolicy = isPolicy(iceTransportPolicy) ? iceTransportPolicy : 'all';
    this.#scheduleIceRefresh(iceRefreshIn);
    this.#events.onJoined?.({
      id,
      name: typeof name === 'string' ? name : '',
      secret: typeof secret === 'string' ? secret : null,
      epoch: this.epoch,
    });
  }

  /**
   * Our participant is back on this session. Live pairs keep their connection (and re-send an
   * offer that went unanswered); every other listed participant gets a fresh connection with us
   * as the newcomer (impolite, we offer); a peer the server does not list has left meanwhile.
   * @param {RtcMessage} message
   */
  #resumed({ id, name, epoch, others, iceServers, iceTransportPolicy, iceRefreshIn }) {
    performance.mark('confab:resumed-received');
    if (!this.slug || typeof id !== 'string') return;
    this.selfId = id;
    this.epoch = epochOf(epoch);
    this.#iceRefreshed({ type: 'ice', iceServers, iceTransportPolicy, iceRefreshIn });
    const listed = new Set();
    /** @type {Peer[]} */
    const live = [];
    for (const other of Array.isArray(others) ? others : []) {
      if (!other || typeof other.id !== 'string' || other.id === id) continue;
      listed.add(other.id);
      if (typeof other.name === 'string') this.#names.set(other.id, other.name);
      this.#epochs.set(other.id, epochOf(other.epoch));
      const existing = this.peers.get(other.id);
      if (other.live === true && existing) live.push(existing);
      else this.#renewPeer(other.id, false);
    }
    for (const peerId of [...this.peers.keys()]) if (!listed.has(peerId)) this.#drop(peerId);

    this.#held = false;
    const offered = new Set();
    for (const { to, peer, body } of this.#outbox.take((to) => this.peers.get(to))) {
      if (/** @type {any} */ (body).description?.type === 'offer') offered.add(peer);
      this.#deliver(to, peer, body);
    }
    for (const peer of live) peer.signalingRestored({ offerSent: offered.has(peer) });
    this.#events.onResumed?.({ id, name: typeof name === 'string' ? name : '', epoch: this.epoch });
  }

  /**
   * The other side started afresh (a reload, or a pair that was not live): it offers, we answer.
   * Its tile stays; the new connection's tracks go to the same video.
   * @param {RtcMessage} message
   */
  #renewed({ id, name, epoch }) {
    if (!this.slug || typeof id !== 'string' || id === this.selfId) return;
    if (typeof name === 'string') this.#names.set(id, name);
    this.#epochs.set(id, epochOf(epoch));
    this.#renewPeer(id, true);
  }

  /**
   * The other side's signaling is back and our pair is live: what we sent it meanwhile was lost.
   * @param {RtcMessage} message
   */
  #back({ id, epoch }) {
    if (typeof id !== 'string') return;
    const peer = this.peers.get(id);
    if (!peer) return;
    this.#epochs.set(id, epochOf(epoch));
    peer.signalingRestored();
  }

  /**
   * Fresh credentials: open connections take them without renegotiating, new ones start with them.
   * A change of policy applies to new connections only (a room does not change it mid-call).
   * @param {RtcMessage} message
   */
  #iceRefreshed({ iceServers, iceTransportPolicy, iceRefreshIn }) {
    if (!this.slug || !this.selfId) return; // an answer that outlived its call
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
      // Out of the call by now: the next "connect" brings credentials of its own; while
      // signaling is down, "resumed" will.
      if (this.slug && this.selfId && !this.#held) this.#send(ICE_DESTINATION, {});
    }, Math.max(refreshIn, this.#minIceRefreshMs));
  }

  /** @param {RtcMessage} message */
  #others({ others }) {
    if (!this.slug || !Array.isArray(others)) return;
    for (const other of others) {
      if (!other || typeof other.id !== 'string' || other.id === this.selfId) continue;
      this.#epochs.set(other.id, epochOf(other.epoch));
      this.#ensurePeer(other.id, other.name, false);
    }
  }

  /** @param {RtcMessage} message */
  #other({ id, name, epoch }) {
    if (!this.slug || typeof id !== 'string' || id === this.selfId) return;
    this.#epochs.set(id, epochOf(epoch));
    this.#ensurePeer(id, name, true);
  }

  /** @param {RtcMessage} message */
  #signalled({ from, description, candidate }) {
    // Not selfId: while a join or resume is in flight it is not known yet, but the signal is ours.
    if (!this.slug || typeof from !== 'string') return;
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
    if (typeof id !== 'string') return;
    this.#gone.add(id);
    this.#drop(id);
  }

  /**
   * @param {string} id
   * @param {unknown} name
   * @param {boolean} polite
   */
  #ensurePeer(id, name, polite) {
    if (id === this.selfId || this.#gone.has(id)) return null;
    if (typeof name === 'string') this.#names.set(id, name);
    const existing = this.peers.get(id);
    if (existing) return existing;

    const events = this.#events;
    const peer = new Peer({
      polite,
      // Called only later (signals are asynchronous), when `peer` is set.
      send: (signal) => this.#deliver(id, peer, { to: id, ...signal }),
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      localStream: this.#localStream,
      screenStream: this.#screenStream,
      features: this.#features,
      onTrack: (track, streams) => events.onTrack?.(id, track, streams),
      onScreen: (stream) => {
        if (this.peers.get(id) === peer) events.onScreen?.(id, stream, this.#names.get(id) ?? '');
      },
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

  /**
   * Closes our connection with a participant, if any, without touching its tile, and starts a
   * new one.
   * @param {string} id
   * @param {boolean} polite
   */
  #renewPeer(id, polite) {
    const old = this.peers.get(id);
    if (old) {
      this.peers.delete(id);
      this.#closePeer(id, old);
    }
    return this.#ensurePeer(id, undefined, polite);
  }

  /**
   * SENDs a signal, or keeps it for after the resume when signaling is down.
   * @param {string} to
   * @param {Peer} peer the peer that made it
   * @param {object} body
   */
  #deliver(to, peer, body) {
    if (this.peers.get(to) !== peer) return; // a closed peer's last words
    if (!this.#held && this.#send(SIGNAL_DESTINATION, body) !== false) return;
    this.#held = true; // the socket is gone: nothing more goes out before the resume
    this.#outbox.add(to, peer, body);
  }

  /** @param {string} id */
  #drop(id) {
    const peer = this.peers.get(id);
    this.#names.delete(id);
    this.#epochs.delete(id);
    if (!peer) return;
    this.peers.delete(id);
    this.#closePeer(id, peer);
    this.#events.onPeerRemoved?.(id);
  }

  /**
   * Closes a peer; a screen share it showed ends with it.
   * @param {string} id
   * @param {Peer} peer
   */
  #closePeer(id, peer) {
    const shown = peer.remoteScreen !== null;
    peer.close();
    if (shown) this.#events.onScreen?.(id, null, this.#names.get(id) ?? '');
  }
}
