// Stand-ins for the browser's media devices, enough to exercise device choice in Node:
// - FakeMediaDevices: a list of devices (plug / unplug fire "devicechange"); getUserMedia honours
//   `deviceId: {exact}` (OverconstrainedError when no such device), a plain or `ideal` id (falls back),
//   NotFoundError when a kind has no device, NotAllowedError when `allowed` is false, and failures
//   queued by the test; before the first success enumerateDevices hides ids and labels, one entry
//   per kind, as browsers do without permission; `exclusiveCameras`: a camera opened while another
//   camera track is live fails with NotReadableError (some OSes refuse a second open).
// - FakeMediaTrack: enabled, stop() (readyState "ended", no event, as the spec says), getSettings()
//   {deviceId}; unplugging its device ends it with an "ended" event (and onended).
// - FakeMediaStream: getTracks / getAudioTracks / getVideoTracks / addTrack / removeTrack.
// - fakePeer(tracks): a peer with `pc.getSenders()`; each sender's replaceTrack is recorded.
// - FakeMutationObserver: records what it observes; the test calls `FakeMutationObserver.flush()`.

import { FakeStream } from './fake-tracks.js';

let nextId = 1;

/** @param {string} name @param {string} [message] */
export function mediaError(name, message = name) {
  return Object.assign(new Error(message), { name });
}

export class FakeMediaTrack extends EventTarget {
  /** @param {'audio' | 'video'} kind @param {{deviceId: string, label: string}} device */
  constructor(kind, device) {
    super();
    this.kind = kind;
    this.id = `track-${nextId++}`;
    this.label = device.label;
    this.deviceId = device.deviceId;
    this.enabled = true;
    /** @type {'live' | 'ended'} */
    this.readyState = 'live';
    /** @type {((event: Event) => void) | null} */
    this.onended = null;
    /** how often stop() was called */
    this.stops = 0;
  }

  getSettings() {
    return { deviceId: this.deviceId };
  }

  stop() {
    this.stops++;
    this.readyState = 'ended';
  }

  /** The device went away: ended, with the event a stop() does not fire. */
  end() {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    const event = new Event('ended');
    this.dispatchEvent(event);
    this.onended?.(event);
  }
}

/** A stream of fake tracks (fake-tracks.js's stream, with an id of its own). */
export class FakeMediaStream extends FakeStream {
  /** @param {FakeMediaTrack[]} [tracks] */
  constructor(tracks = []) {
    super(`stream-${nextId++}`, /** @type {any[]} */ ([...tracks]));
  }
}

/**
 * @typedef {{deviceId: string, kind: 'videoinput' | 'audioinput' | 'audiooutput', label: string, groupId?: string}} FakeDevice
 */

const KIND_OF = /** @type {const} */ ({ audio: 'audioinput', video: 'videoinput' });

export class FakeMediaDevices extends EventTarget {
  /** @param {FakeDevice[]} devices the first of each kind is the default */
  constructor(devices = defaultDevices()) {
    super();
    this.devices = devices.map((d) => ({ groupId: '', ...d }));
    this.allowed = true;
    this.granted = false;
    this.exclusiveCameras = false;
    /** @type {Error[]} thrown by the next getUserMedia calls, one each */
    this.failures = [];
    /** @type {any[]} every constraints object asked for */
    this.calls = [];
    /** @type {FakeMediaTrack[]} every track handed out */
    this.tracks = [];
    /** @type {((event: Event) => void) | null} */
    this.ondevicechange = null;
  }

  /** @param {{audio?: any, video?: any}} constraints */
  async getUserMedia(constraints) {
    this.calls.push(structuredClone(constraints));
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (!this.allowed) throw mediaError('NotAllowedError', 'Permission denied');
    /** @type {FakeMediaTrack[]} */
    const tracks = [];
    for (const kind of /** @type {const} */ (['audio', 'video'])) {
      const wanted = constraints[kind];
      if (!wanted) continue;
      const device = this.#pick(KIND_OF[kind], wanted);
      if (kind === 'video' && this.exclusiveCameras && this.tracks.some((t) => t.kind === 'video' && t.readyState === 'live')) {
        throw mediaError('NotReadableError', 'Could not start video source');
      }
      tracks.push(new FakeMediaTrack(kind, device));
    }
    this.granted = true;
    this.tracks.push(...tracks);
    return new FakeMediaStream(tracks);
  }

  async enumerateDevices() {
    await Promise.resolve();
    if (!this.granted) {
      // Without permission: one anonymous entry per kind there is.
      const kinds = [...new Set(this.devices.map((d) => d.kind))];
      return kinds.map((kind) => ({ deviceId: '', kind, label: '', groupId: '' }));
    }
    return this.devices.map((d) => ({ ...d }));
  }

