// A small, honest stand-in for RTCPeerConnection, enough to exercise perfect negotiation in Node.
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
// - ICE: every pc has one ufrag; candidates name it; addIceCandidate rejects without a remote
//   description or for another session's ufrag; two pcs that hold each other's descriptions and
//   a candidate from each other become "connected";
// - negotiated data channels open when the connection does and pair up by id; tracks named in
//   a remote description fire "track".
// - a network, per pc (`network`, or a class from withNetwork): a host candidate unless the
//   iceTransportPolicy is "relay"; a relay candidate when a turn: / turns: server is configured
//   and answers ("ok"), else an icecandidateerror (701 "unreachable", 401 "refuses"). A pair of
//   candidates works if either is relay, or both are host and both networks allow direct paths.
//   Once both sides have all of each other's candidates and no pair works: "failed" on both.
//   A remote offer or a restart offer while "failed" goes back to "connecting".
// - getConfiguration / setConfiguration (every configuration set is kept in `configurations`),
//   getStats with a local-candidate entry per gathered candidate.
// The SDP is JSON: {ufrag, tracks: [{id, kind, stream}], data}.

let nextUfrag = 1;

/**
 * What the network lets a fake pc do.
 * @typedef {{direct: boolean, turn: 'ok' | 'unreachable' | 'refuses'}} FakeNetwork
 */

/** @param {unknown} url */
const isTurnUrl = (url) => typeof url === 'string' && /^turns?:/.test(url);

/** @param {any} config @returns {string | null} the first TURN URL of the configuration */
function turnUrl(config) {
  for (const server of config?.iceServers ?? []) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
    const url = urls.find(isTurnUrl);
    if (url) return url;
  }
  return null;
}

class FakeError extends Error {
  /** @param {string} name @param {string} message */
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

export class FakeTrack {
  /** @param {string} kind @param {string} id */
  constructor(kind, id) {
    this.kind = kind;
    this.id = id;
    this.enabled = true;
  }
}

export class FakeStream {
  /** @param {string} id @param {FakeTrack[]} tracks */
  constructor(id, tracks = []) {
    this.id = id;
    this.tracks = tracks;
  }

  getTracks() {
    return [...this.tracks];
  }
}

class FakeDataChannel {
  /** @param {string} label @param {{negotiated?: boolean, id?: number}} init */
  constructor(label, init) {
    this.label = label;
    this.negotiated = !!init.negotiated;
    this.id = init.id ?? null;
    this.readyState = 'connecting';
    /** @type {FakeDataChannel | null} */
    this.remote = null;
    /** @type {string[]} */
    this.sent = [];
    /** @type {((e: any) => void) | null} */
    this.onopen = null;
    /** @type {((e: any) => void) | null} */
    this.onmessage = null;
    /** @type {((e: any) => void) | null} */
    this.onclose = null;
  }

  /** @param {string} data */
  send(data) {
    if (this.readyState !== 'open') throw new FakeError('InvalidStateError', `channel is ${this.readyState}`);
    this.sent.push(data);
    const remote = this.remote;
    setTimeout(() => {
      if (remote?.readyState === 'open') remote.onmessage?.({ data });
    }, 0);
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    setTimeout(() => this.onclose?.({}), 0);
    this.remote?.close();
  }

  /** @param {FakeDataChannel} remote */
  _open(remote) {
    this.remote = remote;
    this.readyState = 'open';
    setTimeout(() => this.onopen?.({}), 0);
  }
}

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

