// A small, honest stand-in for RTCPeerConnection, enough to exercise perfect negotiation in Node.
// This file is the pc itself, and the entry point the tests import. The rest of it lives next
// door, so that each part reads on its own: the SDP it writes and reads in fake-sdp.js; the
// network, ICE candidates, connection state and data channels in fake-ice.js; tracks, streams
// and transceivers in fake-tracks.js.
//
// What it models (after the WebRTC spec):
// - an operations chain: setLocalDescription / setRemoteDescription / addIceCandidate run one
//   after the other, in call order, each asynchronously;
// - the signaling state machine, with the states and errors the spec gives (InvalidStateError
//   for an answer in "stable", a remote offer in "have-local-offer" rolls back implicitly);
// - transceivers: addTrack's sender gets a mid when an offer carries it, or when an answer finds
//   it a place in the remote offer (a section of the same kind); a rollback takes the mid back;
// - "negotiationneeded" with the spec's [[NegotiationNeeded]] flag: needed while a sender has no
//   mid, the first data channel is not negotiated, or an ICE restart is pending; fired in a later
//   task when stable and the chain is idle; fired again when the need outlives a return to stable;
// - addIceCandidate rejects without a remote description or for another session's ufrag; each pc
//   sits on a network (`network`, or a class from withNetwork), see fake-ice.js;
// - tracks named in a remote description fire "track" (fake-sdp.js);
// - getConfiguration / setConfiguration (every configuration set is kept in `configurations`),
//   getStats with a local-candidate entry per gathered candidate.
// - addTransceiver (screen share): a transceiver of its own with a direction, replaceTrack and
//   setStreams; a new one, or a change of direction or streams, needs negotiation.

import { mediaError } from './fake-media.js';
import { FakeDataChannel, backToConnecting, candidateType, candidateUfrag, gatherCandidates, openChannels, tryConnect } from './fake-ice.js';
import { announceTracks, parseSdp, placeInRemoteOffer, writeSdp } from './fake-sdp.js';
import { FakeStream, FakeTrack, FakeTransceiver, transceiverKey } from './fake-tracks.js';

export { FakeStream, FakeTrack };

let nextUfrag = 1;

/** @typedef {import('./fake-ice.js').FakeNetwork} FakeNetwork */
/** @typedef {import('./fake-tracks.js').FakeSenderEntry} FakeSenderEntry */

export class FakePeerConnection {
  /** Every fake pc alive, so two of them can find each other when ICE "connects". */
  static all = new Set();

  /** @param {{iceServers?: unknown[], iceTransportPolicy?: string}} [config] */
  constructor(config = {}) {
    this.config = { ...config };
    /** @type {object[]} every configuration given to setConfiguration */
    this.configurations = [];
    /** @type {FakeNetwork} */
    this.network = { direct: true, turn: 'ok' };
    /** @type {string[]} types of the candidates this pc gathered */
    this.localCandidateTypes = [];
    /** @type {string[]} types of the remote candidates accepted (current session) */
    this.remoteCandidateTypes = [];
    this._endOfCandidates = false;
    this.ufrag = `u${nextUfrag++}`;
    this.signalingState = 'stable';
    this.connectionState = 'new';
    /** @type {{type: string, sdp: string} | null} */
    this.localDescription = null;
    /** @type {{type: string, sdp: string} | null} */
    this.remoteDescription = null;
    this.currentLocalDescription = null;
    this.currentRemoteDescription = null;
    /** @type {{track: FakeTrack, stream: FakeStream | undefined, mid: string | null}[]} */
    this.senders = [];
    /** @type {FakeDataChannel[]} */
    this.channels = [];
    /** Counters the tests read. */
    this.rollbacks = 0;
    this.rejectedCandidates = 0;
    this.restarts = 0;
    /** @type {string[]} ufrags of candidates accepted */
    this.remoteCandidates = [];
    this.onnegotiationneeded = null;
    this.onicecandidate = null;
    this.ontrack = null;
    this.onconnectionstatechange = null;
    this.onicecandidateerror = null;
    this._chain = Promise.resolve();
    this._pending = 0;
    /** the spec's [[NegotiationNeeded]] */
    this._nnFlag = false;
    this._dataNegotiated = false;
    this._restartPending = false;
    this._nextMid = 0;
    /** @type {object[]} senders the current local offer gave a mid (a rollback takes it back) */
    this._offerMids = [];
    this._candidateCount = 0;
    /** how many negotiationneeded events were fired */
    this.negotiationEvents = 0;
    this._updateOnEmptyChain = false;
    this._nnQueued = false;
    /** @type {Set<string>} remote track ids already announced */
    this._seenTracks = new Set();
    /** @type {Map<string, {track: FakeTrack, stream: FakeStream | undefined}>} remote transceiver tracks by mid */
    this._remoteByMid = new Map();
    /** @type {Map<string, FakeStream>} remote streams by id */
    this._remoteStreams = new Map();
    /** @type {(FakeTrack | null)[]} every replaceTrack on a transceiver's sender */
    this.replacedTracks = [];
    FakePeerConnection.all.add(this);
  }

