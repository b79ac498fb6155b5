// The call as the room page runs it: connection states, join / leave, resume after a reconnect
// or a reload, the roster's verdict on tiles, and what the status line says meanwhile. Drives
// the mesh and the CallUi; touches no DOM itself (the page hands in what it needs), so tests can
// run it against a fake server.
//
// The call does not depend on the connection to the server: when it drops, the peers, tiles and
// media stay, and after the reconnect the participant is resumed (docs/protocol.md, "Resume").
//
// A join may also end without a call (rtc events, not ERRORs: the connection stays): "refused"
// (locked, full, removed a moment ago, refused by the owner), or "waiting" in the room's waiting
// room until "admitted" (then it joins again) or "refused". A page that waits or was refused has
// no participant, so there is nothing to resume: it keeps no token, and a reload starts out.
// In the call, "removed" ends it as Leave does (without a leave: the server already removed us),
// and "mute-request" turns our microphone off as its toggle does.

import { Mesh } from './mesh.js';
import { isResumeRefusal, isTakenOver, nextStep } from './resume.js';
import { staleTiles } from './roster.js';
import { isReconnectHint } from '../mux/stomp-adapter.js';
import { MUTED_BY_OWNER, REMOVED_TEXT, WAITING_TEXT, refusalText, refusalTone, sentence } from './join-outcomes.js';

/**
 * @typedef {import('./resume.js').ResumeStore} ResumeStore
 * @typedef {import('./roster.js').Roster} Roster
 * @typedef {import('../mux/stomp-adapter.js').ConnectionEvent} ConnectionEvent
 * @typedef {'connecting' | 'connected' | 'reconnecting'} SignalingState
 *
 * @typedef {object} SessionUi the part of CallUi the session uses
 * @property {(text: string, tone?: import('./call-ui.js').Tone) => void} status
 * @property {(state: import('./call-ui.js').CallState) => void} setCallState
 * @property {(state: SignalingState) => void} setSignaling
 * @property {(policy: RTCIceTransportPolicy | null) => void} setIcePolicy
 * @property {(id: string) => void} peerAdded
 * @property {(id: string) => void} removeTile
 * @property {(id: string, name: string, track: MediaStreamTrack, streams: readonly MediaStream[]) => void} peerTrack
 * @property {(id: string, features: import('./peer.js').Features) => void} peerFeatures
 * @property {(id: string, state: string) => void} peerState
 * @property {(id: string, name: string, problem: import('./ice.js').ConnectionProblem | null) => void} peerProblem
 * @property {() => void} clearRemoteTiles
 * @property {() => import('./roster.js').TileInfo[]} remoteTiles
 * @property {(id: string) => boolean} hasTile
 * @property {(members: Map<string, boolean>) => void} markAway
 * @property {(outcome: import('./call-ui.js').CallOutcome | null, reason?: string) => void} setOutcome
 *
 * @typedef {object} SessionConnection the part of StompAdapter the session uses
 * @property {import('../mux/stomp-adapter.js').ConnectionState} state
 * @property {number} connections
 * @property {(destination: string, body: unknown) => boolean} send
 * @property {() => void} suspend
 * @property {() => void} retryNow
 *
 * @typedef {object} SessionOptions
 * @property {string} slug
 * @property {import('./mesh.js').MeshOptions['multiplexer']} multiplexer
 * @property {SessionConnection} connection
 * @property {SessionUi} ui
 * @property {ResumeStore} store
 * @property {() => Promise<unknown>} media our camera and microphone, started if they are not (after a leave
 *   they are stopped): resolves once the local stream is set on the mesh, or there is none
 * @property {() => void} [stopMedia] stops our camera and microphone (a leave: the recording indicator goes off)
 * @property {import('./mesh.js').MeshEvents} [meshEvents] more listeners of the mesh (screen share, health)
 * @property {() => Roster | null} readRoster the roster on the page
 * @property {() => unknown} [muteMicrophone] turns our microphone off, exactly as its toggle does
 * @property {(state: import('./call-ui.js').CallState) => void} [onCallState] told of every call state change
 * @property {typeof RTCPeerConnection} [RTCPeerConnection] injectable for tests
 * @property {(what: string, error: unknown) => void} [onError]
 */

/** How long a join or resume may go unanswered before the status line says so. */
export const JOIN_PATIENCE_MS = 10000;
export const UNLOAD_DESTINATION = '/app/unload';
const CALL_GOES_ON = 'The call goes on meanwhile.';

export class CallSession {
  /** @type {Mesh} */
  mesh;
  #slug;
  #connection;
  #ui;
  #store;
  #media;
  #readRoster;
  /** The user wants to be in the call: joins (or resumes) after a reconnect; a reload keeps it. */
  #wantInCall;
  #everConnected = false;
  /** @type {string | null} */
  #lastServerError = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #joinTimer;
  /** @type {import('./call-ui.js').CallState} */
  #callState = 'out';
  /** In the waiting room: a reconnect knocks again (the knock ended with the old session). */
  #waiting = false;
  #muteMicrophone;
  #onCallState;
  #stopMedia;

