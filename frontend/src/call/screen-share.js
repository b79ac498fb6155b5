// Sharing our screen, a window or a tab: the #toggle-screen button, getDisplayMedia (with tab
// audio where the browser offers it), the mesh that sends it to everyone (screen-tracks.js), our
// preview tile (screen-tiles.js). Sharing ends from our button, from the browser's own "Stop
// sharing" (the video track ends) and when we leave the call. Nothing runs at import time.

import { createScreenTiles } from './screen-tiles.js';

export { screenMeshEvents } from './screen-tiles.js';

/**
 * @typedef {object} ScreenShare
 * @property {() => Promise<void>} toggle starts sharing (the browser asks what) or stops
 * @property {() => void} stop
 * @property {boolean} sharing
 * @property {(inCall: boolean) => void} setAvailable out of a call the button is disabled, and a share stops
 *
 * @typedef {object} ScreenShareOptions
 * @property {Document} doc
 * @property {{startScreen: (stream: MediaStream) => void, stopScreen: () => void}} mesh
 * @property {Pick<MediaDevices, 'getDisplayMedia'> | undefined | null} mediaDevices
 * @property {(text: string) => void} [notify] tells the user why sharing did not start
 * @property {import('./screen-tiles.js').ScreenTiles} [tiles] where our preview goes
 */

export const DISPLAY_MEDIA_CONSTRAINTS = Object.freeze({ video: true, audio: true });

/**
 * Why getDisplayMedia failed, in plain words; null when there is nothing to say (the user chose
 * not to share: NotAllowedError is what a cancelled picker gives).
 * @param {unknown} error
 * @returns {string | null}
 */
export function displayMediaErrorText(error) {
  const { name = '', message = '' } = /** @type {{name?: string, message?: string}} */ (error ?? {});
  if (name === 'NotAllowedError') {
    // macOS without the screen recording permission for the browser.
    return /system/i.test(message) ? 'Your system does not let the browser record the screen. Allow it in the system settings, then try again.' : null;
  }
  if (name === 'NotFoundError') return 'There is no screen, window or tab to share.';
  if (name === 'NotReadableError' || name === 'AbortError') return 'Your screen could not be captured. Another program may be using it; try again.';
  return 'Your screen could not be shared.';
}

/** @param {ScreenShareOptions} options @returns {ScreenShare} */
export function installScreenShare({ doc, mesh, mediaDevices, notify = () => {}, tiles = createScreenTiles({ doc }) }) {
  const button = /** @type {HTMLButtonElement | null} */ (doc.getElementById('toggle-screen'));
  const supported = typeof mediaDevices?.getDisplayMedia === 'function';
  let available = false;
  let starting = false;
  /** @type {MediaStream | null} */
  let stream = null;
  /** @type {MediaStreamTrack | null} */
  let video = null;

  const render = () => {
    if (!button) return;
    button.setAttribute('aria-pressed', String(!!stream));
    button.setAttribute('aria-busy', String(starting));
    button.disabled = !stream && (!supported || !available || starting);
    button.title = !supported
      ? 'Your browser cannot share a screen'
      : stream
        ? 'Stop sharing your screen'
        : available
          ? 'Share your screen, a window or a tab'
          : 'Join the call to share your screen';
    const label = button.querySelector('.label') ?? button;
    label.textContent = stream ? 'Stop sharing' : 'Share screen';
  };

  const ended = () => stop(); // the browser's own "Stop sharing"

  function stop() {
    if (!stream) return;
    const old = stream;
    stream = null;
    video?.removeEventListener('ended', ended);
    video = null;
    mesh.stopScreen();
    for (const track of old.getTracks()) track.stop();
    tiles.removeSelf();
    render();
  }

  async function start() {
    if (!supported || !available || starting || stream || !mediaDevices) return;
    starting = true;
    render();
    /** @type {MediaStream} */
    let shared;
    try {
      shared = await mediaDevices.getDisplayMedia(DISPLAY_MEDIA_CONSTRAINTS);
    } catch (error) {
      const text = displayMediaErrorText(error);
      if (text) notify(text);
      return;
    } finally {
      starting = false;
      render();
    }
    const track = shared.getVideoTracks()[0];
    if (!available || stream || !track || track.readyState === 'ended') {
      // Left the call while the browser asked, or nothing usable came.
      for (const t of shared.getTracks()) t.stop();
      if (available && !stream) notify('Your screen could not be shared.');
      return;
    }
    // Text and edges over motion: the budget tells screen senders apart by this too.
    track.contentHint = 'detail';
    track.addEventListener('ended', ended);
    stream = shared;
    video = track;
    mesh.startScreen(shared);
    tiles.showSelf(shared);
    render();
  }

  button?.addEventListener('click', () => {
    share.toggle().catch((error) => console.warn('confab: screen share', error));
  });
  render();

  const share = {
    toggle: () => (stream ? Promise.resolve(stop()) : start()),
    stop,
    get sharing() {
      return stream !== null;
    },
    /** @param {boolean} inCall */
    setAvailable(inCall) {
      available = inCall;
      if (!inCall) stop();
      render();
    },
  };
  return share;
}