  /** @param {FakeTrack} track @param {FakeStream} [stream] */
  addTrack(track, stream) {
    this._assertOpen();
    const sender = { track, stream, mid: /** @type {string | null} */ (null) };
    this.senders.push(sender);
    this._updateNegotiationNeeded();
    return sender;
  }

  /**
   * @param {FakeTrack | string} trackOrKind
   * @param {{direction?: string, streams?: FakeStream[]}} [init]
   */
  addTransceiver(trackOrKind, init = {}) {
    this._assertOpen();
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    /** @type {FakeSenderEntry} */
    const entry = {
      track,
      stream: init.streams?.[0],
      mid: null,
      kind: track ? track.kind : /** @type {string} */ (trackOrKind),
      direction: init.direction ?? 'sendrecv',
      described: null,
      negotiated: null,
      negotiatedDirection: null,
    };
    entry.transceiver = new FakeTransceiver(this, entry);
    this.senders.push(/** @type {any} */ (entry));
    this._updateNegotiationNeeded();
    return entry.transceiver;
  }

  /** @param {string} label @param {{negotiated?: boolean, id?: number}} [init] */
  createDataChannel(label, init = {}) {
    this._assertOpen();
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    if (this.channels.length === 1) this._updateNegotiationNeeded(); // the first channel needs an application m-line
    if (this.connectionState === 'connected') openChannels(this);
    return channel;
  }

  getConfiguration() {
    return { ...this.config };
  }

  /** @param {any} config */
  setConfiguration(config) {
    this._assertOpen();
    this.configurations.push(config);
    this.config = { ...config };
  }

  async getStats() {
    const report = new Map();
    this.localCandidateTypes.forEach((candidateType, i) => {
      report.set(`L${i}`, { id: `L${i}`, type: 'local-candidate', candidateType });
    });
    return report;
  }

  restartIce() {
    this.restarts++;
    this._restartPending = true;
    this._updateNegotiationNeeded();
  }

  getTransceivers() {
    return this.senders.map((/** @type {FakeSenderEntry} */ sender) => sender.transceiver ?? ({
      sender: { track: sender.track },
      mid: sender.mid,
      currentDirection: sender.mid && this.signalingState === 'stable' ? 'sendrecv' : null,
    }));
  }