  /** @param {FakeDevice} device */
  plug(device) {
    this.devices.push({ groupId: '', ...device });
    this.#changed();
  }

  /** @param {string} deviceId its live tracks end */
  unplug(deviceId) {
    this.devices = this.devices.filter((d) => d.deviceId !== deviceId);
    for (const track of this.tracks) if (track.deviceId === deviceId) track.end();
    this.#changed();
  }

  /** Live tracks of a kind ('audio' | 'video'). */
  live(/** @type {string} */ kind) {
    return this.tracks.filter((t) => t.kind === kind && t.readyState === 'live');
  }

  #changed() {
    const event = new Event('devicechange');
    this.dispatchEvent(event);
    this.ondevicechange?.(event);
  }

  /**
   * @param {'audioinput' | 'videoinput'} kind
   * @param {any} wanted true or a constraints object
   */
  #pick(kind, wanted) {
    const ofKind = this.devices.filter((d) => d.kind === kind);
    if (!ofKind.length) throw mediaError('NotFoundError', 'Requested device not found');
    const id = wanted === true ? undefined : wanted.deviceId;
    const exact = id && typeof id === 'object' && 'exact' in id ? id.exact : undefined;
    const ideal = typeof id === 'string' ? id : id?.ideal;
    if (exact !== undefined) {
      const found = ofKind.find((d) => d.deviceId === exact);
      if (!found) throw Object.assign(mediaError('OverconstrainedError', ''), { constraint: 'deviceId' });
      return found;
    }
    return ofKind.find((d) => d.deviceId === ideal) ?? ofKind[0];
  }
}

/** Two cameras, two microphones, two speakers. */
export function defaultDevices() {
  return /** @type {FakeDevice[]} */ ([
    { deviceId: 'cam-front', kind: 'videoinput', label: 'Front camera', groupId: 'g1' },
    { deviceId: 'cam-usb', kind: 'videoinput', label: 'USB camera', groupId: 'g2' },
    { deviceId: 'mic-built-in', kind: 'audioinput', label: 'Built-in microphone', groupId: 'g1' },
    { deviceId: 'mic-headset', kind: 'audioinput', label: 'Headset microphone', groupId: 'g3' },
    { deviceId: 'spk-built-in', kind: 'audiooutput', label: 'Built-in speakers', groupId: 'g1' },
    { deviceId: 'spk-headset', kind: 'audiooutput', label: 'Headset', groupId: 'g3' },
  ]);
}

/** A sender whose replaceTrack swaps its track and is recorded. */
export class FakeSender {
  /** @param {FakeMediaTrack | null} track */
  constructor(track) {
    this.track = track;
    /** @type {(FakeMediaTrack | null)[]} */
    this.replaced = [];
  }

  /** @param {FakeMediaTrack | null} track */
  async replaceTrack(track) {
    await Promise.resolve();
    this.replaced.push(track);
    this.track = track;
  }
}

/**
 * A peer as the mesh holds it, with one sender per track; counts addTrack (renegotiation) calls.
 * @param {(FakeMediaTrack | null)[]} tracks
 */
export function fakePeer(tracks) {
  const senders = tracks.map((t) => new FakeSender(t));
  const pc = {
    addTrackCalls: 0,
    getSenders: () => [...senders],
    addTrack: () => {
      pc.addTrackCalls++;
    },
  };
  return { pc, senders };
}

/** Storage as localStorage behaves, or hostile (throws on every call). */
export function fakeStorage(/** @type {Record<string, string>} */ initial = {}, { hostile = false } = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (/** @type {string} */ key) => {
      if (hostile) throw mediaError('SecurityError');
      return data.has(key) ? /** @type {string} */ (data.get(key)) : null;
    },
    setItem: (/** @type {string} */ key, /** @type {string} */ value) => {
      if (hostile) throw mediaError('QuotaExceededError');
      data.set(key, String(value));
    },
  };
}

export class FakeMutationObserver {
  /** @type {Set<FakeMutationObserver>} */
  static all = new Set();

  /** Runs every observer's callback, as the browser does after a DOM change. */
  static flush() {
    for (const observer of FakeMutationObserver.all) if (observer.targets.length) observer.callback([], observer);
  }

  /** @param {(records: unknown[], observer: FakeMutationObserver) => void} callback */
  constructor(callback) {
    this.callback = callback;
    /** @type {{target: unknown, options: unknown}[]} */
    this.targets = [];
    FakeMutationObserver.all.add(this);
  }

  /** @param {unknown} target @param {unknown} options */
  observe(target, options) {
    this.targets.push({ target, options });
  }

  disconnect() {
    this.targets = [];
    FakeMutationObserver.all.delete(this);
  }
}