  /** @param {string} label @param {{negotiated?: boolean, id?: number}} [init] */
  createDataChannel(label, init = {}) {
    this._assertOpen();
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    if (this.channels.length === 1) this._updateNegotiationNeeded(); // the first channel needs an application m-line
    if (this.connectionState === 'connected') this._openChannels();
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
    return this.senders.map((sender) => ({
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
          throw new FakeError('InvalidStateError', `cannot roll back in ${state}`);
        }
        this._rollback();
        if (this._nnFlag) this._queueNegotiationNeeded();
        return;
      }
      const type = description?.type ?? (state === 'have-remote-offer' ? 'answer' : 'offer');
      if (type === 'offer') {
        if (state !== 'stable' && state !== 'have-local-offer') {
          throw new FakeError('InvalidStateError', `cannot set a local offer in ${state}`);
        }
        this._offerMids = [];
        for (const sender of this.senders) {
          if (sender.mid !== null) continue;
          sender.mid = `${this._nextMid++}`;
          this._offerMids.push(sender);
        }
        if (this._restartPending) this._backToConnecting();
        this._restartPending = false;
        this.localDescription = { type: 'offer', sdp: this._sdp(this.senders) };
        this.signalingState = 'have-local-offer';
      } else if (type === 'answer') {
        if (state !== 'have-remote-offer') {
          throw new FakeError('InvalidStateError', `cannot set a local answer in ${state}`);
        }
        // Each section of the remote offer takes one unplaced local track of its kind.
        const offered = parseSdp(this.remoteDescription).tracks.map((/** @type {{kind: string}} */ t) => t.kind);
        for (const sender of this.senders) {
          if (sender.mid !== null) {
            const at = offered.indexOf(sender.track.kind);
            if (at >= 0) offered.splice(at, 1);
          }
        }
        for (const sender of this.senders) {
          const at = sender.mid === null ? offered.indexOf(sender.track.kind) : -1;
          if (at < 0) continue;
          offered.splice(at, 1);
          sender.mid = `${this._nextMid++}`;
        }
        this.localDescription = { type: 'answer', sdp: this._sdp(this.senders.filter((x) => x.mid !== null)) };
        this._stable();
      } else {
        throw new FakeError('TypeError', `unsupported description type ${type}`);
      }
      this._gather();
    });
  }

  /** @param {{type: string, sdp: string}} description */
  setRemoteDescription(description) {
    return this._enqueue(() => {
      const parsed = parseSdp(description);
      if (description.type === 'offer') {
        if (this.signalingState === 'have-local-offer') this._rollback(); // implicit rollback
        if (this.signalingState !== 'stable') {
          throw new FakeError('InvalidStateError', `cannot set a remote offer in ${this.signalingState}`);
        }
        this._backToConnecting();
        this.remoteDescription = { type: 'offer', sdp: description.sdp };
        this.signalingState = 'have-remote-offer';
      } else if (description.type === 'answer') {
        if (this.signalingState !== 'have-local-offer') {
          throw new FakeError('InvalidStateError', `cannot set a remote answer in ${this.signalingState}`);
        }
        this.remoteDescription = { type: 'answer', sdp: description.sdp };
        this._stable();
      } else {
        throw new FakeError('TypeError', `unsupported description type ${description.type}`);
      }
      // Their candidates for this description follow it.
      this._endOfCandidates = false;
      this.remoteCandidateTypes = [];
      this._announceTracks(parsed.tracks);
    });
  }

  /** @param {{candidate?: string} | undefined} [candidate] */
  addIceCandidate(candidate) {
    return this._enqueue(() => {
      if (!this.remoteDescription) {
        this.rejectedCandidates++;
        throw new FakeError('InvalidStateError', 'no remote description');
      }
      if (!candidate || !candidate.candidate) {
        this._endOfCandidates = true;
        this._tryConnect();
        return;
      }
      const ufrag = candidate.candidate.split(' ')[1];
      if (ufrag !== parseSdp(this.remoteDescription).ufrag) {
        this.rejectedCandidates++;
        throw new FakeError('OperationError', `candidate ${candidate.candidate} is not for this session`);
      }
      this.remoteCandidates.push(ufrag);
      this.remoteCandidateTypes.push(/ typ (\w+)/.exec(candidate.candidate)?.[1] ?? 'host');
      this._tryConnect();
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
    if (this.signalingState === 'closed') throw new FakeError('InvalidStateError', 'closed');
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
    if (parseSdp(this.localDescription).data && parseSdp(this.remoteDescription).data) this._dataNegotiated = true;
    const before = this._nnFlag;
    this._updateNegotiationNeeded();
    // The spec: still needed after returning to stable → fire again.
    if (before && this._nnFlag) this._queueNegotiationNeeded();
    this._tryConnect();
  }

  _isNegotiationNeeded() {
    return (
      this._restartPending ||
      this.senders.some((sender) => sender.mid === null) ||
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
    setTimeout(() => {
      this._nnQueued = false;
      if (this.signalingState === 'closed' || !this._nnFlag) return;
      if (this._pending > 0) {
        this._updateOnEmptyChain = true;
        return;
      }
      if (this.signalingState !== 'stable' || !this._isNegotiationNeeded()) return;
      this.negotiationEvents++;
      this.onnegotiationneeded?.({});
    }, 0);
  }

  /** @param {{track: FakeTrack, stream: FakeStream | undefined}[]} senders */
  _sdp(senders) {
    return JSON.stringify({
      ufrag: this.ufrag,
      tracks: senders.map(({ track, stream }) => ({ id: track.id, kind: track.kind, stream: stream?.id })),
      data: this.channels.length > 0,
    });
  }

  _gather() {
    const n = ++this._candidateCount;
    /** @type {{type: string, line: string}[]} */
    const found = [];
    if (this.config.iceTransportPolicy !== 'relay') {
      found.push({ type: 'host', line: `candidate:${n} ${this.ufrag} udp 2122260223 10.0.0.1 5000${n} typ host` });
    }
    const turn = turnUrl(this.config);
    /** @type {object | null} */
    let error = null;
    if (turn && this.network.turn === 'ok') {
      found.push({ type: 'relay', line: `candidate:${n}r ${this.ufrag} udp 41885439 203.0.113.7 6000${n} typ relay raddr 0.0.0.0 rport 0` });
    } else if (turn) {
      error = this.network.turn === 'refuses'
        ? { url: turn, errorCode: 401, errorText: 'Unauthorized' }
        : { url: turn, errorCode: 701, errorText: 'TURN host lookup received error.' };
    }
    // Gathering starts once setLocalDescription has resolved: two tasks later.
    const later = (/** @type {() => void} */ fn) => setTimeout(() => setTimeout(fn, 0), 0);
    later(() => {
      if (this.signalingState === 'closed') return;
      if (error) this.onicecandidateerror?.(error);
      for (const { type, line } of found) {
        this.localCandidateTypes.push(type);
        const candidate = { candidate: line, sdpMid: '0', sdpMLineIndex: 0 };
        this.onicecandidate?.({ candidate: { ...candidate, type, toJSON: () => ({ ...candidate }) } });
      }
      this.onicecandidate?.({ candidate: null });
    });
  }

  /** @param {{id: string, kind: string, stream?: string}[]} tracks */
  _announceTracks(tracks) {
    for (const { id, kind, stream } of tracks) {
      if (this._seenTracks.has(id)) continue;
      this._seenTracks.add(id);
      const track = new FakeTrack(kind, id);
      const streams = stream ? [new FakeStream(stream, [track])] : [];
      setTimeout(() => this.ontrack?.({ track, streams }), 0);
    }
  }

  /** The pc at the other end: the one whose ufrag our remote description names. */
  _partner() {
    if (!this.currentRemoteDescription) return null;
    const ufrag = parseSdp(this.currentRemoteDescription).ufrag;
    for (const pc of FakePeerConnection.all) if (pc.ufrag === ufrag) return pc;
    return null;
  }

  _readyFor(/** @type {FakePeerConnection} */ other) {
    return this.signalingState === 'stable' && this.remoteCandidates.includes(other.ufrag);
  }

  /** Whether some pair of our candidates and the ones we got from them works. */
  _hasPath(/** @type {FakePeerConnection} */ other) {
    const direct = this.network.direct && other.network.direct;
    return this.localCandidateTypes.some((mine) =>
      this.remoteCandidateTypes.some((theirs) => mine === 'relay' || theirs === 'relay' || (direct && mine === 'host' && theirs === 'host')),
    );
  }

  /** Stable, and all of their candidates are in. */
  _checksDone() {
    return this.signalingState === 'stable' && this._endOfCandidates;
  }

  _backToConnecting() {
    if (this.connectionState !== 'failed') return;
    this.connectionState = 'connecting';
    setTimeout(() => this.onconnectionstatechange?.({}), 0);
  }

  _tryConnect() {
    const partner = this._partner();
    if (!partner || partner._partner() !== this) return;
    const path = this._hasPath(partner) && partner._hasPath(this);
    if (!path) {
      if (!this._checksDone() || !partner._checksDone()) return;
      for (const pc of [this, partner]) {
        if (pc.connectionState === 'failed' || pc.connectionState === 'connected') continue;
        pc.connectionState = 'failed';
        setTimeout(() => pc.onconnectionstatechange?.({}), 0);
      }
      return;
    }
    if (!this._readyFor(partner) || !partner._readyFor(this)) return;
    for (const pc of [this, partner]) {
      if (pc.connectionState === 'connected') continue;
      pc.connectionState = 'connected';
      setTimeout(() => pc.onconnectionstatechange?.({}), 0);
    }
    this._openChannels();
  }

  _openChannels() {
    const partner = this._partner();
    if (!partner || partner.connectionState !== 'connected') return;
    for (const mine of this.channels) {
      const theirs = partner.channels.find((c) => c.negotiated && c.id === mine.id && c.readyState === 'connecting');
      if (mine.negotiated && mine.readyState === 'connecting' && theirs) {
        mine._open(theirs);
        theirs._open(mine);
      }
    }
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

/** @param {{sdp?: string} | null} description */
function parseSdp(description) {
  try {
    const parsed = JSON.parse(description?.sdp ?? '');
    if (typeof parsed.ufrag !== 'string' || !Array.isArray(parsed.tracks)) throw new Error('bad shape');
    return parsed;
  } catch {
    throw new FakeError('OperationError', `unparseable SDP: ${description?.sdp}`);
  }
}
