// Perfect negotiation with ONE remote participant (the pattern MDN describes): either side may
// start a negotiation at any time; when offers cross, the impolite side ignores the incoming
// offer and the polite side gives up its own (implicit rollback in setRemoteDescription).
// Owns one RTCPeerConnection and the negotiated "features" data channel (features-channel.js),
// and sends / sorts out screen share tracks (screen-tracks.js). No DOM.
//
// One refinement: a peer created with `awaitOffer` (the mesh's polite side: the newcomer offers
// first, by the protocol) does not send its own first offer, it answers the newcomer's. That
// saves a rollback on every join, and avoids a Chromium fault where a rollback that follows
// setLocalDescription(offer) too closely leaves the connection without any ICE candidates
// (both ends stuck in "new"). Its first offer still goes out if the remote offer does not come
// within FIRST_OFFER_PATIENCE_MS, or after answering if some local track found no place in the
// remote offer (e.g. the newcomer has no camera).
//
// A connection that cannot be made is reported (onProblem) with what this side knows about why:
// see ice.js. The trigger is ICE "failed" (after the impolite side's one ICE restart), or no
// "connected" within connectTimeoutMs of creation; a later "connected" withdraws it.
//
// Recovery (docs/protocol.md, "Resume"): the impolite side restarts ICE when the connection goes
// "failed" or stays "disconnected" for disconnectedPatienceMs. A signal may be lost while either
// side's signaling is down, so when it comes back (signalingRestored) an offer that went
// unanswered is sent again, with our candidates, and the restart budget is renewed. A connection
// still "new" stallPatienceMs after its creation or restart lost a signal on the way, or gathered
// no candidates (the Chromium fault above): see #unstall.

import { HostCandidates, candidateJson, candidateType, hasTurn, isTurnAuthError, relayInStats, sameFinding } from './ice.js';
import { FeaturesChannel } from './features-channel.js';
import { CONNECT_TIMEOUT_MS, ConnectWatch, STALL_PATIENCE_MS } from './connect-watch.js';
import { ScreenSender, TrackSorter, hasUnplacedTracks, padMissingKinds } from './screen-tracks.js';

export { FEATURES_CHANNEL } from './features-channel.js';
export { CONNECT_TIMEOUT_MS, STALL_PATIENCE_MS } from './connect-watch.js';

/**
 * @typedef {import('./peer-options.js').Features} Features
 * @typedef {import('./peer-options.js').DescriptionJson} DescriptionJson
 * @typedef {import('./peer-options.js').Signal} Signal
 * @typedef {import('./peer-options.js').ConnectionProblem} ConnectionProblem
 * @typedef {import('./peer-options.js').PeerOptions} PeerOptions
 */

/** ICE restarts before a failure is reported; renewed once up again, or when signaling comes back. */
const MAX_ICE_RESTARTS = 1;

/** "disconnected" often heals by itself within a second or two; after this, restart ICE. */
export const DISCONNECTED_PATIENCE_MS = 3000;

/** Candidates kept for re-sending with an offer (a gathering yields a handful). */
const MAX_KEPT_CANDIDATES = 64;

/** With awaitOffer: the newcomer's offer normally arrives within a round trip or two. */
export const FIRST_OFFER_PATIENCE_MS = 5000;

export class Peer {
  /** @type {RTCPeerConnection} */
  #pc;
  /** @type {FeaturesChannel} */
  #channel;
  #polite;
  #send;
  /** @type {TrackSorter} remote tracks: camera or screen */
  #tracks;
  /** @type {ScreenSender} */
  #screen;
  #onTrack;
  #onFeatures;
  #onStateChange;
  #onError;
  #onProblem;
  /** @type {RTCIceServer[]} */
  #iceServers;
  #relayOnly;
  /** @type {ConnectWatch} */
  #watch;
  #disconnectedPatienceMs;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #disconnectedTimer;
  /** @type {(RTCIceCandidateInit | null)[]} our candidates of this ICE session, for a re-sent offer */
  #candidates = [];
  #restartRequested = false; // the next offer starts a new ICE session
  /** a local relay candidate was gathered: the TURN server answered and took our credentials */
  #relayGathered = false;
  /** a TURN server answered with 401 / 403 */
  #turnRefused = false;
  #hosts = new HostCandidates();
  /** @type {ConnectionProblem | null} */
  #problem = null;
  /** bumped to void a diagnosis still waiting for getStats */
  #diagnosis = 0;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #iceRestarts = 0;
  #closed = false;
  /** awaitOffer, until the first remote offer has been answered */
  #holdingFirstOffer;
  /** a negotiationneeded event arrived while holding */
  #negotiationDeferred = false;
  /** negotiations started, to tell whether the browser fired negotiationneeded by itself */
  #negotiations = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #patienceTimer;

