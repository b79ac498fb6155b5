// Tracks, streams and transceivers for the fake RTCPeerConnection (fake-rtc.js): tracks that end
// ("ended" when their source stops them, as the browser's own "Stop sharing" does), streams that
// lose tracks ("removetrack"), and a transceiver with a direction, replaceTrack and setStreams.

/** addEventListener / removeEventListener and a way to fire, for tracks and streams. */
export class FakeEmitter {
  /** @type {Map<string, Function[]>} */
  _listeners = new Map();

  /** @param {string} type @param {Function} fn */
  addEventListener(type, fn) {
    this._listeners.set(type, [...(this._listeners.get(type) ?? []), fn]);
  }

  /** @param {string} type @param {Function} fn */
  removeEventListener(type, fn) {
    this._listeners.set(type, (this._listeners.get(type) ?? []).filter((f) => f !== fn));
  }

  /** @param {string} type @param {object} [fields] */
  _emit(type, fields = {}) {
    for (const fn of this._listeners.get(type) ?? []) fn({ type, target: this, ...fields });
  }
}

export class FakeTrack extends FakeEmitter {
  /** @param {string} kind @param {string} id */
  constructor(kind, id) {
    super();
    this.kind = kind;
    this.id = id;
    this.enabled = true;
    this.readyState = 'live';
    this.muted = false;
    this.contentHint = '';
    this.stops = 0;
  }

  /** Our page stops it: no "ended" event (as in browsers). */
  stop() {
    this.stops++;
    this.readyState = 'ended';
  }

  /** The source ends it (the browser's own "Stop sharing", an unplugged camera): "ended". */
  end() {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    this._emit('ended');
  }
}

export class FakeStream extends FakeEmitter {
  /** @param {string} id @param {FakeTrack[]} tracks */
  constructor(id, tracks = []) {
    super();
    this.id = id;
    this.tracks = tracks;
  }

  getTracks() {
    return [...this.tracks];
  }

  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }

  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }

  /** @param {string} id */
  getTrackById(id) {
    return this.tracks.find((t) => t.id === id) ?? null;
  }

  /** @param {FakeTrack} track */
  addTrack(track) {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }

  /** @param {FakeTrack} track */
  removeTrack(track) {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

/** @typedef {{track: FakeTrack | null, stream: FakeStream | undefined, mid: string | null, kind?: string, transceiver?: FakeTransceiver, direction?: string, described?: string | null, negotiated?: string | null, negotiatedDirection?: string | null}} FakeSenderEntry */

/** @param {FakeSenderEntry} entry what a transceiver's negotiation is about: direction and stream */
export const transceiverKey = (entry) => `${entry.direction}|${entry.stream?.id ?? ''}`;

/** @param {string | undefined} direction */
export const sends = (direction) => direction === 'sendrecv' || direction === 'sendonly';

export class FakeTransceiver {
  /** @param {import('./fake-rtc.js').FakePeerConnection} pc @param {FakeSenderEntry} entry */
  constructor(pc, entry) {
    this._pc = pc;
    this._entry = entry;
    this.sender = {
      get track() {
        return entry.track;
      },
      /** @param {FakeTrack | null} track */
      replaceTrack: (track) => {
        entry.track = track;
        pc.replacedTracks.push(track);
        return new Promise((resolve) => setTimeout(resolve, 0));
      },
      /** @param {FakeStream[]} streams */
      setStreams: (...streams) => {
        entry.stream = streams[0];
        pc._updateNegotiationNeeded();
      },
    };
  }

  get kind() {
    return this._entry.kind;
  }

  get mid() {
    return this._entry.mid;
  }

  get direction() {
    return this._entry.direction;
  }

  set direction(direction) {
    this._entry.direction = direction;
    this._pc._updateNegotiationNeeded();
  }

  get currentDirection() {
    return this._entry.mid && this._pc.signalingState === 'stable' ? (this._entry.negotiatedDirection ?? null) : null;
  }
}