  /** @param {SessionOptions} options */
  constructor({ slug, multiplexer, connection, ui, store, media, readRoster, RTCPeerConnection, onError, muteMicrophone, onCallState, stopMedia, meshEvents = {} }) {
    this.#slug = slug;
    this.#stopMedia = stopMedia ?? (() => {});
    this.#muteMicrophone = muteMicrophone ?? (() => {});
    this.#onCallState = onCallState ?? (() => {});
    this.#connection = connection;
    this.#ui = ui;
    this.#store = store;
    this.#media = media;
    this.#readRoster = readRoster;
    this.#wantInCall = store.loadAfterReload() !== null;
    const name = (/** @type {string} */ id) => this.mesh.nameOf(id) ?? '';
    this.mesh = new Mesh({
      multiplexer,
      send: (destination, body) => connection.send(destination, body),
      RTCPeerConnection,
      events: {
        ...meshEvents,
        onJoined: ({ id, secret }) => {
          if (secret) store.save({ id, secret });
          this.#inTheCall('You are in the call.');
        },
        onResumed: () => this.#inTheCall(connection.connections > 1 ? 'Reconnected. You are in the call.' : 'You are back in the call.'),
        onPeerAdded: (id, peerName, peer) => {
          ui.peerAdded(id);
          meshEvents.onPeerAdded?.(id, peerName, peer);
        },
        onPeerRemoved: (id) => {
          ui.removeTile(id);
          meshEvents.onPeerRemoved?.(id);
        },
        onTrack: (id, track, streams) => ui.peerTrack(id, name(id), track, streams),
        onFeatures: (id, remote) => {
          ui.peerFeatures(id, remote);
          meshEvents.onFeatures?.(id, remote);
        },
        onPeerState: (id, state) => ui.peerState(id, state),
        onPeerProblem: (id, problem) => ui.peerProblem(id, name(id), problem),
        onError: onError ?? ((what, error) => console.warn(`confab: ${what}`, error)),
      },
    });
    multiplexer.add('rtc', 'refused', (m) => this.#refused(m));
    multiplexer.add('rtc', 'waiting', (m) => this.#inWaitingRoom(m));
    multiplexer.add('rtc', 'admitted', () => this.#admitted());
    multiplexer.add('rtc', 'removed', (m) => this.#removed(m));
    multiplexer.add('rtc', 'mute-request', () => this.#muteRequested());
    ui.setSignaling('connecting');
    this.#setCallState(this.#wantInCall ? 'joining' : 'out');
    ui.status(this.#wantInCall ? 'Rejoining the call…' : 'Connecting…');
  }

  /** Whether this page is in a call, joining, resuming or waiting to be let in (reconnects are quick then). */
  get inCall() {
    return this.mesh.slug !== null || this.#waiting;
  }

  /** In the room's waiting room: the Join button says "Stop waiting". */
  get waiting() {
    return this.#waiting;
  }

  /** The call state the page shows (body data-call). */
  get callState() {
    return this.#callState;
  }

  /** The Join button. */
  async join() {
    if (this.#waiting) return;
    this.#wantInCall = true;
    this.#ui.setOutcome(null);
    this.#setCallState('joining');
    this.#ui.status('Starting your camera and microphone…');
    await this.#media();
    if (!this.#wantInCall || this.mesh.slug) return;
    if (this.#connection.state === 'connected') {
      this.#sendJoin();
    } else {
      this.#ui.status('Waiting for the connection to the server…', 'warn');
      this.#connection.retryNow();
    }
  }

  /**
   * The Join button while waiting ("Stop waiting"): the server drops our knock.
   * @returns {boolean} false when not waiting
   */
  stopWaiting() {
    if (!this.#waiting) return false;
    this.#waiting = false;
    this.#wantInCall = false;
    clearTimeout(this.#joinTimer);
    // A knock sent again after a reconnect may still be unanswered: the leave follows it.
    this.mesh.reset();
    this.#connection.send(`/app/room/${this.#slug}/leave`, {});
    this.#setCallState('out');
    this.#ui.status('You stopped waiting. Join again whenever you like.');
    return true;
  }

  /** The Leave button. Sent if we can; if the connection is down the grace period ends the call. */
  leave() {
    if (this.stopWaiting()) return;
    this.#wantInCall = false;
    clearTimeout(this.#joinTimer);
    this.#store.forget();
    this.mesh.leave();
    this.#stopMedia();
    this.#ui.setIcePolicy(null);
    this.#ui.clearRemoteTiles();
    this.#setCallState('out');
    this.#ui.status('You left the call. Your camera and microphone are off. Join again whenever you like.');
  }

  /** @param {ConnectionEvent} event */
  async connectionChanged(event) {
    const ui = this.#ui;
    switch (event.state) {
      case 'connecting':
        break; // retries keep what "lost" said
      case 'connected':
        performance.mark('confab:connected'); // marks for the page's own timing (browser tests read them)
        this.#everConnected = true;
        this.#lastServerError = null;
        ui.setSignaling('connected');
        await this.#connected(this.#connection.connections);
        break;
      case 'lost':
        ui.setSignaling('reconnecting');
        clearTimeout(this.#joinTimer);
        this.mesh.holdSignals();
        // A join the server never answered is void: the next connection joins afresh.
        if (this.mesh.slug && !this.mesh.selfId && !this.#store.load()) this.mesh.reset();
        if (!this.#everConnected && !event.wasConnected) ui.status('Cannot reach the server. Retrying…', 'warn');
        else if (!this.#explained()) ui.status(this.#lostText(), 'warn');
        break;
      case 'error':
        this.#serverError(event.message ?? '');
        break;
    }
  }

  /**
   * A roster or tiles came in: drop the tiles (and peers) the roster shows to be stale, and mark
   * who is away. Runs after every fragment, so tiles that came after their roster count too.
   */
  applyRoster() {
    const roster = this.#readRoster();
    if (!roster) return;
    for (const id of staleTiles(roster, this.#ui.remoteTiles())) {
      if (this.mesh.peers.has(id)) this.mesh.forget(id);
      else this.#ui.removeTile(id);
    }
    // A tile that came after its participant's leave (from another instance, the leave first).
    for (const { id } of this.#ui.remoteTiles()) if (this.mesh.isGone(id)) this.#ui.removeTile(id);
    this.#ui.markAway(roster.members);
  }

  /**
   * The page is going away (closed, navigated, reloaded: a page cannot tell). In a call, tell the
   * server (a short grace, so that a reload can resume) instead of DISCONNECT (which leaves at once).
   * @returns {boolean} true: handled, the connection must not send DISCONNECT
   */
  pageHidden() {
    if (!this.mesh.slug) return false;
    this.#store.markLeft();
    this.#connection.send(UNLOAD_DESTINATION, {});
    this.#connection.suspend();
    return true;
  }

  /**
   * The standing subscriptions of a connection are confirmed: resume, join or wait; then ask for
   * the roster. A resume goes first: the server wants it before anything else.
   * @param {number} connection
   */
  async #connected(connection) {
    const mesh = this.mesh;
    const ui = this.#ui;
    const token = this.#store.load();
    const step = nextStep({ token, inCall: mesh.selfId !== null, wantInCall: this.#wantInCall });
    const current = () => this.#connection.state === 'connected' && this.#connection.connections === connection;
    if (step === 'resume' && token) {
      // A tile without a peer cannot be resumed; a peer without a tile is renewed by the server.
      for (const { id } of ui.remoteTiles()) if (!mesh.peers.has(id)) ui.removeTile(id);
      mesh.resume(this.#slug, token, { fresh: false, keep: (id) => ui.hasTile(id) });
      ui.status(`Reconnected to the server; picking the call up again… ${CALL_GOES_ON}`);
      this.#awaitAnswer();
    } else if (step === 'resume-fresh' && token) {
      this.#setCallState('joining');
      ui.status('Rejoining the call…');
      await this.#media(); // the new peers send our camera and microphone from the start
      if (!current()) return;
      performance.mark('confab:resume-sent');
      mesh.resume(this.#slug, token, { fresh: true });
      this.#awaitAnswer();
    }
    this.#connection.send(`/app/room/${this.#slug}/roster`, {});
    if (step === 'join') {
      await this.#media();
      if (this.#wantInCall && current() && !mesh.slug) this.#sendJoin();
    } else if (step === 'none') {
      ui.status('Connected. Join the call when you are ready.', 'ok');
    }
  }

  #sendJoin() {
    this.#ui.clearRemoteTiles(); // whatever is left from an earlier session
    if (!this.mesh.join(this.#slug)) {
      this.#ui.status('Not connected to the server yet; joining as soon as it is back.', 'warn');
      return;
    }
    this.#ui.status('Joining…');
    this.#awaitAnswer();
  }

  /** @param {string} message */
  #serverError(message) {
    const ui = this.#ui;
    this.#lastServerError = message;
    if (isResumeRefusal(message)) {
      // Our participant is gone for good; the user still wants to be in the call.
      this.#store.forget();
      this.mesh.reset();
      ui.clearRemoteTiles();
      if (this.#wantInCall) this.#setCallState('joining');
      ui.status('The call could not be picked up where it was; joining it again…', 'warn');
    } else if (isTakenOver(message)) {
      // A copy of this tab resumed our participant: the call is there now, not here.
      this.#wantInCall = false;
      this.#store.forget();
      this.mesh.reset();
      this.#stopMedia();
      ui.setIcePolicy(null);
      ui.clearRemoteTiles();
      this.#setCallState('out');
      ui.status('Your call continues in another tab or window. Join again here whenever you like.', 'warn');
    } else if (isReconnectHint(message)) {
      ui.status(this.#lostText(), 'warn');
    } else {
      ui.status(`The server refused: ${message}`, 'error');
    }
  }

  /**
   * The join was turned away: the page stays out of the call, and does not try again by itself.
   * @param {import('./mesh.js').RtcMessage} message reason, message
   */
  #refused({ reason, message }) {
    if (this.mesh.selfId) return; // an answer to a join, and we are in a call: not about us
    const why = typeof reason === 'string' ? reason : '';
    this.#wantInCall = false;
    this.#waiting = false;
    clearTimeout(this.#joinTimer);
    this.#store.forget(); // no participant: nothing to resume
    this.mesh.reset();
    this.#ui.clearRemoteTiles();
    this.#setCallState('out');
    this.#ui.setOutcome('refused', why);
    this.#ui.status(refusalText(why, message), refusalTone(why));
  }

  /**
   * The room has a waiting room: the owner lets us in ("admitted") or not ("refused").
   * @param {import('./mesh.js').RtcMessage} message
   */
  #inWaitingRoom({ message }) {
    if (this.mesh.selfId || !this.#wantInCall) return; // in a call already, or the user gave up
    clearTimeout(this.#joinTimer);
    this.#waiting = true;
    // No participant yet: a closed page must DISCONNECT (ending the knock), not wait for a resume.
    this.mesh.reset();
    this.#setCallState('waiting');
    this.#ui.status(sentence(message, WAITING_TEXT));
  }

  /** The owner let us in: join again, which now passes. */
  #admitted() {
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#setCallState('joining');
    this.#sendJoin();
  }

  /**
   * The owner removed us: the server has deleted our participant and told the others. End the
   * call here as Leave does, but without a leave, and with no token left for a reload to resume.
   * @param {import('./mesh.js').RtcMessage} message
   */
  #removed({ message }) {
    if (!this.mesh.slug) return;
    this.#wantInCall = false;
    clearTimeout(this.#joinTimer);
    this.#store.forget();
    this.mesh.reset();
    this.#stopMedia();
    this.#ui.setIcePolicy(null);
    this.#ui.clearRemoteTiles();
    this.#setCallState('out');
    this.#ui.setOutcome('removed');
    this.#ui.status(sentence(message, REMOVED_TEXT), 'error');
  }

  /** The owner asked us to be quiet: the server cannot silence media in a mesh, our page does. */
  #muteRequested() {
    if (!this.mesh.selfId) return;
    Promise.resolve()
      .then(() => this.#muteMicrophone())
      .catch((error) => console.warn('confab: mute request', error));
    this.#ui.status(MUTED_BY_OWNER, 'warn');
  }

  /** @param {string} text */
  #inTheCall(text) {
    performance.mark('confab:in');
    clearTimeout(this.#joinTimer);
    this.#waiting = false; // a knock sent again after a reconnect may pass at once
    this.#setCallState('in');
    const policy = this.mesh.iceTransportPolicy;
    this.#ui.setIcePolicy(policy);
    this.#ui.status(policy === 'relay' ? `${text} Relay-only room: the others never see your address.` : text, 'ok');
  }

  #awaitAnswer() {
    clearTimeout(this.#joinTimer);
    this.#joinTimer = setTimeout(() => {
      if (this.#wantInCall && this.#callState !== 'in') this.#ui.status('The server has not answered yet. Still trying…', 'warn');
    }, JOIN_PATIENCE_MS);
  }

  /** The last ERROR was about the resume, and the status line already says what follows. */
  #explained() {
    const error = this.#lastServerError;
    return error !== null && (isResumeRefusal(error) || isTakenOver(error));
  }

  #lostText() {
    const why = this.#lastServerError ? ` (the server said: ${this.#lastServerError})` : '';
    if (this.mesh.selfId) return `Lost the connection to the server${why}. Reconnecting… ${CALL_GOES_ON}`;
    if (this.#waiting) return `Connection lost${why}. Reconnecting, then asking to be let in again…`;
    return this.#wantInCall ? `Connection lost${why}. Reconnecting, then joining…` : `Connection lost${why}. Reconnecting…`;
  }

  /** @param {import('./call-ui.js').CallState} state */
  #setCallState(state) {
    this.#callState = state;
    this.#ui.setCallState(state);
    this.#onCallState(state);
  }
}