  /** @param {PeerOptions} options */
  constructor({
    polite,
    send,
    iceServers = [],
    iceTransportPolicy = 'all',
    localStream = null,
    features = { mic: true, cam: true },
    screenStream = null,
    onTrack = () => {},
    onScreen = () => {},
    screenHoldMs,
    onFeatures = () => {},
    onStateChange = () => {},
    onError = (what, error) => console.error(`confab peer: ${what}`, error),
    awaitOffer = false,
    firstOfferPatienceMs = FIRST_OFFER_PATIENCE_MS,
    connectTimeoutMs = CONNECT_TIMEOUT_MS,
    stallPatienceMs = STALL_PATIENCE_MS,
    disconnectedPatienceMs = DISCONNECTED_PATIENCE_MS,
    onProblem = () => {},
    RTCPeerConnection: PeerConnection = globalThis.RTCPeerConnection,
  }) {
    this.#holdingFirstOffer = awaitOffer;
    this.#polite = polite;
    this.#send = send;
    this.#onTrack = onTrack;
    this.#onFeatures = onFeatures;
    this.#onStateChange = onStateChange;
    this.#onError = onError;
    this.#onProblem = onProblem;
    this.#iceServers = iceServers;
    this.#relayOnly = iceTransportPolicy === 'relay';
    this.#watch = new ConnectWatch({
      timeoutMs: connectTimeoutMs,
      stallMs: stallPatienceMs,
      onTimeout: () => this.#pc.connectionState === 'connected' || this.#diagnose('timeout'),
      onStall: () => this.#unstall(),
    });
    this.#disconnectedPatienceMs = disconnectedPatienceMs;

    const pc = new PeerConnection({ iceServers, iceTransportPolicy });
    this.#pc = pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (candidateType(candidate) === 'relay') this.#relayGathered = true;
      this.#hosts.saw('local', candidate);
      const json = candidateJson(candidate);
      this.#keepCandidate(json);
      this.#signal({ candidate: json });
    };
    pc.onicecandidateerror = (event) => {
      if (isTurnAuthError(/** @type {RTCPeerConnectionIceErrorEvent} */ (event))) this.#turnRefused = true;
    };
    this.#tracks = new TrackSorter({ onCamera: (track, streams) => this.#onTrack(track, streams), onScreen, holdMs: screenHoldMs });
    pc.ontrack = ({ track, streams }) => this.#tracks.track(track, streams);
    pc.onconnectionstatechange = () => this.#stateChanged();

    const report = (/** @type {string} */ what, /** @type {unknown} */ error) => this.#closed || this.#onError(what, error);
    this.#channel = new FeaturesChannel(pc, {
      local: { mic: !!features.mic, cam: !!features.cam, screen: screenStream?.id ?? null },
      onRemote: ({ mic, cam, screen }) => (onFeatures({ mic, cam }), this.#tracks.announce(screen)),
      onError: report,
    });

    if (localStream) for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
    this.#screen = new ScreenSender(pc, report);
    if (screenStream) {
      padMissingKinds(pc, localStream);
      this.#screen.set(screenStream);
    }

    if (awaitOffer) {
      this.#patienceTimer = setTimeout(() => {
        // Mid-negotiation the remote offer has come after all: answering it ends the hold.
        if (pc.signalingState === 'stable') this.#stopHolding(true);
      }, firstOfferPatienceMs);
    }
    this.#watch.arm();
  }

  get pc() {
    return this.#pc;
  }

  get polite() {
    return this.#polite;
  }

  /** Our microphone / camera state, as last told to the remote side. */
  get features() {
    const { mic, cam } = this.#channel.local;
    return { mic, cam };
  }

  /** The remote side's microphone / camera state, once it told us. */
  get remoteFeatures() {
    const remote = this.#channel.remote;
    return remote ? { mic: remote.mic, cam: remote.cam } : null;
  }

  /** The remote side's screen share while we show it, else null. */
  get remoteScreen() {
    return this.#tracks.screen;
  }

  get closed() {
    return this.#closed;
  }

  /** Why the connection cannot be made, while that is the case; otherwise null. */
  get problem() {
    return this.#problem ? { ...this.#problem } : null;
  }

  /**
   * New ICE servers (fresh TURN credentials) for this connection: used from its next gathering
   * (an ICE restart); the media flowing now is not renegotiated.
   * @param {RTCIceServer[]} iceServers
   */
  setIceServers(iceServers) {
    if (this.#closed) return;
    this.#iceServers = iceServers;
    try {
      this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), iceServers });
    } catch (error) {
      this.#onError('ice servers', error);
    }
  }

  /**
   * Handles a description or candidate relayed from the remote participant. Never rejects:
   * failures go to onError.
   * @param {Signal} signal
   */
  async handleSignal({ description, candidate }) {
    if (this.#closed) return;
    const pc = this.#pc;
    try {
      if (description) {
        // An answer in "stable" answers an offer we sent twice (re-sent after signaling came back).
        if (description.type === 'answer' && pc.signalingState === 'stable' && !this.#isSettingRemoteAnswerPending) return;
        const readyForOffer =
          !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        this.#ignoreOffer = !this.#polite && offerCollision;
        if (this.#ignoreOffer) return;

        this.#isSettingRemoteAnswerPending = description.type === 'answer';
        try {
          // On glare the polite side lands here in have-local-offer: the offer rolls ours back.
          await pc.setRemoteDescription(description);
        } finally {
          this.#isSettingRemoteAnswerPending = false;
        }
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          this.#signal({ description: descriptionJson(pc.localDescription) });
          this.#stopHolding(hasUnplacedTracks(pc));
        }
      } else if (candidate !== undefined) {
        this.#hosts.saw('remote', candidate);
        try {
          await pc.addIceCandidate(candidate ?? undefined);
        } catch (error) {
          // Candidates of an offer we ignored cannot be applied; that is expected.
          if (!this.#ignoreOffer && candidate) throw error;
        }
      }
    } catch (error) {
      if (!this.#closed) this.#onError('signal', error);
    }
  }

  /**
   * Sends our offer again if it is still unanswered (the answer, or the offer itself, may have
   * been lost while signaling was down), followed by our candidates of this ICE session.
   * @returns {boolean} whether an offer went out
   */
  resendPendingOffer() {
    const pc = this.#pc;
    if (this.#closed || this.#makingOffer || pc.signalingState !== 'have-local-offer' || !pc.localDescription) return false;
    this.#signal({ description: descriptionJson(pc.localDescription) });
    for (const candidate of this.#candidates) this.#signal({ candidate });
    return true;
  }

  /**
   * Signaling is back (ours after a resume, or theirs: "back"): re-sends an unanswered offer, and
   * restarts ICE (impolite side) if the connection broke meanwhile. The restart budget is renewed.
   * @param {{offerSent?: boolean}} [options] offerSent: our pending offer just went out (from the outbox)
   */
  signalingRestored({ offerSent = false } = {}) {
    if (this.#closed) return;
    this.#iceRestarts = 0;
    if (this.#pc.signalingState === 'have-local-offer') {
      // Its answer brings the connection back, or the restart's failure gets reported.
      if (!offerSent) this.resendPendingOffer();
      return;
    }
    const state = this.#pc.connectionState;
    if (state === 'failed' || state === 'disconnected') this.#restartIce();
  }

  /**
   * Updates our microphone / camera state and tells the peer.
   * @param {Features} features
   */
  setFeatures(features) {
    if (!this.#closed) this.#channel.update({ mic: !!features.mic, cam: !!features.cam });
  }

  /**
   * Starts (null: stops) sending our screen share; the features message naming it goes first.
   * @param {MediaStream | null} stream
   */
  setScreen(stream) {
    if (this.#closed || stream === this.#screen.stream) return;
    this.#channel.update({ screen: stream?.id ?? null });
    this.#screen.set(stream);
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#patienceTimer);
    this.#watch.close();
    clearTimeout(this.#disconnectedTimer);
    this.#diagnosis++;
    const pc = this.#pc;
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.onicecandidateerror = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    this.#tracks.close();
    this.#channel.close();
    pc.close();
  }

  async #negotiate() {
    if (this.#holdingFirstOffer) {
      this.#negotiationDeferred = true;
      return;
    }
    this.#negotiations++;
    try {
      this.#makingOffer = true;
      if (this.#restartRequested) {
        // A new ICE session: the candidates gathered from now on replace the old ones.
        this.#restartRequested = false;
        this.#candidates = [];
      }
      await this.#pc.setLocalDescription();
      this.#signal({ description: descriptionJson(this.#pc.localDescription) });
    } catch (error) {
      if (!this.#closed) this.#onError('negotiation', error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /**
   * Ends the hold on our first offer; negotiates if one was deferred and is still wanted.
   * @param {boolean} stillNeeded
   */
  #stopHolding(stillNeeded) {
    if (!this.#holdingFirstOffer) return;
    this.#holdingFirstOffer = false;
    clearTimeout(this.#patienceTimer);
    const deferred = this.#negotiationDeferred;
    this.#negotiationDeferred = false;
    if (!deferred || !stillNeeded) return;
    // Back in "stable" the browser may fire negotiationneeded again by itself (it does when the
    // need outlived the answer); offer ourselves only if it does not, so there is one offer.
    const started = this.#negotiations;
    setTimeout(() => {
      if (!this.#closed && this.#negotiations === started && this.#pc.signalingState === 'stable') this.#negotiate();
    }, 0);
  }

  /**
   * Keeps a candidate for a re-sent offer; one of a new ICE session (usernameFragment, after
   * either side's restart) replaces the old ones.
   * @param {RTCIceCandidateInit | null} candidate
   */
  #keepCandidate(candidate) {
    const session = candidate?.usernameFragment;
    if (session && this.#candidates.some((kept) => kept?.usernameFragment && kept.usernameFragment !== session)) this.#candidates = [];
    if (this.#candidates.length < MAX_KEPT_CANDIDATES) this.#candidates.push(candidate);
  }

  /** @param {Signal} signal */
  #signal(signal) {
    if (this.#closed) return;
    try {
      this.#send(signal);
    } catch (error) {
      this.#onError('send', error);
    }
  }

  #stateChanged() {
    const pc = this.#pc;
    const state = pc.connectionState;
    clearTimeout(this.#disconnectedTimer);
    if (state === 'failed') {
      if (!this.#restartIce()) this.#diagnose('failed');
    } else if (state === 'disconnected') {
      this.#disconnectedTimer = setTimeout(() => {
        if (!this.#closed && pc.connectionState === 'disconnected') this.#restartIce();
      }, this.#disconnectedPatienceMs);
    } else if (state === 'connected') {
      this.#iceRestarts = 0;
      this.#watch.connected();
      this.#diagnosis++;
      if (this.#problem) {
        this.#problem = null;
        this.#onProblem(null);
      }
    }
    this.#onStateChange(state);
  }

  /**
   * A new set of candidates (and TURN, if the direct path broke) may still get through. One side
   * restarts, the impolite one, so the two restarts cannot cross (no rollback). The restart gets
   * the connect timeout afresh; its own failure is reported.
   * @returns {boolean} whether a restart was started
   */
  #restartIce() {
    const pc = this.#pc;
    if (this.#closed || this.#polite || this.#iceRestarts >= MAX_ICE_RESTARTS || typeof pc.restartIce !== 'function') return false;
    this.#iceRestarts++;
    this.#restartRequested = true;
    pc.restartIce();
    this.#watch.arm();
    return true;
  }

  /**
   * Still "new", so ICE never started: an unanswered offer goes out again (it, or its answer, was
   * lost); after a finished negotiation the impolite side restarts ICE (the candidates were lost,
   * or none were gathered). The watch asks again while it stays stuck.
   */
  #unstall() {
    const pc = this.#pc;
    if (this.#closed || pc.connectionState !== 'new') return;
    if (pc.signalingState === 'have-local-offer') {
      this.resendPendingOffer();
    } else if (pc.signalingState === 'stable' && pc.remoteDescription && !this.#polite) {
      this.#restartRequested = true;
      pc.restartIce();
    }
  }

  /**
   * Reports the connection as one that cannot be made, with what we know about why.
   * @param {'failed' | 'timeout'} reason
   */
  async #diagnose(reason) {
    if (this.#closed) return;
    this.#watch.endTimeout();
    const run = ++this.#diagnosis;
    const pc = this.#pc;
    const turnReachable = this.#relayGathered || (await relayInStats(pc));
    // Connected, closed or diagnosed again while getStats ran: this run has nothing to say.
    if (run !== this.#diagnosis || this.#closed || pc.connectionState === 'connected') return;
    /** @type {ConnectionProblem} */
    const problem = {
      reason,
      answered: !!pc.remoteDescription,
      turnConfigured: hasTurn(this.#iceServers),
      turnReachable,
      turnRefused: !turnReachable && this.#turnRefused,
      relayOnly: this.#relayOnly,
      ...this.#hosts.findings(),
    };
    // The same finding again (a timeout, then "failed"): say it once, screen readers repeat it.
    if (this.#problem && sameFinding(this.#problem, problem)) return;
    this.#problem = problem;
    this.#onProblem({ ...problem });
  }
}

/**
 * @param {RTCSessionDescription | null} description
 * @returns {DescriptionJson | null}
 */
function descriptionJson(description) {
  return description ? { type: description.type, sdp: description.sdp } : null;
}
