// Screen share on one peer connection (docs/protocol.md, "The features data channel"). No DOM.
//
// Sending: the screen's video (and audio, if the browser gave tab audio) goes on transceivers of
// its own ("sendonly", named with the screen stream), so the camera's senders are never touched;
// adding them fires negotiationneeded and perfect negotiation does the rest. Stopping sets
// them "inactive" with no track; the next share takes them again (replaceTrack + setStreams).
//
// Receiving: the features channel names the stream the other side shares its screen on; a track
// of that stream is the screen, any other is the camera. Tracks may come before the message that
// names their stream (signaling and the data channel are separate paths; a new connection's
// tracks always come before its data channel opens), so a track of a stream not yet named waits
// for the next features message, for at most holdMs, and is the camera after that. A stream
// already shown as the camera that is named later moves to the screen, and the camera is shown
// again.

import { isStreamId } from './features-channel.js';

/** How long a track of a stream the features channel has not named waits before it counts as camera. */
export const SCREEN_HOLD_MS = 5000;

/** Streams remembered per connection (a hostile peer could send any number). */
const MAX_STREAMS = 16;

/** @param {MediaStream} stream @param {string} kind */
const trackOf = (stream, kind) => stream.getTracks().find((track) => track.kind === kind) ?? null;

/**
 * Whether a local track is on no negotiated transceiver (the remote offer had no place for it).
 * @param {RTCPeerConnection} pc
 */
export function hasUnplacedTracks(pc) {
  if (typeof pc.getTransceivers !== 'function') return true;
  return pc.getTransceivers().some((t) => t.sender.track && t.mid === null && t.currentDirection !== 'stopped');
}

/**
 * Before a new connection's screen transceivers: a receive-only one for each kind our camera
 * stream lacks. The other side's own microphone / camera (addTrack) takes the first free section
 * of its kind in our offer (JSEP); without these it would take the screen's and never reach us.
 * @param {RTCPeerConnection} pc
 * @param {MediaStream | null} camera
 */
export function padMissingKinds(pc, camera) {
  for (const kind of ['audio', 'video']) {
    if (!camera || !trackOf(camera, kind)) pc.addTransceiver(kind, { direction: 'recvonly' });
  }
}

export class ScreenSender {
  #pc;
  #onError;
  /** @type {Record<string, RTCRtpTransceiver | null>} */
  #transceivers = { video: null, audio: null };
  /** @type {MediaStream | null} */
  #stream = null;

  /**
   * @param {RTCPeerConnection} pc
   * @param {(what: string, error: unknown) => void} onError
   */
  constructor(pc, onError) {
    this.#pc = pc;
    this.#onError = onError;
  }

  /** The screen this connection sends, or null. */
  get stream() {
    return this.#stream;
  }

  /**
   * Sends this screen (null: stops sending one). Renegotiates through negotiationneeded.
   * @param {MediaStream | null} stream
   */
  set(stream) {
    if (stream === this.#stream) return;
    this.#stream = stream;
    for (const kind of ['video', 'audio']) {
      this.#transceivers[kind] = this.#place(this.#transceivers[kind], stream && trackOf(stream, kind), stream);
    }
  }

  /** The transceivers in use for the screen (for tests and the bandwidth budget). */
  get transceivers() {
    return Object.values(this.#transceivers).filter((t) => t !== null);
  }

  /**
   * @param {RTCRtpTransceiver | null} transceiver
   * @param {MediaStreamTrack | null} track
   * @param {MediaStream | null} stream
   */
  #place(transceiver, track, stream) {
    const usable = transceiver && transceiver.currentDirection !== 'stopped' && transceiver.direction !== 'stopped';
    if (!transceiver || !usable) {
      return track && stream ? this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] }) : null;
    }
    transceiver.sender.replaceTrack(track).catch((error) => this.#onError('screen track', error));
    if (track && stream) transceiver.sender.setStreams?.(stream);
    transceiver.direction = track ? 'sendonly' : 'inactive';
    return transceiver;
  }
}

/**
 * @typedef {object} StreamRecord a remote stream, as far as we have sorted it
 * @property {MediaStream} stream
 * @property {{track: MediaStreamTrack, streams: readonly MediaStream[]}[]} entries its track events
 * @property {'held' | 'camera' | 'screen' | 'ended'} as ended: a screen that is over
 * @property {ReturnType<typeof setTimeout> | undefined} timer
 */

export class TrackSorter {
  #onCamera;
  #onScreen;
  #holdMs;
  /** @type {string | null | undefined} the screen the other side named; undefined: no features message yet */
  #announced = undefined;
  /** @type {Map<string, StreamRecord>} stream id → record */
  #streams = new Map();
  /** @type {StreamRecord | null} */
  #screen = null;
  #closed = false;