  /** @param {{type: string, sdp?: string}} [description] */
  setLocalDescription(description) {
    return this._enqueue(() => {
      const state = this.signalingState;
      if (description?.type === 'rollback') {
        if (state !== 'have-local-offer' && state !== 'have-remote-offer') {
          throw mediaError('InvalidStateError', `cannot roll back in ${state}`);
        }
        this._rollback();
        if (this._nnFlag) this._queueNegotiationNeeded();
        return;
      }
      const type = description?.type ?? (state === 'have-remote-offer' ? 'answer' : 'offer');
      if (type === 'offer') {
        if (state !== 'stable' && state !== 'have-local-offer') {
          throw mediaError('InvalidStateError', `cannot set a local offer in ${state}`);
        }
        this._offerMids = [];
        for (const sender of this.senders) {
          if (sender.mid !== null) continue;
          sender.mid = `${this._nextMid++}`;
          this._offerMids.push(sender);
        }
        if (this._restartPending) backToConnecting(this);
        this._restartPending = false;
        this._describe();
        this.localDescription = { type: 'offer', sdp: writeSdp(this, this.senders) };
        this.signalingState = 'have-local-offer';
      } else if (type === 'answer') {
        if (state !== 'have-remote-offer') {
          throw mediaError('InvalidStateError', `cannot set a local answer in ${state}`);
        }
        placeInRemoteOffer(this);
        this._describe();
        this.localDescription = { type: 'answer', sdp: writeSdp(this, this.senders.filter((x) => x.mid !== null)) };
        this._stable();
      } else {
        throw mediaError('TypeError', `unsupported description type ${type}`);
      }
      gatherCandidates(this);
    });
  }

  /** @param {{type: string, sdp: string}} description */
  setRemoteDescription(description) {
    return this._enqueue(() => {
      const parsed = parseSdp(description);
      if (description.type === 'offer') {
        if (this.signalingState === 'have-local-offer') this._rollback(); // implicit rollback
        if (this.signalingState !== 'stable') {
          throw mediaError('InvalidStateError', `cannot set a remote offer in ${this.signalingState}`);
        }
        backToConnecting(this);
        this.remoteDescription = { type: 'offer', sdp: description.sdp };
        this.signalingState = 'have-remote-offer';
      } else if (description.type === 'answer') {
        if (this.signalingState !== 'have-local-offer') {
          throw mediaError('InvalidStateError', `cannot set a remote answer in ${this.signalingState}`);
        }
        this.remoteDescription = { type: 'answer', sdp: description.sdp };
        this._stable();
      } else {
        throw mediaError('TypeError', `unsupported description type ${description.type}`);
      }
      // Their candidates for this description follow it.
      this._endOfCandidates = false;
      this.remoteCandidateTypes = [];
      announceTracks(this, parsed.tracks);
    });
  }

  /** @param {{candidate?: string} | undefined} [candidate] */
  addIceCandidate(candidate) {
    return this._enqueue(() => {
      if (!this.remoteDescription) {
        this.rejectedCandidates++;
        throw mediaError('InvalidStateError', 'no remote description');
      }
      if (!candidate || !candidate.candidate) {
        this._endOfCandidates = true;
        tryConnect(this);
        return;
      }
      const ufrag = candidateUfrag(candidate.candidate);
      if (ufrag !== parseSdp(this.remoteDescription).ufrag) {
        this.rejectedCandidates++;
        throw mediaError('OperationError', `candidate ${candidate.candidate} is not for this session`);
      }
      this.remoteCandidates.push(ufrag);
      this.remoteCandidateTypes.push(candidateType(candidate.candidate));
      tryConnect(this);
    });
  }

  close() {
    if (this.signalingState === 'closed') return;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    for (const channel of this.channels) channel.close();
    FakePeerConnection.all.delete(this);
  }

  // ---- internals ----

  _assertOpen() {
    if (this.signalingState === 'closed') throw mediaError('InvalidStateError', 'closed');
  }

  /** @param {() => void} operation */
  _enqueue(operation) {
    this._pending++;
    const run = this._chain.then(() => {
      this._assertOpen();
      operation();
    });
    const done = () => {
      this._pending--;
      if (this._pending === 0 && this._updateOnEmptyChain) {
        this._updateOnEmptyChain = false;
        this._updateNegotiationNeeded();
      }
    };
    this._chain = run.then(done, done);
    // Each operation resolves in a later task, as real ones do.
    return run.then((value) => new Promise((resolve) => setTimeout(() => resolve(value), 0)));
  }

