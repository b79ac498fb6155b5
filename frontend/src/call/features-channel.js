// The "features" data channel of one peer connection (docs/protocol.md, "The features data
// channel"): our microphone / camera state and the id of the stream we share a screen on, sent
// whenever it changes and when the channel opens; the same from the other side. No DOM.
// Everything that comes in is the other participant's word: validated, never trusted.

/**
 * @typedef {{mic: boolean, cam: boolean}} Features microphone / camera state, as the tiles show it
 * @typedef {{mic: boolean, cam: boolean, screen: string | null}} ChannelFeatures what the channel carries
 */

/** The data channel is negotiated out of band: both sides create it with the same id. */
export const FEATURES_CHANNEL = Object.freeze({ label: 'features', id: 0 });

/** A features message is a few dozen characters; anything much longer is not one. */
export const MAX_FEATURES_MESSAGE = 512;

/** MediaStream ids are UUIDs (Chromium, Safari) or "{uuid}" (Firefox): short, plain characters. */
const STREAM_ID = /^[\w{}.-]{1,64}$/;

/** @param {unknown} value @returns {value is string} */
export const isStreamId = (value) => typeof value === 'string' && STREAM_ID.test(value);

/**
 * A features message as it goes out.
 * @param {ChannelFeatures} features
 */
export function serializeFeatures({ mic, cam, screen }) {
  return JSON.stringify({ mic: !!mic, cam: !!cam, screen: isStreamId(screen) ? screen : null });
}

/**
 * Reads a features message; null when it is not one. `screen` may be missing (an older page):
 * no screen then.
 * @param {unknown} data
 * @returns {ChannelFeatures | null}
 */
export function parseFeatures(data) {
  if (typeof data !== 'string' || data.length > MAX_FEATURES_MESSAGE) return null;
  let parsed;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const { mic, cam, screen = null } = parsed;
  if (typeof mic !== 'boolean' || typeof cam !== 'boolean') return null;
  if (screen !== null && !isStreamId(screen)) return null;
  return { mic, cam, screen };
}

export class FeaturesChannel {
  /** @type {RTCDataChannel} */
  #channel;
  /** @type {ChannelFeatures} */
  #local;
  /** @type {ChannelFeatures | null} */
  #remote = null;
  #onRemote;
  #onError;

  /**
   * @param {RTCPeerConnection} pc
   * @param {object} options
   * @param {ChannelFeatures} options.local what we tell the other side first
   * @param {(features: ChannelFeatures) => void} options.onRemote a valid message from the other side
   * @param {(what: string, error: unknown) => void} options.onError
   */
  constructor(pc, { local, onRemote, onError }) {
    this.#local = { ...local };
    this.#onRemote = onRemote;
    this.#onError = onError;
    this.#channel = pc.createDataChannel(FEATURES_CHANNEL.label, { negotiated: true, id: FEATURES_CHANNEL.id });
    this.#channel.onopen = () => this.#send();
    this.#channel.onmessage = ({ data }) => this.#receive(data);
  }

  /** @returns {ChannelFeatures} what we told the other side last */
  get local() {
    return { ...this.#local };
  }

  /** @returns {ChannelFeatures | null} what the other side told us last */
  get remote() {
    return this.#remote ? { ...this.#remote } : null;
  }

  /**
   * Changes part of what we tell the other side, and tells it (at once if the channel is open).
   * @param {Partial<ChannelFeatures>} change
   */
  update(change) {
    const next = { ...this.#local, ...change };
    this.#local = { mic: !!next.mic, cam: !!next.cam, screen: isStreamId(next.screen) ? next.screen : null };
    this.#send();
  }

  close() {
    this.#channel.onopen = null;
    this.#channel.onmessage = null;
    this.#channel.close();
  }

  #send() {
    if (this.#channel.readyState !== 'open') return;
    try {
      this.#channel.send(serializeFeatures(this.#local));
    } catch (error) {
      this.#onError('features send', error);
    }
  }

  /** @param {unknown} data */
  #receive(data) {
    const features = parseFeatures(data);
    if (!features) {
      const shown = typeof data === 'string' ? data.slice(0, 80) : typeof data;
      this.#onError('features message', new TypeError(`unexpected features message: ${shown}`));
      return;
    }
    this.#remote = features;
    this.#onRemote({ ...features });
  }
}