  /**
   * @param {object} options
   * @param {(track: MediaStreamTrack, streams: readonly MediaStream[]) => void} options.onCamera today's path: the camera tile
   * @param {(stream: MediaStream | null) => void} options.onScreen the other side's screen starts (its stream) or ends (null)
   * @param {number} [options.holdMs]
   */
  constructor({ onCamera, onScreen, holdMs = SCREEN_HOLD_MS }) {
    this.#onCamera = onCamera;
    this.#onScreen = onScreen;
    this.#holdMs = holdMs;
  }

  /** The other side's screen while it is shown, else null. */
  get screen() {
    return this.#screen?.stream ?? null;
  }

  /**
   * A remote track (RTCPeerConnection "track" event).
   * @param {MediaStreamTrack} track
   * @param {readonly MediaStream[]} streams
   */
  track(track, streams) {
    if (this.#closed) return;
    const stream = streams[0];
    if (!stream || !isStreamId(stream.id)) {
      this.#onCamera(track, streams);
      return;
    }
    let record = this.#streams.get(stream.id);
    if (!record) {
      record = this.#remember(stream);
    } else if (record.stream !== stream && !record.stream.getTracks().includes(track)) {
      record.stream.addTrack?.(track); // the same stream id, another object: keep one stream
    }
    record.entries.push({ track, streams });
    this.#watchTrack(record, track);
    if (record.as === 'camera') this.#onCamera(track, streams);
    else if (record.as === 'held') this.#classify(record);
    // 'screen': the tile shows the stream, which has the track; 'ended': a screen that is over
  }

  /**
   * A valid features message came: `screenId` is the stream the other side shares now, or null.
   * @param {string | null} screenId
   */
  announce(screenId) {
    if (this.#closed) return;
    const first = this.#announced === undefined;
    this.#announced = screenId;
    if (this.#screen && this.#screen.stream.id !== screenId) this.#end(this.#screen);
    const record = screenId ? this.#streams.get(screenId) : undefined;
    if (record && record.as !== 'screen') {
      const wasCamera = record.as === 'camera';
      this.#show(record);
      if (wasCamera) this.#restoreCamera();
    }
    // The first message settles what came with the connection: the first other stream is the camera.
    if (first && ![...this.#streams.values()].some((r) => r.as === 'camera')) {
      const earliest = [...this.#streams.values()].find((r) => r.as === 'held');
      if (earliest) this.#toCamera(earliest);
    }
  }

  /** Forgets everything, without a word (the connection is closed; the mesh tells who needs it). */
  close() {
    this.#closed = true;
    for (const record of this.#streams.values()) clearTimeout(record.timer);
    this.#streams.clear();
    this.#screen = null;
  }

  /** @param {MediaStream} stream @returns {StreamRecord} */
  #remember(stream) {
    if (this.#streams.size >= MAX_STREAMS) {
      const old = [...this.#streams.values()].find((r) => r.as !== 'camera' && r !== this.#screen);
      if (old) {
        clearTimeout(old.timer);
        this.#streams.delete(old.stream.id);
      }
    }
    /** @type {StreamRecord} */
    const record = { stream, entries: [], as: 'held', timer: undefined };
    this.#streams.set(stream.id, record);
    // The other side stopped sending on the transceiver: its track leaves the stream.
    stream.addEventListener?.('removetrack', () => {
      if (this.#screen === record && !trackOf(record.stream, 'video')) this.#end(record);
    });
    return record;
  }

  /** @param {StreamRecord} record @param {MediaStreamTrack} track */
  #watchTrack(record, track) {
    track.addEventListener?.('ended', () => {
      if (this.#screen === record && track.kind === 'video') this.#end(record);
    });
  }

  /** @param {StreamRecord} record */
  #classify(record) {
    if (record.stream.id === this.#announced) {
      this.#show(record);
    } else if (record.timer === undefined) {
      record.timer = setTimeout(() => {
        record.timer = undefined;
        if (!this.#closed && record.as === 'held') this.#toCamera(record);
      }, this.#holdMs);
    }
  }

  /** @param {StreamRecord} record */
  #show(record) {
    clearTimeout(record.timer);
    record.timer = undefined;
    record.as = 'screen';
    this.#screen = record;
    this.#onScreen(record.stream);
  }

  /** @param {StreamRecord} record */
  #end(record) {
    record.as = 'ended';
    if (this.#screen !== record) return;
    this.#screen = null;
    this.#onScreen(null);
  }

  /** @param {StreamRecord} record */
  #toCamera(record) {
    clearTimeout(record.timer);
    record.timer = undefined;
    record.as = 'camera';
    for (const { track, streams } of record.entries) this.#onCamera(track, streams);
  }

  /** A stream shown as the camera turned out to be the screen: show the real camera again. */
  #restoreCamera() {
    const cameras = [...this.#streams.values()].filter((r) => r.as === 'camera');
    const entries = cameras.at(-1)?.entries ?? [];
    const entry = entries.findLast((e) => e.track.kind === 'video') ?? entries.at(-1);
    if (entry) this.#onCamera(entry.track, entry.streams);
  }
}
