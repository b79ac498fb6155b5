// Our camera and microphone for the whole page: started on demand (with the devices chosen last
// time on this browser), switched to another device mid-call, stopped on leave. No DOM: handed
// navigator.mediaDevices (or a fake) and localStorage (or null).
//
// The stream object stays the same while live: a switch swaps the track inside it, so peers made
// later (mesh.setLocalStream) send the new one; the caller moves existing senders (replaceTrack).
// After stop() the next acquire() makes a new stream.

import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS, acquireMedia, describeMediaError } from './media.js';
import { deviceIdOf, readChoices, rememberChoice } from './device-choices.js';

export { DEVICES_KEY, deviceIdOf, readChoices, rememberChoice } from './device-choices.js';

/** A remembered device that is no longer there fails with one of these. */
const GONE_ERRORS = new Set(['OverconstrainedError', 'NotFoundError']);

/**
 * @typedef {import('./device-choices.js').DeviceKind} DeviceKind
 * @typedef {import('./device-choices.js').InputKind} InputKind
 * @typedef {import('./device-choices.js').DeviceChoices} DeviceChoices
 *
 * @typedef {object} AcquireResult
 * @property {MediaStream | null} stream
 * @property {boolean} audio a microphone track is in the stream
 * @property {boolean} video a camera track is in the stream
 * @property {string | null} problem what is missing and why, in words for the user
 * @property {string | null} notice a remembered device was not there and another one is used
 * @typedef {AcquireResult} Acquired
 *
 * @typedef {object} SwitchResult
 * @property {MediaStreamTrack | null} old the track that was in use (stopped now, if it was replaced)
 * @property {MediaStreamTrack | null} track the one in use now (=== old: nothing changed)
 * @property {'switched' | 'unchanged' | 'later' | 'failed'} outcome "later": no such track now,
 *   the choice is remembered and used by the next acquire()
 * @property {string | null} problem why it failed, for the user
 *
 * @typedef {{type: 'acquired', notice: string | null}
 *   | {type: 'stopped'}
 *   | {type: 'switched', kind: InputKind, old: MediaStreamTrack, track: MediaStreamTrack}
 *   | {type: 'ended', kind: InputKind, track: MediaStreamTrack}} MediaEvent
 */

const WHAT = /** @type {const} */ ({ videoinput: 'camera', audioinput: 'microphone', audiooutput: 'speaker' });

/** @param {InputKind} kind @param {string | null} deviceId */
function constraintsFor(kind, deviceId) {
  const base = kind === 'videoinput' ? VIDEO_CONSTRAINTS : AUDIO_CONSTRAINTS;
  const constraints = deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
  return kind === 'videoinput' ? { video: constraints } : { audio: constraints };
}

/** @param {unknown} error */
function errorName(error) {
  return error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
}

export class LocalMedia {
  #devices;
  #storage;
  /** @type {MediaStream | null} */
  #stream = null;
  /** @type {string | null} */
  #problem = null;
  /** @type {string | null} */
  #notice = null;
  /** @type {Promise<AcquireResult> | null} */
  #acquiring = null;
  /** Bumped by stop(): work started before it must not bring tracks back to life. */
  #generation = 0;
  /** @type {Set<InputKind>} chosen while there was no such track: the next acquire() starts them */
  #pending = new Set();
  /** @type {Set<(event: MediaEvent) => void>} */
  #listeners = new Set();
  /** Switches run one at a time. */
  #chain = Promise.resolve();

  /**
   * @param {{mediaDevices: MediaDevices | undefined | null, storage?: Storage | null}} options
   */
  constructor({ mediaDevices, storage = null }) {
    this.#devices = mediaDevices ?? null;
    this.#storage = storage;
  }

  get stream() {
    return this.#stream;
  }

  get audio() {
    return !!this.audioTrack;
  }

  get video() {
    return !!this.videoTrack;
  }

  get audioTrack() {
    return this.#stream?.getAudioTracks()[0] ?? null;
  }

  get videoTrack() {
    return this.#stream?.getVideoTracks()[0] ?? null;
  }

  get problem() {
    return this.#problem;
  }

  /** Whether acquire() has work to do: nothing runs, or a device was chosen for a kind with no track. */
  get needsAcquire() {
    return !this.#stream || this.#pending.size > 0;
  }

  /** @param {InputKind} kind */
  track(kind) {
    return kind === 'videoinput' ? this.videoTrack : this.audioTrack;
  }

  /** @param {InputKind} kind @returns {string | null} the device that track comes from */
  deviceId(kind) {
    return deviceIdOf(this.track(kind));
  }