  _rollback() {
    this.rollbacks++;
    for (const sender of this._offerMids) sender.mid = null;
    this._offerMids = [];
    this.localDescription = this.currentLocalDescription;
    this.remoteDescription = this.currentRemoteDescription;
    this.signalingState = 'stable';
  }

  _stable() {
    this.signalingState = 'stable';
    this.currentLocalDescription = this.localDescription;
    this.currentRemoteDescription = this.remoteDescription;
    this._offerMids = [];
    for (const sender of /** @type {FakeSenderEntry[]} */ (this.senders)) {
      if (!sender.transceiver || sender.mid === null || sender.described == null) continue;
      sender.negotiated = sender.described;
      sender.negotiatedDirection = sender.described.split('|')[0];
    }
    if (parseSdp(this.localDescription).data && parseSdp(this.remoteDescription).data) this._dataNegotiated = true;
    const before = this._nnFlag;
    this._updateNegotiationNeeded();
    // The spec: still needed after returning to stable → fire again.
    if (before && this._nnFlag) this._queueNegotiationNeeded();
    tryConnect(this);
  }

  _isNegotiationNeeded() {
    return (
      this._restartPending ||
      this.senders.some((sender) => sender.mid === null) ||
      this.senders.some((/** @type {FakeSenderEntry} */ s) => s.transceiver && s.mid !== null && s.negotiated !== transceiverKey(s)) ||
      (this.channels.length > 0 && !this._dataNegotiated)
    );
  }

  /** The spec's "update the negotiation-needed flag". */
  _updateNegotiationNeeded() {
    if (this.signalingState === 'closed') return;
    if (this._pending > 0) {
      this._updateOnEmptyChain = true;
      return;
    }
    if (this.signalingState !== 'stable') return;
    if (!this._isNegotiationNeeded()) {
      this._nnFlag = false;
      return;
    }
    if (this._nnFlag) return;
    this._nnFlag = true;
    this._queueNegotiationNeeded();
  }

  _queueNegotiationNeeded() {
    if (this._nnQueued) return;
    this._nnQueued = true;
    // Two tasks on: after the promise of the operation that made the need (it resolves a task
    // later), as in browsers, so its caller reads its own localDescription before an offer starts.
    const later = (/** @type {() => void} */ fn) => setTimeout(() => setTimeout(fn, 0), 0);
    later(() => {
      this._nnQueued = false;
      if (this.signalingState === 'closed' || !this._nnFlag) return;
      if (this._pending > 0) {
        this._updateOnEmptyChain = true;
        return;
      }
      if (this.signalingState !== 'stable' || !this._isNegotiationNeeded()) return;
      this.negotiationEvents++;
      this.onnegotiationneeded?.({});
    });
  }

  /** What a local description says of each transceiver, to tell later whether it changed. */
  _describe() {
    for (const sender of /** @type {FakeSenderEntry[]} */ (this.senders)) {
      if (sender.transceiver && sender.mid !== null) sender.described = transceiverKey(sender);
    }
  }

  /** The pc at the other end: the one whose ufrag our remote description names. */
  _partner() {
    if (!this.currentRemoteDescription) return null;
    const ufrag = parseSdp(this.currentRemoteDescription).ufrag;
    for (const pc of FakePeerConnection.all) if (pc.ufrag === ufrag) return pc;
    return null;
  }
}

/**
 * A FakePeerConnection class whose instances start on this network.
 * @param {Partial<FakeNetwork>} network
 */
export function withNetwork(network) {
  return class extends FakePeerConnection {
    /** @param {any} [config] */
    constructor(config) {
      super(config);
      this.network = { ...this.network, ...network };
    }
  };
}