  /** @param {(event: MediaEvent) => void} listener @returns {() => void} unsubscribes */
  onChange(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts camera and microphone (remembered devices, then the defaults; then either alone).
   * While live it only starts what was chosen since for a device that had no track. Never rejects.
   * @returns {Promise<AcquireResult>}
   */
  acquire() {
    if (this.#acquiring) return this.#acquiring;
    if (this.#stream && !this.#pending.size) return Promise.resolve(this.#result());
    const acquiring = (this.#stream ? this.#startPending() : this.#start()).finally(() => {
      if (this.#acquiring === acquiring) this.#acquiring = null;
    });
    this.#acquiring = acquiring;
    return acquiring;
  }

  /** Ends every local track (the browser's recording indicator goes off). */
  stop() {
    this.#generation++;
    this.#acquiring = null;
    this.#pending.clear();
    const stream = this.#stream;
    this.#stream = null;
    this.#problem = null;
    this.#notice = null;
    for (const track of stream?.getTracks() ?? []) track.stop();
    if (stream) this.#emit({ type: 'stopped' });
  }

  /** @param {'mic' | 'cam'} kind @param {boolean} on */
  setEnabled(kind, on) {
    const tracks = kind === 'mic' ? this.#stream?.getAudioTracks() : this.#stream?.getVideoTracks();
    for (const track of tracks ?? []) track.enabled = on;
  }

  /**
   * Swaps the camera or microphone for another device: the new track keeps `enabled` (a muted
   * microphone stays muted); `replace(old, track)` is awaited before the old one stops (move
   * the senders there). Never rejects.
   * @param {InputKind} kind
   * @param {string} deviceId
   * @param {{remember?: boolean, replace?: (old: MediaStreamTrack, track: MediaStreamTrack) => Promise<void>}} [options]
   *   remember false: a fallback (unplugged device), the user's choice stays as it was
   * @returns {Promise<SwitchResult>}
   */
  switchDevice(kind, deviceId, { remember = true, replace } = {}) {
    const run = this.#chain.then(() => this.#switch(kind, deviceId, remember, replace));
    this.#chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /**
   * @param {InputKind} kind
   * @param {string} deviceId
   * @param {boolean} remember
   * @param {((old: MediaStreamTrack, track: MediaStreamTrack) => Promise<void>) | undefined} replace
   * @returns {Promise<SwitchResult>}
   */
  async #switch(kind, deviceId, remember, replace) {
    if (remember) rememberChoice(this.#storage, kind, deviceId);
    const stream = this.#stream;
    const old = this.track(kind);
    if (!stream || !old) {
      if (stream) this.#pending.add(kind);
      return { old: null, track: null, outcome: 'later', problem: null };
    }
    if (old.readyState === 'live' && deviceIdOf(old) === deviceId) return { old, track: old, outcome: 'unchanged', problem: null };
    const generation = this.#generation;
    /** @type {MediaStreamTrack | null} */
    let track = null;
    /** @type {string | null} */
    let problem = null;
    try {
      track = await this.#open(kind, deviceId);
    } catch (error) {
      if (errorName(error) !== 'NotReadableError' || old.readyState !== 'live') return this.#failed(kind, old, error);
      old.stop(); // some systems open one camera at a time: let go of ours and try once more
      try {
        track = await this.#open(kind, deviceId);
      } catch (again) {
        problem = this.#switchProblem(kind, again);
        track = await this.#open(kind, deviceIdOf(old)).catch(() => null); // the old device back
        if (!track) return { old, track: old, outcome: 'failed', problem };
      }
    }
    if (generation !== this.#generation || this.#stream !== stream) {
      track.stop(); // left the call meanwhile
      return { old: null, track: null, outcome: 'failed', problem: null };
    }
    track.enabled = old.enabled;
    stream.removeTrack(old);
    stream.addTrack(track);
    this.#watch(track, kind);
    try {
      await replace?.(old, track);
    } catch (error) {
      console.warn('confab: moving the senders to the new track', error);
    }
    old.stop();
    this.#emit({ type: 'switched', kind, old, track });
    return { old, track, outcome: problem ? 'failed' : 'switched', problem };
  }

  /** @param {InputKind} kind @param {MediaStreamTrack} old @param {unknown} error @returns {SwitchResult} */
  #failed(kind, old, error) {
    return { old, track: old, outcome: 'failed', problem: this.#switchProblem(kind, error) };
  }

  /** @param {InputKind} kind @param {unknown} error */
  #switchProblem(kind, error) {
    const what = WHAT[kind];
    if (GONE_ERRORS.has(errorName(error))) return `That ${what} is not connected any more.`;
    return `Could not switch: ${describeMediaError(error, what).replace(/^[A-Z]/, (c) => c.toLowerCase())}`;
  }

  /**
   * One track of a kind from a device (null: the default one).
   * @param {InputKind} kind
   * @param {string | null} deviceId
   */
  async #open(kind, deviceId) {
    if (!this.#devices?.getUserMedia) throw Object.assign(new Error('no mediaDevices'), { name: 'NotFoundError' });
    const stream = await this.#devices.getUserMedia(constraintsFor(kind, deviceId));
    const [track, ...extra] = kind === 'videoinput' ? stream.getVideoTracks() : stream.getAudioTracks();
    for (const other of extra) other.stop();
    if (!track) throw Object.assign(new Error('no track'), { name: 'NotFoundError' });
    return track;
  }

  /** @returns {Promise<AcquireResult>} */
  async #start() {
    const generation = this.#generation;
    const choices = await this.#usableChoices();
    const devices = this.#devices;
    // acquireMedia's fallbacks (both → microphone → camera), each first with the chosen devices.
    const withChoices = devices?.getUserMedia
      ? {
          getUserMedia: async (/** @type {MediaStreamConstraints} */ constraints) => {
            const chosen = {
              audio: constraints.audio && choices.audioinput ? { ...Object(constraints.audio), deviceId: { exact: choices.audioinput } } : constraints.audio,
              video: constraints.video && choices.videoinput ? { ...Object(constraints.video), deviceId: { exact: choices.videoinput } } : constraints.video,
            };
            if (chosen.audio === constraints.audio && chosen.video === constraints.video) return devices.getUserMedia(constraints);
            try {
              return await devices.getUserMedia(chosen);
            } catch (error) {
              if (!GONE_ERRORS.has(errorName(error))) throw error;
              return devices.getUserMedia(constraints); // a chosen device is gone: the defaults
            }
          },
        }
      : devices;
    const local = await acquireMedia(withChoices);
    if (generation !== this.#generation) {
      for (const track of local.stream?.getTracks() ?? []) track.stop();
      return { stream: null, audio: false, video: false, problem: null, notice: null };
    }
    this.#stream = local.stream;
    this.#problem = local.problem;
    this.#notice = this.#fallbackNotice(readChoices(this.#storage));
    for (const track of local.stream?.getTracks() ?? []) this.#watch(track, track.kind === 'video' ? 'videoinput' : 'audioinput');
    this.#emit({ type: 'acquired', notice: this.#notice });
    return this.#result();
  }

  /** Live, but a device was chosen for a kind that has no track: start it now (before peers exist). */
  async #startPending() {
    const generation = this.#generation;
    const stream = /** @type {MediaStream} */ (this.#stream);
    const kinds = [...this.#pending];
    this.#pending.clear();
    const choices = readChoices(this.#storage);
    for (const kind of kinds) {
      if (this.track(kind)) continue;
      const track = await this.#open(kind, choices[kind]).catch((error) =>
        GONE_ERRORS.has(errorName(error)) ? this.#open(kind, null).catch(() => null) : null,
      );
      if (!track) continue;
      if (generation !== this.#generation) {
        track.stop();
        return { stream: null, audio: false, video: false, problem: null, notice: null };
      }
      stream.addTrack(track);
      this.#watch(track, kind);
    }
    if (this.audio && this.video) this.#problem = null;
    this.#notice = this.#fallbackNotice(choices);
    this.#emit({ type: 'acquired', notice: this.#notice });
    return this.#result();
  }

  /**
   * The remembered choices, minus those the device list (when it tells) shows are gone.
   * @returns {Promise<DeviceChoices>}
   */
  async #usableChoices() {
    const choices = readChoices(this.#storage);
    if (!choices.videoinput && !choices.audioinput) return choices;
    /** @type {MediaDeviceInfo[]} */
    let listed = [];
    try {
      listed = (await this.#devices?.enumerateDevices?.()) ?? [];
    } catch {
      return choices;
    }
    for (const kind of /** @type {InputKind[]} */ (['videoinput', 'audioinput'])) {
      const ids = listed.filter((d) => d.kind === kind && d.deviceId).map((d) => d.deviceId);
      if (ids.length && choices[kind] && !ids.includes(/** @type {string} */ (choices[kind]))) choices[kind] = null;
    }
    return choices;
  }

  /**
   * "The camera you chose is not connected; using ‹label›." for each remembered device not in use.
   * @param {DeviceChoices} choices
   */
  #fallbackNotice(choices) {
    const said = [];
    for (const kind of /** @type {InputKind[]} */ (['videoinput', 'audioinput'])) {
      const track = this.track(kind);
      const used = deviceIdOf(track);
      if (!choices[kind] || !used || used === choices[kind]) continue;
      const label = track?.label ? `“${track.label}”` : `the default ${WHAT[kind]}`;
      said.push(`The ${WHAT[kind]} you chose before is not connected; using ${label} instead.`);
    }
    return said.length ? said.join(' ') : null;
  }

  /** @param {MediaStreamTrack} track @param {InputKind} kind */
  #watch(track, kind) {
    // Unplugged (or taken by the system): "ended" fires; a stop() of ours fires nothing.
    track.addEventListener?.('ended', () => {
      if (this.#stream?.getTracks().includes(track)) this.#emit({ type: 'ended', kind, track });
    });
  }

  /** @returns {AcquireResult} */
  #result() {
    return { stream: this.#stream, audio: this.audio, video: this.video, problem: this.#problem, notice: this.#notice };
  }

  /** @param {MediaEvent} event */
  #emit(event) {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.warn('confab: media listener', error);
      }
    }
  }
}
